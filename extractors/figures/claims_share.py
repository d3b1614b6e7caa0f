"""Share claims: "LABEL X 万元，占 (base) Y%" with the base the sentence names.

The base is the one printed in the denominator ("占本年支出合计的…", "占政府采购预算总额的…") or, when the
denominator is left out ("其中：一般公共预算拨款收入X万元，占32.55%"), the total the enumeration hangs on
("收入预算总计50,616.94万元，其中，…" — its printed amount; 收入总计 includes 上年结转, 本年收入合计 does not).
``reference_amount`` is that base's amount when the document discloses it, else None; ``reference_metric``
names the metric the base is (None when it is no catalogued figure).
"""
from __future__ import annotations

import regex

from extractors.figures.narrative import compile_pattern, section_at
from extractors.figures.numbers import parse_number, to_wanyuan

_SHARE = compile_pattern(r"(?P<label>[\p{Han}（）“”]{2,30}?)(?:为|支出|决算)?{AMT}[，,]?占(?P<den>[^\d%。；，,]{0,20}?){PCT}")
_BASES = [
    (r"采购", "procurement.total"), (r"三公", "sangong.total"),
    (r"收入总计|收支总计|支出总计|收支总预算|收入预算总计|支出预算总计|总计", "total.grand"),
    (r"本年收入合计|收入合计|本年收入(?:预算)?$|收入总额|收入预算总额", "income.total"),
    (r"本年支出合计|支出合计|支出总额|支出预算总额", "expenditure.total"),
    (r"基本支出", "expenditure.basic"),
    (r"一般公共预算.*支出", "gpb.expenditure"), (r"一般公共预算.*收入", "income.gpb_appropriation"),
]
_BASES_RX = [(regex.compile(p), m) for p, m in _BASES]
_HEAD_AMT = regex.compile(r"(?P<label>[\p{Han}（）“”]{2,24}?)(?:为|是|共计|合计)?(?P<amt>\d[\d,]*(?:\.\d+)?)\s?"
                          r"(?P<unit>亿元|万元|千元|元)")
_LEAD = regex.compile(r"其中|包括")
_SECTION_BASE = {"income": "income.total", "expenditure": "expenditure.total", "procurement": "procurement.total",
                 "sangong": "sangong.total", "gpb": "gpb.expenditure", "basic": "gpb.basic"}


def _base_metric(label: str) -> str | None:
    label = regex.sub(r"^(?:的)?|(?:的)?$", "", label or "")
    return next((m for rx, m in _BASES_RX if rx.search(label)), None)


def _lead_total(text: str, off: int) -> tuple[str, float] | None:
    """The total an enumeration hangs on: the first amount of the sentence holding the nearest 其中/包括
    before ``off`` (or of the sentence just before, when 其中 opens a sentence)."""
    lo = max(0, off - 400)
    leads = [m for m in _LEAD.finditer(text, lo, off)]
    if not leads:
        return None
    at = leads[-1].start()
    between = text[at:off]
    if regex.search(r"。|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]、", between):
        return None
    s_end = at
    s_start = max((m.end() for m in regex.finditer(r"。", text[lo:at])), default=0) + lo
    if not text[s_start:at].strip("：:，, "):
        s_end = s_start - 1
        s_start = max((m.end() for m in regex.finditer(r"。", text[lo:max(lo, s_end)])), default=0) + lo
    h = _HEAD_AMT.search(text, s_start, max(s_start, s_end))
    if not h:
        return None
    return h.group("label"), to_wanyuan(parse_number(h.group("amt")) or 0.0, h.group("unit"))


def _value_metric(values: dict, amount: float) -> str | None:
    for m in ("total.grand", "income.total", "expenditure.total", "appropriation.grand", "gpb.expenditure"):
        v = values.get(m)
        if isinstance(v, (int, float)) and abs(v - amount) < 0.011:
            return m
    return None


def share_claims(ts, text: str, secs, values: dict) -> list[dict]:
    from extractors.figures.claims import _subject

    out = []
    for m in _SHARE.finditer(text):
        sec = section_at(secs, m.start())
        if sec == "glossary":
            continue
        amt = to_wanyuan(parse_number(m.group("amt")) or 0.0, m.group("unit"))
        den = m.group("den") or ""
        ref_metric, ref_amount, named = None, None, den
        if den:
            ref_metric = _base_metric(den)
            ref_amount = values.get(ref_metric) if ref_metric else None
        else:
            lead = _lead_total(text, m.start())
            if lead:
                named, ref_amount = lead
                ref_metric = _base_metric(named) or _value_metric(values, ref_amount)
            else:
                ref_metric = _SECTION_BASE.get(sec or "")
                ref_amount = values.get(ref_metric) if ref_metric else None
                named = ""
        page, _ = ts.locate(m.start(), m.end())
        metric, _lab = _subject(text, m.start(), m.end(), None)
        out.append({"claim_type": "share", "metric": metric, "subject": m.group("label"), "page": page,
                    "text": m.group(0), "amount": amt, "reference_amount": ref_amount,
                    "reference_metric": ref_metric, "stated_change": None, "stated_pct": float(m.group("pct")),
                    "direction": None, "reference": named or ref_metric or "total"})
    return out

"""Narrative numeric claims for the anomaly rules (format: see the package docstring), and the prior-year
values a stated change implies (``*_prev = current − change`` when no prior-year figure is printed).

* yoy: "…（与上年相比）LABEL 增加/减少 X 万元，增长/下降 Y%" — subject = the last catalogued label before the change
  in the same sentence, else the section's headline metric.
* share: "LABEL X 万元，占 (denominator) Y%".
* completion: "… 完成(年初|全年|调整)预算(数)的 Y%" with the budget ("预算为 B 万元") and the outturn ("决算为 A 万元")
  found in the same sentence.
"""
from __future__ import annotations

import regex

from extractors.figures.narrative import compile_pattern, section_at
from extractors.figures.numbers import parse_number, to_wanyuan
from extractors.figures.records import figure

_SUBJECTS = [
    ("appropriation.grand", r"财政拨款(?:收[、，,]?支|收入支出|收入和支出)(?:决算|预算)?(?:总计|总额)"),
    ("total.grand", r"(?:收[、，,]?支|收入支出|收入和支出)(?:决算|预算)?(?:总计|总额)"),
    ("income.total", r"本年收入合计|收入合计"), ("expenditure.total", r"本年支出合计|支出合计"),
    ("gpb.expenditure", r"一般公共预算(?:财政)?拨款支出"), ("gpb.basic", r"一般公共预算(?:财政)?拨款基本支出"),
    ("sangong.abroad", r"因公出国[（(]境[)）]"), ("sangong.vehicle", r"公务用车购置及运行(?:维护)?费"),
    ("sangong.vehicle_operation", r"公务用车运行(?:维护)?费"), ("sangong.reception", r"公务接待"),
    ("sangong.total", r"三公"), ("admin.operating_cost", r"机关运行经费"),
    ("procurement.total", r"政府采购"), ("gf.expenditure", r"政府性基金"), ("soe.expenditure", r"国有资本经营"),
]
_SUBJ_RX = [(m, regex.compile(p)) for m, p in _SUBJECTS]
_SECTION_DEFAULT = {"totals": "total.grand", "appropriation": "appropriation.grand", "gpb": "gpb.expenditure",
                    "sangong": "sangong.total", "admin": "admin.operating_cost", "income": "income.total",
                    "expenditure": "expenditure.total", "gf": "gf.expenditure", "soe": "soe.expenditure"}
_PREV = {"total.grand": "total.grand_prev", "appropriation.grand": "appropriation.grand_prev",
         "gpb.expenditure": "gpb.expenditure_prev", "sangong.total": "sangong.total_prev",
         "admin.operating_cost": "admin.operating_cost_prev"}
_UP = {"增加", "增长", "上升", "提高"}
_YOY = compile_pattern(r"(?P<dir>增加|减少|增长|下降|上升|降低|提高)(?P<amt>\d[\d,]*(?:\.\d+)?)\s?(?P<unit>亿元|万元|千元|元)"
                       r"(?:[，,]?(?:同比)?(?P<dir2>增长|下降|上升|降低|增加|减少)(?P<pct>\d+(?:\.\d+)?)%)?")
_SHARE = compile_pattern(r"(?P<label>[\p{Han}（）“”]{2,30}?)(?:为|支出|决算)?{AMT}[，,]?占(?P<den>[^\d%。；，,]{0,20}?){PCT}")
_DONE = compile_pattern(r"完成(?P<ref>年初|全年|调整后?)?预算(?:数)?(?:的)?{PCT}")
_BUDGET = regex.compile(r"(?P<ref>年初|全年|调整后?)?预算(?:数)?为(?P<amt>\d[\d,]*(?:\.\d+)?)(?P<unit>万元|元|亿元)")
_OUTTURN = regex.compile(r"(?:支出)?决算(?:数)?为(?P<amt>\d[\d,]*(?:\.\d+)?)(?P<unit>万元|元|亿元)")
_SENT = regex.compile(r"[。；;！!？?]")


def _sentence_start(text: str, off: int) -> int:
    lo = max(0, off - 120)
    cut = max((m.end() for m in _SENT.finditer(text, lo, off)), default=lo)
    return cut


def _subject(text: str, start: int, end: int, section: str | None) -> tuple[str | None, str]:
    best, best_pos, label = None, -1, ""
    seg = text[start:end]
    for metric, rx in _SUBJ_RX:
        for m in rx.finditer(seg):
            if m.start() > best_pos or (m.start() == best_pos and len(m.group(0)) > len(label)):
                best, best_pos, label = metric, m.start(), m.group(0)
    if best == "total.grand" and section == "appropriation":
        best = "appropriation.grand"
    if best is None:
        best = _SECTION_DEFAULT.get(section or "")
    return best, label


def extract_claims(ts, secs, figs, values, fy):
    text = ts.text
    claims: list[dict] = []
    derived: list[dict] = []
    explicit_prev = {f["metric"] for f in figs if f["metric"].endswith("_prev")}
    for m in _YOY.finditer(text):
        s0 = _sentence_start(text, m.start())
        sent = text[s0:m.end()]
        if not regex.search(r"相比|比上年|较上年|同比|比\d{4}|较\d{4}|上年", sent):
            continue
        sec = section_at(secs, m.start())
        metric, label = _subject(text, s0, m.start(), sec)
        sign = 1 if m.group("dir") in _UP else -1
        change = sign * to_wanyuan(parse_number(m.group("amt")) or 0.0, m.group("unit"))
        pct = float(m.group("pct")) * (1 if m.group("dir2") in _UP else -1) if m.group("pct") else None
        cur = values.get(metric) if metric else None
        prev_metric = _PREV.get(metric or "")
        prev = values.get(prev_metric) if prev_metric else None
        page, bbox = ts.locate(s0, m.end())
        if prev is None and cur is not None and isinstance(cur, (int, float)):
            prev = round(cur - change, 2)
            if prev_metric and prev_metric not in explicit_prev and prev >= -0.005:
                explicit_prev.add(prev_metric)
                f = figure(prev_metric, max(prev, 0.0), source="narrative", page=page, bbox=bbox, text=sent,
                           rank=5, derived=True)
                f["_off"] = m.start()
                derived.append(f)
        claims.append({"claim_type": "yoy", "metric": metric, "subject": label or None, "page": page, "text": sent,
                       "amount": cur, "reference_amount": prev, "stated_change": round(change, 2),
                       "stated_pct": pct, "direction": "increase" if sign > 0 else "decrease",
                       "reference": "prior_year"})
    for m in _SHARE.finditer(text):
        sec = section_at(secs, m.start())
        if sec == "glossary":
            continue
        amt = to_wanyuan(parse_number(m.group("amt")) or 0.0, m.group("unit"))
        den = m.group("den") or ""
        ref_metric = ("procurement.total" if "采购" in den else "expenditure.total" if "支出合计" in den
                      else _SECTION_DEFAULT.get(sec or ""))
        page, _ = ts.locate(m.start(), m.end())
        metric, _lab = _subject(text, m.start(), m.end(), None)
        claims.append({"claim_type": "share", "metric": metric, "subject": m.group("label"), "page": page,
                       "text": m.group(0), "amount": amt,
                       "reference_amount": values.get(ref_metric) if ref_metric else None,
                       "stated_change": None, "stated_pct": float(m.group("pct")), "direction": None,
                       "reference": den or (ref_metric or "total")})
    for m in _DONE.finditer(text):
        s0 = _sentence_start(text, m.start())
        sent = text[s0:m.end()]
        b = list(_BUDGET.finditer(sent))
        o = list(_OUTTURN.finditer(sent))
        ref = m.group("ref") or ""
        budget = next((x for x in b if (x.group("ref") or "") == ref), b[-1] if b else None)
        page, _ = ts.locate(s0, m.end())
        metric, label = _subject(text, s0, m.start(), section_at(secs, m.start()))
        claims.append({"claim_type": "completion", "metric": metric, "subject": label or None, "page": page,
                       "text": sent,
                       "amount": to_wanyuan(parse_number(o[-1].group("amt")), o[-1].group("unit")) if o else None,
                       "reference_amount": to_wanyuan(parse_number(budget.group("amt")), budget.group("unit"))
                       if budget else None,
                       "stated_change": None, "stated_pct": float(m.group("pct")), "direction": None,
                       "reference": (ref + "预算") if ref else "预算"})
    return claims, derived

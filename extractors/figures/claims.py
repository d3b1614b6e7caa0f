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

_APPROPRIATION = "_appropriation"  # a pseudo-subject, never a metric of its own
_SUBJECTS = [
    ("appropriation.grand", r"财政拨款(?:收[、，,]?支|收入[、，,]?支出|收入和支出)(?:决算|预算)?(?:总计|总额)"),
    ("total.grand", r"(?:收[、，,]?支|收入[、，,]?支出|收入和支出)(?:决算|预算)?(?:总计|总额)|(?:^|(?<=[年度门位级）局委办室院心：:]))收支(?:预算)?$"),
    ("income.total", r"本年收入合计|收入合计"), ("income.gpb_appropriation", r"一般公共预算(?:财政)?拨款收入"), ("expenditure.total", r"本年支出合计|支出合计"),
    ("gpb.expenditure", r"一般公共预算(?:财政)?拨款支出|一般公共预算当年拨款(?!收入)"), ("gpb.basic", r"一般公共预算(?:财政)?拨款基本支出"),
    # "财政拨款收入/支出（预算）X万元，比上年增加Y" with no kind: see _appropriation_subject
    # (only where nothing qualifies it: "“三公”经费财政拨款支出" is the 三公's)
    (_APPROPRIATION, r"(?:^|(?<=[年度门位级）局委办室院心队会所站处厅；，,。：:]))财政拨款(?:收入|支出)"),
    ("sangong.abroad", r"因公出国[（(]境[)）]"), ("sangong.vehicle", r"公务用车购置及运行(?:维护)?费"),
    ("sangong.vehicle_operation", r"公务用车运行(?:维护)?费"), ("sangong.reception", r"公务接待"),
    ("sangong.total", r"三公"), ("admin.operating_cost", r"机关运行经费|(?:财政拨款|一般公共预算)(?:安排的)?运行经费"),
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
_YOY = compile_pattern(r"(?P<dir>增加|减少|增长|下降|上升|降低|提高)(?P<amt>\d(?:[\d,]| (?=\d))*(?:\.(?:\d| (?=\d))+)?)\s?(?P<unit>亿元|万元|千元|元)"
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
    if best is None or best == _APPROPRIATION:
        best = _SECTION_DEFAULT.get(section or "")
    return best, label


def _appropriation_subject(metric: str | None, amount, values: dict) -> str | None:
    """All 财政拨款 income or spending as one amount (budgets: "其中：财政拨款收入18,976.76万元，比2024年预算增加…")
    is the 财政拨款收支总计 when it is that amount (no carry-over besides it); otherwise it names no catalogued
    total, and its change implies no prior-year figure."""
    if metric != _APPROPRIATION:
        return metric
    if _same_amount(amount, values.get("appropriation.grand")):
        return "appropriation.grand"
    return None


def _same_amount(printed, exact) -> bool:
    """The narrative's amount is the table's at the narrative's precision: a whole-万元 figure ("17,192万元") rounds
    a table in 元 (171,915,169 元), so it matches within half a 万元; otherwise within a cent's rounding."""
    if not isinstance(printed, (int, float)) or not isinstance(exact, (int, float)):
        return False
    tol = 0.5 if float(printed).is_integer() and not float(exact).is_integer() else 0.011
    return abs(printed - exact) <= tol


_AMT = regex.compile(r"(?P<amt>\d(?:[\d,]| (?=\d))*(?:\.(?:\d| (?=\d))+)?)\s?(?P<unit>亿元|万元|千元|元)")
# the amount is the prior year's when a prior-year marker leads its own clause: "上年支出4.45万元",
# "2023年度收、支总计1540.06万元" (a label may sit between marker and amount, but no punctuation and no change
# verb: in "比上年增加166.68万元" the amount is the change)
_PRIOR_BEFORE = regex.compile(r"(?:上年|上一年|去年|上年度|(?P<y>(?:19|20)\d{2})年)(?:度)?[^，,。；;：:\d增减降升比较]{0,16}?"
                              r"(?:为|的|是)?$")
# 各/均/分别: "收、支总计各增加X" (both sides by the same amount)
_TAIL_OK = regex.compile(r"^[”\"’]?(?:各|均|分别|经费|决算|预算|支出|数|为|是|合计|共计|安排|财政拨款|拨款|年初|总额|金额|的|费用?|收入|"
                         r"执行|调整|当年|本年|共|达)*$")
_CMP_TAIL = regex.compile(r"[，,]?(?:与|比|较|同比)?(?:上年|去年|上一年|(?:19|20)\d{2}年)?(?:度)?(?:年初|全年)?(?:预算|决算|执行)?"
                          r"(?:数)?(?:相比|相较)?[，,]?$")
_OWNER = regex.compile(r"^(?:.*?(?:（本级）|本部门|本单位|部门|单位|局|委员会|办公室|办公厅|中心))?(?:(?:19|20)\d{2}年度?)?")


_CHANGE_BEFORE = regex.compile(r"(?:增加|减少|增长|下降|上升|降低|提高)$")
# a bare income/expenditure subject ("收入比2025年增加…", "部门预算收入X万元，较…减少…"): the document's totals
_BARE_TOTAL = regex.compile(r"^(?:部门)?(?:本年)?(?:预算|决算)?(?P<side>收入|支出)(?:预算|决算)?(?:数)?(?:总额|合计|总计)?$")


def _bare_total(subj: str, base_amount, values: dict) -> str | None:
    """收入/支出 without a qualifier: 收支总计 when the amount is the grand total (budgets without a separate
    carry-over line), else this year's income / expenditure total."""
    rest, prev = subj or "", None
    while rest != prev:  # "2026年深圳市财政局（本级）部门预算收入": year, unit and 口径 peel off in turn
        prev, rest = rest, regex.sub(r"^（[^）]{1,6}）", "", _OWNER.sub("", rest, count=1))
    m = _BARE_TOTAL.match(rest)
    if not m:
        return None
    side = "income.total" if m.group("side") == "收入" else "expenditure.total"
    amount = base_amount if base_amount is not None else values.get(side, values.get("total.grand"))
    if _same_amount(amount, values.get("total.grand")):
        return "total.grand"
    return side


def _clause(text: str, lo: int, hi: int) -> int:
    """Start of the comma clause that ends at ``hi`` (not before ``lo``)."""
    return max([lo] + [m.end() for m in regex.finditer(r"[，,：:]", text[lo:hi])]) if hi > lo else lo


def _subject_metric(subj: str) -> str | None:
    """The metric whose label the clause's subject is (the label must end the subject, bar 预算/支出/为 …)."""
    best, best_end = None, -1
    for metric, rx in _SUBJ_RX:
        for m in rx.finditer(subj):
            if _TAIL_OK.match(subj[m.end():]) and (m.end() > best_end or (m.end() == best_end and best is None)):
                best, best_end = metric, m.end()
    return best


def _yoy_parts(text: str, s0: int, m, fy):
    """(subject text, printed current amount or None, printed prior amount or None) of one change clause."""
    pre_lo = s0
    cur = prior = None
    subj_end = m.start()
    for a in _AMT.finditer(text, s0, m.start()):
        if _CHANGE_BEFORE.search(text, max(s0, a.start() - 4), a.start()):
            # an earlier change of the same sentence ("收入增加X万元，主要是拨款增加Y万元"): never a level; the
            # next change's subject starts after it
            s0 = a.end()
            continue
        before = text[max(s0, a.start() - 24):a.start()]
        pm = _PRIOR_BEFORE.search(before)
        y = pm.group("y") if pm else None
        if pm and (y is None or fy is None or int(y) < fy):
            prior = to_wanyuan(parse_number(a.group("amt")) or 0.0, a.group("unit"))
            continue
        cur = to_wanyuan(parse_number(a.group("amt")) or 0.0, a.group("unit"))
        pre_lo, subj_end = _clause(text, s0, a.start()), a.start()
    if cur is None:
        pre_lo = _clause(text, s0, m.start())
        seg = text[pre_lo:m.start()]
        if not regex.search(r"\p{Han}", _CMP_TAIL.sub("", seg)):
            pre_lo = _clause(text, s0, max(s0, pre_lo - 1))  # "…X，与上年相比增加": the subject is one clause back
        subj_end = pre_lo + len(_CMP_TAIL.sub("", text[pre_lo:m.start()]))
    subj = _CMP_TAIL.sub("", text[pre_lo:subj_end])
    if cur is None and not subj and s0 > 1:
        # "…（项）1,214.90万元，主要用于…。比上年执行数增加…": the previous sentence carries subject and amount
        p0 = _sentence_start(text, s0 - 1)
        a = _AMT.search(text, p0, s0)
        if a:
            cur = to_wanyuan(parse_number(a.group("amt")) or 0.0, a.group("unit"))
            subj = text[_clause(text, p0, a.start()):a.start()]
    head = regex.match(r"^.*(?:情况说明|情况|说明)(?:（[^）]*）)?", subj)
    if head and regex.search(r"\p{Han}", subj[head.end():]):
        subj = subj[head.end():]  # the section heading run into the sentence
    return subj, cur, prior


def _yoy_claims(ts, text, secs, figs, values, fy, claims, derived):
    explicit_prev = {f["metric"] for f in figs if f["metric"].endswith("_prev") and not f.get("derived")}
    have_prev = set(explicit_prev)
    for m in _YOY.finditer(text):
        s0 = _sentence_start(text, m.start())
        sent = text[s0:m.end()]
        if not regex.search(r"相比|比上年|较上年|同比|比\d{4}|较\d{4}|上年", sent):
            continue
        sec = section_at(secs, m.start())
        subj, cur, prior = _yoy_parts(text, s0, m, fy)
        metric = _appropriation_subject(_subject_metric(subj), cur, values)
        owner_only = bool(subj) and not regex.search(r"\p{Han}", _OWNER.sub("", subj))
        if metric is None and owner_only:
            metric = _SECTION_DEFAULT.get(sec or "")  # "2026年本部门…X万元": the section's headline
        if metric is None:
            metric = _bare_total(subj, cur, values)
        if metric == "total.grand" and sec == "appropriation":
            metric = "appropriation.grand"
        sign = 1 if m.group("dir") in _UP else -1
        change = sign * to_wanyuan(parse_number(m.group("amt")) or 0.0, m.group("unit"))
        pct = float(m.group("pct")) * (1 if m.group("dir2") in _UP else -1) if m.group("pct") else None
        prev_metric = _PREV.get(metric or "")
        page, bbox = ts.locate(s0, m.end())
        ref, ref_derived = prior, False
        if ref is None and prev_metric in explicit_prev:
            ref = values.get(prev_metric)
        if ref is None and cur is not None:
            ref, ref_derived = round(cur - change, 2), True
        base = cur if cur is not None else (values.get(metric) if metric else None)
        if prev_metric and prev_metric not in have_prev and isinstance(base, (int, float)):
            prev = prior if prior is not None else round(base - change, 2)
            if prev >= -0.005:
                have_prev.add(prev_metric)
                f = figure(prev_metric, max(prev, 0.0), source="narrative", page=page, bbox=bbox, text=sent,
                           rank=5, derived=prior is None)
                f["_off"] = m.start()
                derived.append(f)
        claims.append({"claim_type": "yoy", "metric": metric, "subject": subj or None, "page": page, "text": sent,
                       "amount": cur, "reference_amount": ref, "reference_derived": ref_derived,
                       "stated_change": round(change, 2), "stated_pct": pct,
                       "direction": "increase" if sign > 0 else "decrease", "reference": "prior_year"})


# "与上年相比未发生增减变化" / "与上年持平": a change of 0, so the prior-year figure is the current one
# "与2024年预算持平" / "与上年预算数相同": the year's budget named between the year and the verb
_FLAT = regex.compile(r"(?:与|和|同|比|较)(?:上年|去年|上一年|(?:19|20)\d{2}年)(?:度)?(?:年初)?(?:预算|决算)?(?:数)?"
                      r"(?:相比|相较|比较)?[，,]?(?:基本)?"
                      r"(?:未发生增减变化|未发生变化|无增减变化|没有变化|无变化|持平|保持不变|一致|相同)")


def _family(metric: str | None) -> str:
    return (metric or "").split(".")[0]


def _flat_claims(ts, text, secs, figs, values, fy, derived):
    have_prev = {f["metric"] for f in figs if f["metric"].endswith("_prev")} | {f["metric"] for f in derived}
    for m in _FLAT.finditer(text):
        s0 = _sentence_start(text, m.start())
        subj, cur, prior = _yoy_parts(text, s0, m, fy)
        metric = _appropriation_subject(_subject_metric(subj), cur, values) or _bare_total(subj, cur, values)
        sec = section_at(secs, m.start())
        headline = _SECTION_DEFAULT.get(sec or "")
        if _PREV.get(metric or "") is None and (not subj or (metric and _family(metric) == _family(headline))):
            # a closing "和2014年相比未发生增减变化" (or one after a part: "公务接待费…，与上年持平") covers the section's
            # total; a flat subject of another family ("国有资本经营预算拨款支出预算0万元，比上年持平" under a glossary
            # item on 机关运行经费) is not the section's
            metric, cur = headline, None
        prev_metric = _PREV.get(metric or "")
        base = cur if cur is not None else values.get(metric or "")
        if not prev_metric or prev_metric in have_prev or not isinstance(base, (int, float)) or prior is not None:
            continue
        page, bbox = ts.locate(s0, m.end())
        f = figure(prev_metric, base, source="narrative", page=page, bbox=bbox, text=text[s0:m.end()], rank=5,
                   derived=True)
        f["_off"] = m.start()
        derived.append(f)
        have_prev.add(prev_metric)


def extract_claims(ts, secs, figs, values, fy):
    text = ts.text
    claims: list[dict] = []
    derived: list[dict] = []
    _yoy_claims(ts, text, secs, figs, values, fy, claims, derived)
    _flat_claims(ts, text, secs, figs, values, fy, derived)
    from extractors.figures.claims_share import share_claims

    claims += share_claims(ts, text, secs, values)
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

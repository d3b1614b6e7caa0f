"""Comparison statements against the numbers printed beside them, read from the running text itself.

- "决算数大于/小于/等于预算数" against the 年初预算 and 决算 amounts of the same item;
- "增加/减少X万元，增长/下降Y%" and "持平": the two verbs agree, and the direction agrees with this year's and last
  year's amounts when the sentence (or the one before it) prints both and their difference is the stated change;
- a growth rate stated against a zero prior-year base;
- a 三公 row left blank in its table while the narrative states the amount (an emptied or partial table).

Every check binds numbers only within the item the statement belongs to (never past the previous statement).
"""
from __future__ import annotations

import regex

from warehouse.anomaly_rules.base import DocContext, finding
from warehouse.anomaly_rules.stream import AMOUNT, stream_of, to_float

_RELATION = regex.compile(r"决算数?(?P<w>大于|小于|等于|高于|低于|超过|少于|多于|持平于?)(?:年初|调整)?预算数?")
_WORD = {"大于": ">", "高于": ">", "超过": ">", "多于": ">", "小于": "<", "低于": "<", "少于": "<", "等于": "=",
         "持平": "=", "持平于": "="}
_BUDGET = regex.compile(r"(?:年初预算|调整预算|预算数?)(?:数|金额)?(?:为|是|：)?(?P<n>" + AMOUNT + r")万元")
_ACTUAL = regex.compile(r"(?:支出决算|决算数?|决算支出|实际支出)(?:数)?(?:为|是|：)?(?P<n>" + AMOUNT + r")万元")
_WINDOW = 220


def _decimals(token: str) -> int:
    return len(token.split(".")[1]) if "." in token else 0


def _relation(a: float, b: float, tol: float) -> str:
    return "=" if abs(a - b) <= tol else (">" if a > b else "<")


def budget_relations(ctx: DocContext) -> list[dict]:
    out, s = [], stream_of(ctx)
    last_end = 0
    for m in _RELATION.finditer(s.text):
        lo = max(last_end, m.start() - _WINDOW)
        last_end = m.end()
        window = s.text[lo:m.start()]
        budgets, actuals = list(_BUDGET.finditer(window)), list(_ACTUAL.finditer(window))
        if not budgets or not actuals:
            continue
        b, a = budgets[-1].group("n"), actuals[-1].group("n")
        # a rounded figure ("1,208万元") is equal to its exact twin within half its last digit; a zero is exact
        tol = 0.005 if to_float(a) == 0 or to_float(b) == 0 else 0.5 * 10 ** -min(_decimals(a), _decimals(b))
        tol += 1e-9
        computed = _relation(to_float(a), to_float(b), tol)
        stated = _WORD[m.group("w")]
        if computed == stated:
            continue
        word = {">": "大于", "<": "小于", "=": "等于"}[computed]
        out.append(finding("compare.budget_word", ctx.doc, None, to_float(b), to_float(a),
                           f"表述为“决算数{m.group('w')}预算数”，但所述决算数 {a} 万元{word}预算数 {b} 万元",
                           s.snippet(lo + budgets[-1].start(), m.end(), before=0), s.page_at(m.start()),
                           subject=f"relation|{m.start()}"))
    return out


_UP, _DOWN = {"增加", "增长", "上升", "提高"}, {"减少", "下降", "降低"}
_CHANGE = regex.compile(r"(?P<v1>增加|减少|增长|下降|上升|降低)(?P<chg>" + AMOUNT + r")万元[，,]?"
                        r"(?:同比)?(?P<v2>增长|下降|上升|降低|增加|减少)(?P<pct>" + AMOUNT + r")%"
                        r"|(?P<flat>持平)")
# the filler between 上年 and its amount never crosses a change verb or a clause break ("比上年增加X万元" is a change)
_PREV = regex.compile(r"(?:上年|上年度|(?P<py>(?:19|20)\d{2})年度?)(?:决算数?|同期)?"
                      r"(?:(?!增加|减少|增长|下降|结转|结余|比|较)[\p{Han}“”（）]){0,20}?(?:为|是|：)?"
                      r"(?P<n>" + AMOUNT + r")万元")
_CUR = regex.compile(r"(?P<n>" + AMOUNT + r")万元")
_NOT_CURRENT = regex.compile(r"预算|上年|其中|以前|年初")


def _amounts(ctx: DocContext, text: str) -> tuple[float, float, int] | None:
    """(this year, last year) printed before a change clause: last year's is the latest 上年/YYYY-1 amount,
    this year's the latest other amount before it."""
    year = ctx.doc.get("fiscal_year")
    prevs = [p for p in _PREV.finditer(text) if not p.group("py") or (year and int(p.group("py")) == int(year) - 1)]
    if not prevs:
        return None
    p = prevs[-1]
    curs = [c for c in _CUR.finditer(text, 0, p.start())
            if not _NOT_CURRENT.search(text[max(0, c.start() - 8):c.start()])]
    if not curs:
        return None
    return to_float(curs[-1].group("n")), to_float(p.group("n")), p.start()


def change_statements(ctx: DocContext) -> list[dict]:
    out, s = [], stream_of(ctx)
    last_end = 0
    for m in _CHANGE.finditer(s.text):
        lo = max(last_end, m.start() - _WINDOW)
        last_end = m.end()
        page, evidence = s.page_at(m.start()), s.snippet(lo, m.end(), before=0)
        subject = f"change|{m.start()}"
        if not m.group("flat") and (m.group("v1") in _UP) != (m.group("v2") in _UP):
            out.append(finding("compare.change_word", ctx.doc, None, None, None,
                               f"增减表述自相矛盾：“{m.group('v1')}{m.group('chg')}万元”与“{m.group('v2')}{m.group('pct')}%”",
                               evidence, page, subject=subject))
            continue
        pair = _amounts(ctx, s.text[lo:m.start()])
        if pair is None:
            continue
        cur, prev, prev_at = pair
        diff = round(cur - prev, 2)
        if m.group("flat"):
            sentence_start = max(s.text.rfind("。", lo, m.start()), s.text.rfind("；", lo, m.start()))
            if sentence_start > lo + prev_at:
                continue  # 上年's amount is in an earlier sentence: not what this 持平 compares
            if abs(diff) > 0.005:
                out.append(finding("compare.change_word", ctx.doc, None, prev, cur,
                                   f"表述为“持平”，但本年 {cur:.2f} 万元、上年 {prev:.2f} 万元，相差 {diff:+.2f} 万元",
                                   evidence, page, subject=subject, severity="warning"))
            continue
        pct = to_float(m.group("pct"))
        if abs(abs(diff) - to_float(m.group("chg"))) > 0.015 or abs(diff) < 0.005:
            continue  # the two amounts found are not the ones the stated change was computed from
        if prev == 0:
            if pct:
                out.append(finding("compare.zero_base", ctx.doc, None, None, pct,
                                   f"上年数为 0，却表述增减 {pct}%（以零为基数的增长率无意义）", evidence, page,
                                   subject=subject))
            continue
        if (diff > 0) != (m.group("v1") in _UP):
            actual = "增加" if diff > 0 else "减少"
            out.append(finding("compare.change_word", ctx.doc, None, diff, -diff,
                               f"表述为“{m.group('v1')}”，按本年 {cur:.2f} 万元与上年 {prev:.2f} 万元实为{actual} "
                               f"{abs(diff):.2f} 万元", evidence, page, subject=subject))
    return out


# 三公 items a narrative states and its table row may leave blank (budget and actual columns)
_SANGONG = ("sangong.total", "sangong.abroad", "sangong.vehicle", "sangong.vehicle_purchase",
            "sangong.vehicle_operation", "sangong.reception")
_SANGONG_ROWS = tuple(m for base in _SANGONG for m in (base, base + "_budget" if base != "sangong.total" else
                                                       "sangong.budget"))


def narrative_vs_blank(ctx: DocContext) -> list[dict]:
    """A 三公 amount stated (non-zero) in the narrative whose row is blank in a 三公 table that prints its other
    rows: the table was emptied or left partial. Only when the table prints the same kind (budget or actual)."""
    t07 = ctx.tables.get("T07")
    if not t07 or t07.get("is_empty") is True:
        return []
    in_table, narrative = set(), {}
    for f in ctx.fig_records():
        m = f.get("metric_id")
        if m not in _SANGONG_ROWS:
            continue
        if f.get("source") == "table" and f.get("table_id") == "T07":
            in_table.add(m)
        elif f.get("source") == "narrative" and f.get("amount_wan") and f["amount_wan"] == f["amount_wan"]:
            narrative.setdefault(m, f)
    out = []
    for m, f in sorted(narrative.items()):
        budget = m.endswith("budget")
        siblings = {x for x in in_table if x.endswith("budget") == budget}
        if m in in_table or len(siblings) < 2 or float(f["amount_wan"]) <= 0.005:
            continue
        out.append(finding("narrative_vs_blank_table", ctx.doc, m, None, float(f["amount_wan"]),
                           f"文字说明 {m} 为 {float(f['amount_wan']):.2f} 万元，但“三公”经费表中该项为空（第"
                           f"{ctx.table_page('T07') or '?'}页）", str(f.get("raw_text") or ""),
                           f.get("page"), subject=m))
    return out


def comparison_rules(ctx: DocContext) -> list[dict]:
    if not ctx.lines:
        return []
    return budget_relations(ctx) + change_statements(ctx)

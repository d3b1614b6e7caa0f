"""Across units and years. Across units: shares and rates that are far from their peers' (same fiscal year × kind, at least five peers,
the unit itself left out), by the robust log-ratio test of ``cross.outliers``. Units are keyed by the existing
unit id; peer grouping is the shared one, so a change of keys (e.g. by region) reaches these rules too."""
from __future__ import annotations

import pandas as pd

from warehouse.anomaly_rules.base import finding
from warehouse.anomaly_rules.cross import outliers, quote_gaps

# rule → (numerator, denominator, label, unit factor, unit label)
SHARE_RATIOS = {
    "cross_unit.sme_share": ("procurement.sme", "procurement.total", "授予中小企业合同金额占政府采购比例", 100, "%"),
    "cross_unit.execution_rate": ("gpb.expenditure", "gpb.budget", "一般公共预算财政拨款支出执行率（决算/年初预算）",
                                  100, "%"),
}


def unit_outliers(docs: pd.DataFrame, values: pd.DataFrame, where) -> list[dict]:
    # a share or rate is bounded and tight across units: a scale floor of 0.15 log units (~15 %) keeps ordinary
    # differences quiet while a share of a few percent among peers near 80 % stands out
    return outliers(docs, values, where, min_scale=0.15, ratios=SHARE_RATIOS)


def stated_trends(docs: pd.DataFrame, amounts: pd.Series, claims: pd.DataFrame, where) -> list[dict]:
    """A stated direction ("较上年减少…") against the unit's own previous-year document: this year's adopted amount
    minus last year's document's amount must have the stated sign (changes under 0.01 万元 are 持平)."""
    out: list[dict] = []
    if not len(claims) or "stated_change_wan" not in claims:
        return out
    by_key = {(r.unit_id, int(r.fiscal_year), r.kind, r.scope): r.doc_id for r in docs.itertuples()
              if r.unit_id and pd.notna(r.fiscal_year)}
    info = {r.doc_id: r for r in docs.itertuples()}
    seen = set()
    for c in claims.itertuples():
        d = info.get(c.doc_id)
        if d is None or not d.unit_id or pd.isna(d.fiscal_year) or pd.isna(c.stated_change_wan) \
                or abs(c.stated_change_wan) < 0.01 or (c.doc_id, c.metric_id) in seen:
            continue
        prev_doc = by_key.get((d.unit_id, int(d.fiscal_year) - 1, d.kind, d.scope))
        cur, prev = amounts.get((c.doc_id, c.metric_id)), amounts.get((prev_doc, c.metric_id)) if prev_doc else None
        if cur is None or prev is None or abs(cur - prev) < 0.01 or (cur - prev) * c.stated_change_wan > 0:
            continue
        seen.add((c.doc_id, c.metric_id))
        page, _ = where(c.doc_id, c.metric_id)
        word, actual = ("增加", "减少") if c.stated_change_wan > 0 else ("减少", "增加")
        out.append(finding("cross_year.stated_trend", d._asdict(), c.metric_id, round(cur - prev, 2),
                           float(c.stated_change_wan),
                           f"表述较上年{word}，但本年 {cur:.2f} 万元、上年文件 {prev:.2f} 万元，实为{actual}（上年文件 {prev_doc}）",
                           str(c.raw_text or ""), page, subject=f"trend|{c.metric_id}"))
    return out


# 决算 document's 预算数 → the same figure in the unit's 预算 document of that year
BUDGET_QUOTES = {"sangong.budget": ("sangong.total", "“三公”经费"), "sangong.abroad_budget": ("sangong.abroad", "因公出国（境）费"),
                 "sangong.vehicle_budget": ("sangong.vehicle", "公务用车购置及运行费"),
                 "sangong.reception_budget": ("sangong.reception", "公务接待费"),
                 "gpb.budget": ("gpb.expenditure", "一般公共预算财政拨款支出")}


def budget_against_final(docs: pd.DataFrame, amounts: pd.Series, where) -> list[dict]:
    """The 预算数 a 决算 document states against the unit's own 预算 document of the same year and scope, where both
    are loaded. Info: a 决算 may state the adjusted budget (调整预算), which the 预算 document cannot show."""
    out: list[dict] = []
    budgets = {(r.unit_id, int(r.fiscal_year), r.scope): r.doc_id for r in docs.itertuples()
               if r.unit_id and pd.notna(r.fiscal_year) and r.kind == "budget"}
    for r in docs.itertuples():
        if r.kind != "final_accounts" or not r.unit_id or pd.isna(r.fiscal_year):
            continue
        budget_doc = budgets.get((r.unit_id, int(r.fiscal_year), r.scope))
        if not budget_doc:
            continue
        pairs = {quoted: planned for quoted, (planned, _) in BUDGET_QUOTES.items()}
        for quoted, q, p, page, text, bpage in quote_gaps(r.doc_id, budget_doc, pairs, amounts, where):
            out.append(finding("cross_doc.budget_vs_final", r._asdict(), quoted, p, q,
                               f"{int(r.fiscal_year)}年决算所列{BUDGET_QUOTES[quoted][1]}预算数 {q:.2f} 万元，同年预算文件为 {p:.2f} 万元"
                               f"（第{bpage or '?'}页；决算可能列调整后预算）", f"{text}（预算文件 {budget_doc}）", page,
                               subject=f"budget|{quoted}"))
    return out

"""Across units and years. Across units: shares and rates that are far from their peers' (same fiscal year × kind, at least five peers,
the unit itself left out), by the robust log-ratio test of ``cross.outliers``. Units are keyed by the existing
unit id; peer grouping is the shared one, so a change of keys (e.g. by region) reaches these rules too."""
from __future__ import annotations

import pandas as pd

from warehouse.anomaly_rules.base import finding
from warehouse.anomaly_rules.cross import outliers

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

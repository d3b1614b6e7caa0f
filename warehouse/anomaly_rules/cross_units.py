"""Across units: shares and rates that are far from their peers' (same fiscal year × kind, at least five peers,
the unit itself left out), by the robust log-ratio test of ``cross.outliers``. Units are keyed by the existing
unit id; peer grouping is the shared one, so a change of keys (e.g. by region) reaches these rules too."""
from __future__ import annotations

import pandas as pd

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

"""Chinese labels for what analysts read: view columns, code values (kind, scope, status, severity, review
status) and the metric table the snapshot carries.

View columns are declared once in ``view_columns.csv``: a column that pivots a catalogued metric takes the
metric's 中文名称 (and its unit) from ``metrics.csv``; the others have their own comment. Columns a view copies
from a table (doc_id, unit_name, …) keep that table's comment. The warehouse applies these as DuckDB column
comments, so the data dictionary, the XLSX headers and the report all read the same words.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from schemas.catalog import metrics

_DIR = Path(__file__).resolve().parent

# how each value type is measured (the unit shown next to a label and in the metrics table)
VALUE_UNITS = {"amount": "万元", "pct": "%", "count": "个", "int": "", "number": "", "text": ""}

CODE_LABELS: dict[str, dict[str, str]] = {
    "kind": {"final_accounts": "决算", "budget": "预算"},
    "scope": {"department": "部门", "unit": "单位（本级）"},
    "status": {"ok": "完整", "partial": "部分（未找到数据）", "failed": "失败（无法读取）",
               "deferred": "推迟（超时，另行单独读取）"},
    "severity": {"error": "错误", "warning": "警告", "info": "提示"},
    "review_status": {"open": "待复核", "confirmed": "已确认", "dismissed": "已排除"},
    "source": {"table": "表格", "narrative": "文字说明"},
}


def code_label(field: str, value) -> str:
    """The Chinese label of a code value (``kind``/``final_accounts`` → 决算); the value itself if unknown."""
    if value is None:
        return ""
    return CODE_LABELS.get(field, {}).get(str(value), str(value))


def metric_label(metric_id: str) -> str:
    m = metrics().get(metric_id)
    return m.label_zh if m else metric_id


def metric_unit(metric_id: str) -> str:
    m = metrics().get(metric_id)
    return VALUE_UNITS.get(m.value_type, "") if m else ""


def _with_unit(label: str, unit: str) -> str:
    return f"{label}（{unit}）" if unit and not label.endswith("）") else label


@lru_cache(maxsize=1)
def view_column_comments() -> dict[tuple[str, str], str]:
    """(view, column) → Chinese comment, from view_columns.csv and the metric catalogue."""
    out = {}
    with open(_DIR / "view_columns.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            text = r["comment"] or _with_unit(metric_label(r["metric"]), metric_unit(r["metric"]))
            out[(r["view"], r["column"])] = text
    return out


def metric_rows() -> list[tuple[str, str, str, str, str]]:
    """The snapshot's ``metrics`` table: (metric_id, label_zh, unit, value_type, section) per catalogued metric."""
    return [(m.id, m.label_zh, VALUE_UNITS.get(m.value_type, ""), m.value_type, m.section) for m in metrics().values()]

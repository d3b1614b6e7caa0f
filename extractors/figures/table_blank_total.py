"""An empty table's blank 合计 row, read as 0 once the document states that the table's subject is 0.

A unit funded wholly by 政府性基金 (上海's 市级单位预算 of a 福利彩票 centre) prints its 一般公共预算支出功能分类预算表
(表5) and 一般公共预算基本支出经济分类预算表 (表8) as a bare 合计 row whose amount cells are all blank, and says
"一般公共预算拨款支出预算为0". A blank template states nothing by itself (a table may be left unfilled), but once the
table's total is stated as zero its printed blank parts are zero too: nothing spent means nothing basic and nothing
project, no basic spending means no 人员经费 and no 公用经费. The figures are therefore conditional: they join the
record only when the condition metric has resolved to 0, and any stated figure still wins over them (blank ⇒ tier 2).
"""
from __future__ import annotations

import regex

from extractors.figures import resolve
from extractors.figures.numbers import is_blank_cell
from extractors.figures.records import figure
from extractors.figures.tables import TableView, strip_label

# table → (the metric its 合计 row totals, {column leaf → metric of that blank part})
_PARTS = {
    "T05": ("gpb.expenditure", {"基本支出": "gpb.basic", "项目支出": "gpb.project"}),
    "T06": ("gpb.basic", {"人员经费": "gpb.personnel", "公用经费": "gpb.public"}),
}
_TOTAL_LABEL = regex.compile(r"^(?:合计|总计)$")


def blank_total_parts(v: TableView) -> list[dict]:
    """Conditional 0 figures for the blank part cells of a printed 合计 row in a table that prints no amount."""
    if v.tid not in _PARTS or v.prints_amounts() or not v.col_paths:
        return []
    condition, parts = _PARTS[v.tid]
    cols = {}
    for c, path in enumerate(v.col_paths):
        leaf = regex.sub(r"\s+", "", path[-1] if path else "")
        if leaf in parts and parts[leaf] not in cols.values():
            cols[c] = parts[leaf]
    if not cols:
        return []
    out: list[dict] = []
    for r in range(v.header_rows, len(v.grid)):
        row = v.grid[r]
        stub = next((strip_label(x) for x in row[:4] if x and x.strip()), "")
        if not _TOTAL_LABEL.match(stub or "") or not all(c < len(row) and is_blank_cell(row[c]) for c in cols):
            continue
        for c, metric in cols.items():
            page, bbox, _ = v.prov(r, c)
            f = figure(metric, 0.0, source="table", table=v.tid, page=page, bbox=bbox, unit=v.unit,
                       text=f"合计 {v.col_header(c)} （空白；{condition}为0，推定为0）", blank=True)
            f["_when_zero"] = condition
            out.append(f)
        break
    return out


def admit(conditional: list[dict], figs: list[dict]) -> bool:
    """Move into ``figs`` every conditional figure whose condition resolved to 0 (a chain: 表5 gives gpb.basic 0,
    which admits 表8's parts). True when any joined."""
    pending, joined = list(conditional), False
    while pending:
        values = resolve.resolve(figs)
        ready = [f for f in pending if values.get(f["_when_zero"]) == 0]
        if not ready:
            break
        figs += ready
        pending = [f for f in pending if f not in ready]
        joined = True
    return joined

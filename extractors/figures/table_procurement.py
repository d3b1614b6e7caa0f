"""A budget's 政府采购预算表 (not one of the nine: no T-id): its 合计 row is the department's procurement budget.

Layouts seen: 重庆 "政府采购预算明细表" (项目编号 | 项目 | 总计 | by funding source; rows 合计, A 货物, B 工程, C 服务) and
陕西 "政府采购（资产配置、购买服务）预算表" (one row per item, 数量 | 预算金额 columns, a 合计 row on top). The amount
column is the one headed 预算金额, else 总计 / 合计; rows labelled 货物 / 工程 / 服务 give the three kinds.
"""
from __future__ import annotations

import regex

from extractors.figures.numbers import parse_number, to_wanyuan
from extractors.figures.records import figure
from extractors.figures.tables import TableView, strip_label

_TITLE = regex.compile(r"政府采购[^表]{0,20}?预算(?:明细)?表")
_AMOUNT_HEADS = (regex.compile(r"预算金额$"), regex.compile(r"^(?:总计|合计)$"))
_KINDS = {"合计": "procurement.total", "总计": "procurement.total", "货物": "procurement.goods",
          "工程": "procurement.works", "服务": "procurement.services"}


def is_procurement_budget(v: TableView, kind: str | None) -> bool:
    return kind == "budget" and v.tid is None and bool(_TITLE.search(v.title or ""))


def _amount_col(v: TableView) -> int | None:
    ncol = len(v.grid[0]) if v.grid else 0
    for rx in _AMOUNT_HEADS:
        col = next((c for c in range(ncol) if rx.search(v.col_paths[c][-1] if v.col_paths[c] else "")), None)
        if col is not None:
            return col
    return None


def read_procurement(v: TableView) -> list[dict]:
    col = _amount_col(v)
    if col is None:
        return []
    unit = v.unit or "万元"
    figs, seen = [], set()
    for r in range(v.header_rows, len(v.grid)):
        row = v.grid[r]
        labels = {strip_label(x) for x in row[:col] if x and parse_number(x) is None}
        metric = next((_KINDS[x] for x in labels if x in _KINDS), None)
        val = parse_number(row[col]) if col < len(row) else None
        if metric is None or metric in seen or val is None:
            continue
        seen.add(metric)
        page, bbox, raw = v.prov(r, col)
        figs.append(figure(metric, to_wanyuan(val, unit), source="table", page=page, bbox=bbox, unit=unit,
                           text=f"{v.title} {'/'.join(sorted(labels))} {raw}", rank=1))
    return figs if "procurement.total" in seen else []

"""T07 财政拨款“三公”经费支出决算表 (and the budget 三公/机关运行经费 tables).

Column layout (the usual one): the header path of each column names the item (合计, 因公出国（境）费,
公务用车购置及运行费 → 小计/购置费/运行费, 公务接待费, 机关运行经费) and the block (预算数 | 决算数); the first row with
a number carries the amounts. Row layout: items as row labels, 预算数/决算数 as columns. In a final-accounts
document the 预算数 block feeds ``*_budget`` metrics; in a budget document the budgeted amount is the value.
"""
from __future__ import annotations

import regex

from extractors.figures.numbers import parse_number, to_wanyuan
from extractors.figures.records import figure
from extractors.figures.tables import TableView, strip_label

_ITEMS = [
    (r"因公出国", "sangong.abroad"),
    (r"购置及运行|购置和运行|购置及维护", "sangong.vehicle"),
    (r"购置", "sangong.vehicle_purchase"),
    (r"运行", "sangong.vehicle_operation"),
    (r"公务接待", "sangong.reception"),
    (r"机关运行经费", "admin.operating_cost"),
    (r"^合计$|^总计$|三公.*合计|^“?三公”?经费$", "sangong.total"),
]
_ITEMS_RX = [(regex.compile(p), m) for p, m in _ITEMS]


def _item(path: list[str]) -> str | None:
    for part in reversed([strip_label(p) for p in path if p]):
        if part in ("小计",):
            continue
        if regex.search(r"^(?:预算数?|决算数?|实际支出|金额|项目|栏次)$", part):
            continue
        if "机关运行经费" in part:
            return "admin.operating_cost"
        for rx, m in _ITEMS_RX:
            if rx.search(part):
                return m
        if part in ("合计", "总计"):
            return "sangong.total"
    return None


def _block(path: str, kind: str | None) -> str:
    if "决算" in path or "实际" in path:
        return "actual"
    if "预算" in path:
        return "budget" if kind == "final_accounts" else "actual"
    return "actual"


def _metric(item: str, block: str) -> str:
    if block == "budget" and item.startswith("sangong."):
        return "sangong.budget" if item == "sangong.total" else item + "_budget"
    return item


def read_t07(v: TableView, kind: str | None) -> list[dict]:
    unit = v.unit or "万元"
    ncol = len(v.grid[0]) if v.grid else 0
    col_items = {c: _item(v.col_paths[c]) for c in range(ncol)} if v.col_paths else {}
    figs: list[dict] = []
    seen: set[str] = set()
    if sum(1 for x in col_items.values() if x) >= 2:
        for r in range(v.header_rows, len(v.grid)):
            row = v.grid[r]
            if not any(parse_number(x) is not None for x in row):
                continue
            for c in range(ncol):
                item = col_items.get(c)
                val = parse_number(row[c])
                if not item or val is None:
                    continue
                metric = _metric(item, _block(v.col_header(c), kind))
                if metric in seen:
                    continue
                seen.add(metric)
                page, bbox, raw = v.prov(r, c)
                figs.append(figure(metric, to_wanyuan(val, unit), source="table", table="T07", page=page, bbox=bbox,
                                   text=f"{v.col_header(c)} {raw}", unit=unit))
            break
        return figs
    # row layout
    for r in range(v.header_rows, len(v.grid)):
        row = v.grid[r]
        label = next((x for x in row if x and parse_number(x) is None), "")
        item = _item([label])
        if not item:
            continue
        for c in range(ncol):
            val = parse_number(row[c])
            if val is None:
                continue
            metric = _metric(item, _block(v.col_header(c), kind))
            if metric in seen:
                continue
            seen.add(metric)
            page, bbox, raw = v.prov(r, c)
            figs.append(figure(metric, to_wanyuan(val, unit), source="table", table="T07", page=page, bbox=bbox,
                               text=f"{label} {v.col_header(c)} {raw}", unit=unit))
    return figs

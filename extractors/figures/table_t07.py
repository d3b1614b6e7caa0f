"""T07 财政拨款“三公”经费支出决算表 (and the budget 三公/机关运行经费 tables).

Column layout (the usual one): the header path of each column names the item (合计, 因公出国（境）费,
公务用车购置及运行费 → 小计/购置费/运行费, 公务接待费, 机关运行经费) and the block (预算数 | 决算数); the first row with
a number carries the amounts. Row layout: items as row labels, 预算数/决算数 as columns. In a final-accounts
document the 预算数 block feeds ``*_budget`` metrics; in a budget document the budgeted amount is the value.
"""
from __future__ import annotations

import regex

from extractors.figures.numbers import is_blank_cell, parse_number, to_wanyuan
from extractors.figures.records import figure
from extractors.figures.tables import TableView, is_column_number_row, strip_label

_ITEMS = [
    (r"因公出国", "sangong.abroad"),
    (r"购置及运行|购置和运行|购置及维护", "sangong.vehicle"),
    (r"购置", "sangong.vehicle_purchase"),
    (r"运行", "sangong.vehicle_operation"),
    (r"公务接待", "sangong.reception"),
    (r"机关运行经费", "admin.operating_cost"),
    # a vertically printed neighbour header can leave its last character in front ("费会议费": 因公出国（境）费)
    (r"^.?会议费", "meeting.expenditure"),
    (r"^.?培训费", "training.expenditure"),
    (r"^合计$|^总计$|三公.*合计|^“?三公”?经费$", "sangong.total"),
]
_SANGONG_SUB = regex.compile(r"三公")  # a 小计 under a “三公” group header is the 三公 total
_OTHER_BLOCK = regex.compile(r"上年|增减|增加|减少|增长|下降|变化|变动|比较|对比")
_YEAR = regex.compile(r"^(20\d\d)年?度?$")
_COL_YEAR = regex.compile(r"(20\d\d)年")
_ROW_YEAR = regex.compile(r"^(20\d\d)年度?(?:年初|全年|调整)?(?:预算|决算|执行|实际支出)?数?$")
_ITEMS_RX = [(regex.compile(p), m) for p, m in _ITEMS]


def _item(path: list[str]) -> str | None:
    parts = [strip_label(p) for p in path if p]
    if parts and parts[-1] == "小计":
        parent = next((p for p in reversed(parts) if p != "小计"), "")
        if _SANGONG_SUB.search(parent) and not regex.search(r"公务用车|出国|接待", parent):
            return "sangong.subtotal"
    for part in reversed(parts):
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
    if _OTHER_BLOCK.search(path) and not regex.search(r"本年|当年", path):
        return "other"
    if "决算" in path or "实际" in path:
        return "actual"
    if "预算" in path:
        return "budget" if kind == "final_accounts" else "actual"
    return "actual"


def _metric(item: str, block: str) -> str | None:
    if block == "budget":
        if item.startswith("sangong."):
            return "sangong.budget" if item == "sangong.total" else item + "_budget"
        return None  # 会议费/培训费/机关运行经费 budget columns of a final-accounts table
    return item


def _block_label(row: list[str]) -> str:
    lab = next((strip_label(x) for x in row if x and parse_number(x) is None), "")
    return lab if regex.fullmatch(r"(?:年初|全年|调整)?(?:预算|决算)数?|实际支出(?:数)?", lab) else ""  # no year


def _pick_row(v: TableView) -> int | None:
    """The row carrying this year's amounts: skip 栏次 rows and 增减 rows; with a 年度 column, the latest year;
    with one row per unit, the 合计 row (first)."""
    best, best_year = None, -1
    for r in range(v.header_rows, len(v.grid)):
        row = v.grid[r]
        if is_column_number_row(row) or not any(parse_number(x) is not None for x in row):
            continue
        labels = [x for x in row if x and parse_number(x) is None]
        if any(_OTHER_BLOCK.search(x) for x in labels):
            continue
        # "2026年", "2025年预算数", "2026年度预算": a row per year, the latest is this year's
        year = next((int(m.group(1)) for x in labels if (m := _YEAR.match(x) or _ROW_YEAR.match(x))), None)
        if year is None:
            if best is None:
                return r
            continue
        if year > best_year:
            best, best_year = r, year
    return best


def read_t07(v: TableView, kind: str | None) -> list[dict]:
    unit = v.unit or "万元"
    ncol = len(v.grid[0]) if v.grid else 0
    col_items = {c: _item(v.col_paths[c]) for c in range(ncol)} if v.col_paths else {}
    if "sangong.subtotal" in col_items.values():  # 合计 then covers 会议费/培训费 too
        col_items = {c: ("sangong.total" if x == "sangong.subtotal" else None if x == "sangong.total" else x)
                     for c, x in col_items.items()}
    # 2025年预算数 | 2026年预算数 blocks side by side: only the latest year's block is this year's
    years = {c: int(m.group(1)) for c in range(ncol) if (m := _COL_YEAR.search(v.col_header(c)))}
    if len(set(years.values())) >= 2:
        latest = max(years.values())
        col_items = {c: (None if years.get(c, latest) < latest else x) for c, x in col_items.items()}
    figs: list[dict] = []
    seen: set[str] = set()
    if sum(1 for x in col_items.values() if x) >= 2:
        # rows labelled 预算数 / 决算数 (items as columns): each row is a block; else the one current row
        rows = [(r, lab) for r in range(v.header_rows, len(v.grid))
                if (lab := _block_label(v.grid[r])) and any(parse_number(x) is not None for x in v.grid[r])]
        if not rows:
            r = _pick_row(v)
            rows = [] if r is None else [(r, "")]
        for r, lab in rows:
            for c in range(ncol):
                if col_items.get(c):
                    _emit(v, r, c, col_items[c], lab + "/" + v.col_header(c), lab, kind, unit, seen, figs)
        return figs
    # row layout
    for r in range(v.header_rows, len(v.grid)):
        row = v.grid[r]
        label = next((x for x in row if x and parse_number(x) is None), "")
        item = _item([label])
        if not item:
            continue
        for c in range(ncol):
            _emit(v, r, c, item, v.col_header(c), label, kind, unit, seen, figs)
    return figs


def _emit(v: TableView, r: int, c: int, item: str, block_text: str, label: str, kind: str | None, unit: str,
          seen: set[str], figs: list[dict]) -> None:
    """One cell → one 三公 figure, the first time its metric (item × 预算/决算 block) is met. A blank or dash
    cell is 0 (flagged blank) when its row or its column prints an amount: the row is part of the table."""
    raw_cell = v.grid[r][c]
    val = parse_number(raw_cell)
    blank = val is None and is_blank_cell(raw_cell) and _prints_amount(v, r, c)
    if val is None and not blank:
        return
    block = _block(block_text, kind)
    if block == "other":
        return
    metric = _metric(item, block)
    if metric is None or metric in seen:
        return
    seen.add(metric)
    page, bbox, raw = v.prov(r, c)
    figs.append(figure(metric, to_wanyuan(val or 0.0, unit), source="table", table="T07", page=page, bbox=bbox,
                       text=f"{label} {v.col_header(c)} {raw or '（空白，按0计）'}".strip(), unit=unit, blank=blank))


def _prints_amount(v: TableView, r: int, c: int) -> bool:
    if not v.prints_amounts():
        return False
    if any(parse_number(x) is not None for x in v.grid[r] if x and not is_column_number_row([x])):
        return True
    return any(c < len(row) and parse_number(row[c]) is not None
               for row in v.grid[v.header_rows:] if not is_column_number_row(row))


def fix_yuan_tables(figs: list[dict]) -> None:
    """A 三公 table captioned 万元 (or uncaptioned) whose amounts are ~10,000× the narrative's 三公 figures is
    printed in 元: its figures are rescaled in place (the table's own 元 caption was honoured already)."""
    narr = {f["metric"]: f["value"] for f in figs if f["source"] == "narrative" and f["metric"].startswith("sangong.")
            and isinstance(f["value"], (int, float)) and f["value"] > 0}
    t07 = [f for f in figs if f.get("table") == "T07" and f.get("unit_as_printed", "万元") == "万元"]
    ratios = [f["value"] / narr[f["metric"]] for f in t07 if f["metric"] in narr and f["value"]]
    if ratios and all(9000 <= r <= 11000 for r in ratios):
        for f in t07:
            f["value"] = round(f["value"] * 0.0001, 2)
            f["unit_as_printed"] = "元"
            f["text"] = f["text"] + " （按元折算）"

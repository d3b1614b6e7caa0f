"""Table recognition helpers shared by the table mappers.

A :class:`TableView` wraps one ``schemas.document.Table`` (or several stitched continuations of one table)
with: the catalogue id (``Table.table_id`` — the reader decides for titled tables; the catalogue title index only when
the reader identified none), the
unit (reader's ``unit``, else a caption found in the first rows), a dense grid with merged header cells
expanded over their span, the header rows, and per-column header paths ("合计 / 预算数", …).
Continuation pages without a title (long tables printed over pages without 续表) are appended to the
preceding recognised table when their column count matches.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from extractors.figures.numbers import parse_number
from extractors.figures.textstream import clean
from schemas.catalog import identify_table_title
from schemas.document import Cell, Document, Table

_UNIT_RE = regex.compile(r"(?:金额)?单位\s*[：:]?\s*(亿元|万元|千元|元)")
_STUB_HEAD = regex.compile(r"^(?:栏次|行次|项目|科目|功能分类|经济分类|科目编码|科目名称|类|款|项|编码|名称|单位)")
_AMOUNT_CELL = regex.compile(r"^-?[\d,]+\.\d+$|^-?\d{1,3}(?:,\d{3})+$")


@dataclass
class TableView:
    tid: str | None
    title: str
    unit: str | None
    tables: list[Table]
    grid: list[list[str]] = field(default_factory=list)
    cells: list[list[Cell | None]] = field(default_factory=list)  # provenance per grid position
    header_rows: int = 0
    col_paths: list[list[str]] = field(default_factory=list)
    _prints: bool | None = None

    @property
    def pages(self) -> list[int]:
        out: list[int] = []
        for t in self.tables:
            for p in (t.pages or [t.page]):
                if p not in out:
                    out.append(p)
        return out

    def prov(self, r: int, c: int) -> tuple[int, tuple | None, str]:
        cell = self.cells[r][c] if r < len(self.cells) and c < len(self.cells[r]) else None
        t0 = self.tables[0]
        if cell is None:
            return t0.page, None, ""
        page = cell.page or getattr(cell, "_page", None) or t0.page
        bbox = tuple(round(x, 1) for x in cell.bbox) if cell.bbox else None
        return page, bbox, cell.raw or cell.text

    def prints_amounts(self) -> bool:
        """Some body cell holds a non-zero amount: the table was filled in, so its blank cells are zeros (a blank
        template or an empty table with a note states nothing)."""
        if self._prints is None:
            self._prints = any(x and _AMOUNT_CELL.match(x) and parse_number(x)
                               for row in self.grid[self.header_rows:] if not is_column_number_row(row) for x in row)
        return self._prints

    def col_header(self, c: int) -> str:
        return "/".join(p for p in self.col_paths[c] if p) if c < len(self.col_paths) else ""


def _table_id(t: Table, reader_ran: bool = True) -> str | None:
    """The reader's identification (``tables_catalog.identify_table``: titles, 公开NN表 codes, untitled 三公 tables,
    经济分类 twins rejected) wins; the catalogue title index is the fallback for readers that leave it unset."""
    tid = getattr(t, "table_id", None)
    if tid or (t.title and reader_ran):
        return tid  # a titled table the reader did not identify is not one of the nine (基本支出总表, 经济分类 twins)
    return identify_table_title(t.title)


def _unit(t: Table, grid: list[list[str]]) -> str | None:
    if t.unit:
        return t.unit
    for s in [t.unit_caption or "", t.title or ""] + [" ".join(r) for r in grid[:3]] + list(t.notes or []):
        m = _UNIT_RE.search(clean(s))
        if m:
            return m.group(1)
    return None


def _dense(t: Table) -> tuple[list[list[str]], list[list[Cell | None]]]:
    g = [["" for _ in range(t.n_cols)] for _ in range(t.n_rows)]
    cg: list[list[Cell | None]] = [[None] * t.n_cols for _ in range(t.n_rows)]
    for c in t.cells:
        if not (0 <= c.row < t.n_rows and 0 <= c.col < t.n_cols):
            continue
        if c.page is None:
            c.page = t.page
        txt = clean(c.text)
        for r in range(c.row, min(t.n_rows, c.row + max(1, c.rowspan))):
            for k in range(c.col, min(t.n_cols, c.col + max(1, c.colspan))):
                # spans repeat their text only across header-like cells (no numbers)
                if (r, k) == (c.row, c.col) or parse_number(txt) is None:
                    g[r][k] = txt
                    cg[r][k] = c
    return g, cg


def is_column_number_row(row: list[str]) -> bool:
    """栏次 rows: 1 2 3 … (or ** ** 1 2 …, 栏次 1 2 …) under the header."""
    nums = [x for x in row if x and x.strip("*") and not regex.match(r"^(?:栏次|行次)$", x)]
    if len(nums) < 2 or not all(regex.fullmatch(r"\d{1,2}", x) for x in nums):
        return False
    ints = [int(x) for x in nums]
    return ints[0] <= 2 and ints == list(range(ints[0], ints[0] + len(ints)))  # amounts are not 1, 2, 3 …


def is_amount_row(row: list[str]) -> bool:
    return any(_AMOUNT_CELL.match(x or "") for x in row)


def _header_rows(grid: list[list[str]]) -> int:
    n = 0
    for row in grid:
        nonblank = [x for x in row if x and x.strip("*")]  # "**" marks the stub columns of a 栏次 row
        if not nonblank:
            n += 1
            continue
        if is_amount_row(row):
            break
        small_ints = all(regex.fullmatch(r"\d{1,2}", x) for x in nonblank)
        if small_ints or regex.match(r"^栏次|^行次", nonblank[0]):
            n += 1
            continue
        if any(regex.fullmatch(r"\d{3}|\d{5}|\d{7}", x) for x in row[:3]):
            break  # first classification row (may carry blank amounts)
        if n > 0 and regex.match(r"^(?:合计|总计)", row[0] or "") and all(
                not x or parse_number(x) is not None or regex.match(r"^(?:合计|总计)", x) for x in row[1:]):
            break
        n += 1
        if n >= 6:
            break
    return n


def _col_paths(grid: list[list[str]], h: int) -> list[list[str]]:
    if not grid:
        return []
    ncol = len(grid[0])
    filled = [list(r) for r in grid[:h]]
    for r in range(h):
        for c in range(1, ncol):
            if filled[r][c]:
                continue
            parent_continues = r == 0 or (not grid[r - 1][c] and filled[r - 1][c] == filled[r - 1][c - 1])
            left_raw = grid[r][c - 1]
            if parent_continues and filled[r][c - 1] and (r == 0 or not left_raw or True):
                # only spread a label that is not a leaf of the last header row
                if r < h - 1 or not grid[r][c - 1] or r == 0:
                    filled[r][c] = filled[r][c - 1]
    return [[filled[r][c] for r in range(h)] for c in range(ncol)]


def build_views(doc: Document) -> list[TableView]:
    views: list[TableView] = []
    reader_ran = any(getattr(t, "table_id", None) for t in doc.tables)  # else identify by the catalogue
    for t in doc.tables:
        g, cg = _dense(t)
        tid = _table_id(t, reader_ran)
        title = clean(t.title or "")
        panel = getattr(t, "panel", None)
        prev = views[-1] if views else None
        continuation = (tid is None and not title and prev is not None and prev.tid is not None
                        and prev.grid and len(prev.grid[0]) == t.n_cols
                        and t.page in (prev.pages[-1], prev.pages[-1] + 1) and not panel)
        if continuation:
            h = _header_rows(g)
            # a repeated header on the continuation page is dropped
            if h and not is_amount_row(g[0]):
                g, cg = g[h:], cg[h:]
            prev.tables.append(t)
            prev.grid.extend(g)
            prev.cells.extend(cg)
            continue
        v = TableView(tid=tid, title=title, unit=_unit(t, g), tables=[t], grid=g, cells=cg)
        views.append(v)
    for v in views:
        v.header_rows = v.tables[0].header_rows or _header_rows(v.grid)
        while v.header_rows < len(v.grid) and is_column_number_row(v.grid[v.header_rows]):
            v.header_rows += 1  # the 栏次 row (** 1 2 3 …) under a header the reader counted without it
        v.col_paths = _col_paths(v.grid, v.header_rows)
    _attach_orphan_totals(doc, views)
    return views


_TOTAL_LINE = regex.compile(r"^(合计|总计)((?:\s*-?[\d,]+(?:\.\d+)?)+)$")
_TOTAL_LABEL = regex.compile(r"^(?:合计|总计)")


def _attach_orphan_totals(doc: Document, views: list[TableView]) -> None:
    """A long table whose 合计 row runs alone onto the next page ("合计 189,767,551 101,341,746 88,425,805", no
    ruling, so read as a text line): the line is the table's total row when that page starts with it, the table
    has no total row yet and the line carries one amount per amount column."""
    for v in views:
        if not v.tid or not v.grid or any(_TOTAL_LABEL.match(x or "") for row in v.grid[v.header_rows:] for x in row[:4]):
            continue
        body = v.grid[v.header_rows:]
        amount_cols = [c for c in range(len(v.grid[0])) if any(_AMOUNT_CELL.match(r[c] or "") for r in body)]
        nxt = v.pages[-1] + 1
        first_table = min((t.seq for t in doc.tables if t.page == nxt), default=None)
        lines = [ln for ln in doc.lines if ln.page == nxt and (first_table is None or ln.seq < first_table)]
        texts = [ln for ln in lines if clean(ln.text) and not regex.fullmatch(r"[-—\d\s/第页共]*", clean(ln.text))]
        if not texts or not amount_cols:
            continue
        ln = texts[0]
        m = _TOTAL_LINE.match(" ".join(ln.text.split()))
        amounts = m.group(2).split() if m else []
        if len(amounts) != len(amount_cols) or not all(_AMOUNT_CELL.match(a) or a.isdigit() for a in amounts):
            continue
        row = [""] * len(v.grid[0])
        cells: list[Cell | None] = [None] * len(row)
        row[0] = m.group(1)
        for c, a in zip(amount_cols, amounts):
            row[c] = a
            cells[c] = Cell(row=len(v.grid), col=c, text=a, raw=a, bbox=ln.bbox, page=nxt)
        v.grid.append(row)
        v.cells.append(cells)


def row_label(row: list[str]) -> str:
    for x in row:
        if x and parse_number(x) is None:
            return x
    return ""


_LEAD = regex.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))+")


def strip_label(s: str) -> str:
    s = clean(s)
    s = _LEAD.sub("", s)
    s = s.replace("“", "").replace("”", "").replace("\"", "")
    return s.strip("：:、 ")

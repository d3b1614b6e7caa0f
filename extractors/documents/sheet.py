"""Spreadsheets (XLSX via openpyxl, XLS via xlrd): every non-empty sheet becomes a table on its own page.

Title, 编制单位 and unit rows at the top of a sheet become the table's captions; the sheet name is the title
when no title row is printed (Beijing names sheets "C07 一般公共预算财政拨款基本支出决算表").
"""
from __future__ import annotations

from pathlib import Path

from extractors.documents.layout import absorb_caption_rows, attach_captions, finish_tables
from extractors.documents.limits import Limits
from extractors.documents.text import normalize_text
from schemas.document import Cell, Document, DocumentError, Line, Page, Table


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.2f}" if abs(v - round(v)) > 1e-9 else str(round(v))
    return str(v)


def _sheet_table(values: list[list], merges: list[tuple[int, int, int, int]], page: int) -> Table | None:
    """values: dense rows; merges: (row0, col0, row1_excl, col1_excl)."""
    while values and not any(_fmt(v).strip() for v in values[-1]):
        values.pop()
    if not values:
        return None
    n_cols = max((max((i + 1 for i, v in enumerate(r) if _fmt(v).strip()), default=0) for r in values), default=0)
    if n_cols == 0:
        return None
    covered, spans = set(), {}
    for r0, c0, r1, c1 in merges:
        spans[(r0, c0)] = (r1 - r0, c1 - c0)
        covered.update((r, c) for r in range(r0, r1) for c in range(c0, c1) if (r, c) != (r0, c0))
    cells = []
    for r, row in enumerate(values):
        for c in range(n_cols):
            if (r, c) in covered:
                continue
            raw = _fmt(row[c]) if c < len(row) else ""
            rs, cs = spans.get((r, c), (1, 1))
            cells.append(Cell(row=r, col=c, text=normalize_text(raw), raw=raw, rowspan=min(rs, len(values) - r),
                              colspan=min(cs, n_cols - c), page=page))
    return Table(page=page, pages=[page], n_rows=len(values), n_cols=n_cols, cells=cells)


def _finish(doc: Document, sheets: list[tuple[str, list[list], list]]) -> Document:
    raw_tables = []
    for i, (name, values, merges) in enumerate(sheets, start=1):
        doc.pages.append(Page(number=i))
        t = _sheet_table(values, merges, i)
        if t is None:
            continue
        doc.lines.append(Line(page=i, text=normalize_text(name), raw=name, seq=len(doc.lines)))
        attach_captions(t, absorb_caption_rows(t))
        if t.title is None:
            t.title = normalize_text(name)
        raw_tables.append(t)
    doc.tables = finish_tables(raw_tables)
    doc.metadata["sheets"] = [s[0] for s in sheets]
    return doc


def read_xlsx(path: Path, sha256: str, limits: Limits) -> Document:
    import openpyxl

    try:
        # from an open file, never the name: openpyxl refuses a name without an .xlsx suffix, and the raw store
        # keeps files by hash alone (issue 15: an .xlsx read by `extract` failed in `ingest`)
        with open(path, "rb") as fh:
            wb = openpyxl.load_workbook(fh, data_only=True)
    except Exception as e:
        raise DocumentError(str(path), f"not a readable XLSX ({type(e).__name__}: {e})") from e
    sheets = []
    for ws in wb.worksheets:
        if (ws.max_row or 0) * (ws.max_column or 0) > limits.max_sheet_cells:
            raise DocumentError(str(path), f"sheet {ws.title!r} has more than {limits.max_sheet_cells} cells")
        values = [list(r) for r in ws.iter_rows(values_only=True)]
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        sheets.append((ws.title, values, merges))
    return _finish(Document(path=str(path), sha256=sha256, format="xlsx"), sheets)


def read_xls(path: Path, sha256: str, limits: Limits) -> Document:
    import xlrd

    try:
        wb = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as e:
        raise DocumentError(str(path), f"not a readable XLS ({type(e).__name__}: {e})") from e
    sheets = []
    for sh in wb.sheets():
        if sh.nrows * sh.ncols > limits.max_sheet_cells:
            raise DocumentError(str(path), f"sheet {sh.name!r} has more than {limits.max_sheet_cells} cells")
        values = [sh.row_values(r) for r in range(sh.nrows)]
        merges = [(r0, c0, r1, c1) for r0, r1, c0, c1 in sh.merged_cells]
        sheets.append((sh.name, values, merges))
    return _finish(Document(path=str(path), sha256=sha256, format="xls"), sheets)

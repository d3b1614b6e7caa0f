"""Tiny Document builders for the unit tests of extractors/figures (no files, no reader)."""
from __future__ import annotations

from schemas.document import Cell, Document, Line, Page, Table


def doc_from_lines(*texts: str, page: int = 1, tables: list[Table] | None = None) -> Document:
    lines = [Line(page=page, text=t, raw=t, seq=i) for i, t in enumerate(texts)]
    pages = sorted({page} | {t.page for t in tables or []})
    return Document(path="mem.pdf", sha256="0" * 64, format="pdf", pages=[Page(number=p) for p in pages],
                    lines=lines, tables=list(tables or []))


def table(rows: list[list[str]], *, title: str | None = None, table_id: str | None = None, unit: str | None = "万元",
          page: int = 2, header_rows: int = 0) -> Table:
    cells = [Cell(row=r, col=c, text=x, raw=x) for r, row in enumerate(rows) for c, x in enumerate(row)]
    return Table(page=page, pages=[page], n_rows=len(rows), n_cols=max(len(r) for r in rows), cells=cells,
                 title=title, unit=unit, header_rows=header_rows, table_id=table_id)

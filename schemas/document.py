"""The one in-memory model every reader produces (PDF, DOCX, legacy Office, spreadsheets, HTML, OCR).

Readers live in ``extractors.documents``; everything downstream (figure extraction, the warehouse) reads only
this model, so a new input format never touches extraction rules. The model is plain dataclasses that
round-trip through JSON (the pipeline stores each parsed document as ``data/parsed/<doc_id>.json``).

Coordinates are PDF points with the origin at the top-left of the page (pdfplumber's ``top``/``bottom``), so
``bbox = (x0, top, x1, bottom)``. Pages are 1-based physical page numbers. Formats without pages (DOCX, HTML,
spreadsheets) use page 1 for body text, or one page per sheet for spreadsheets.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

BBox = tuple[float, float, float, float]
# an OCR'd reading with at least this confidence is trusted as evidence (an identity confirmed it); below it,
# anomaly rules treat the value as insufficient evidence for an error-level finding
OCR_CONFIDENT = 0.9


@dataclass
class Line:
    """One visual line of running text (or one paragraph for flowed formats)."""

    page: int
    text: str  # normalised: NFKC, radicals folded, fake-bold and Han-internal spaces removed
    raw: str  # exactly as the text layer gave it
    bbox: BBox | None = None
    seq: int = 0  # document order across lines and tables
    ocr: bool = False
    conf: float | None = None  # OCR: lowest character confidence of the line (0..1); None for a text layer


@dataclass
class Cell:
    """A grid cell. Cells covered by a merge are not listed; the anchor cell carries the span."""

    row: int
    col: int
    text: str  # normalised; "" for a blank cell (blank is not zero)
    raw: str = ""
    rowspan: int = 1
    colspan: int = 1
    bbox: BBox | None = None
    page: int | None = None  # set when a stitched table spans pages
    # OCR only: confidence in [0, 1] after the arithmetic check (OCR_CONFIDENT and above: an identity of the
    # table confirmed the reading); None for text-layer cells and blank cells
    conf: float | None = None


@dataclass
class Table:
    """A table as a cell grid, with the caption lines printed around it."""

    page: int  # first page
    pages: list[int]  # every page the table (after stitching) covers
    n_rows: int
    n_cols: int
    cells: list[Cell]
    bbox: BBox | None = None  # on the first page
    title: str | None = None  # e.g. "收入支出决算总表" as printed (normalised)
    code: str | None = None  # printed table code: "公开01表", "表1", "表一" …
    org_line: str | None = None  # the 编制单位/部门/单位名称 line
    unit_caption: str | None = None  # the caption as printed: "单位：万元", "金额单位：元"
    unit: str | None = None  # parsed from unit_caption: "万元" | "元" | "亿元" | None
    header_rows: int = 0  # how many leading rows are header (after merged headers were rebuilt)
    panel: str | None = None  # for split panels: "收入" | "支出" | "人员经费" | "公用经费"
    seq: int = 0
    ocr: bool = False
    notes: list[str] = field(default_factory=list)  # e.g. "本表无数据" statements under the table
    table_id: str | None = None  # "T01".."T09" when the title names one of the nine standard tables

    def grid(self) -> list[list[str]]:
        """Dense grid of cell text; positions covered by a merge repeat nothing (""), blanks are ""."""
        g = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for c in self.cells:
            if 0 <= c.row < self.n_rows and 0 <= c.col < self.n_cols:
                g[c.row][c.col] = c.text
        return g

    def cell_at(self, row: int, col: int) -> Cell | None:
        for c in self.cells:
            if c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan:
                return c
        return None


@dataclass
class Page:
    number: int
    width: float | None = None
    height: float | None = None
    text_quality: str = "ok"  # ok | degraded | scanned | empty
    ocr: bool = False
    n_chars: int = 0
    read_by: str = "text"  # how the page was read: "text" (its text layer), "ocr:ppocr", "ocr:tesseract",
    # or "not read (<why>)" for a page without a usable text layer that OCR did not read


@dataclass
class Document:
    path: str
    sha256: str
    format: str  # pdf | docx | doc | wps | xls | xlsx | html | txt
    pages: list[Page] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)  # producer, title, converted_from …
    warnings: list[str] = field(default_factory=list)  # recoverable problems, human-readable

    @property
    def n_pages(self) -> int:
        return len(self.pages)

    def text(self, page: int | None = None) -> str:
        return "\n".join(ln.text for ln in self.lines if page is None or ln.page == page)

    def to_dict(self) -> dict[str, Any]:
        # dataclasses.asdict deep-copies every value; for a 40-page document that cost more than extraction
        return {
            "path": self.path, "sha256": self.sha256, "format": self.format,
            "pages": [_shallow(p) for p in self.pages],
            "lines": [_shallow(ln) for ln in self.lines],
            "tables": [{**_shallow(t), "cells": [_shallow(c) for c in t.cells], "pages": list(t.pages),
                        "notes": list(t.notes)} for t in self.tables],
            "metadata": dict(self.metadata), "warnings": list(self.warnings),
        }

    def to_json(self) -> str:
        # orjson: a 40-page document serialises in under 1 ms instead of ~3.5 ms with json
        return orjson.dumps(self.to_dict(), default=json_default, option=orjson.OPT_NON_STR_KEYS).decode()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        def bbox(v):
            return tuple(v) if v is not None else None

        tables = []
        for t in d.get("tables", []):
            cells = [Cell(**{**c, "bbox": bbox(c.get("bbox"))}) for c in t.get("cells", [])]
            tables.append(Table(**{**t, "cells": cells, "bbox": bbox(t.get("bbox"))}))
        return cls(
            path=d["path"],
            sha256=d["sha256"],
            format=d["format"],
            pages=[Page(**p) for p in d.get("pages", [])],
            lines=[Line(**{**ln, "bbox": bbox(ln.get("bbox"))}) for ln in d.get("lines", [])],
            tables=tables,
            metadata=d.get("metadata", {}),
            warnings=d.get("warnings", []),
        )

    @classmethod
    def from_json(cls, s: str) -> Document:
        return cls.from_dict(orjson.loads(s))


def json_default(obj: Any) -> Any:
    """Values orjson leaves alone (float subclasses, tuples in metadata) written as the json module would."""
    if isinstance(obj, float):
        return float(obj)
    if isinstance(obj, (set, tuple)):
        return list(obj)
    return str(obj)


def _shallow(obj) -> dict[str, Any]:
    d = dict(obj.__dict__)
    if d.get("bbox") is not None:
        d["bbox"] = list(d["bbox"])
    return d


class DocumentError(Exception):
    """A document could not be read at all. The message names the file and the problem."""

    def __init__(self, path: str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")

"""Render a ``Doc`` to DOCX with python-docx: real Word tables (gridSpan/vMerge merges), captions as paragraphs,
landscape sections for wide tables, fixed core properties and zip timestamps so output is byte-identical."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .content import Doc, TableSpec

FIXED_TIME = dt.datetime(2025, 6, 30, 9, 0, 0)
FONT = "宋体"


SIZES = {"cover": 22, "h1": 15, "h2": 12.5, "h3": 11, "title": 14, "caption": 9, "cell": 8, "note": 8.5}


def _styles(document) -> None:
    """宋体 on Normal plus one paragraph style per size: styling each run separately is the slow path."""
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    for name, size in SIZES.items():
        style = document.styles.add_style(f"js-{name}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(size)
        if name == "cell":
            style.paragraph_format.space_after = Pt(0)


def _paragraph(document, text: str, style: str | None = None, center: bool = False, indent: bool = False):
    p = document.add_paragraph(text)
    if style:
        _set_style(p, style)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        p.paragraph_format.first_line_indent = Pt(22)
    return p


def _set_style(paragraph, name: str) -> None:
    """Write the pStyle id directly: python-docx's style setter rescans every style on each call."""
    paragraph._p.get_or_add_pPr().style = f"js-{name}"


def _orient(document, landscape: bool) -> None:
    section = document.sections[-1]
    want = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if section.orientation == want:
        return
    section = document.add_section(WD_SECTION.NEW_PAGE)
    w, h = section.page_width, section.page_height
    section.orientation = want
    if (landscape and w < h) or (not landscape and w > h):
        section.page_width, section.page_height = h, w


def render_docx(doc: Doc, path: Path) -> dict:
    document = Document()
    props = document.core_properties
    props.author, props.last_modified_by, props.title = "", "", ""
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    _styles(document)
    for block in doc.blocks:
        if block.kind == "table":
            _orient(document, block.table.landscape)
            _table(document, block.table)
            continue
        _orient(document, False)
        if block.kind == "cover":
            for line in block.text.split("\n"):
                _paragraph(document, line, "cover", center=True)
            document.add_page_break()
        elif block.kind == "heading":
            _paragraph(document, block.text, f"h{block.level}", center=block.level == 1)
        elif block.kind == "para":
            _paragraph(document, block.text, indent=True)
        elif block.kind == "pagebreak":
            document.add_page_break()
    buf = io.BytesIO()
    document.save(buf)
    _write_fixed_zip(buf.getvalue(), path)
    return {"blocks": {}, "tables": {}}


def _table(document, spec: TableSpec) -> None:
    if spec.code:
        _paragraph(document, spec.code, "caption")
    _paragraph(document, spec.title, "title", center=True)
    _paragraph(document, f"{spec.org_line or ''}　　　　{spec.unit_caption}", "caption")
    rows = spec.header + (spec.body or [[""] * len(spec.header[0])])
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    n_head = len(spec.header)
    grid = [row.cells for row in table.rows]  # table.cell() rebuilds the grid per call: quadratic
    section = document.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    weights = spec.col_widths or [1] * len(rows[0])
    table.autofit = False
    for c, weight in enumerate(weights):  # Word needs the width on every cell of the column
        width = int(usable * weight / sum(weights))
        table.columns[c].width = width  # the tblGrid LibreOffice reads
        for row_cells in grid:
            row_cells[c].width = width
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = grid[r][c]
            if text:
                para = cell.paragraphs[0]
                _set_style(para, "cell")
                if r < n_head:
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif c >= spec.numeric_from and c not in spec.text_cols:
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                para.add_run(text)
    for c0, r0, c1, r1 in spec.spans:
        if r1 < len(rows):
            # merge keeps the anchor text; covered cells are empty strings in the spec already
            grid[r0][c0].merge(grid[r1][c1])
    for note in spec.notes:
        _paragraph(document, note, "note")


def _write_fixed_zip(data: bytes, path: Path) -> None:
    """python-docx stamps zip entries with the current time; rewrite them with a fixed one."""
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            out.writestr(fixed, src.read(info.filename))

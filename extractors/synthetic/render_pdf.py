"""Render a ``Doc`` to PDF with reportlab: ruled tables, merged headers, landscape table pages, page numbers.

Uses the built-in CID font STSong-Light (no font file needed); pdfplumber extracts its text and table cells
correctly (checked by tests/synthetic). ``invariant=1`` keeps dates and ids out of the file so output is
byte-identical for the same input.
"""
from __future__ import annotations

import re
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)
from reportlab.platypus import TableStyle as RLTableStyle

from .content import Block, Doc, TableSpec

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=19, firstLineIndent=22, alignment=TA_LEFT)
H1 = ParagraphStyle("h1", fontName=FONT, fontSize=15, leading=24, spaceBefore=8, spaceAfter=6, alignment=TA_CENTER)
H2 = ParagraphStyle("h2", fontName=FONT, fontSize=12.5, leading=21, spaceBefore=6, spaceAfter=2)
H3 = ParagraphStyle("h3", fontName=FONT, fontSize=11, leading=19, firstLineIndent=22)
COVER = ParagraphStyle("cover", fontName=FONT, fontSize=24, leading=40, alignment=TA_CENTER)
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=14, leading=20, alignment=TA_CENTER, spaceAfter=2)
CAPTION = ParagraphStyle("caption", fontName=FONT, fontSize=9, leading=12)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10)
NOTE = ParagraphStyle("note", fontName=FONT, fontSize=8.5, leading=12, spaceBefore=3)


class _Tracked(Paragraph):
    """A paragraph that remembers the page it landed on (for anomaly/truth page numbers)."""

    def __init__(self, text, style, index: int | None = None, pages: dict[int, int] | None = None, **kw):
        super().__init__(text, style, **kw)
        self._index, self._pages = index, pages

    def draw(self):
        if self._pages is not None:
            self._pages.setdefault(self._index, self.canv.getPageNumber())
        super().draw()

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for p in parts:  # a paragraph broken over a page keeps reporting its first page
            p._index, p._pages = self._index, self._pages
        return parts


class _TrackedTable(Table):
    def __init__(self, *a, index: int | None = None, pages: dict[int, set[int]] | None = None, **kw):
        super().__init__(*a, **kw)
        self._index, self._pages = index, pages

    def draw(self):
        self._pages.setdefault(self._index, set()).add(self.canv.getPageNumber())
        super().draw()

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for p in parts:  # continuation pieces report to the same table
            p._index, p._pages = self._index, self._pages
        return parts


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 9)
    w, _ = canvas._pagesize
    canvas.drawCentredString(w / 2, 10 * mm, f"- {canvas.getPageNumber()} -")
    canvas.restoreState()


NO_LINE_START = set("，。；：、）)”’%！？")
NO_LINE_END = set("（(“‘")
TOKEN = re.compile(r"[0-9A-Za-z.,%\-]+|.", re.DOTALL)


def _break_lines(text: str, style: ParagraphStyle, width: float) -> str:
    """Line-break like a word processor: anywhere between Han characters, never inside a number or before
    closing punctuation (reportlab's own CJK wrap would split 1506.37 across lines)."""
    lines, line, used = [], "", style.firstLineIndent
    limit = width - style.fontSize  # room for one kinsoku character hanging at the end
    for token in TOKEN.findall(text):
        w = pdfmetrics.stringWidth(token, style.fontName, style.fontSize)
        if line and used + w > limit and token[0] not in NO_LINE_START:
            carry = line[-1] if line[-1] in NO_LINE_END else ""  # an opening bracket moves to the next line
            lines.append(line[: len(line) - len(carry)])
            line = carry
            used = pdfmetrics.stringWidth(carry, style.fontName, style.fontSize)
        line += token
        used += w
    lines.append(line)
    return "<br/>".join(_esc(x) for x in lines)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_pdf(doc: Doc, path: Path) -> dict:
    """Write the PDF; return {"blocks": {block index: page}, "tables": {table id: [pages]}}."""
    portrait, land = A4, landscape(A4)
    margin = 18 * mm
    template = BaseDocTemplate(str(path), pagesize=portrait, invariant=1, title="", author="", subject="",
                               creator="juesuan-synthetic", producer="juesuan-synthetic",
                               leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin)
    template.addPageTemplates([
        PageTemplate("portrait", [Frame(margin, margin, portrait[0] - 2 * margin, portrait[1] - 2 * margin)],
                     onPage=_page_number, pagesize=portrait),
        PageTemplate("landscape", [Frame(margin, margin, land[0] - 2 * margin, land[1] - 2 * margin)],
                     onPage=_page_number, pagesize=land),
    ])
    para_pages: dict[int, int] = {}
    table_pages: dict[int, set[int]] = {}
    story: list = []
    orientation = "portrait"
    for i, block in enumerate(doc.blocks):
        if block.kind == "table":
            want = "landscape" if block.table.landscape else "portrait"
            if want != orientation:
                story += [NextPageTemplate(want), PageBreak()]
                orientation = want
            story += _table_flowables(block.table, i, table_pages, (land if want == "landscape" else portrait)[0] - 2 * margin)
            continue
        if orientation != "portrait" and block.kind in ("heading", "para", "cover"):
            story += [NextPageTemplate("portrait"), PageBreak()]
            orientation = "portrait"
        story += _text_flowables(block, i, para_pages, portrait[0] - 2 * margin - 12)
    template.build(story)
    tables = {}
    for i, pages in table_pages.items():
        tables.setdefault(doc.blocks[i].table.id, set()).update(pages)
    return {"blocks": para_pages, "tables": {k: sorted(v) for k, v in tables.items()}, "pages": template.page}


def _text_flowables(block: Block, index: int, pages: dict[int, int], width: float) -> list:
    if block.kind == "pagebreak":
        return [PageBreak()]
    if block.kind == "cover":
        lines = [Spacer(1, 60 * mm)] + [Paragraph(_esc(t), COVER) for t in block.text.split("\n")]
        return lines + [PageBreak()]
    style = {1: H1, 2: H2, 3: H3}[block.level] if block.kind == "heading" else BODY
    markup = _esc(block.text) if block.kind == "heading" and block.level < 3 else _break_lines(block.text, style, width)
    flow = _Tracked(markup, style, index, pages)
    return [CondPageBreak(30 * mm), flow] if block.kind == "heading" else [flow]


def _table_flowables(spec: TableSpec, index: int, pages, width: float) -> list:
    out: list = [CondPageBreak(60 * mm)]
    if spec.code:
        out.append(Paragraph(_esc(spec.code), CAPTION))
    out.append(Paragraph(_esc(spec.title), TITLE))
    caption = Table([[spec.org_line or "", spec.unit_caption]], colWidths=[width * 0.7, width * 0.3])
    caption.setStyle(RLTableStyle([("FONT", (0, 0), (-1, -1), FONT, 9), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    out.append(caption)
    rows = spec.header + spec.body
    if not spec.body:  # an empty table still prints its ruled frame with one blank row
        rows = rows + [[""] * len(spec.header[0])]
    total = sum(spec.col_widths) or len(rows[0])
    widths = [width * w / total for w in (spec.col_widths or [1] * len(rows[0]))]
    data = []
    for _r, row in enumerate(rows):
        data.append([Paragraph(_esc(c), CELL) if (c and len(c) * 8 > widths[k] - 4 and not _numeric(c)) else c
                     for k, c in enumerate(row)])
    table = _TrackedTable(data, colWidths=widths, repeatRows=0, index=index, pages=pages)
    n_head = len(spec.header)
    cmds = [("FONT", (0, 0), (-1, -1), FONT, 8), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (-1, n_head - 1), "CENTER"),
            ("ALIGN", (spec.numeric_from, n_head), (-1, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    for col in spec.text_cols:
        cmds.append(("ALIGN", (col, n_head), (col, -1), "LEFT"))
    for c0, r0, c1, r1 in spec.spans:
        if r1 < len(rows):
            cmds.append(("SPAN", (c0, r0), (c1, r1)))
    table.setStyle(RLTableStyle(cmds))
    out.append(table)
    out += [Paragraph(_esc(n), NOTE) for n in spec.notes]
    out.append(Spacer(1, 6 * mm))
    return out


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("-", "").isdigit()

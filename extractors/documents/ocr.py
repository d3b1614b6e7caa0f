"""OCR for PDF pages without a usable text layer, offline: pypdfium2 renders, an OCR engine reads.

Only pages that the PDF reader's triage found without usable text come here (a mixed document keeps its text
pages as text). Each page is rendered once, deskewed, and searched for ruling lines (``ocr_tables``):

- ruled tables: the rules become edges for the same lattice code text-layer pages use; each non-blank cell is
  cut into text-line crops from that one render and all crops of the page are recognised in batches;
- text around the tables, and pages without rules: the engine detects and reads the text lines; rows of
  boxes that line up as a table without rules are clustered into cells (``ocr_grid``).

Either way the words become pseudo-characters and the page goes through the same cell/caption code as a
text-layer page, so captions, header rows, stitching and panels work alike. Every line, cell and table
produced here is marked ``ocr=True`` with a confidence; cells' alternative readings are kept for the
arithmetic check (``ocr_check``), which runs once the document's tables are finished.

Engines (``ocr_engines``): PP-OCRv4 on onnxruntime (default) and tesseract chi_sim; ``JUESUAN_OCR_ENGINE``
chooses. ``Limits.seconds_per_document`` bounds OCR: pages past the budget are left unread and the document
says so (its extraction is then partial) instead of hanging a batch.
"""
from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from extractors.documents import ocr_grid, ocr_tables
from extractors.documents.limits import Limits
from extractors.documents.ocr_check import cell_key
from extractors.documents.ocr_engines import OcrFailed, TesseractEngine, Word, get_engine
from schemas.document import Document, Line, Table

DPI = 200  # rendering resolution for OCR
_MAX_PIXELS = 16_000_000  # larger pages (A3, posters) are rendered at a lower resolution


def tesseract_available() -> bool:
    return TesseractEngine.available()


def _render_scale(width_pt: float, height_pt: float) -> float:
    """Pixels per point: DPI/72, lowered for pages so large that DPI would exceed the pixel cap."""
    scale = DPI / 72
    pixels = width_pt * height_pt * scale * scale
    if pixels > _MAX_PIXELS:
        scale *= (_MAX_PIXELS / pixels) ** 0.5
    return scale


class PageReader:
    """Reads scanned pages of one document with one engine; keeps what the arithmetic check needs."""

    def __init__(self, engine, doc: Document):
        self.engine, self.doc = engine, doc
        self.alternatives: dict[tuple, list[tuple[str, float]]] = {}  # cell key → ranked readings
        self.crops: dict[tuple, np.ndarray] = {}  # cell key → line crop of single-line numeric cells

    def read(self, page, number: int, deadline: float) -> tuple[list[Line], list[Table]]:
        w_pt, h_pt = page.get_size()
        scale = _render_scale(w_pt, h_pt)
        gray = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
        gray = ocr_tables.deskew(gray, ocr_tables.estimate_skew(gray))
        pt = 1 / scale
        horiz, vert, mask = ocr_tables.find_rules(gray)
        groups = []
        if ocr_tables.has_table_rules(horiz, vert):
            from extractors.documents.pdf_fast import find_cells

            groups = [g for g in find_cells(ocr_tables.rule_edges(horiz, vert, pt)) if len(g) >= 2]
        if groups:
            words = self._ruled_words(gray, mask, groups, number, scale, deadline)
        else:
            words = self.engine.read_page(gray, deadline=deadline)
            groups = [[tuple(v * pt for v in b) for b in cells] for cells in ocr_grid.ruleless_tables(words)]
        return _page_items(words, groups, number, (w_pt, h_pt), pt)

    def _ruled_words(self, gray, mask, groups, number: int, scale: float, deadline: float) -> list[Word]:
        erased = ocr_tables.erase_rules(gray, mask)

        def px(box):
            return tuple(int(round(v * scale)) for v in box)

        crops, owners = [], []
        for g in groups:
            for box in g:
                lines = ocr_tables.cell_line_crops(erased, px(box))
                for crop, rect in lines:
                    crops.append(crop)
                    owners.append((cell_key(number, box), rect, len(lines)))
        readings = self.engine.read_lines(crops, alternatives=True, deadline=deadline)
        words = []
        for k, (r, (key, rect, n_lines)) in enumerate(zip(readings, owners)):
            if not r.text.strip():
                continue
            words.append(Word(r.text, rect, r.conf, ("cell", key, k)))
            if n_lines == 1 and _numeric(r.text):
                self.alternatives[key] = [(r.text, r.conf), *r.alternatives]
                self.crops[key] = crops[k]
        table_boxes = [px((min(b[0] for b in g), min(b[1] for b in g), max(b[2] for b in g), max(b[3] for b in g)))
                       for g in groups]
        rest = ocr_tables.blank_boxes(erased, table_boxes)
        words.extend(self._read_bands(rest, deadline))  # text around the tables (titles, captions, notes)
        return words

    def _read_bands(self, gray: np.ndarray, deadline: float) -> list[Word]:
        """Detect and read only the bands of the page that hold ink, stacked into one image: the tables are
        blanked out, and detection costs grow with the area it scans."""
        bands = ocr_tables.ink_bands(gray)
        if not bands:
            return []
        gap = 24
        x0 = min(b[2] for b in bands)
        x1 = max(b[3] for b in bands)
        height = sum(b[1] - b[0] + gap for b in bands) + gap
        sheet = np.full((height, x1 - x0), 255, dtype=np.uint8)
        offsets, y = [], gap
        for top, bottom, _, _ in bands:
            sheet[y: y + bottom - top] = gray[top:bottom, x0:x1]
            offsets.append((y, y + bottom - top, top - y))
            y += bottom - top + gap
        out = []
        for w in self.engine.read_page(sheet, deadline=deadline):
            cy = (w.box[1] + w.box[3]) / 2
            dy = next((d for a, b, d in offsets if a - gap / 2 <= cy < b + gap / 2), None)
            if dy is not None:
                w.box = (w.box[0] + x0, w.box[1] + dy, w.box[2] + x0, w.box[3] + dy)
                out.append(w)
        return out


def _numeric(text: str) -> bool:
    t = text.replace(" ", "")
    return bool(t) and sum(ch.isdigit() for ch in t) >= max(1, len(t) // 2)


def _page_items(words: list[Word], groups, number: int, size, pt: float) -> tuple[list[Line], list[Table]]:
    from extractors.documents.pdf import PageTriage
    from extractors.documents.pdf import _page_items as text_page_items

    chars = ocr_tables.pseudo_chars(words, pt)
    info = PageTriage(number, len(chars), 0, sum(len(g) for g in groups), 1, size[0], size[1])
    lines, tables = text_page_items(groups, info, chars)
    conf = _ConfIndex(chars)
    for ln in lines:
        ln.ocr = True
        ln.text = ocr_tables.regroup_in_text(ln.text)
        ln.conf = conf.min_in(ln.bbox)
    for t in tables:
        t.ocr = True
        texts = ocr_tables.regroup_thousands([ocr_tables.clean_numeric(c.text) for c in t.cells])
        for c, text in zip(t.cells, texts, strict=True):
            c.text = text
            c.conf = conf.min_in(c.bbox) if text else None
    return lines, tables


class _ConfIndex:
    """Lowest character confidence inside a box (chars sorted by their vertical middle)."""

    def __init__(self, chars: list[dict]):
        self.chars = sorted(chars, key=lambda c: c["_mid"])
        self.mids = [c["_mid"] for c in self.chars]

    def min_in(self, box) -> float | None:
        if box is None:
            return None
        x0, top, x1, bottom = box
        lo, hi = bisect_left(self.mids, top - 1), bisect_right(self.mids, bottom + 1)
        vals = [c["conf"] for c in self.chars[lo:hi] if x0 - 1 <= (c["x0"] + c["x1"]) / 2 <= x1 + 1]
        return round(min(vals), 4) if vals else None


def ocr_pdf_pages(path: Path, pages: list[int], doc: Document, limits: Limits, deadline: float,
                  engine: str | None = None) -> tuple[list[Line], list[Table]]:
    eng = get_engine(engine)
    if eng is None:
        name = engine or "default"
        doc.warnings.append(f"OCR engine {name} not installed: {len(pages)} scanned page(s) not OCR'd")
        for number in pages:
            doc.pages[number - 1].read_by = "not read (no OCR engine)"
        return [], []
    if len(pages) > limits.max_ocr_pages:
        doc.warnings.append(f"{len(pages)} scanned pages; only the first {limits.max_ocr_pages} were OCR'd")
        for number in pages[limits.max_ocr_pages:]:
            doc.pages[number - 1].read_by = "not read (OCR page cap)"
        pages = pages[: limits.max_ocr_pages]
    reader = PageReader(eng, doc)
    lines: list[Line] = []
    tables: list[Table] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for i, number in enumerate(pages):
            pg = doc.pages[number - 1]
            if time.monotonic() > deadline:
                doc.warnings.append(f"OCR time budget of {limits.seconds_per_document:.0f}s exhausted: pages "
                                    f"{pages[i:][:20]} not read; the document is partial")
                for n in pages[i:]:
                    doc.pages[n - 1].read_by = "not read (OCR time budget)"
                break
            page_deadline = min(time.monotonic() + limits.ocr_timeout_per_page, deadline)
            page = pdf[number - 1]
            try:
                page_lines, page_tables = reader.read(page, number, page_deadline)
            except OcrFailed as e:
                doc.warnings.append(f"page {number}: {e} (limit {limits.ocr_timeout_per_page:.0f}s per page)")
                pg.read_by = f"not read ({e})"
                continue
            finally:
                page.close()
            lines.extend(page_lines)
            tables.extend(page_tables)
            pg.ocr = True
            pg.read_by = f"ocr:{eng.name}"
            pg.n_chars = sum(len(ln.text) for ln in page_lines) + sum(
                len(c.text) for t in page_tables for c in t.cells)
    finally:
        pdf.close()
    doc.__dict__["_ocr_reader"] = reader  # for the arithmetic check after tables are finished; not serialised
    return lines, tables


def finish_ocr(doc: Document) -> dict:
    """After the document's tables are finished: the arithmetic check, with the other engine's second opinion
    on cells no identity confirmed (when that engine is installed)."""
    from extractors.documents.ocr_check import check_document

    reader = doc.__dict__.get("_ocr_reader")
    if reader is None:
        return {}
    other = "tesseract" if reader.engine.name == "ppocr" else "ppocr"
    second = get_engine(other) if _second_opinion_enabled() else None
    stats = check_document(doc, second)
    doc.metadata["ocr_check"] = stats
    return stats


def _second_opinion_enabled() -> bool:
    import os

    return os.environ.get("JUESUAN_OCR_SECOND_OPINION", "1") != "0"

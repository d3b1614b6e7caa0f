"""OCR for PDF pages without a usable text layer: pypdfium2 renders, tesseract (chi_sim) reads, offline.

Tesseract runs as a subprocess with a per-page timeout. Its TSV output gives word boxes. On pages with long
ruling lines, table structure is recovered from the image (``ocr_tables``): the rules become edges for the same
lattice code text-layer pages use, the words become pseudo-characters, and the page goes through the same
cell/caption code as a text-layer page, so captions, header rows, stitching and panels work alike. Pages without
rules keep tesseract's own line grouping (Han-internal spaces that LSTM models insert are removed by
normalisation). Everything produced here is marked ``ocr=True``.
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from extractors.documents import ocr_tables
from extractors.documents.limits import Limits
from extractors.documents.text import normalize_text
from schemas.document import Document, Line, Table

DPI = 200  # rendering resolution for OCR
_MAX_PIXELS = 16_000_000  # larger pages (A3, posters) are rendered at a lower resolution


def tesseract_available() -> bool:
    if not shutil.which("tesseract"):
        return False
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    return "chi_sim" in out.stdout


def _tsv_lines(tsv: str, page_no: int, scale: float) -> list[Line]:
    groups: dict[tuple, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        try:
            if float(row.get("conf") or -1) < 0:
                continue
        except ValueError:
            continue
        groups.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(row)
    lines = []
    for words in groups.values():
        raw = " ".join(w["text"] for w in words)
        x0 = min(int(w["left"]) for w in words) * scale
        top = min(int(w["top"]) for w in words) * scale
        x1 = max(int(w["left"]) + int(w["width"]) for w in words) * scale
        bottom = max(int(w["top"]) + int(w["height"]) for w in words) * scale
        text = normalize_text(raw)
        if text:
            lines.append(Line(page=page_no, text=text, raw=raw, bbox=(round(x0, 2), round(top, 2), round(x1, 2),
                                                                        round(bottom, 2)), ocr=True))
    lines.sort(key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    return lines


def _render_scale(width_pt: float, height_pt: float) -> float:
    """Pixels per point: DPI/72, lowered for pages so large that DPI would exceed the pixel cap."""
    scale = DPI / 72
    pixels = width_pt * height_pt * scale * scale
    if pixels > _MAX_PIXELS:
        scale *= (_MAX_PIXELS / pixels) ** 0.5
    return scale


class _OcrFailed(Exception):
    pass


def _tesseract(gray: np.ndarray, img: Path, deadline: float) -> str:
    """TSV of one image; raises ``_OcrFailed`` with a reason on timeout or error."""
    from PIL import Image

    Image.fromarray(gray).save(img)
    timeout = max(deadline - time.monotonic(), 1.0)
    try:
        out = subprocess.run(["tesseract", str(img), "stdout", "-l", "chi_sim", "--psm", "6", "tsv"],
                             capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as e:
        raise _OcrFailed("OCR timed out") from e
    if out.returncode != 0:
        raise _OcrFailed(f"tesseract failed ({out.stderr.strip()[-200:]})")
    return out.stdout


def _ocr_page(pdf, number: int, tmp: Path, doc: Document, limits: Limits,
              deadline: float) -> tuple[list[Line], list[Table]] | None:
    """One scanned page: ``(lines, tables)``, or None (with a warning) when OCR failed or timed out."""
    page_deadline = min(time.monotonic() + limits.ocr_timeout_per_page, max(deadline, time.monotonic() + 1.0))
    page = pdf[number - 1]
    try:
        w_pt, h_pt = page.get_size()
        scale = _render_scale(w_pt, h_pt)
        gray = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
    finally:
        page.close()
    pt = 1 / scale
    try:
        horiz, vert, mask = ocr_tables.find_rules(gray)
        groups = []
        if ocr_tables.has_table_rules(horiz, vert):
            from extractors.documents.pdf_fast import find_cells

            groups = [g for g in find_cells(ocr_tables.rule_edges(horiz, vert, pt)) if len(g) >= 2]
        if not groups:
            return _tsv_lines(_tesseract(gray, tmp / f"p{number}.png", page_deadline), number, pt), []
        return _table_page(gray, mask, groups, number, (w_pt, h_pt), scale, tmp, page_deadline)
    except _OcrFailed as e:
        doc.warnings.append(f"page {number}: {e} (limit {limits.ocr_timeout_per_page:.0f}s per page)")
        return None


def _table_page(gray, mask, groups, number: int, size: tuple[float, float], scale: float, tmp: Path,
                deadline: float) -> tuple[list[Line], list[Table]]:
    """A ruled scanned page: text around the tables from one pass, cell text from cell sheets, then the
    text-layer page code (cells, captions, notes) over pseudo-characters."""
    from extractors.documents.pdf import PageTriage, _page_items

    pt = 1 / scale
    erased = ocr_tables.erase_rules(gray, mask)

    def px(box):
        return tuple(int(round(v * scale)) for v in box)

    cell_boxes = [px(b) for g in groups for b in g]
    table_boxes = [px((min(b[0] for b in g), min(b[1] for b in g), max(b[2] for b in g), max(b[3] for b in g)))
                   for g in groups]
    words = ocr_tables.tsv_words(_tesseract(ocr_tables.blank_boxes(erased, table_boxes),
                                            tmp / f"p{number}.png", deadline))
    for k, (sheet, slots) in enumerate(ocr_tables.cell_sheets(erased, cell_boxes)):
        tsv = _tesseract(sheet, tmp / f"p{number}-cells{k}.png", deadline)
        words.extend(ocr_tables.sheet_words(ocr_tables.tsv_words(tsv), slots, k))
    chars = ocr_tables.pseudo_chars(words, pt)
    info = PageTriage(number, len(chars), 0, len(cell_boxes), 1, size[0], size[1])
    lines, tables = _page_items(groups, info, chars)
    for ln in lines:
        ln.ocr = True
    for t in tables:
        t.ocr = True
        texts = ocr_tables.regroup_thousands([ocr_tables.clean_numeric(c.text) for c in t.cells])
        for c, text in zip(t.cells, texts, strict=True):
            c.text = text
    return lines, tables


def ocr_pdf_pages(path: Path, pages: list[int], doc: Document, limits: Limits,
                  deadline: float) -> tuple[list[Line], list[Table]]:
    if not tesseract_available():
        doc.warnings.append(f"tesseract with chi_sim not installed: {len(pages)} scanned page(s) not OCR'd")
        return [], []
    if len(pages) > limits.max_ocr_pages:
        doc.warnings.append(f"{len(pages)} scanned pages; only the first {limits.max_ocr_pages} were OCR'd")
        pages = pages[: limits.max_ocr_pages]
    lines: list[Line] = []
    tables: list[Table] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        with tempfile.TemporaryDirectory(prefix="juesuan-ocr-") as tmp:
            for number in pages:
                if time.monotonic() > deadline:
                    doc.warnings.append(f"time budget exhausted: OCR stopped before page {number}")
                    break
                result = _ocr_page(pdf, number, Path(tmp), doc, limits, deadline)
                if result is None:
                    continue
                page_lines, page_tables = result
                lines.extend(page_lines)
                tables.extend(page_tables)
                pg = doc.pages[number - 1]
                pg.ocr = True
                pg.n_chars = sum(len(ln.text) for ln in page_lines) + sum(
                    len(c.text) for t in page_tables for c in t.cells)
    finally:
        pdf.close()
    return lines, tables

"""PDF reader: pypdfium2 triage per page, pdfplumber characters and ruled tables, OCR for pages without text.

Triage first (pypdfium2 is ~40x faster than pdfminer): a page with no drawn paths cannot hold a ruled table, so
pdfplumber's table finder only runs where ruling lines exist; a page with no usable text layer goes to OCR.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.documents.layout import absorb_caption_rows, attach_captions, finish_tables
from extractors.documents.limits import Limits
from extractors.documents.pdf_grid import dedupe_chars, grid_table, make_lines
from schemas.document import Document, DocumentError, Line, Page, Table

_MIN_RULINGS = 4  # fewer path objects than this cannot form a ruled table
_NOTE_WORDS = ("注", "说明：", "本表无数据", "无数据", "空表", "不涉及")


@dataclass
class PageTriage:
    number: int
    n_chars: int
    n_bad: int
    n_paths: int
    n_images: int
    width: float
    height: float

    @property
    def quality(self) -> str:
        if self.n_chars == 0:
            return "scanned" if self.n_images else "empty"
        if self.n_bad / max(self.n_chars, 1) > 0.3:
            return "degraded"
        return "ok"


def triage(path: Path, limits: Limits) -> tuple[list[PageTriage], dict]:
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise DocumentError(str(path), "encrypted PDF (a password is required to open it)") from e
        raise DocumentError(str(path), f"corrupt or truncated PDF ({msg})") from e
    try:
        n = len(pdf)
        if n == 0:
            raise DocumentError(str(path), "PDF has no pages")
        if n > limits.max_pages:
            raise DocumentError(str(path), f"PDF has {n} pages, more than the limit of {limits.max_pages}")
        meta = {k: v for k, v in (pdf.get_metadata_dict() or {}).items() if v}
        out = []
        for i in range(n):
            page = pdf[i]
            tp = page.get_textpage()
            text = tp.get_text_bounded()
            n_paths = n_images = 0
            for obj in page.get_objects(max_depth=2):
                if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                    n_paths += 1
                elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    n_images += 1
            visible = sum(1 for ch in text if not ch.isspace())
            w, h = page.get_size()
            out.append(PageTriage(i + 1, visible, text.count("\ufffd"), n_paths, n_images, w, h))
            tp.close()
            page.close()
        return out, meta
    finally:
        pdf.close()


def _cid_ratio(chars: list[dict]) -> float:
    if not chars:
        return 0.0
    return sum(1 for c in chars if c["text"].startswith("(cid:") or c["text"] == "\ufffd") / len(chars)


def _page_items(page, info: PageTriage, chars: list[dict]) -> tuple[list[Line], list[Table]]:
    tables: list[Table] = []
    if info.n_paths >= _MIN_RULINGS:
        for found in page.find_tables():
            t = grid_table(found.cells, chars, info.number)
            if t is not None and t.n_cols >= 2 and t.n_rows >= 2:
                tables.append(t)
    tables.sort(key=lambda t: t.bbox[1])

    def in_table(ln: Line) -> bool:
        cy = (ln.bbox[1] + ln.bbox[3]) / 2
        cx = (ln.bbox[0] + ln.bbox[2]) / 2
        return any(t.bbox[0] - 2 <= cx <= t.bbox[2] + 2 and t.bbox[1] - 1 <= cy <= t.bbox[3] + 1 for t in tables)

    lines = [ln for ln in make_lines(chars, info.number) if not in_table(ln)]
    prev_bottom = 0.0
    for i, t in enumerate(tables):
        above = [ln.text for ln in lines if prev_bottom - 1 <= ln.bbox[1] and ln.bbox[3] <= t.bbox[1] + 2]
        absorbed = absorb_caption_rows(t)
        attach_captions(t, above + absorbed)
        next_top = tables[i + 1].bbox[1] if i + 1 < len(tables) else float("inf")
        below = [ln.text for ln in lines if t.bbox[3] - 2 <= ln.bbox[1] < min(next_top, t.bbox[3] + 120)]
        t.notes = [s for s in below[:4] if any(w in s for w in _NOTE_WORDS)]
        prev_bottom = t.bbox[3]
    return lines, tables


def read_pdf(path: Path, sha256: str, *, ocr: bool = True, limits: Limits | None = None) -> Document:
    limits = limits or Limits()
    started = time.monotonic()
    infos, meta = triage(path, limits)
    doc = Document(path=str(path), sha256=sha256, format="pdf", metadata=meta)
    raw_tables: list[Table] = []
    ocr_pages: list[int] = []
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as e:  # pdfminer raises many types for corrupt input
        raise DocumentError(str(path), f"not a readable PDF ({type(e).__name__}: {e})") from e
    with pdf:
        for info in infos:
            if time.monotonic() - started > limits.seconds_per_document:
                raise DocumentError(str(path), f"time budget of {limits.seconds_per_document:.0f}s exceeded "
                                               f"at page {info.number} of {len(infos)}")
            pg = Page(number=info.number, width=round(info.width, 2), height=round(info.height, 2),
                      n_chars=info.n_chars, text_quality=info.quality)
            doc.pages.append(pg)
            if info.quality in ("scanned", "degraded"):
                ocr_pages.append(info.number)
                continue
            if info.quality == "empty":
                continue
            page = pdf.pages[info.number - 1]
            try:
                chars = dedupe_chars(page.chars)
                if _cid_ratio(chars) > 0.3:
                    pg.text_quality = "degraded"
                    ocr_pages.append(info.number)
                    continue
                lines, tables = _page_items(page, info, chars)
            except DocumentError:
                raise
            except Exception as e:  # noqa: BLE001 - one malformed page must not lose the document
                doc.warnings.append(f"page {info.number}: unreadable ({type(e).__name__}: {e})")
                continue
            finally:
                page.close()
            doc.lines.extend(lines)
            raw_tables.extend(tables)
    if ocr_pages:
        if ocr:
            from extractors.documents.ocr import ocr_pdf_pages

            o_lines, o_tables = ocr_pdf_pages(path, ocr_pages, doc, limits,
                                              deadline=started + limits.seconds_per_document)
            doc.lines.extend(o_lines)
            raw_tables.extend(o_tables)
        else:
            doc.warnings.append(f"{len(ocr_pages)} page(s) without a usable text layer were not OCR'd: "
                                f"{ocr_pages[:20]}")
    order_items(doc, raw_tables)
    return doc


def order_items(doc: Document, raw_tables: list[Table]) -> None:
    """Sort lines and tables into reading order (page, top), finish tables, then number everything."""
    def key(item):
        return (item.page, item.bbox[1] if item.bbox else 0.0)

    doc.lines.sort(key=key)
    raw_tables.sort(key=key)
    tables = finish_tables(raw_tables)
    items = sorted([*doc.lines, *tables], key=key)
    for seq, item in enumerate(items):
        item.seq = seq
    doc.tables = tables

"""PDF reader: PDFium characters and ruling lines for most pages, pdfminer (pdfplumber) where PDFium's text is bad.

One PDFium pass per page gives triage (text layer? ruling paths? images?), the characters and the ruling edges;
pdfplumber's lattice code turns the edges into cells (``pdf_fast``). Only pages whose PDFium text cannot be
trusted (missing Unicode maps, U+FFFD, private-use garbage) or that are rotated are parsed by pdfminer, which
is ~10x slower. Pages with no usable text layer either way go to OCR.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.documents import pdf_fast
from extractors.documents.layout import absorb_caption_rows, attach_captions, finish_tables
from extractors.documents.limits import Limits
from extractors.documents.pdf_grid import dedupe_chars, grid_table, make_lines
from schemas.document import Document, DocumentError, Line, Page, Table

_MIN_RULINGS = 4  # fewer ruling edges than this cannot form a ruled table (one path object may draw them all)
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
    pdf, meta = _open_pdfium(path, limits)
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            n_paths = n_images = 0
            for obj in page.get_objects(max_depth=2):
                if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                    n_paths += 1
                elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    n_images += 1
            out.append(_page_triage(i + 1, page, tp, n_paths, n_images))
            tp.close()
            page.close()
        return out, meta
    finally:
        pdf.close()


def _open_pdfium(path: Path, limits: Limits) -> tuple[pdfium.PdfDocument, dict]:
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise DocumentError(str(path), "encrypted PDF (a password is required to open it)") from e
        raise DocumentError(str(path), f"corrupt or truncated PDF ({msg})") from e
    n = len(pdf)
    if n == 0 or n > limits.max_pages:
        pdf.close()
        raise DocumentError(str(path), "PDF has no pages" if n == 0 else
                            f"PDF has {n} pages, more than the limit of {limits.max_pages}")
    return pdf, {k: v for k, v in (pdf.get_metadata_dict() or {}).items() if v}


def _page_triage(number: int, page, tp, n_paths: int, n_images: int) -> PageTriage:
    text = tp.get_text_bounded()
    visible = sum(1 for ch in text if not ch.isspace())
    w, h = page.get_size()
    return PageTriage(number, visible, text.count("\ufffd"), n_paths, n_images, w, h)


def _cid_ratio(chars: list[dict]) -> float:
    if not chars:
        return 0.0
    return sum(1 for c in chars if c["text"].startswith("(cid:") or c["text"] == "\ufffd") / len(chars)


def _page_items(cell_groups, info: PageTriage, chars: list[dict]) -> tuple[list[Line], list[Table]]:
    tables: list[Table] = []
    fragments: list[Table] = []
    for cells in cell_groups:
        t = grid_table(cells, chars, info.number)
        if t is not None and t.n_cols >= 2:
            # a single ruled row is a table only as the last row(s) of the previous page's table, spilled over:
            # kept aside as a fragment, stitched or dropped when the document's tables are finished
            (tables if t.n_rows >= 2 else fragments).append(t)
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
    for f in fragments:
        f.fragment = True  # its text stays in the lines too: dropped fragments must not lose words
    return lines, tables + fragments


class _Pdfminer:
    """pdfplumber, opened only when a page needs it (bad PDFium text, rotation, a PDFium failure)."""

    def __init__(self, path: Path):
        self.path, self.pdf = path, None

    def page_items(self, info: PageTriage) -> tuple[list[Line], list[Table]] | None:
        """Lines and tables of one page, or None when its text is (cid:N) garbage."""
        if self.pdf is None:
            try:
                self.pdf = pdfplumber.open(str(self.path))
            except Exception as e:  # pdfminer raises many types for corrupt input
                raise DocumentError(str(self.path), f"not a readable PDF ({type(e).__name__}: {e})") from e
        page = self.pdf.pages[info.number - 1]
        try:
            chars = dedupe_chars(page.chars)
            if _cid_ratio(chars) > 0.3:
                return None
            groups = [f.cells for f in page.find_tables()] if info.n_paths else []
            return _page_items(groups, info, chars)
        finally:
            page.close()

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _fast_items(page, tp, info: PageTriage, paths: list[tuple]) -> tuple[list[Line], list[Table]] | None:
    """Lines and tables from PDFium alone, or None when the page must be read by pdfminer."""
    if page.get_rotation():
        return None
    box = pdf_fast.page_box(page)
    chars = pdf_fast.page_chars(tp, box)
    if pdf_fast.text_is_bad(chars):
        return None
    edges = pdf_fast.page_edges(paths, box) if paths else []
    groups = pdf_fast.find_cells(edges) if len(edges) >= _MIN_RULINGS else []
    return _page_items(groups, info, dedupe_chars(chars))


def read_pdf(path: Path, sha256: str, *, ocr: bool = True, limits: Limits | None = None) -> Document:
    limits = limits or Limits()
    started = time.monotonic()
    pdf, meta = _open_pdfium(path, limits)
    doc = Document(path=str(path), sha256=sha256, format="pdf", metadata=meta)
    raw_tables: list[Table] = []
    ocr_pages: list[int] = []
    miner = _Pdfminer(path)
    try:
        for i in range(len(pdf)):
            # checked between pages: the first page is always looked at, so a spent budget on a scan still
            # leaves the OCR stage to mark its pages unread (partial) rather than failing the whole file
            if i and time.monotonic() - started > limits.seconds_per_document:
                raise DocumentError(str(path), f"time budget of {limits.seconds_per_document:.0f}s exceeded "
                                               f"at page {i + 1} of {len(pdf)}")
            page = pdf[i]
            tp = page.get_textpage()
            try:
                result = _read_page(doc, page, tp, i + 1, miner)
            finally:
                tp.close()
                page.close()
            if result == "ocr":
                ocr_pages.append(i + 1)
            elif result is not None:
                doc.lines.extend(result[0])
                raw_tables.extend(result[1])
    finally:
        miner.close()
        pdf.close()
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
            for n in ocr_pages:
                doc.pages[n - 1].read_by = "not read (OCR off)"
    order_items(doc, raw_tables)
    if ocr_pages and ocr:
        from extractors.documents.ocr import finish_ocr

        finish_ocr(doc)  # the arithmetic check needs the finished (stitched, split) tables
    return doc


def _read_page(doc: Document, page, tp, number: int, miner: _Pdfminer):
    """One page: ``(lines, tables)``, ``"ocr"`` when it has no usable text layer, or None."""
    paths, n_images = pdf_fast.collect_objects(page)
    info = _page_triage(number, page, tp, len(paths), n_images)
    pg = Page(number=number, width=round(info.width, 2), height=round(info.height, 2),
              n_chars=info.n_chars, text_quality=info.quality)
    doc.pages.append(pg)
    if info.quality in ("scanned", "degraded"):
        return "ocr"
    if info.quality == "empty":
        return None
    try:
        try:
            items = _fast_items(page, tp, info, paths)
        except Exception as e:  # noqa: BLE001 - PDFium oddity: let pdfminer have a go
            doc.warnings.append(f"page {number}: PDFium reading failed ({type(e).__name__}: {e}), used pdfminer")
            items = None
        if items is None:
            items = miner.page_items(info)
            if items is None:
                pg.text_quality = "degraded"
                return "ocr"
        return items
    except DocumentError:
        raise
    except Exception as e:  # noqa: BLE001 - one malformed page must not lose the document
        doc.warnings.append(f"page {number}: unreadable ({type(e).__name__}: {e})")
        return None


def order_items(doc: Document, raw_tables: list[Table]) -> None:
    """Sort lines and tables into reading order (page, top), finish tables, then number everything."""
    def key(item):
        return (item.page, item.bbox[1] if item.bbox else 0.0)

    doc.lines.sort(key=key)
    raw_tables.sort(key=key)
    tables = []
    for t in finish_tables(raw_tables):
        if t.__dict__.pop("fragment", False) and t.n_rows < 2:
            continue  # a single-row fragment that did not continue a table is not a table
        tables.append(t)
    items = sorted([*doc.lines, *tables], key=key)
    for seq, item in enumerate(items):
        item.seq = seq
    doc.tables = tables

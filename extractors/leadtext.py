"""The first pages' text of a fetched file, cheaply, for the disclosure classifier.

PDF: PDFium's text layer of the first pages (milliseconds); a page without one is rendered and read by tesseract
(page 1 only, with a timeout) because scans are exactly where portals misfile (the corpus's scanned 绩效评价结果
filed as 部门预算). Other formats go through the project's readers (``read_document``) and use the Document's
first pages, so the crawler and the readers see the same text. Nothing here raises on bad input: unreadable
bytes give ``("", why)`` and the classifier falls back to the title.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .classify import Verdict, classify

MAX_PAGES = 3
MAX_CHARS = 12_000
OCR_TIMEOUT = 30.0
OCR_SCALE = 150 / 72


def _pdf_text(path: Path, max_pages: int, ocr: bool) -> tuple[str, str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as e:  # noqa: BLE001 — hostile or broken PDFs: the title decides
        return "", f"PDF not readable ({type(e).__name__})"
    try:
        parts = []
        for i in range(min(max_pages, len(pdf))):
            page = pdf[i]
            try:
                tp = page.get_textpage()
                parts.append(tp.get_text_range())
                tp.close()
            finally:
                page.close()
        text = "\n".join(parts)
        if len("".join(text.split())) >= 40 or not ocr or len(pdf) == 0:
            return text[:MAX_CHARS], "text layer"
        return _ocr_first_page(pdf)
    finally:
        pdf.close()


def _ocr_first_page(pdf) -> tuple[str, str]:
    if not shutil.which("tesseract"):
        return "", "no text layer and tesseract is not installed"
    page = pdf[0]
    try:
        img = page.render(scale=OCR_SCALE, grayscale=True).to_pil()
    finally:
        page.close()
    with tempfile.TemporaryDirectory(prefix="juesuan-lead-") as tmp:
        png = Path(tmp) / "p1.png"
        img.save(png)
        try:
            out = subprocess.run(["tesseract", str(png), "stdout", "-l", "chi_sim", "--psm", "3"],
                                 capture_output=True, text=True, timeout=OCR_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            return "", f"no text layer; OCR of page 1 timed out after {OCR_TIMEOUT:.0f}s"
    if out.returncode != 0:
        return "", "no text layer; OCR failed"
    return out.stdout[:MAX_CHARS], "OCR of page 1"


_W_TEXT = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|</w:p>")
_X_TEXT = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_OOXML_PARTS = {"docx": ("word/document.xml", _W_TEXT), "xlsx": ("xl/sharedStrings.xml", _X_TEXT)}


def _ooxml_text(path: Path) -> tuple[str, str] | None:
    """DOCX/XLSX text straight from the XML (a few ms; the full readers take ~50 ms a file)."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            for kind, (part, rx) in _OOXML_PARTS.items():
                if part in names:
                    with z.open(part) as f:
                        xml = f.read(4_000_000)  # the first pages are at the start; a cap keeps bombs out
                    text = b"".join(m.group(1) + b" " if m.group(1) is not None else b"\n" for m in rx.finditer(xml))
                    return text.decode("utf-8", "replace")[:MAX_CHARS], f"{kind} text"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def _reader_text(path: Path, max_pages: int) -> tuple[str, str]:
    from extractors.documents import read_document
    from schemas.document import DocumentError

    try:
        doc = read_document(path, ocr=False)
    except DocumentError as e:
        return "", f"not readable ({e.problem})"
    except Exception as e:  # noqa: BLE001 — a reader bug must not stop discovery
        return "", f"reader failed ({type(e).__name__})"
    return document_text(doc, max_pages), f"{doc.format} reader"


def document_text(doc, max_pages: int = MAX_PAGES) -> str:
    """The first pages of a read Document (lines, table titles, cells) as the classifier reads them."""
    lines = [ln.text for ln in doc.lines if ln.page <= max_pages]
    titles = [t.title or "" for t in doc.tables if t.page <= max_pages * 4]
    cells = [c.text for t in doc.tables if t.page <= max_pages for c in t.cells[:200]]
    return "\n".join(lines + titles + cells)[:MAX_CHARS]


def classify_document(doc, title: str = "") -> Verdict:
    """The verdict on a Document the readers produced (OCR'd pages included): what `juesuan extract` reports."""
    return classify(title or doc.metadata.get("title") or "", "", document_text(doc))


def leading_text(path: str | Path, *, max_pages: int = MAX_PAGES, ocr: bool = True) -> tuple[str, str]:
    """(text of the first pages, how it was obtained)."""
    path = Path(path)
    try:
        head = path.open("rb").read(1024)
    except OSError as e:
        return "", f"cannot open ({e.strerror})"
    if head.lstrip(b"\r\n\t \x00\xef\xbb\xbf")[:5] == b"%PDF-" or b"%PDF-" in head:
        return _pdf_text(path, max_pages, ocr)
    if head.startswith(b"PK\x03\x04") and (found := _ooxml_text(path)) is not None:
        return found
    return _reader_text(path, max_pages)


def classify_file(path: str | Path, title: str = "", link_text: str = "", *, ocr: bool = True) -> Verdict:
    """The classifier's verdict on a stored file, with how its text was read appended to the reason."""
    text, how = leading_text(path, ocr=ocr)
    v = classify(title, link_text, text)
    return Verdict(v.label, f"{v.reason} [{how}]", v.kind, v.scope, v.source)

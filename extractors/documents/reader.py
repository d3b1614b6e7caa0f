"""Dispatch a file to the reader for its format, detected from content (magic bytes), never the extension.

Every failure surfaces as ``DocumentError(path, problem)`` so a batch can log it and go on to the next file.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from extractors.documents.limits import Limits
from schemas.document import Document, DocumentError

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(data: bytes) -> str | None:
    """pdf | ooxml | ole2 | html | text | None, from the first bytes."""
    head = data[:4096]
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "ooxml"
    if head.startswith(_OLE2):
        return "ole2"
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in low[:2048] or b"<body" in low:
        return "html" if b"<html" in low or b"<body" in low or b"<!doctype html" in low else None
    if head and b"\x00" not in head[:1024]:
        return "text"
    return None


def ole2_kind(data: bytes) -> str:
    """doc | xls | wps for a compound file, from its stream names (UTF-16 in the directory sectors)."""
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") + b"\x00\x00" in data:
        return "xls"
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    return "wps"


def read_document(path: str | Path, *, ocr: bool = True, limits: Limits | None = None) -> Document:
    """Read any supported disclosure file into a Document; raises DocumentError for unreadable input."""
    limits = limits or Limits()
    path = Path(path)
    if not path.is_file():
        raise DocumentError(str(path), "file not found")
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(str(path), "empty file (0 bytes)")
    if size > limits.max_bytes:
        raise DocumentError(str(path), f"file is {size} bytes, larger than the limit of {limits.max_bytes}")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    fmt = sniff_format(data)
    try:
        doc = _dispatch(path, data, sha, fmt, ocr, limits)
    except DocumentError:
        raise
    except MemoryError as e:
        raise DocumentError(str(path), "ran out of memory while reading") from e
    except Exception as e:  # a reader bug or a library choking on hostile input: report, don't crash
        raise DocumentError(str(path), f"{fmt or 'unknown'} reader failed ({type(e).__name__}: {e})") from e
    if fmt and path.suffix.lower() == ".pdf" and fmt != "pdf":
        doc.warnings.append(f"file named .pdf is really {fmt}")
    return doc


def _dispatch(path: Path, data: bytes, sha: str, fmt: str | None, ocr: bool, limits: Limits) -> Document:
    if fmt == "pdf":
        from extractors.documents.pdf import read_pdf

        return read_pdf(path, sha, ocr=ocr, limits=limits)
    if fmt == "ooxml":
        from extractors.documents.guards import check_zip, ooxml_kind

        check_zip(path, limits)
        kind = ooxml_kind(path)
        if kind == "docx":
            from extractors.documents.docx import read_docx

            return read_docx(path, sha, limits=limits)
        if kind == "xlsx":
            from extractors.documents.sheet import read_xlsx

            return read_xlsx(path, sha, limits)
        raise DocumentError(str(path), f"zip archive that is not a Word or Excel document ({kind})")
    if fmt == "ole2":
        kind = ole2_kind(data)
        if kind == "xls":
            from extractors.documents.sheet import read_xls

            return read_xls(path, sha, limits)
        from extractors.documents.legacy import read_legacy_word

        return read_legacy_word(path, sha, kind, limits)
    if fmt == "html":
        from extractors.documents.html import read_html

        return read_html(path, data, sha, limits)
    if fmt == "text":
        from extractors.documents.html import read_text

        return read_text(path, data, sha)
    raise DocumentError(str(path), f"unsupported or unrecognised format (first bytes {data[:8]!r})")

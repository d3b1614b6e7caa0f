"""What the bytes really are, and whether that matches what the link promised.

Portals serve article pages under ``.pdf`` names, error pages with status 200, and WPS/OLE2 files as ``.doc``.
We trust magic bytes, not extensions or Content-Type, and reject mismatches with a reason the operator can read.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|script|div|table|p)\b",
                         re.IGNORECASE | re.DOTALL)

# extension -> content kinds acceptable for it (legacy Office names often hide OOXML or vice versa)
EXPECTED_KINDS = {
    ".pdf": {"pdf"},
    ".doc": {"ole2", "docx", "rtf"},
    ".wps": {"ole2", "docx"},
    ".docx": {"docx", "zip"},
    ".xls": {"ole2", "xlsx", "html"},  # some CMSes export "xls" as an HTML table; the sheet reader handles it
    ".et": {"ole2", "xlsx"},
    ".xlsx": {"xlsx", "zip"},
    ".html": {"html", "text"},
    ".htm": {"html", "text"},
    ".shtml": {"html", "text"},
    ".txt": {"text"},
}
DOCUMENT_KINDS = {"pdf", "ole2", "docx", "xlsx", "zip", "rtf"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "ole2": "application/x-ole-storage",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "rtf": "application/rtf",
    "html": "text/html",
    "text": "text/plain",
}


def sniff(data: bytes) -> str:
    """pdf | docx | xlsx | zip | ole2 | rtf | html | text | empty | unknown."""
    if not data:
        return "empty"
    head = data[:1024]
    if head.lstrip(b"\r\n\t \x00\xef\xbb\xbf")[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    stripped = head.lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(stripped) or b"<html" in head.lower():
        return "html"
    if b"%PDF-" in head:  # readers accept junk before the header within the first KiB
        return "pdf"
    if b"\x00" not in head:
        return "text"
    return "unknown"


def _zip_kind(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return "zip"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return "zip"


def extension_of(name_or_url: str) -> str:
    path = urlsplit(name_or_url).path if "://" in name_or_url else name_or_url
    return PurePosixPath(unquote(path)).suffix.lower()


def check_document(data: bytes, url: str, filename: str = "", accept_html: bool = False) -> tuple[str, str | None]:
    """(kind, reason-if-rejected). The name from Content-Disposition wins over the URL's extension."""
    kind = sniff(data)
    ext = extension_of(filename) or extension_of(url)
    if kind == "empty":
        return kind, "empty response body"
    expected = EXPECTED_KINDS.get(ext)
    if expected is not None and kind not in expected:
        if kind == "html":
            return kind, f"HTML page served as {ext} (not a document)"
        return kind, f"content is {kind}, not what {ext} promises"
    if expected is None:  # download.do?iid=… and other extensionless links
        if kind == "html" and not accept_html:
            return kind, "HTML page where a document was expected"
        if kind not in DOCUMENT_KINDS and not (accept_html and kind == "html"):
            return kind, f"unrecognised content ({kind})"
    return kind, None

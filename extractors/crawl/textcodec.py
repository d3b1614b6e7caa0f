"""Decoding pages and reading the headers that carry names and delays.

Charset order: the HTTP header, then ``<meta charset>`` / ``http-equiv``, then charset-normalizer. GBK and GB2312
labels decode as GB18030 (a strict superset), because pages labelled GB2312 routinely contain GBK-only characters.
"""
from __future__ import annotations

import codecs
import email.utils
import re
import time
from urllib.parse import unquote

import charset_normalizer

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
              "iso-8859-1": "cp1252", "latin-1": "cp1252", "us-ascii": "utf-8", "ascii": "utf-8"}


def _normalise(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    m = re.search(r"charset\s*=\s*([^\s;]+)", content_type or "", re.IGNORECASE)
    return _normalise(m.group(1)) if m else None


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding used)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    candidates = [charset_from_content_type(content_type)]
    m = _META_CHARSET.search(data[:8192])
    candidates.append(_normalise(m.group(1).decode("ascii", "ignore")) if m else None)
    for enc in candidates:
        if not enc:
            continue
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue  # a lying label: fall through to detection rather than mojibake
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    enc = _normalise(best.encoding) if best else None
    enc = enc or "utf-8"
    return data.decode(enc, errors="replace"), enc


# --- Content-Disposition (RFC 6266 / RFC 5987) ---

_CD_EXT = re.compile(r"""filename\*\s*=\s*([A-Za-z0-9_\-]+)'[^']*'([^;\s]+)""", re.IGNORECASE)
_CD_QUOTED = re.compile(r'''filename\s*=\s*"((?:[^"\\]|\\.)*)"''', re.IGNORECASE)
_CD_TOKEN = re.compile(r"""filename\s*=\s*([^;"\s][^;]*)""", re.IGNORECASE)


def _fix_raw_bytes(name: str) -> str:
    """Servers often put raw UTF-8/GBK bytes in the header; httpx decodes headers as latin-1. Undo that."""
    try:
        raw = name.encode("latin-1")
    except UnicodeEncodeError:
        return name
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return name


def content_disposition_filename(value: str | None) -> str:
    """The file name a Content-Disposition header announces ('' when none). filename* wins over filename."""
    if not value:
        return ""
    m = _CD_EXT.search(value)
    if m:
        enc = _normalise(m.group(1)) or "utf-8"
        try:
            return _basename(unquote(m.group(2), encoding=enc, errors="strict"))
        except (UnicodeDecodeError, LookupError):
            pass
    m = _CD_QUOTED.search(value)
    name = re.sub(r"\\(.)", r"\1", m.group(1)) if m else ""
    if not name:
        m = _CD_TOKEN.search(value)
        name = m.group(1).strip() if m else ""
    if not name:
        return ""
    name = _fix_raw_bytes(name)
    if "%" in name:  # many Chinese portals percent-encode the plain filename= value
        try:
            name = unquote(name, errors="strict")
        except UnicodeDecodeError:
            pass
    return _basename(name)


def _basename(name: str) -> str:
    # display only — but never let a "../../x" survive even there
    return re.split(r"[\\/]", name)[-1].strip().lstrip(".") or ""


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date); None when absent or unparseable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        dt = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if dt is None:
        return None
    return max(0.0, dt.timestamp() - (now if now is not None else time.time()))

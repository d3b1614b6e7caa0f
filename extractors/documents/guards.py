"""Checks run before a library opens an untrusted container (zip bombs, oversized archives)."""
from __future__ import annotations

import zipfile
from pathlib import Path

from extractors.documents.limits import Limits
from schemas.document import DocumentError


def check_zip(path: Path, limits: Limits) -> None:
    """Refuse archives whose declared sizes or compression ratios are those of a zip bomb."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise DocumentError(str(path), f"corrupt or truncated zip container ({e})") from e
    if len(infos) > limits.max_zip_members:
        raise DocumentError(str(path), f"zip container has {len(infos)} members (limit {limits.max_zip_members})")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        raise DocumentError(str(path), f"zip bomb suspected: {total} bytes uncompressed "
                                       f"(limit {limits.max_unzipped_bytes})")
    for i in infos:
        if i.filename.endswith((".xml", ".rels")) and i.file_size > limits.max_xml_bytes:
            raise DocumentError(str(path), f"XML part {i.filename} is {i.file_size} bytes uncompressed, over the "
                                           f"{limits.max_xml_bytes}-byte budget (it would take ~30x that in memory)")
        if i.file_size > 1_000_000 and i.file_size / max(i.compress_size, 1) > limits.max_zip_ratio:
            raise DocumentError(str(path), f"zip bomb suspected: member {i.filename} expands "
                                           f"{i.file_size / max(i.compress_size, 1):.0f}x")


def ooxml_kind(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"

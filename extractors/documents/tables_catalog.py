"""Table identification for the readers: the one classifier lives in ``schemas.table_titles``; this module only
applies the readers' text hygiene (radical-supplement characters, spaces between Han characters) first."""
from __future__ import annotations

from extractors.documents.text import normalize_text
from schemas.table_titles import clean_title
from schemas.table_titles import identify_table as _identify

__all__ = ["identify_table", "clean_title"]


def identify_table(title: str | None, code: str | None = None, header_text: str | None = None) -> str | None:
    return _identify(normalize_text(title) if title else title, code,
                     normalize_text(header_text) if header_text else header_text)

"""Naming → code for the narrative when it prints only names (“教育支出（类）进修及培训（款）培训支出（项）”), over the
政府收支分类科目 code list that ``schemas.codes`` ships. Codes learnt from the document's own tables take precedence
(the caller's business)."""
from __future__ import annotations

from schemas.codes import code_for_name


def lookup(lei: str, kuan: str, xiang: str, year: int | None = None) -> str | None:
    lc = code_for_name(lei, "", year)
    kc = code_for_name(kuan, lc, year) if lc else None
    return code_for_name(xiang, kc, year) if kc else None

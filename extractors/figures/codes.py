"""政府收支分类科目 codes: normalising printed codes (one 7-digit cell, 类/款/项 columns, code beside the name)."""
from __future__ import annotations

import regex

_CODE_IN_CELL = regex.compile(r"^\s*(\d{3})(?:\s*[-—.]?\s*(\d{2}))?(?:\s*[-—.]?\s*(\d{2}))?\s*$")
_CODE_BESIDE = regex.compile(r"^\s*\[?(\d{3}(?:\d{2}){0,2})\]?\s*(?P<name>\p{Han}.*)$")


def norm_code(s: str | None) -> str | None:
    """'2080505', '208 05 05', '208-05-05' → '2080505'; anything else → None."""
    if not s:
        return None
    m = _CODE_IN_CELL.match(s.replace(" ", " "))
    if not m:
        return None
    return "".join(g for g in m.groups() if g)


def split_code_name(s: str) -> tuple[str | None, str]:
    """'2010101 行政运行' / '[2010101]行政运行' → ('2010101', '行政运行')."""
    m = _CODE_BESIDE.match(s or "")
    if m and len(m.group(1)) in (3, 5, 7):
        return m.group(1), m.group("name").strip()
    return None, s


def join_levels(lei: str, kuan: str, xiang: str, context: list[str]) -> str | None:
    """类/款/项 columns: '208','05','05' → '2080505'; a blank 类 inherits from the previous row (context)."""
    lei, kuan, xiang = (x.strip() for x in (lei, kuan, xiang))
    if not regex.fullmatch(r"\d{3}", lei or "") and kuan and context:
        lei = context[0]
    if not regex.fullmatch(r"\d{3}", lei or ""):
        return None
    if not kuan:
        return lei
    if not regex.fullmatch(r"\d{2}", kuan):
        return None
    if not xiang:
        return lei + kuan
    if not regex.fullmatch(r"\d{2}", xiang):
        return None
    return lei + kuan + xiang

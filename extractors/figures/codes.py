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
    if "." in s and not m.group(3):
        return None  # "160.00" is an amount, not 类 160 款 00
    return "".join(g for g in m.groups() if g)


def split_code_name(s: str) -> tuple[str | None, str]:
    """'2010101 行政运行' / '[2010101]行政运行' → ('2010101', '行政运行')."""
    m = _CODE_BESIDE.match(s or "")
    if m and len(m.group(1)) in (3, 5, 7):
        return m.group(1), m.group("name").strip()
    return None, s


def join_levels(lei: str, kuan: str, xiang: str, context: list[str]) -> str | None:
    """类/款/项 columns: '208','05','05' → '2080505'. Rows printing only the lower parts inherit the enclosing
    类 (and 款) from the previous rows: ``context`` is ``[类]`` or ``[类, 款]`` as last printed/derived."""
    lei, kuan, xiang = (x.strip() for x in (lei, kuan, xiang))
    ctx_lei = context[0] if context else ""
    ctx_kuan = context[1] if len(context) > 1 else ""
    if not regex.fullmatch(r"\d{3}", lei or ""):
        if not (kuan or xiang) or not ctx_lei:
            return None  # 合计 / a heading row
        if not kuan:
            if not ctx_kuan:
                return None
            kuan = ctx_kuan  # only the 项 printed: the enclosing 类 and 款 carry down
        lei = ctx_lei
    elif not kuan and xiang and lei == ctx_lei and ctx_kuan:
        kuan = ctx_kuan  # 类 repeated, 款 left blank under its parent row
    if not kuan:
        return lei
    if not regex.fullmatch(r"\d{2}", kuan):
        return None
    if not xiang:
        return lei + kuan
    if not regex.fullmatch(r"\d{2}", xiang):
        return None
    return lei + kuan + xiang


def level_context(code: str) -> list[str]:
    """The 类/款 context a joined code leaves for the rows under it."""
    return [code[:3], code[3:5]] if len(code) >= 5 else [code[:3]]

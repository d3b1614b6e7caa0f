"""Which of the nine standard disclosure tables (T01–T09) a printed table title names.

Titles vary by region far beyond any alias list (收入支出决算总表 / 部门财务收支预算总表 / 收支总体情况表 /
市级部门收支预算总表 …), so identification is keyword rules over a normalised title, checked against the alias
list of ``schemas/tables.csv`` first. Order matters: the specific families (三公, 国有资本经营, 政府性基金,
财政拨款收支, 基本支出) are tested before the generic 收支/收入/支出 ones.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import regex

from extractors.documents.text import normalize_text

_CATALOGUE = Path(__file__).resolve().parents[2] / "schemas" / "tables.csv"

# Prefixes that say whose/which-year table it is, not which table: "2024年度", "部门综合预算", "预算单位" …
_PREFIX = regex.compile(
    r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)?(?:附表\s*\d+[：:]?)?(?:表\s*[\d一二三四五六七八九十]+[：:.．]?)?"
    r"(?:.*?\d{4}\s*年度?)?"
)
_NOISE = regex.compile(r"[\s“”\"‘’'「」]|（[^）]*(?:分类|科目|单位|表)[^）]*）")
# Tables that look like T0x by keywords but are not one of the nine.
_NOT_STANDARD = ("项目支出", "政府采购", "绩效", "会议费和培训费", "机关运行经费支出", "预算执行", "资产", "项目预算")


@lru_cache(maxsize=1)
def catalogue() -> list[dict[str, str]]:
    with _CATALOGUE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _aliases() -> list[tuple[str, str]]:
    pairs = []
    for row in catalogue():
        for name in [row["canonical_title"], *row["common_aliases"].split("|")]:
            name = _NOISE.sub("", normalize_text(name))
            if name:
                pairs.append((name, row["table"]))
    return pairs


def clean_title(title: str) -> str:
    t = normalize_text(title)
    t = _PREFIX.sub("", t, count=1)
    t = _NOISE.sub("", t)
    return t.replace("(", "（").replace(")", "）")


def _by_keywords(t: str) -> str | None:
    if "三公" in t:
        return "T07"
    if any(w in t for w in _NOT_STANDARD):
        return None
    if "国有资本经营" in t:
        return "T09"
    if "政府性基金" in t:
        return "T08"
    if "财政拨款" in t and ("收支" in t or "收入支出" in t):
        return "T04"
    if "一般公共预算" in t and "基本支出" in t:
        return "T06"
    if "一般公共预算" in t and "支出" in t:
        return None if "经济分类" in t else "T05"
    if t.startswith("基本支出决算表"):
        return "T06"
    if "基本支出" in t:
        return None
    if ("收支" in t or "收入支出" in t) and ("总" in t or "决算表" in t):
        return "T01"
    if "收入" in t and "支出" not in t and regex.search(r"(总表|总体情况表|决算表|预算表)$", t):
        return "T02"
    if "支出" in t and "收入" not in t and regex.search(r"(总表|总体情况表|决算表|预算总表)$", t):
        return "T03"
    return None


def identify_table(title: str | None, code: str | None = None, header_text: str | None = None) -> str | None:
    """Return "T01".."T09" for a printed title (or None). ``code`` ("公开05表") is a tiebreak only when the title
    is missing; ``header_text`` rescues untitled three-public-expense tables."""
    if title:
        t = clean_title(title)
        if not regex.sub(r"[（(][^）)]*[）)]$", "", t).endswith("表"):
            return None  # a sentence or a caption, not a title
        tid = dict(_aliases()).get(t) or _by_keywords(t)
        full = normalize_text(title)
        if (tid == "T05" and "经济分类" in full) or (tid == "T06" and "功能分类" in full):
            return None  # the other classification of the same spending, not the standard table
        return tid
    if header_text:
        h = _NOISE.sub("", normalize_text(header_text))
        if "因公出国" in h and "公务接待" in h:
            return "T07"
    return None

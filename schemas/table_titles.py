"""The one table-title classifier: which catalogued disclosure table (T01–T09, and T10 for the 经济分类 view of
一般公共预算 spending that budgets print) a printed title names.

Titles vary by region far beyond any alias list (收入支出决算总表 / 部门财务收支预算总表 / 收支总体情况表 /
市级部门收支预算总表 …), so identification is the alias list of ``tables.csv`` (exact match after normalising)
and then keyword rules. Order matters: the specific families (三公, 国有资本经营, 政府性基金, 财政拨款收支,
基本支出) are tested before the generic 收支/收入/支出 ones. Readers (``extractors.documents``) and the figure
mappers both call :func:`identify_table`, so a title means the same table everywhere.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from schemas.catalog import tables

# Prefixes that say whose/which-year table it is, not which table: "2024年度", "部门综合预算", "预算单位" …
_PREFIX = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)?(?:附表\s*\d+[：:]?)?(?:表\s*[\d一二三四五六七八九十]+[：:.．]?)?"
    r"(?:.*?\d{4}\s*年度?)?"
)
_NOISE = re.compile(r"[\s“”\"‘’'「」]|（[^）]*(?:分类|科目|单位|表)[^）]*）")
# Titles that look like T0x by their keywords but are not one of the nine.
NOT_STANDARD = ("项目支出", "政府采购", "绩效", "会议费和培训费", "机关运行经费支出", "预算执行", "资产", "项目预算",
                "政府购买服务")
_TRAILING_NOTE = re.compile(r"[（(][^）)]*[）)]$")


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")  # Kangxi radicals, full-width digits and brackets
    return s.replace("(", "（").replace(")", "）").replace(":", "：").strip()


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    pairs: dict[str, str] = {}
    for t in tables().values():
        for name in t.all_titles():
            name = _NOISE.sub("", _norm(name))
            if name:
                pairs.setdefault(name, t.id)
    return pairs


def clean_title(title: str) -> str:
    t = _PREFIX.sub("", _norm(title), count=1)
    return _NOISE.sub("", t)


def _by_keywords(t: str, full: str) -> str | None:
    if "三公" in t:
        return "T07"
    if any(w in t for w in NOT_STANDARD):
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
        # 一般公共预算支出表（按经济分类）: the same spending by 经济分类 (basic and project), not the 功能分类 T05
        return "T10" if "经济分类" in full else "T05"
    if t.startswith("基本支出决算表"):
        return "T06"
    if "基本支出" in t:
        return None
    if ("收支" in t or "收入支出" in t) and ("总" in t or "决算表" in t):
        return "T01"
    if "收入" in t and "支出" not in t and re.search(r"(总表|总体情况表|决算表|预算表)$", t):
        return "T02"
    if "支出" in t and "收入" not in t and re.search(r"(总表|总体情况表|决算表|预算总表)$", t):
        return "T03"
    return None


def identify_table(title: str | None, code: str | None = None, header_text: str | None = None) -> str | None:
    """"T01".."T10" for a printed title, or None. ``header_text`` rescues untitled 三公 tables; ``code``
    ("公开05表") is accepted for callers that have one but never overrides the title."""
    if title:
        full = _norm(title)
        t = clean_title(title)
        if not _TRAILING_NOTE.sub("", t).endswith("表"):
            return None  # a sentence or a caption, not a title
        tid = _aliases().get(t) or _by_keywords(t, full)
        if tid == "T05" and "经济分类" in full:
            return "T10"
        if tid == "T06" and "功能分类" in full:
            return None  # the 功能分类 twin of the 基本支出 table is not the standard one
        return tid
    if header_text:
        h = _NOISE.sub("", _norm(header_text))
        if "因公出国" in h and "公务接待" in h:
            return "T07"
    return None

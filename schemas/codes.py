"""The 政府收支分类科目 (支出功能分类) code list as data: ``schemas/codes/function_codes.csv``.

Each entry is a code, its name, its level (类 3 digits, 款 5, 项 7), the fiscal years the corpus shows it for
(blank for seed entries: valid for every year until a dated entry says otherwise) and its source (``seed`` or
``corpus:<files>``; see ``extractors/figures/code_list_build.py``). :func:`code_for_name` maps a printed name to
its code under the current 类/款, which is how tables that print only names and indentation get their codes.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CODE_LIST_PATH = Path(__file__).resolve().parent / "codes" / "function_codes.csv"
_LEVEL = {3: "类", 5: "款", 7: "项"}
# 项 that every 款 may have, under their usual suffixes (the 科目 book's convention)
GENERIC_XIANG = {"行政运行": "01", "一般行政管理事务": "02", "机关服务": "03", "事业运行": "50"}


def level_of(code: str) -> str:
    return _LEVEL.get(len(code or ""), "") if (code or "").isdigit() and code.startswith("2") else ""


def norm_name(s: str) -> str:
    s = re.sub(r"\s+", "", s or "").replace("(", "（").replace(")", "）")
    s = re.sub(r"^(?:其中[：:])", "", s)
    return re.sub(r"（(?:类|款|项)）$", "", s)


@dataclass(frozen=True)
class CodeEntry:
    code: str
    name: str
    level: str
    first_year: int | None
    last_year: int | None
    source: str

    def valid_in(self, year: int | None) -> bool:
        if year is None or self.first_year is None:
            return True
        # corpus entries are valid from their first printed year on (codes rarely disappear)
        return year >= self.first_year - 1


@lru_cache(maxsize=1)
def function_code_list() -> tuple[CodeEntry, ...]:
    if not CODE_LIST_PATH.exists():
        return ()
    with CODE_LIST_PATH.open(encoding="utf-8", newline="") as f:
        return tuple(CodeEntry(r["code"], norm_name(r["name"]), r["level"],
                               int(r["first_year"]) if r["first_year"] else None,
                               int(r["last_year"]) if r["last_year"] else None, r["source"])
                     for r in csv.DictReader(f))


@lru_cache(maxsize=64)
def _index(year: int | None) -> dict[tuple[str, str], str]:
    """(parent code or "", name) → code for entries valid in ``year``; the first (seed, then earliest) wins.
    A name the corpus shows only in other years still maps (codes rarely change; the corpus is a sample of
    years, not their limit) unless an entry valid in ``year`` says otherwise."""
    out: dict[tuple[str, str], str] = {}
    for valid in (True, False):
        for e in function_code_list():
            if e.valid_in(year) != valid:
                continue
            parent = e.code[:-2] if len(e.code) > 3 else ""
            out.setdefault((parent, e.name), e.code)
            if len(e.code) == 3 and e.name.endswith("支出"):
                out.setdefault(("", e.name[:-2]), e.code)
    return out


def code_for_name(name: str, parent: str = "", year: int | None = None) -> str | None:
    """The code of ``name`` directly under ``parent`` ("" for a 类), or None. Generic 项 (行政运行 …) and
    其他…支出 (99) are applied under any 款."""
    n = norm_name(name)
    code = _index(year).get((parent, n))
    if code:
        return code
    if len(parent) == 5:
        if n in GENERIC_XIANG:
            return parent + GENERIC_XIANG[n]
        if _is_other_of(n, parent, year):
            return parent + "99"
    return None


def _is_other_of(name: str, parent: str, year: int | None) -> bool:
    """其他司法支出 is the 99 项 of 司法 — but 其他一般公共服务支出 under 社会工作事务 is the next 款, not its 99."""
    if not (name.startswith("其他") and name.endswith("支出")):
        return False
    mid = name[2:-2]
    parent_name = function_name(parent, year) or ""
    parent_core = re.sub(r"(?:支出|事务)$", "", parent_name)
    # a bare 其他支出 names the 类 229 (or its own 款/项), never the 99 of whatever 款 came before it
    return bool(parent_core) and bool(mid) and (mid in parent_name or parent_core in mid)


def function_name(code: str, year: int | None = None) -> str | None:
    for e in function_code_list():
        if e.code == code and e.valid_in(year):
            return e.name
    return None

"""Metric and table catalogues: loaders over ``schemas/metrics.csv`` and ``schemas/tables.csv``.

``metrics.csv`` is the project's copy of ``shared/spec/metrics.csv`` (ids never change meaning; new ids may be
added). ``tables.csv`` lists T01…T09 with canonical titles and regional aliases; :func:`identify_table_title`
maps a printed title (决算 or 预算 wording, with or without unit name / year prefix) to a table id.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Metric:
    id: str
    label_zh: str
    value_type: str  # amount | pct | count | number | int | text
    section: str
    notes: str = ""


@dataclass(frozen=True)
class TableDef:
    id: str
    canonical_title: str
    aliases: tuple[str, ...] = field(default_factory=tuple)
    columns: str = ""

    def all_titles(self) -> tuple[str, ...]:
        return (self.canonical_title, *self.aliases)


@lru_cache(maxsize=1)
def metrics() -> dict[str, Metric]:
    with open(_DIR / "metrics.csv", encoding="utf-8", newline="") as f:
        return {r["metric"]: Metric(r["metric"], r["label_zh"], r["value_type"], r["section"], r.get("notes") or "")
                for r in csv.DictReader(f)}


@lru_cache(maxsize=1)
def tables() -> dict[str, TableDef]:
    with open(_DIR / "tables.csv", encoding="utf-8", newline="") as f:
        out = {}
        for r in csv.DictReader(f):
            aliases = tuple(a.strip() for a in (r.get("common_aliases") or "").split("|") if a.strip())
            out[r["table"]] = TableDef(r["table"], r["canonical_title"], aliases, r.get("columns") or "")
        return out


def value_type(metric_id: str) -> str:
    m = metrics().get(metric_id)
    return m.value_type if m else "amount"


_QUOTES = re.compile(r"[“”\"'‘’〝〞「」]")
_SPACE = re.compile(r"\s+")


def _norm_title(s: str) -> str:
    s = _SPACE.sub("", s or "")
    s = _QUOTES.sub("", s)
    s = s.replace("(", "（").replace(")", "）")
    return s


@lru_cache(maxsize=1)
def _title_index() -> list[tuple[str, str]]:
    """(normalised title variant, table id), longest first; 决算 titles also get their 预算 twin."""
    seen: dict[str, str] = {}
    for t in tables().values():
        for title in t.all_titles():
            n = _norm_title(title)
            for v in {n, n.replace("决算", "预算"), n.replace("预算表", "决算表") if "预算财政" not in n else n}:
                seen.setdefault(v, t.id)
    return sorted(seen.items(), key=lambda kv: -len(kv[0]))


# titles that contain a catalogue title but are a different table
_NOT_NINE = re.compile(r"项目支出|绩效|政府采购|资产|明细|机关运行经费预算表$|政府购买服务|经济分类.*项目")


def identify_table_title(title: str | None) -> str | None:
    """Map a printed table title to T01…T09, or None. Longest alias contained in the title wins."""
    if not title:
        return None
    n = _norm_title(title)
    if _NOT_NINE.search(n) and "基本支出" not in n and "三公" not in n:
        return None
    for variant, tid in _title_index():
        if variant in n:
            return tid
    return None

"""Metric and table catalogues: loaders over ``schemas/metrics.csv`` and ``schemas/tables.csv``.

``metrics.csv`` is the project's copy of ``shared/spec/metrics.csv`` (ids never change meaning; new ids may be
added). ``tables.csv`` lists T01…T09 with canonical titles and regional aliases; :func:`identify_table_title`
maps a printed title (决算 or 预算 wording, with or without unit name / year prefix) to a table id through the one
classifier in ``schemas.table_titles``.
"""
from __future__ import annotations

import csv
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


def identify_table_title(title: str | None) -> str | None:
    """Map a printed table title to T01…T09, or None: the same classifier the readers use."""
    from schemas.table_titles import identify_table  # table_titles imports this module's loaders

    return identify_table(title)

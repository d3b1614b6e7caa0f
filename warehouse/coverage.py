"""Disclosure coverage: which units should have published which documents, which did, and when.

The expected set comes from the units register (schemas/units.py) where one is given; without one, a unit is
expected to publish a kind for year Y when it published that kind for Y-1 (the only evidence there is). Each
expected or found (region, unit, fiscal year, kind, scope) becomes one row of ``coverage_rows`` (the
``disclosure_coverage`` view adds the document's name and URL) with a status:

- ``found``: published (on time, or the deadline or publish date is unknown);
- ``late``: published after the deadline, ``days_late`` after it;
- ``found-incomplete``: published, but tables the rules require are missing (``tables_missing``);
- ``missing``: not published; ``past_deadline`` says whether it is overdue yet (NULL when the deadline is unknown).

Deadlines are ``days`` after the approval (budget) or 批复 (决算) date configured per region (register or
sources.yaml); a date that is not configured is unknown, never guessed. Inputs from discovery (publish dates,
source regions) are handed in by the caller, so this module reads only the warehouse.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from schemas.units import KINDS, Deadline, UnitsRegister, normalise_unit_name
from warehouse.anomaly_rules.completeness import EXPECTED_FINAL_TABLES
from warehouse.db import Warehouse

# the tables a disclosure must print (the completeness rule's set; budgets print the same seven in 预算 wording)
REQUIRED_TABLES = {"final_accounts": frozenset(EXPECTED_FINAL_TABLES), "budget": frozenset(EXPECTED_FINAL_TABLES)}
STATUSES = ("found", "late", "found-incomplete", "missing")
_COLUMNS = ("region", "unit_key", "unit_code", "unit_name", "fiscal_year", "kind", "scope", "expected_basis",
            "required", "status", "doc_id", "published_name", "publish_date", "deadline", "deadline_basis",
            "days_late", "past_deadline", "tables_found", "tables_missing", "matched_by", "as_of")


@dataclass
class Publication:
    """What discovery knows about a document that the warehouse does not: when and where it was published."""

    doc_id: str
    publish_date: dt.date | None = None
    source_name: str = ""


@dataclass
class CoverageInputs:
    register: UnitsRegister | None = None
    publications: dict[str, Publication] = field(default_factory=dict)
    source_regions: dict[str, str] = field(default_factory=dict)  # source name -> region
    deadlines: dict[tuple[str, str], Deadline] = field(default_factory=dict)  # (region, kind); beats the register's
    source_deadlines: dict[tuple[str, str], Deadline] = field(default_factory=dict)  # (source, kind); beats both
    as_of: dt.date = field(default_factory=dt.date.today)


@dataclass
class _Doc:
    doc_id: str
    unit_name: str
    fiscal_year: int
    kind: str
    scope: str
    tables: frozenset[str]
    n_figures: int
    region: str = ""
    key: str = ""
    code: str | None = None
    canonical: str = ""
    matched_by: str = ""
    publish_date: dt.date | None = None
    region_name: str = ""  # the region unit identity read from the document (issue 18), when nothing says better
    source_name: str = ""


def parse_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _documents(con) -> list[_Doc]:
    rows = con.execute(
        "SELECT d.doc_id, d.unit_name, d.unit_id, d.fiscal_year, d.kind, coalesce(d.scope, 'department'),"
        " coalesce(d.n_figures, 0), list(t.table_id) FILTER (WHERE t.table_id IS NOT NULL), coalesce(d.region_name, '')"
        " FROM documents d LEFT JOIN doc_tables t USING (doc_id)"
        " WHERE d.status <> 'failed' AND d.unit_name IS NOT NULL AND d.fiscal_year IS NOT NULL"
        " AND list_contains(?, d.kind)"
        " GROUP BY ALL ORDER BY d.doc_id", [list(KINDS)]).fetchall()
    out = []
    for doc_id, name, unit_id, year, kind, scope, n_fig, tables, region_name in rows:
        d = _Doc(doc_id, name, int(year), kind, scope, frozenset(tables or ()), int(n_fig), region_name=region_name)
        d.key = unit_id or normalise_unit_name(name)
        d.matched_by = "unit_id" if unit_id else "name"
        out.append(d)
    return out


def _place(docs: list[_Doc], inputs: CoverageInputs) -> None:
    """Region, unit key and canonical name of each document: the register's unit when one matches."""
    reg = inputs.register
    for d in docs:
        pub = inputs.publications.get(d.doc_id)
        d.publish_date = pub.publish_date if pub else None
        d.source_name = pub.source_name if pub else ""
        d.region = inputs.source_regions.get(pub.source_name, "") if pub else ""
        d.canonical = d.unit_name
        unit = reg.match(d.unit_name, d.fiscal_year, region=d.region or None) if reg else None
        if unit is not None:
            d.region, d.code, d.key, d.canonical = unit.region, unit.code, f"{unit.region}:{unit.code}", unit.name
            same = normalise_unit_name(d.unit_name) == normalise_unit_name(unit.name)
            d.matched_by = "register name" if same else f"register alias ({d.unit_name})"
        elif not d.region:
            d.region = d.region_name  # no source region, no register unit: the document's own region


def _deadline(inputs: CoverageInputs, region: str, kind: str, year: int, sources=()) -> tuple[dt.date | None, str]:
    """The document's own source's deadline, then its region's from sources.yaml, then the register's — each for
    the years it dates; a year one says nothing of falls through (a sources.yaml entry for 2024 must not make
    2023's known deadline unknown)."""
    known = [inputs.source_deadlines.get((s, kind)) for s in sorted(sources)]
    known += [inputs.deadlines.get((region, kind)),
              inputs.register.deadlines.get((region, kind)) if inputs.register else None]
    known = [dl for dl in known if dl]
    dl = next((d for d in known if year in d.approved), known[0] if known else Deadline(kind))
    return dl.due(year)


def _expected(docs: list[_Doc], inputs: CoverageInputs) -> dict[tuple, tuple[str, str | None, str, str]]:
    """(region, key, year, kind, scope) -> (basis, unit code, unit name, source it published on) of everything
    that should exist."""
    reg = inputs.register
    out: dict[tuple, tuple[str, str | None, str, str]] = {}
    years: dict[tuple[str, str], set[int]] = defaultdict(set)  # (region, kind) -> fiscal years in view
    for d in docs:
        years[(d.region, d.kind)].add(d.fiscal_year)
    for (region, kind), dl in [*(reg.deadlines.items() if reg else []), *inputs.deadlines.items()]:
        years[(region, kind)].update(dl.approved)
    reg_regions = set(reg.regions()) if reg else set()
    for region in reg_regions:
        for kind in KINDS:
            for year in sorted(years.get((region, kind), ())):
                for unit, scope in reg.expected(year, kind, region):
                    out[(region, f"{region}:{unit.code}", year, kind, scope)] = ("register", unit.code, unit.name, "")
    # no register for the region: last year's publishers are this year's expected set
    for d in docs:
        if d.region in reg_regions:
            continue
        nxt = d.fiscal_year + 1
        if nxt in years.get((d.region, d.kind), ()):
            out.setdefault((d.region, d.key, nxt, d.kind, d.scope), ("previous_year", None, d.canonical, d.source_name))
    return out


def coverage_rows(docs: list[_Doc], inputs: CoverageInputs) -> list[dict]:
    _place(docs, inputs)
    found: dict[tuple, list[_Doc]] = defaultdict(list)
    for d in docs:
        found[(d.region, d.key, d.fiscal_year, d.kind, d.scope)].append(d)
    expected = _expected(docs, inputs)
    reg_regions = set(inputs.register.regions()) if inputs.register else set()
    rows = []
    for key in sorted(set(expected) | set(found), key=lambda k: (k[0], k[2], k[3], k[1], k[4])):
        region, unit_key, year, kind, scope = key
        versions = found.get(key, [])
        basis, code, name, last_source = expected.get(key) or (
            "not_in_register" if region in reg_regions else "first_seen", versions[0].code, versions[0].canonical, "")
        sources = {v.source_name for v in versions if v.source_name} or ({last_source} - {""})
        deadline, deadline_basis = _deadline(inputs, region, kind, year, sources)
        row = {"region": region, "unit_key": unit_key, "unit_code": code, "unit_name": name, "fiscal_year": year,
               "kind": kind, "scope": scope, "expected_basis": basis, "required": key in expected,
               "deadline": deadline, "deadline_basis": deadline_basis, "as_of": inputs.as_of,
               "past_deadline": None if deadline is None else inputs.as_of > deadline}
        if not versions:
            overdue = (inputs.as_of - deadline).days if deadline and inputs.as_of > deadline else None
            row.update(status="missing", doc_id=None, published_name=None, publish_date=None, days_late=overdue,
                       tables_found=[], tables_missing=[], matched_by=None)
        else:
            # the most complete version is the document; the first known date is when it was published
            best = max(versions, key=lambda v: (len(v.tables), v.n_figures, v.doc_id))
            dates = [v.publish_date for v in versions if v.publish_date]
            published = min(dates) if dates else None
            missing_tables = sorted(REQUIRED_TABLES[kind] - best.tables)
            late = bool(published and deadline and published > deadline)
            row.update(status="late" if late else "found-incomplete" if missing_tables else "found",
                       doc_id=best.doc_id, published_name=best.unit_name, publish_date=published,
                       days_late=max(0, (published - deadline).days) if published and deadline else None,
                       tables_found=sorted(best.tables), tables_missing=missing_tables, matched_by=best.matched_by)
        rows.append(row)
    return rows


@dataclass
class CoverageSummary:
    rows: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: list[dict] = field(default_factory=list)  # required, missing, past a known deadline
    late: list[dict] = field(default_factory=list)
    registers: list[str] = field(default_factory=list)


def build_coverage(warehouse: Warehouse, inputs: CoverageInputs) -> CoverageSummary:
    """Recompute ``coverage_rows`` from the loaded documents (one transaction: readers never see half)."""
    warehouse.migrate()
    with warehouse.write() as con:
        rows = coverage_rows(_documents(con), inputs)
        con.execute("BEGIN")
        con.execute("DELETE FROM coverage_rows")
        if rows:
            con.executemany(f"INSERT INTO coverage_rows ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                            [[r[c] for c in _COLUMNS] for r in rows])
        summary = summarise(rows, inputs.register.files if inputs.register else [])
        con.execute("INSERT INTO coverage_runs VALUES (now(), ?, ?, ?, ?, ?, ?)",
                    [inputs.as_of, summary.registers, summary.rows, summary.by_status.get("missing", 0),
                     summary.by_status.get("late", 0), summary.by_status.get("found-incomplete", 0)])
        con.execute("COMMIT")
    return summary


def summarise(rows: list[dict], registers: list[str] = ()) -> CoverageSummary:
    by_status: dict[str, int] = defaultdict(int)
    for r in rows:
        by_status[r["status"]] += 1
    overdue = [r for r in rows if r["required"] and r["status"] == "missing" and r["past_deadline"]]
    return CoverageSummary(len(rows), dict(by_status), overdue, [r for r in rows if r["status"] == "late"],
                           list(registers))


def read_coverage(con, region: str | None = None, year: int | None = None) -> list[dict]:
    """Rows of the ``disclosure_coverage`` view, filtered; dates as ISO strings (JSON- and table-ready)."""
    q, args = "SELECT * FROM disclosure_coverage WHERE 1 = 1", []
    if region is not None:
        q += " AND region = ?"
        args.append(region)
    if year is not None:
        q += " AND fiscal_year = ?"
        args.append(year)
    cur = con.execute(q + " ORDER BY region, fiscal_year, kind, unit_name, scope", args)
    names = [c[0] for c in cur.description]
    return [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in zip(names, r)} for r in cur.fetchall()]

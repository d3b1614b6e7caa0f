"""Coverage inputs from discovery (registry publish dates, sources.yaml regions and deadlines, the units
register) and ``juesuan coverage [--region R] [--year Y] [--json]``.

The register is found in ``JUESUAN_UNITS`` (a file or folder; several separated by the path separator), else in
``units/``, ``units.yaml`` or ``units.csv`` beside sources.yaml; without one, coverage expects last year's
publishers (warehouse/coverage.py).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from schemas.units import RegisterError, load_units, parse_deadlines
from warehouse.coverage import CoverageInputs, CoverageSummary, Publication, build_coverage, parse_date, read_coverage
from warehouse.db import Warehouse

STATUS_ZH = {"found": "已公开", "late": "逾期", "found-incomplete": "缺表", "missing": "未公开"}
KIND_ZH = {"final_accounts": "决算", "budget": "预算"}
SCOPE_ZH = {"department": "部门", "unit": "单位"}


def register_paths(sources_path: str | os.PathLike | None) -> list[Path]:
    env = os.environ.get("JUESUAN_UNITS", "").strip()
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    base = Path(sources_path).resolve().parent if sources_path else Path.cwd()
    return [p for p in (base / "units", base / "units.yaml", base / "units.csv") if p.exists()][:1]


def coverage_inputs(registry_path: Path, sources_path: str | os.PathLike | None,
                    as_of: dt.date | None = None) -> CoverageInputs:
    """Everything coverage needs that the warehouse does not hold. Bad register/sources files raise with the file."""
    from extractors.crawl.config import load_sources
    from extractors.registry import Registry

    inputs = CoverageInputs(as_of=as_of or dt.date.today())
    paths = register_paths(sources_path)
    inputs.register = load_units(paths) if paths else None
    if registry_path.exists():
        with Registry(registry_path) as reg:
            inputs.publications = {e.doc_id: Publication(e.doc_id, parse_date(e.publish_date), e.source_name)
                                   for e in reg.all()}
    if sources_path and Path(sources_path).exists():
        for src in load_sources(sources_path).sources:
            where = f"{src.source_file}: {src.name}"
            if src.region:  # a source's deadlines are its region's too (its missing units have no source)
                inputs.source_regions[src.name] = src.region
                inputs.deadlines.update(parse_deadlines(src.deadlines, src.region, where))
            inputs.source_deadlines.update({(src.name, kind): dl for (_r, kind), dl in
                                            parse_deadlines(src.deadlines, src.region, where).items()})
    return inputs


def identity_inputs(sources_path: str | os.PathLike | None):
    """What unit identity needs beyond the documents (issue 18): the units register and each source's ``region:``.
    A wrong region is fixed here — a register entry or a source field — and takes effect at the next load."""
    from extractors.crawl.config import load_sources
    from warehouse.identity import IdentityInputs

    paths = register_paths(sources_path)
    inputs = IdentityInputs(register=load_units(paths) if paths else None)
    if sources_path and Path(sources_path).exists():
        inputs.source_regions = {s.name: s.region for s in load_sources(sources_path).sources if s.region}
    return inputs


def refresh(warehouse: Path, data_dir: Path, sources_path, as_of: dt.date | None = None) -> CoverageSummary:
    return build_coverage(Warehouse(warehouse), coverage_inputs(data_dir / "registry.sqlite", sources_path, as_of))


def format_rows(rows: list[dict]) -> str:
    head = ["地区", "单位", "年度", "类型", "口径", "状态", "发布日期", "期限", "逾期天数", "缺表", "文件"]
    out = ["\t".join(head)]
    for r in rows:
        out.append("\t".join(str(x) for x in (
            r["region"] or "—", r["unit_name"] or r["unit_key"], r["fiscal_year"], KIND_ZH.get(r["kind"], r["kind"]),
            SCOPE_ZH.get(r["scope"], r["scope"]), f"{r['status']}（{STATUS_ZH[r['status']]}）",
            r["publish_date"] or "unknown", r["deadline"] or "unknown",
            "" if r["days_late"] is None else r["days_late"], "、".join(r["tables_missing"] or []) or "",
            r["original_name"] or r["doc_id"] or "")))
    return "\n".join(out)


def add_coverage_subcommand(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "coverage", help="which units published which 预算/决算, which are missing or late",
        description="Recompute disclosure coverage (register or last year's publishers as the expected set) and "
                    "print it: one row per unit × year × kind × scope.")
    p.add_argument("--region", help="only this region (as named in the units register or sources.yaml)")
    p.add_argument("--year", type=int, help="only this fiscal year")
    p.add_argument("--json", action="store_true", help="one JSON object per row")
    p.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                   help="judge deadlines as of this date (YYYY-MM-DD; default today)")
    p.add_argument("--no-refresh", action="store_true", help="print the last computed coverage without recomputing")
    p.add_argument("--units", help="units register file or folder (default: JUESUAN_UNITS, else units/ beside "
                                   "sources.yaml; none = last year's publishers are expected)")
    p.set_defaults(func=run_coverage)
    return p


def run_coverage(args) -> int:
    from pipelines.settings import Settings

    s = Settings.resolve(getattr(args, "data_dir", None), getattr(args, "warehouse", None),
                         getattr(args, "snapshot", None), getattr(args, "sources", None))
    if not s.warehouse.exists():
        print(f"juesuan coverage: {s.warehouse}: no warehouse yet (run juesuan ingest or make demo first)",
              file=sys.stderr)
        return 2
    if getattr(args, "units", None):
        os.environ["JUESUAN_UNITS"] = args.units
    try:
        if not args.no_refresh:
            refresh(s.warehouse, s.data_dir, s.sources, args.as_of)
    except (RegisterError, ValueError) as e:
        print(f"juesuan coverage: {e}", file=sys.stderr)
        return 2
    with Warehouse(s.warehouse).read() as con:
        rows = read_coverage(con, args.region, args.year)
    if args.json:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
    else:
        print(format_rows(rows))
        counts = {st: sum(1 for r in rows if r["status"] == st) for st in STATUS_ZH}
        overdue = sum(1 for r in rows if r["required"] and r["status"] == "missing" and r["past_deadline"])
        print(", ".join(f"{n} {st}" for st, n in counts.items()) + f"; {overdue} required and overdue",
              file=sys.stderr)
    return 0


def crawl_demo_portal(settings, units: int = 6) -> tuple[list[Path], object, list[dict]]:
    """The demo's discovery: the corpus factory's portal served on 127.0.0.1 and crawled into the registry.

    Returns the raw files to ingest, settings whose sources.yaml is the portal's, and the crawl records. The
    register of the portal's regions becomes JUESUAN_UNITS, so the ingest run's coverage asset uses it."""
    import dataclasses

    from extractors.crawl.runner import crawl_sources
    from extractors.registry import RawStore, Registry
    from extractors.synthetic.portal import build_portal, serve

    site = build_portal(settings.data_dir / "demo_portal", units=units, budgets=("pdf",))
    sources = settings.data_dir / "demo_portal" / "sources.yaml"
    with serve(site.root) as url, Registry(settings.data_dir / "registry.sqlite") as reg:
        sources.write_text(site.sources_yaml(url), encoding="utf-8")
        records = list(crawl_sources(sources, reg, RawStore(settings.data_dir / "raw")))
        paths = [Path(reg.get(r["doc_id"]).raw_path) for r in records
                 if r["status"] in ("fetched", "unchanged") and r.get("doc_id") and reg.get(r["doc_id"])]
    os.environ["JUESUAN_UNITS"] = str(site.units_dir)
    return paths, dataclasses.replace(settings, sources=sources), records


def print_coverage_summary(warehouse: Path, out=None) -> None:
    """The demo's closing table: every unit × year that is not simply found, and the counts."""
    out = out or sys.stdout  # looked up per call: a default bound at import keeps a stream that may be closed since
    if not warehouse.exists():
        return
    with Warehouse(warehouse).read() as con:
        try:
            rows = read_coverage(con)
        except Exception:  # noqa: BLE001 — coverage not computed (the run failed before it)
            return
    counts = {st: sum(1 for r in rows if r["status"] == st) for st in STATUS_ZH}
    print("\ndisclosure coverage  " + ", ".join(f"{n} {st}" for st, n in counts.items()), file=out)
    print(format_rows([r for r in rows if r["status"] != "found"]), file=out)
    units = os.environ.get("JUESUAN_UNITS")
    again = f".venv/bin/juesuan coverage --warehouse {warehouse}" + (f" --units {units}" if units else "")
    print(f"  all rows:  {again}\n  SQL:  SELECT * FROM disclosure_coverage WHERE status <> 'found'", file=out)

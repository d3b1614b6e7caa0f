"""The `juesuan` command: extract one file, ingest files through Dagster, build the demo, review anomalies,
export for analysts, crawl sources."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pipelines.settings import Settings


def _add_paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", help="registry, raw files, parsed documents and staging (default: data/)")
    p.add_argument("--warehouse", help="DuckDB file (default: <data-dir>/warehouse.duckdb)")
    p.add_argument("--snapshot", help="analyst snapshot (default: <warehouse dir>/analyst/juesuan.duckdb)")


def _settings(args) -> Settings:
    return Settings.resolve(data_dir=getattr(args, "data_dir", None), warehouse=getattr(args, "warehouse", None),
                            snapshot=getattr(args, "snapshot", None), sources=getattr(args, "sources", None))


def cmd_extract(args) -> int:
    from extractors.figures import extract_file
    from schemas.document import DocumentError

    try:
        record = extract_file(args.file)
    except DocumentError as e:
        print(f"juesuan extract: {e}", file=sys.stderr)
        return 2
    except FileNotFoundError as e:
        print(f"juesuan extract: {e}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(record, sys.stdout, ensure_ascii=False, indent=None if args.compact else 1)
        sys.stdout.write("\n")
    else:
        d = record["document"]
        print(f"{d.get('unit_name')} {d.get('fiscal_year')} {d.get('kind')} ({d.get('scope')}), {d.get('pages')} pages, "
              f"status {d.get('status')}")
        for k, v in record.get("values", {}).items():
            print(f"  {k:40s} {v}")
        for e in d.get("errors") or []:
            print(f"  ! {e}")
    return 0


def _workers(value: str) -> int:
    """``--workers N`` or ``auto`` (one per CPU, at most 8)."""
    if value == "auto":
        return max(1, min(os.cpu_count() or 1, 8))
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes or 'auto', not {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("at least 1 worker")
    return n


def _resolved_workers(args, command: str) -> int | None:
    """--workers, else JUESUAN_WORKERS, else 1; None (after printing why) when the variable is not a number."""
    from pipelines.runner import workers_from_env

    if args.workers is not None:
        return args.workers
    try:
        return workers_from_env()
    except ValueError as e:
        print(f"juesuan {command}: {e}", file=sys.stderr)
        return None


def cmd_ingest(args) -> int:
    from pipelines.report import print_ingest_summary
    from pipelines.runner import ingest

    settings = _settings(args)
    if (workers := _resolved_workers(args, "ingest")) is None:
        return 2
    try:
        report = ingest(args.paths, settings, workers=workers)
    except FileNotFoundError as e:
        print(f"juesuan ingest: {e}", file=sys.stderr)
        return 2
    print_ingest_summary(report, settings, as_json=args.json)
    return 0 if report.success else 1


def cmd_demo(args) -> int:
    from extractors.synthetic import build_corpus
    from pipelines.report import print_ingest_summary
    from pipelines.runner import ingest

    settings = _settings(args)
    if (workers := _resolved_workers(args, "demo")) is None:
        return 2
    corpus_dir = settings.data_dir / "demo_corpus"
    manifest = build_corpus(corpus_dir, units=args.units)
    print(f"demo corpus: {len(manifest)} documents in {corpus_dir}")
    files = [m["path"] for m in manifest]
    report = ingest(files, settings, workers=workers)
    print_ingest_summary(report, settings, demo=True)
    return 0 if report.success else 1


def cmd_anomalies(args) -> int:
    from warehouse.db import Warehouse

    settings = _settings(args)
    q = "SELECT rule_id, severity, unit_name, fiscal_year, metric_id, message, page, fingerprint, review_status FROM anomaly_list"
    cond, params = [], []
    if args.rule:
        cond.append("rule_id LIKE ?")
        params.append(args.rule.replace("*", "%"))
    if args.severity:
        cond.append("severity = ?")
        params.append(args.severity)
    if cond:
        q += " WHERE " + " AND ".join(cond)
    q += " ORDER BY severity, rule_id, unit_name, fiscal_year"
    with Warehouse(settings.warehouse).read() as con:
        rows = con.execute(q, params).fetchall()
        cols = [c[0] for c in con.description]
    if args.json:
        for r in rows:
            print(json.dumps(dict(zip(cols, r)), ensure_ascii=False, default=str))
    else:
        for r in rows:
            rec = dict(zip(cols, r))
            print(f"[{rec['severity']}] {rec['rule_id']} {rec['unit_name']} {rec['fiscal_year']} p{rec['page'] or '-'}: "
                  f"{rec['message']}  ({rec['fingerprint']}, {rec['review_status']})")
        print(f"{len(rows)} anomalies", file=sys.stderr)
    return 0


def cmd_review(args) -> int:
    from warehouse.anomalies import set_review
    from warehouse.db import Warehouse

    set_review(Warehouse(_settings(args).warehouse), args.fingerprint, args.status, args.reviewer or "", args.note or "")
    print(f"{args.fingerprint}: {args.status}")
    return 0


def cmd_export(args) -> int:
    from warehouse.snapshot import export

    settings = _settings(args)
    src = settings.snapshot if settings.snapshot.exists() else settings.warehouse
    out = Path(args.out or settings.data_dir / "exports")
    for p in export(src, out, args.format):
        print(p)
    return 0


def cmd_report(args) -> int:
    from warehouse.report import write_report

    settings = _settings(args)
    src = settings.snapshot if settings.snapshot.exists() else settings.warehouse
    print(write_report(src, args.out or settings.data_dir / "exports" / "report.html"))
    return 0


def cmd_query(args) -> int:
    import duckdb

    settings = _settings(args)
    db = settings.snapshot if settings.snapshot.exists() and not args.live else settings.warehouse
    if not db.exists():
        print(f"juesuan query: {db} does not exist yet (run `juesuan ingest` or `make demo` first)", file=sys.stderr)
        return 2
    con = duckdb.connect(str(db), read_only=True)
    try:
        rel = con.sql(args.sql)
        if rel is None:
            return 0
        if args.csv:
            rel.df().to_csv(sys.stdout, index=False)
        else:
            rel.show(max_width=200, max_rows=args.max_rows)
    except duckdb.Error as e:
        print(f"juesuan query: {e}", file=sys.stderr)
        return 2
    finally:
        con.close()
    return 0


def cmd_dictionary(args) -> int:
    from warehouse.dictionary import write_data_dictionary

    path = write_data_dictionary(Path(args.out))
    print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="juesuan", description="部门决算/预算 disclosures → DuckDB, with anomalies.")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="read one document and print its extract record")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the record as JSON (the extract-output contract)")
    p.add_argument("--compact", action="store_true", help="one-line JSON")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", help="register files/folders and run the Dagster ingest job over them")
    p.add_argument("paths", nargs="+")
    _add_paths(p)
    p.add_argument("--workers", type=_workers, default=None,
                   help="processes that read and extract the batch: a number or 'auto' (one per CPU); default "
                        "JUESUAN_WORKERS, else 1")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("demo", help="build the synthetic demo corpus and ingest it")
    _add_paths(p)
    p.add_argument("--units", type=int, default=6, help="departments in the fictional city (2 years each)")
    p.add_argument("--workers", type=_workers, default=None, help="as for ingest")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("anomalies", help="list anomalies from the warehouse")
    _add_paths(p)
    p.add_argument("--rule", help="rule id or pattern, e.g. 'sum.*'")
    p.add_argument("--severity", choices=["error", "warning", "info"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_anomalies)

    p = sub.add_parser("review", help="record a review verdict for an anomaly (kept across reloads)")
    _add_paths(p)
    p.add_argument("fingerprint")
    p.add_argument("status", choices=["open", "confirmed", "dismissed"])
    p.add_argument("--reviewer")
    p.add_argument("--note")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("export", help="export the analyst views (XLSX with Chinese headers, Parquet or CSV)")
    _add_paths(p)
    p.add_argument("--format", choices=["xlsx", "parquet", "csv"], default="xlsx")
    p.add_argument("--out", help="output folder (default: <data-dir>/exports)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", help="write an HTML report: totals, 三公, every anomaly with its evidence")
    _add_paths(p)
    p.add_argument("--out", help="output file (default: <data-dir>/exports/report.html)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("query", help="run SQL against the analyst snapshot (read-only)")
    _add_paths(p)
    p.add_argument("sql")
    p.add_argument("--live", action="store_true", help="query the live warehouse instead of the snapshot")
    p.add_argument("--csv", action="store_true", help="print CSV")
    p.add_argument("--max-rows", type=int, default=100)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("dictionary", help="write the data dictionary (Markdown) generated from the DuckDB schema")
    p.add_argument("--out", default="docs/data-dictionary.md")
    p.set_defaults(func=cmd_dictionary)

    try:
        from extractors.crawl.cli import add_crawl_subcommand
    except ImportError:  # crawler not installed in this build
        add_crawl_subcommand = None
    if add_crawl_subcommand is not None:
        add_crawl_subcommand(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

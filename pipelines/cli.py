"""The `juesuan` command: extract one file, ingest files through Dagster, build the demo, review anomalies,
export for analysts, crawl sources."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pipelines import progress
from pipelines.exit_codes import EXIT_BUSY, EXIT_CODES_HELP, EXIT_OK, EXIT_USAGE
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

    if Path(args.file).is_dir():
        print(f"juesuan extract: {args.file} is a directory; extract reads one file "
              f"(`juesuan ingest {args.file}` reads every document in a folder)", file=sys.stderr)
        return 2
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
    if not record.get("values") and not record.get("figures"):
        # read fine, but nothing in it is a 决算/预算 figure: say so and fail, so scripts do not take it as data
        from extractors.leadtext import classify_file

        verdict = classify_file(args.file, title=Path(args.file).stem)  # the crawler's classifier says what it is
        print(f"juesuan extract: {args.file} holds no 预决算 figures (not a 部门决算/预算 disclosure, or an empty "
              f"template); classifier: {verdict.describe()}", file=sys.stderr)
        return 1
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
    from pipelines.folder_lock import FolderBusy
    from pipelines.report import print_ingest_summary
    from pipelines.runner import ingest

    settings = _settings(args)
    if (workers := _resolved_workers(args, "ingest")) is None:
        return EXIT_USAGE
    try:
        with progress.listening():
            report = ingest(args.paths, settings, workers=workers, wait=args.wait)
    except FileNotFoundError as e:
        print(f"juesuan ingest: {e}", file=sys.stderr)
        return EXIT_USAGE
    except FolderBusy as e:
        print(f"juesuan ingest: {e}", file=sys.stderr)
        return EXIT_BUSY
    # 0 all read and loaded, 1 a step failed, 3 loaded but some documents failed (listed; pipelines/exit_codes.py)
    return print_ingest_summary(report, settings, as_json=args.json)["exit_code"]


DEMO_DATA_DIR = "data/demo"  # the demo's own data folder (and so its own Dagster instance), beside data/


def cmd_demo(args) -> int:
    from pipelines.coverage import crawl_demo_portal, print_coverage_summary
    from pipelines.report import print_ingest_summary
    from pipelines.runner import ingest

    if not args.data_dir and not os.environ.get("JUESUAN_DATA_DIR"):
        args.data_dir = DEMO_DATA_DIR
    settings = _settings(args)
    if (workers := _resolved_workers(args, "demo")) is None:
        return 2
    # the corpus factory's documents published on a portal on 127.0.0.1 (one unit missing, one late), crawled
    files, settings, crawled = crawl_demo_portal(settings, units=args.units)
    skipped = [r for r in crawled if r["status"] == "skipped"]
    print(f"demo portal: {len(files)} documents crawled into {settings.data_dir / 'raw'}; {len(skipped)} skipped"
          + "".join(f"\n  skipped {r['title']}: {r['reason']}" for r in skipped))
    from pipelines.folder_lock import FolderBusy

    try:
        with progress.listening():
            report = ingest(files, settings, workers=workers)
    except FolderBusy as e:
        print(f"juesuan demo: {e}", file=sys.stderr)
        return EXIT_BUSY
    summary = print_ingest_summary(report, settings, demo=True)
    print_coverage_summary(settings.warehouse)
    return summary["exit_code"]


def cmd_anomalies(args) -> int:
    from warehouse.db import Warehouse

    settings = _settings(args)
    # doc_id and the published file name, so a finding can be traced to its document without SQL
    q = ("SELECT a.rule_id, a.severity, a.unit_name, a.fiscal_year, a.metric_id, a.message, a.page, a.evidence, "
         "a.doc_id, coalesce(d.original_name, d.source_url) AS file_name, a.fingerprint, a.review_status "
         "FROM anomaly_list a LEFT JOIN documents d ON d.doc_id = a.doc_id")
    cond, params = [], []
    if args.rule:
        cond.append("a.rule_id LIKE ?")
        params.append(args.rule.replace("*", "%"))
    if args.severity:
        cond.append("a.severity = ?")
        params.append(args.severity)
    if cond:
        q += " WHERE " + " AND ".join(cond)
    q += " ORDER BY a.severity, a.rule_id, a.unit_name, a.fiscal_year"
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

    wh = Warehouse(_settings(args).warehouse)
    if not wh.path.exists():
        print(f"juesuan review: {wh.path} does not exist yet (run `juesuan ingest` first)", file=sys.stderr)
        return 2
    with wh.read() as con:
        hits = [r[0] for r in con.execute("SELECT DISTINCT fingerprint FROM anomalies WHERE fingerprint LIKE ? || '%'",
                                          [args.fingerprint]).fetchall()]
    if len(hits) != 1:
        why = "no anomaly has" if not hits else f"{len(hits)} anomalies match"
        print(f"juesuan review: {why} fingerprint {args.fingerprint!r} in {wh.path} "
              "(`juesuan anomalies` lists them with their fingerprints)", file=sys.stderr)
        return 2
    set_review(wh, hits[0], args.status, args.reviewer or "", args.note or "")
    print(f"{hits[0]}: {args.status}")
    return 0


def _published(settings: Settings) -> dict[str, Path]:
    """Exports and the report live beside the published snapshot (where every ingest writes them too)."""
    from warehouse.snapshot import published_paths

    return published_paths(settings.snapshot)


def cmd_export(args) -> int:
    from warehouse.exports import ExportPathError
    from warehouse.snapshot import export

    settings = _settings(args)
    src = settings.snapshot if settings.snapshot.exists() else settings.warehouse
    if not src.exists():
        print(f"juesuan export: {src} does not exist yet (run `juesuan ingest` or `make demo` first)", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.out or _published(settings)["xlsx"].parent)
    try:
        written = export(src, out, args.format, headers=getattr(args, "headers", "chinese"))
    except ExportPathError as e:
        print(f"juesuan export: {e}", file=sys.stderr)
        return EXIT_USAGE
    for p in written:
        print(p)
    return EXIT_OK


def cmd_report(args) -> int:
    from warehouse.report import write_report

    settings = _settings(args)
    src = settings.snapshot if settings.snapshot.exists() else settings.warehouse
    print(write_report(src, args.out or _published(settings)["report"]))
    return 0


def cmd_query(args) -> int:
    from pipelines.query import run_query

    return run_query(args, _settings(args))


def cmd_dictionary(args) -> int:
    from warehouse.dictionary import write_data_dictionary

    path = write_data_dictionary(Path(args.out))
    print(path)
    return 0


def _sub(sub, name: str, func, summary: str, description: str, examples: list[str]) -> argparse.ArgumentParser:
    """A subcommand whose --help says what it does, explains its arguments and shows examples."""
    p = sub.add_parser(name, help=summary, description=f"{summary}.\n\n{description}",
                       epilog="examples:\n" + "\n".join(f"  {e}" for e in examples),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(func=func)
    return p


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="juesuan", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="部门决算/预算 disclosures → DuckDB, with anomalies.\n\nRead one file (extract), or ingest "
                    "files and folders through the Dagster job into the warehouse, then query, export, report and "
                    "review what was found. `juesuan COMMAND --help` explains each command with examples.",
        epilog="start with:\n  juesuan demo                    build and ingest the synthetic demo corpus\n"
               "  juesuan ingest folder/          your own disclosures\n"
               "  juesuan query \"SELECT * FROM unit_year_sangong\"\n\n" + EXIT_CODES_HELP)
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _sub(sub, "extract", cmd_extract, "read one document and print its extract record",
             "Reads a PDF, DOCX, DOC/WPS, XLS/XLSX or HTML disclosure and prints unit, year, kind and every "
             "catalogued figure. Nothing is stored. Exit status: 0 read, 1 read but holds no 预决算 figures, "
             "2 missing, a directory, or unreadable.",
             ["juesuan extract 2024年部门决算.pdf", "juesuan extract report.docx --json > record.json"])
    p.add_argument("file", help="the document to read (one file; use `ingest` for a folder)")
    p.add_argument("--json", action="store_true", help="print the record as JSON (the extract-output contract)")
    p.add_argument("--compact", action="store_true", help="with --json: one line instead of indented")

    p = _sub(sub, "ingest", cmd_ingest, "register files/folders and run the Dagster ingest job over them",
             "Copies each file into the data folder's raw store and registry, reads and extracts it, loads the "
             "warehouse (one writer), runs the anomaly rules and publishes the analyst snapshot, the XLSX and the "
             "report beside it. Folders are searched recursively for PDF/DOCX/DOC/WPS/XLS/XLSX/ET/HTML files. "
             "The run is recorded in the Dagster instance, so `make dev` shows it. Shows progress on stderr.",
             ["juesuan ingest corpus/", "juesuan ingest a.pdf b.docx --workers auto",
              "juesuan ingest corpus/ --data-dir work/ --json"])
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to ingest")
    _add_paths(p)
    p.add_argument("--workers", type=_workers, default=None,
                   help="processes that read and extract the batch: a number or 'auto' (one per CPU); default "
                        "JUESUAN_WORKERS, else 1")
    p.add_argument("--json", action="store_true", help="print the summary as JSON (the same facts as the table)")
    p.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                   help="when another ingest is working in the same data folder, wait at most this long for it "
                        "(default: until it finishes; 0: exit 4 at once)")
    p.epilog += "\n\n" + EXIT_CODES_HELP

    p = _sub(sub, "demo", cmd_demo, "build the synthetic demo corpus and ingest it",
             "Generates disclosures of a fictional city's departments (PDF and DOCX, two years, with planted "
             "anomalies) under <data-dir>/demo_corpus and ingests them like `juesuan ingest`. The default data "
             "folder is data/demo/, with its own warehouse and Dagster instance, so the demo never mixes with "
             "real runs in data/.",
             ["juesuan demo", "juesuan demo --units 12 --data-dir /tmp/demo"])
    _add_paths(p)
    p.add_argument("--units", type=int, default=6, help="departments in the fictional city (2 years each)")
    p.add_argument("--workers", type=_workers, default=None, help="as for ingest")

    p = _sub(sub, "anomalies", cmd_anomalies, "list anomalies from the warehouse",
             "One line per finding: severity, rule, unit, year, page, message, fingerprint and review status. "
             "The fingerprint is what `juesuan review` takes.",
             ["juesuan anomalies --severity error", "juesuan anomalies --rule 'cross_unit.*' --json"])
    _add_paths(p)
    p.add_argument("--rule", help="rule id or pattern, e.g. 'sum.*'")
    p.add_argument("--severity", choices=["error", "warning", "info"], help="only this severity")
    p.add_argument("--json", action="store_true", help="one JSON object per line")

    p = _sub(sub, "review", cmd_review, "record a review verdict for an anomaly (kept across reloads)",
             "Stores open/confirmed/dismissed for one anomaly, keyed by its fingerprint, so the verdict survives "
             "re-ingests. A unique prefix of the fingerprint is enough; an unknown one is an error.",
             ["juesuan review 3f9c2a confirmed --reviewer 王 --note '见第12页'"])
    _add_paths(p)
    p.add_argument("fingerprint", help="the anomaly's fingerprint (or a unique prefix), from `juesuan anomalies`")
    p.add_argument("status", choices=["open", "confirmed", "dismissed"], help="the verdict")
    p.add_argument("--reviewer", help="who reviewed it")
    p.add_argument("--note", help="why (shown in the report and the anomaly_list view)")

    p = _sub(sub, "export", cmd_export, "export the analyst views (XLSX with Chinese headers, Parquet or CSV)",
             "Writes every analyst view from the published snapshot: one XLSX workbook (a sheet per view and a "
             "说明 sheet), or one CSV/Parquet file per view. By default beside the snapshot, where every ingest "
             "writes the workbook too. CSV files carry a UTF-8 BOM and Chinese headers so Excel opens them "
             "correctly; `--headers ids` gives the column names for scripts.",
             ["juesuan export", "juesuan export --format csv --out exports/",
              "juesuan export --format csv --headers ids"])
    _add_paths(p)
    p.add_argument("--format", choices=["xlsx", "parquet", "csv"], default="xlsx", help="default xlsx")
    p.add_argument("--headers", choices=["chinese", "ids"], default="chinese",
                   help="CSV column headers: Chinese labels (default) or the column names")
    p.add_argument("--out", help="output folder (default: the snapshot's folder, <data-dir>/analyst/)")

    p = _sub(sub, "report", cmd_report, "write the HTML report: key figures, 三公, anomalies with their evidence",
             "A self-contained HTML file (charts are inline SVG, no network) from the published snapshot: an "
             "overview, one section per unit with its figures across years and its anomalies with page links, "
             "and the peer distributions of the cross-unit rules. Printable.",
             ["juesuan report", "juesuan report --out /tmp/报告.html"])
    _add_paths(p)
    p.add_argument("--out", help="output file (default: report.html beside the snapshot)")

    p = _sub(sub, "query", cmd_query, "run SQL against the analyst snapshot (read-only)",
             "Runs one SQL statement on the published snapshot (never the live warehouse unless --live). Views: "
             "unit_year_finance, unit_year_sangong, unit_year_procurement, unit_year_staff, budget_vs_actual, "
             "anomaly_list, metrics, documents (see docs/data-dictionary.md). The SQL is sandboxed: it reads "
             "that database and nothing else (ATTACH, COPY, read_csv/read_text and other file functions, "
             "extensions, network and SET are refused, exit 2). --live reads the warehouse under the writers' "
             "lock: it exits 4 at once while an ingest is loading, and stops after 300 s "
             "(JUESUAN_LIVE_QUERY_SECONDS) so an ingest waiting behind it never fails.",
             ['juesuan query "SELECT * FROM unit_year_sangong"',
              'juesuan query "SELECT id, label_zh FROM metrics" --csv'])
    _add_paths(p)
    p.add_argument("sql", help="one SQL statement")
    p.add_argument("--live", action="store_true", help="query the live warehouse instead of the snapshot")
    p.add_argument("--csv", action="store_true", help="print CSV")
    p.add_argument("--max-rows", type=int, default=100, help="rows shown in the table (default 100)")

    p = _sub(sub, "dictionary", cmd_dictionary, "write the data dictionary (Markdown) generated from the DuckDB schema",
             "Every table and view with its Chinese column comments, and the catalogue of anomaly rules.",
             ["juesuan dictionary --out docs/data-dictionary.md"])
    p.add_argument("--out", default="docs/data-dictionary.md", help="output file (default docs/data-dictionary.md)")

    try:
        from extractors.crawl.cli import add_crawl_subcommand
    except ImportError:  # crawler not installed in this build
        add_crawl_subcommand = None
    if add_crawl_subcommand is not None:
        crawl = add_crawl_subcommand(sub)
        _examples(crawl, "Fetches list pages politely (robots.txt, rate limits, conditional requests), downloads "
                         "the attachments into the raw store and registers them; `juesuan ingest` or the sensor "
                         "reads them.", ["juesuan crawl --json", "juesuan crawl --source sichuan_neijiang --data-dir data/"])
    from pipelines.coverage import add_coverage_subcommand

    cov = add_coverage_subcommand(sub)
    _add_paths(cov)
    cov.add_argument("--sources", help="sources.yaml (regions and deadlines per source; default: sources.yaml)")
    _examples(cov, "Lists, per unit and year, whether its disclosure was found, late or missing.",
              ["juesuan coverage --year 2024", "juesuan coverage --region 内江市 --json"])
    return ap


def _examples(p: argparse.ArgumentParser | None, more: str, examples: list[str]) -> None:
    """Examples (and a sentence more) for a subcommand whose parser is built elsewhere, unless it has its own."""
    if p is None or p.epilog:
        return
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.description = f"{p.description or p.format_usage()}\n\n{more}"
    p.epilog = "examples:\n" + "\n".join(f"  {e}" for e in examples)


# what a command exports for the Dagster resources and instance (Settings.export_env); main() puts them back so a
# second command in the same process (a notebook, a test) resolves its own paths, not the first one's data folder
_EXPORTED = ("JUESUAN_DATA_DIR", "JUESUAN_WAREHOUSE", "JUESUAN_SNAPSHOT", "JUESUAN_SOURCES", "JUESUAN_UNITS",
             "JUESUAN_WORKERS", "DAGSTER_HOME")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    before = {k: os.environ.get(k) for k in _EXPORTED}
    try:
        return args.func(args)
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


if __name__ == "__main__":
    sys.exit(main())

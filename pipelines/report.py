"""Human summary of an ingest: documents read, figures loaded, anomalies, problems, where things are.

One summary dict is built and rendered either as aligned text or (``--json``) as JSON with the same content.
Paths are printed whole, also when stdout is not a terminal (rich would otherwise fold them at 80 columns), so
they can be copied into the next command.
"""
from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from pipelines.exit_codes import ingest_exit_code
from pipelines.runner import IngestReport
from pipelines.settings import Settings
from warehouse.db import Warehouse
from warehouse.snapshot import published_paths

EXAMPLE_QUERY = ("SELECT unit_name, fiscal_year, sangong_total_wan, sangong_budget_wan, vehicle_wan, reception_wan "
                 "FROM unit_year_sangong ORDER BY unit_name, fiscal_year;")
_IDS = "(SELECT unnest(?::VARCHAR[]))"


def _first_line(errors) -> str:
    return next((str(e).splitlines()[0] for e in errors or [] if str(e).strip()), "")


def _facts(settings: Settings, doc_ids: list[str]) -> dict:
    with Warehouse(settings.warehouse).read() as con:
        ids = doc_ids or [r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()]
        q = lambda sql: con.execute(sql, [ids]).fetchone()[0]  # noqa: E731
        facts = {
            "documents": q(f"SELECT count(*) FROM documents WHERE doc_id IN {_IDS}"),
            "documents_failed": q(f"SELECT count(*) FROM documents WHERE status = 'failed' AND doc_id IN {_IDS}"),
            "documents_partial": q(f"SELECT count(*) FROM documents WHERE status = 'partial' AND doc_id IN {_IDS}"),
            "figures": q(f"SELECT count(*) FROM figures WHERE doc_id IN {_IDS}"),
            "metric_values": q(f"SELECT count(*) FROM metric_values WHERE doc_id IN {_IDS}"),
            "line_items": q(f"SELECT count(*) FROM line_items WHERE doc_id IN {_IDS}"),
            "anomalies": q(f"SELECT count(*) FROM anomalies WHERE doc_id IN {_IDS} OR doc_id IS NULL"),
        }
        facts["anomalies_by_rule"] = dict(con.execute(
            f"SELECT rule_id, count(*) FROM anomalies WHERE doc_id IN {_IDS} GROUP BY ALL ORDER BY 2 DESC, 1",
            [ids]).fetchall())
        # one entry per document that could not be read fully, named by file (never only its doc id)
        facts["problem_documents"] = [
            {"file": n or d, "doc_id": d, "status": s, "unit_name": u, "fiscal_year": y, "problem": _first_line(e)}
            for d, n, s, u, y, e in con.execute(
                "SELECT doc_id, original_name, status, unit_name, fiscal_year, errors FROM documents "
                f"WHERE status IN ('failed', 'partial') AND doc_id IN {_IDS} ORDER BY status, original_name",
                [ids]).fetchall()]
    return facts


def ingest_summary(report: IngestReport, settings: Settings) -> dict:
    """Everything the summary shows, as plain data (the --json output)."""
    facts = _facts(settings, report.doc_ids) if settings.warehouse.exists() else {}
    paths = published_paths(settings.snapshot)
    # the batch's own failed documents decide the exit status (with no batch, the facts are the whole warehouse's)
    failed = [d for d in facts.get("problem_documents", []) if d["status"] == "failed"] if report.doc_ids else []
    return {
        "success": report.success, "exit_code": ingest_exit_code(report.success, len(failed)),
        "failed_documents": failed, "registered": report.registered, "new": report.new,
        "documents": facts.get("documents", 0), "documents_failed": facts.get("documents_failed", 0),
        "documents_partial": facts.get("documents_partial", 0),
        "figures": facts.get("figures", 0), "metric_values": facts.get("metric_values", 0),
        "line_items": facts.get("line_items", 0), "anomalies": facts.get("anomalies", 0),
        "anomalies_by_rule": facts.get("anomalies_by_rule", {}),
        "problem_documents": facts.get("problem_documents", []),
        "run_problems": list(report.problems), "failed_steps": list(report.failed_steps),
        "notes": list(getattr(report, "notes", []) or []),
        "run_ids": report.run_ids, "seconds": round(report.seconds, 2),
        "skipped_not_disclosures": list(getattr(report, "skipped", [])),
        "warehouse": str(settings.warehouse), "data_dir": str(settings.data_dir),
        "snapshot": str(paths["snapshot"]), "xlsx": str(paths["xlsx"]), "report": str(paths["report"]),
        "snapshot_published": report.success and paths["snapshot"].exists(),
    }


def _lines(s: dict) -> list[tuple[str, str]]:
    skipped = len(s["skipped_not_disclosures"])
    rows = [("documents read", f"{s['documents']} ({s['new']} new, {s['documents_failed']} failed, "
                               f"{s['documents_partial']} partial)"
             + (f"; {skipped} other file{'s' * (skipped > 1)} skipped, not disclosures (listed below)" if skipped else "")),
            ("figures loaded", f"{s['figures']:,} observations, {s['metric_values']:,} metric values, "
                               f"{s['line_items']:,} line items"),
            ("anomalies found", f"{s['anomalies']:,}")]
    rows += [(f"  {rule}", str(n)) for rule, n in list(s["anomalies_by_rule"].items())[:10]]
    if len(s["anomalies_by_rule"]) > 10:
        rows.append(("  …", f"{len(s['anomalies_by_rule']) - 10} more rules (juesuan anomalies)"))
    rows.append(("Dagster run", ", ".join(s["run_ids"]) or "none (nothing to ingest)"))
    rows.append(("wall time", f"{s['seconds']:.1f} s"))
    rows.append(("warehouse (DuckDB)", s["warehouse"]))
    if s["snapshot_published"]:
        rows += [("analyst snapshot", s["snapshot"]), ("Excel workbook", s["xlsx"]), ("HTML report", s["report"])]
    else:
        rows.append(("analyst snapshot", f"not published by this run ({s['snapshot']})"))
    return rows


def print_ingest_summary(report: IngestReport, settings: Settings, *, as_json: bool = False, demo: bool = False,
                         console: Console | None = None) -> dict:
    s = ingest_summary(report, settings)
    if as_json:
        print(json.dumps(s, ensure_ascii=False))
        return s
    # soft_wrap: no folding of long paths when stdout is a file or a pipe
    con = console or Console(soft_wrap=True, highlight=False)
    con.print("[bold]juesuan ingest[/bold]" + ("" if s["success"] else "  [red]FAILED[/red]"))
    width = max(len(k) for k, _ in _lines(s))
    for k, v in _lines(s):
        con.print(f"{k:<{width}}  {escape(v)}")
    for p in s["run_problems"]:
        con.print(f"[red]problem[/red] {escape(p)}")
    for n in s["notes"]:
        con.print(f"[yellow]note[/yellow] {escape(n)}")
    for skipped in s["skipped_not_disclosures"]:
        con.print(f"[yellow]skipped[/yellow] {escape(skipped)}")
    for d in s["problem_documents"]:
        what = "[red]failed[/red] " if d["status"] == "failed" else "[yellow]partial[/yellow]"
        con.print(f"{what} {escape(d['file'])}: {escape(_problem_text(d))}")
    if demo:
        where = f" --data-dir {escape(s['data_dir'])}"
        con.print("\nOpen the Dagster UI on the demo's runs:  [bold]make dev-demo[/bold]  → http://localhost:3000")
        con.print(f'Query the snapshot (read-only):  .venv/bin/juesuan query{where} "{EXAMPLE_QUERY}"')
        con.print(f"List anomalies:  .venv/bin/juesuan anomalies{where}    Export for Excel:  .venv/bin/juesuan "
                  f"export{where}")
    return s


def _problem_text(d: dict) -> str:
    """The reason without a repeated file-name prefix (readers often start their message with it)."""
    text = d["problem"] or ("no figures found" if d["status"] == "partial" else "could not be read")
    name = Path(d["file"]).name
    return text[len(name) + 2:] if text.startswith(f"{name}: ") else text

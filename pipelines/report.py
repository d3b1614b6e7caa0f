"""Human summary of an ingest: documents read, figures loaded, anomalies, where things are."""
from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from pipelines.runner import IngestReport
from pipelines.settings import Settings
from warehouse.db import Warehouse

EXAMPLE_QUERY = ("SELECT unit_name, fiscal_year, sangong_total_wan, sangong_budget_wan, vehicle_wan, reception_wan "
                 "FROM unit_year_sangong ORDER BY unit_name, fiscal_year;")


def _facts(settings: Settings, doc_ids: list[str]) -> dict:
    with Warehouse(settings.warehouse).read() as con:
        ids = doc_ids or [r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()]
        q = lambda sql: con.execute(sql, [ids]).fetchone()[0]  # noqa: E731
        facts = {
            "documents": q("SELECT count(*) FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))"),
            "documents_failed": q("SELECT count(*) FROM documents WHERE status = 'failed' AND doc_id IN (SELECT unnest(?::VARCHAR[]))"),
            "figures": q("SELECT count(*) FROM figures WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))"),
            "metric_values": q("SELECT count(*) FROM metric_values WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))"),
            "line_items": q("SELECT count(*) FROM line_items WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))"),
            "anomalies": q("SELECT count(*) FROM anomalies WHERE doc_id IN (SELECT unnest(?::VARCHAR[])) OR doc_id IS NULL"),
        }
        facts["anomalies_by_rule"] = dict(con.execute(
            "SELECT rule_id, count(*) FROM anomalies WHERE doc_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY ALL ORDER BY 2 DESC",
            [ids]).fetchall())
        facts["failed"] = [f"{n or d}: {(e or [''])[0].splitlines()[0] if e else ''}" for d, n, e in con.execute(
            "SELECT doc_id, original_name, errors FROM documents WHERE status = 'failed' AND doc_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids]).fetchall()]
    return facts


def print_ingest_summary(report: IngestReport, settings: Settings, *, as_json: bool = False, demo: bool = False) -> None:
    facts = _facts(settings, report.doc_ids) if settings.warehouse.exists() else {}
    if as_json:
        print(json.dumps({"registered": report.registered, "new": report.new, "success": report.success,
                          "run_ids": report.run_ids, "seconds": round(report.seconds, 2),
                          "warehouse": str(settings.warehouse), "snapshot": str(settings.snapshot), **facts},
                         ensure_ascii=False))
        return
    con = Console()
    t = Table(title="juesuan ingest", show_header=False)
    t.add_row("documents read", f"{facts.get('documents', 0)} ({report.new} new, {facts.get('documents_failed', 0)} failed)")
    t.add_row("figures loaded", f"{facts.get('figures', 0)} observations, {facts.get('metric_values', 0)} metric values, "
                                f"{facts.get('line_items', 0)} line items")
    t.add_row("anomalies found", str(facts.get("anomalies", 0)))
    for rule, n in list(facts.get("anomalies_by_rule", {}).items())[:10]:
        t.add_row(f"  {rule}", str(n))
    t.add_row("Dagster runs", ", ".join(r[:8] for r in report.run_ids) + ("" if report.success else "  (FAILED steps: "
                                                                          + ", ".join(report.failed_steps) + ")"))
    t.add_row("wall time", f"{report.seconds:.1f} s")
    t.add_row("warehouse (DuckDB)", str(settings.warehouse))
    t.add_row("analyst snapshot", str(settings.snapshot))
    con.print(t)
    for f in facts.get("failed", [])[:10]:
        con.print(f"[red]failed[/red] {f}")
    if demo:
        con.print("\nOpen the Dagster UI (run history included):  [bold]make dev[/bold]  → http://localhost:3000")
        con.print(f'Query the snapshot (read-only):  .venv/bin/juesuan query "{EXAMPLE_QUERY}"')
        con.print("List anomalies:  .venv/bin/juesuan anomalies    Export for Excel:  .venv/bin/juesuan export")

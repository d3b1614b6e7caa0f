"""Disclosure coverage after each crawl and load: who should have published, who did, who is late.

``warehouse/disclosure_coverage`` recomputes the ``disclosure_coverage`` view's rows (warehouse/coverage.py) from
the loaded documents, the registry's publish dates, sources.yaml's regions and deadlines and the units register.
It is in the warehouse group, so the ingest job runs it after every load, and in the discovery job, so a crawl
refreshes it too. Its check fails when a required unit is missing past a known deadline, listing them.
"""
import datetime as dt

import dagster as dg

from pipelines.coverage import KIND_ZH, SCOPE_ZH, STATUS_ZH, coverage_inputs
from pipelines.defs.resources import DocumentStore, SourcesResource, WarehouseResource
from warehouse.coverage import build_coverage, read_coverage

COVERAGE = dg.AssetKey(["warehouse", "disclosure_coverage"])
MAX_LISTED = 50


def rows_table(rows: list[dict], with_days: bool = True) -> str:
    """Markdown table of coverage rows (unit, year, kind, status, dates) for the UI."""
    if not rows:
        return "none"
    head = "| 地区 | 单位 | 年度 | 类型 | 口径 | 状态 | 发布日期 | 期限 | 天数 |\n|---|---|---|---|---|---|---|---|---|\n"
    body = "\n".join(
        f"| {r['region'] or '—'} | {r['unit_name'] or r['unit_key']} | {r['fiscal_year']} "
        f"| {KIND_ZH.get(r['kind'], r['kind'])} | {SCOPE_ZH.get(r['scope'], r['scope'])} "
        f"| {STATUS_ZH[r['status']]} | {r['publish_date'] or 'unknown'} | {r['deadline'] or 'unknown'} "
        f"| {'' if r['days_late'] is None or not with_days else r['days_late']} |" for r in rows[:MAX_LISTED])
    more = f"\n\n… and {len(rows) - MAX_LISTED} more (juesuan coverage)" if len(rows) > MAX_LISTED else ""
    return head + body + more


def _iso(rows: list[dict]) -> list[dict]:
    return [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()} for r in rows]


@dg.asset(
    key=COVERAGE,
    group_name="warehouse",
    deps=[dg.AssetKey(["warehouse", "core_tables"]), dg.AssetKey(["discovery", "document_registry"])],
    pool="duckdb_write",
    kinds={"duckdb"},
    description="One row per unit × fiscal year × kind × scope: found / missing / late / found-incomplete, with "
                "publish date, deadline and days late (the disclosure_coverage view). Expected units come from the "
                "units register (JUESUAN_UNITS or units/ beside sources.yaml), else from last year's publishers.",
)
def disclosure_coverage(context: dg.AssetExecutionContext, documents: DocumentStore, warehouse: WarehouseResource,
                        sources: SourcesResource) -> dg.MaterializeResult:
    inputs = coverage_inputs(documents.root / "registry.sqlite", sources.sources_path)
    summary = build_coverage(warehouse.warehouse(), inputs)
    context.log.info(f"coverage: {summary.rows} rows {summary.by_status}; {len(summary.overdue)} required and overdue")
    with warehouse.warehouse().read() as con:
        incomplete = [r for r in read_coverage(con) if r["status"] == "found-incomplete"]
    return dg.MaterializeResult(metadata={
        "dagster/row_count": dg.MetadataValue.int(summary.rows),
        "by_status": dg.MetadataValue.json(summary.by_status),
        "required_and_overdue": dg.MetadataValue.int(len(summary.overdue)),
        "overdue_units": dg.MetadataValue.md(rows_table(_iso(summary.overdue))),
        "late_units": dg.MetadataValue.md(rows_table(_iso(summary.late))),
        "incomplete_units": dg.MetadataValue.md(rows_table(incomplete, with_days=False)),
        "units_register": dg.MetadataValue.md("\n".join(f"- {f}" for f in summary.registers)
                                              or "none: expected = last year's publishers"),
        "as_of": inputs.as_of.isoformat(),
        "query": dg.MetadataValue.md("```sql\nSELECT * FROM disclosure_coverage WHERE status <> 'found'\n```"),
    })


@dg.asset_check(asset=COVERAGE, description="Every unit that must publish has published, or its deadline has not "
                                            "passed (deadlines that are not configured are unknown, not failures).")
def required_units_published(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.warehouse().read() as con:
        rows = [r for r in read_coverage(con) if r["required"] and r["status"] == "missing" and r["past_deadline"]]
        late = sum(1 for r in read_coverage(con) if r["status"] == "late")
    return dg.AssetCheckResult(
        passed=not rows,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(f"{len(rows)} required disclosure(s) missing past the deadline" if rows
                     else "no required disclosure is missing past its deadline"),
        metadata={"reason": "; ".join(f"{r['unit_name']} {r['fiscal_year']} {r['kind']} ({r['scope']}) missing, "
                                      f"deadline {r['deadline']}" for r in rows[:5])
                  + (f" … and {len(rows) - 5} more" if len(rows) > 5 else "") or "none missing past the deadline",
                  "missing_past_deadline": len(rows), "late": late,
                  "units": dg.MetadataValue.md(rows_table(rows))},
    )

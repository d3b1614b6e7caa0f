"""Warehouse assets: the single DuckDB writer (pool ``duckdb_write``), anomaly rules, the analyst snapshot."""

import dagster as dg

from pipelines import progress
from pipelines.coverage import identity_inputs
from pipelines.defs.ingest.assets import EXTRACTED, KEY_LABELS
from pipelines.defs.resources import DocumentStore, SourcesResource, WarehouseResource
from schemas.labels import code_label
from warehouse.anomalies import RULES, detect_anomalies
from warehouse.load import load_staged
from warehouse.report import write_report
from warehouse.snapshot import export, publish_snapshot, published_paths

POOL = "duckdb_write"
PREVIEW_ROWS = 40


def _wan(value) -> str:
    return "—" if value is None else f"{float(value):,.2f}"


def _loaded_preview(con, doc_ids: list[str]) -> str:
    """The key figures of the documents this load replaced, as a markdown table (the first PREVIEW_ROWS)."""
    if not doc_ids:
        return "no documents loaded: every staged document was already current"
    metrics = list(KEY_LABELS)
    rows = con.execute(
        "SELECT coalesce(d.original_name, d.doc_id) || ' (' || d.doc_id || ')', d.unit_name, d.fiscal_year, "
        "d.kind, d.status, d.n_figures, "
        + ", ".join(f"max(v.amount_wan) FILTER (WHERE v.metric_id = '{m}')" for m in metrics)
        + " FROM documents d LEFT JOIN metric_values v USING (doc_id)"
        " WHERE d.doc_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY ALL ORDER BY d.unit_name, d.fiscal_year, 1"
        f" LIMIT {PREVIEW_ROWS}", [doc_ids]).fetchall()
    head = ("| 文件 | 单位 | 年度 | 类型 | 状态 | 数据点 | " + " | ".join(KEY_LABELS.values()) + " |\n"
            + "|---" * (6 + len(metrics)) + "|")
    body = [f"| {d} | {u or '—'} | {y or '—'} | {code_label('kind', k) or '—'} | {st} | {n} | "
            + " | ".join(_wan(v) for v in vals) + " |" for d, u, y, k, st, n, *vals in rows]
    more = f"\n\n… and {len(doc_ids) - len(rows)} more" if len(doc_ids) > len(rows) else ""
    return "\n".join([head, *body]) + more


@dg.asset(
    key=["warehouse", "core_tables"],
    group_name="warehouse",
    deps=[EXTRACTED],
    pool=POOL,
    kinds={"duckdb"},
    description="documents, metric_values, figures, line_items, claims and doc_tables in DuckDB: every staged "
                "document whose staged version is not loaded yet is replaced in one transaction per batch.",
)
def core_tables(context: dg.AssetExecutionContext, documents: DocumentStore,
                warehouse: WarehouseResource, sources: SourcesResource) -> dg.MaterializeResult:
    progress.emit("phase", "loading the staged documents into DuckDB")
    summary = load_staged(warehouse.warehouse(), documents.staging(), identity=identity_inputs(sources.sources_path))
    context.log.info(f"loaded {len(summary.loaded)} documents, {summary.skipped_current} already current")
    with warehouse.warehouse().read() as con:
        status = dict(con.execute("SELECT status, count(*) FROM documents GROUP BY ALL").fetchall())
        years = con.execute("SELECT fiscal_year, kind, count(*) FROM documents GROUP BY ALL ORDER BY ALL").fetchall()
        preview = _loaded_preview(con, summary.loaded)
        index = document_index(con)
    table = "| 年度 | 类型 | 文件数 |\n|---|---|---|\n" + "\n".join(
        f"| {y} | {code_label('kind', k)} | {n} |" for y, k, n in years)
    meta = {
        **summary.as_metadata(),
        "dagster/row_count": dg.MetadataValue.int(summary.rows.get("figures", 0)),
        "documents_by_status": dg.MetadataValue.json(status),
        "documents_by_year": dg.MetadataValue.md(table),
        "loaded_key_figures": dg.MetadataValue.md(preview),
        "document_index": index,
        "warehouse_path": dg.MetadataValue.path(str(warehouse.warehouse().path)),
    }
    if not summary.loaded:  # nothing changed: keep showing what the last load that did change something loaded
        meta.update(_previous_key_figures(context))
    return dg.MaterializeResult(metadata=meta)


def _previous_key_figures(context: dg.AssetExecutionContext) -> dict:
    try:
        event = context.instance.get_latest_materialization_event(context.asset_key)
    except Exception:  # noqa: BLE001 - a missing history only means there is nothing to carry forward
        event = None
    previous = event.asset_materialization.metadata if event is not None and event.asset_materialization else {}
    if "loaded_key_figures" not in previous:
        return {}
    since = previous.get("loaded_key_figures_since")
    return {"loaded_key_figures": previous["loaded_key_figures"],
            "loaded_key_figures_since": since or dg.MetadataValue.text(
                f"run {event.run_id[:8]}: no document changed since, nothing was reloaded")}


INDEX_ROWS = 500


def document_index(con) -> dg.TableMetadataValue:
    """Every document by unit, year, kind, scope and file name with its partition key: the way to a document's
    partition from what a person knows (the keys are content hashes; see docs/design.md for why)."""
    rows = con.execute(
        "SELECT unit_name, fiscal_year, kind, scope, coalesce(original_name, ''), status, doc_id FROM documents "
        f"ORDER BY unit_name NULLS LAST, fiscal_year, kind, original_name LIMIT {INDEX_ROWS}").fetchall()
    cols = ("单位", "年度", "类型", "口径", "文件", "状态", "分区")
    return dg.TableMetadataValue(
        records=[dg.TableRecord(dict(zip(cols, (u or "（未识别）", str(y or "—"), code_label("kind", k) or "—",
                                                code_label("scope", sc) or "—", n, code_label("status", st), d),
                                         strict=True))) for u, y, k, sc, n, st, d in rows],
        schema=dg.TableSchema(columns=[dg.TableColumn(c, "string") for c in cols]))


@dg.asset(
    key=["warehouse", "anomalies"],
    group_name="warehouse",
    deps=[core_tables],
    pool=POOL,
    kinds={"duckdb"},
    description="Every anomaly rule (identities inside a document, narrative vs tables, stated percentages, "
                "prior-year quotes across years, outliers across units, completeness) → the anomalies table.",
)
def anomalies(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    progress.emit("phase", "running the anomaly rules")
    found = detect_anomalies(warehouse.warehouse())
    by_rule = found.groupby(["rule_id", "severity"]).size().reset_index(name="n") if len(found) else None
    md = "| 规则 | 说明 | 严重程度 | 数量 |\n|---|---|---|---|\n"
    if by_rule is not None:
        md += "\n".join(f"| {r.rule_id} | {RULES[r.rule_id].description} | {r.severity} | {r.n} |"
                        for r in by_rule.itertuples())
    counts = found.rule_id.value_counts().to_dict() if len(found) else {}
    # the UI renders markdown, not plots, in asset metadata: a bar per rule reads at a glance
    top = max(counts.values(), default=0)
    chart = "\n".join(f"- `{rule}` {'█' * max(1, round(30 * n / top))} {n}" for rule, n in counts.items())
    return dg.MaterializeResult(metadata={
        "dagster/row_count": dg.MetadataValue.int(len(found)),
        "by_rule": dg.MetadataValue.md(md),
        "chart": dg.MetadataValue.md(chart or "no anomalies"),
        "errors": int((found.severity == "error").sum()) if len(found) else 0,
        "warnings": int((found.severity == "warning").sum()) if len(found) else 0,
        "counts_by_rule": dg.MetadataValue.json(counts),
    })


@dg.asset(
    key=["warehouse", "analyst_snapshot"],
    group_name="warehouse",
    deps=[anomalies, dg.AssetKey(["warehouse", "disclosure_coverage"])],  # the report shows coverage
    pool=POOL,
    kinds={"duckdb"},
    description="The read-only copy analysts open, published by atomic rename only after the blocking checks on "
                "core_tables passed in the same run.",
)
def analyst_snapshot(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    progress.emit("phase", "publishing the analyst snapshot, XLSX and report")
    path = publish_snapshot(warehouse.warehouse(), warehouse.snapshot_path)
    # exports and the HTML report come from the snapshot, so they always match what analysts open
    exports = export(path, published_paths(path)["xlsx"].parent, "xlsx")
    report = write_report(path, published_paths(path)["report"])
    return dg.MaterializeResult(metadata={
        "snapshot_path": dg.MetadataValue.path(str(path)),
        "xlsx": dg.MetadataValue.path(str(exports[0])),
        "report": dg.MetadataValue.path(str(report)),
        "bytes": path.stat().st_size,
        "open_with": dg.MetadataValue.md(f"```\nduckdb -readonly {path}\n```"),
    })


ingest_job = dg.define_asset_job(
    "ingest_documents",
    selection=dg.AssetSelection.groups("ingest", "warehouse"),
    description="Read, extract and load a batch of documents, run the anomaly rules, publish the analyst snapshot.",
)

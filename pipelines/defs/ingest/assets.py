"""Per-document assets: one dynamic partition per document, batched into runs.

Both assets use a single-run backfill policy and loop over ``context.partition_keys``, so a batch of N new
documents is one run with two steps, not N runs. They read and write files only — never DuckDB — so batches
can run in parallel processes (or machines) while the warehouse writer stays single.
"""

from collections import Counter

import dagster as dg

from pipelines.defs.partitions import documents_partitions
from pipelines.defs.resources import DocumentStore
from pipelines.stage import StageOutcome, extract_stage, parse_stage

RUN_TAGS_KEY = "juesuan/batch_size"


def _entries(context: dg.AssetExecutionContext, documents: DocumentStore):
    with documents.registry() as reg:
        for key in context.partition_keys:
            entry = reg.get(key)
            if entry is None:
                context.log.error(f"{key}: not in the registry at {documents.root / 'registry.sqlite'}")
                continue
            yield entry


@dg.asset(
    key=["staging", "parsed_documents"],
    group_name="ingest",
    partitions_def=documents_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    kinds={"pdf", "python"},
    description="Each document read into the Document model (pages, lines with positions, tables as cell grids), "
                "stored as JSON under data/parsed/.",
)
def parsed_documents(context: dg.AssetExecutionContext, documents: DocumentStore) -> dg.MaterializeResult:
    counts: Counter[str] = Counter()
    failures = []
    seconds = 0.0
    for entry in _entries(context, documents):
        status, secs, problem = parse_stage(entry, documents.parsed_dir)
        counts[status] += 1
        seconds += secs
        if problem:
            failures.append(problem)
            context.log.warning(problem)
    return dg.MaterializeResult(metadata={
        "documents": dg.MetadataValue.int(len(context.partition_keys)),
        "parsed": counts["parsed"], "already_current": counts["current"], "failed": counts["failed"],
        "parse_seconds": round(seconds, 2),
        "failures": dg.MetadataValue.md("\n".join(f"- {f}" for f in failures[:50]) or "none"),
    })


def _preview(outcomes: list[StageOutcome]) -> str:
    head = "| 文件 | 单位 | 年度 | 类型 | 状态 | 本年收入合计 | 本年支出合计 | 三公经费 | 数据点 |\n|---|---|---|---|---|---|---|---|---|"
    rows = []
    for o in outcomes[:40]:
        kv = o.key_values
        rows.append(f"| {o.doc_id} | {o.unit_name or '—'} | {o.fiscal_year or '—'} | {o.kind or '—'} | {o.status} | "
                    f"{kv.get('income.total', '—')} | {kv.get('expenditure.total', '—')} | "
                    f"{kv.get('sangong.total', '—')} | {o.n_figures} |")
    more = f"\n\n… and {len(outcomes) - 40} more" if len(outcomes) > 40 else ""
    return "\n".join([head, *rows]) + more


@dg.asset(
    key=["staging", "extracted_documents"],
    group_name="ingest",
    deps=[parsed_documents],
    partitions_def=documents_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    kinds={"python", "parquet"},
    description="Every catalogued figure, line item, table and narrative claim of each document, with provenance, "
                "staged as Parquet under data/staging/<doc_id>/ for the single warehouse writer.",
)
def extracted_documents(context: dg.AssetExecutionContext, documents: DocumentStore) -> dg.MaterializeResult:
    staging = documents.staging()
    outcomes = [extract_stage(entry, documents.parsed_dir, staging) for entry in _entries(context, documents)]
    status = Counter(o.status for o in outcomes)
    for o in outcomes:
        for err in o.errors:
            context.log.warning(f"{o.doc_id}: {err.splitlines()[0]}")
    meta = {
        "documents": dg.MetadataValue.int(len(outcomes)),
        "status": dg.MetadataValue.json(dict(status)),
        "figures": sum(o.n_figures for o in outcomes),
        "line_items": sum(o.n_line_items for o in outcomes),
        "extract_seconds": round(sum(o.seconds for o in outcomes), 2),
        "key_figures": dg.MetadataValue.md(_preview(outcomes)),
    }
    if len(outcomes) == 1:
        with documents.registry() as reg:
            entry = reg.get(outcomes[0].doc_id)
        if entry and entry.url.startswith("http"):
            meta["source_url"] = dg.MetadataValue.url(entry.url)
    return dg.MaterializeResult(metadata=meta)

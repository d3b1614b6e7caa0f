"""Per-document assets: one dynamic partition per document, batched into runs.

``parsed_documents`` (the Document model as JSON) and ``extracted_documents`` (staged Parquet) are two assets
computed by one subsettable multi-asset step: with both selected, each document is read once and extracted from
memory; with one selected, the other's files are used. The single-run backfill policy loops over
``context.partition_keys``, so a batch of N new documents is one run with one step, not N runs; the step spreads
the batch over ``JUESUAN_WORKERS`` processes. Nothing here touches DuckDB, so batches can also run in parallel
processes (or machines) while the warehouse writer stays single.
"""

import gc
import time
from collections import Counter
from pathlib import Path

import dagster as dg

from extractors.version import extractor_version, reader_version
from pipelines import progress
from pipelines.defs.partitions import documents_partitions
from pipelines.defs.resources import DocumentStore, StagePool
from pipelines.stage import ParseOutcome, StageOutcome
from pipelines.stage_pool import StageJob, stage_batch

PARSED = dg.AssetKey(["staging", "parsed_documents"])
EXTRACTED = dg.AssetKey(["staging", "extracted_documents"])


def file_name(entry) -> str:
    """What a person calls the document: its published file name (the raw store's path only as a fallback)."""
    return entry.original_name or Path(entry.raw_path).name


def _entries(context: dg.AssetExecutionContext, documents: DocumentStore):
    with documents.registry() as reg:
        for key in context.partition_keys:
            entry = reg.get(key)
            if entry is None:
                context.log.error(f"{key}: not in the registry at {documents.root / 'registry.sqlite'}")
                continue
            yield entry


# Batch metadata goes on the batch's materialisation, which Dagster copies into every partition's event: it is kept
# to a few counts (a table of the batch's key figures made each event 10 kB and their storage 2x slower; that table
# is on warehouse/core_tables now). Each partition also gets its own document's metadata (_add_partition_metadata).
def _parse_metadata(parsed: list[ParseOutcome]) -> dict:
    counts = Counter(p.status for p in parsed)
    failures = [p.problem for p in parsed if p.problem]
    return {
        "documents": dg.MetadataValue.int(len(parsed)),
        "parsed": counts["parsed"], "already_current": counts["current"], "failed": counts["failed"],
        "parse_seconds": round(sum(p.seconds for p in parsed), 2),
        "failures": dg.MetadataValue.md("\n".join(f"- {f}" for f in failures[:50]) or "none"),
    }


def _extract_metadata(outcomes: list[StageOutcome], processes: int) -> dict:
    meta = {
        "documents": dg.MetadataValue.int(len(outcomes)),
        "worker_processes": processes,
        "status": dg.MetadataValue.json(dict(Counter(o.status for o in outcomes))),
        "figures": sum(o.n_figures for o in outcomes),
        "line_items": sum(o.n_line_items for o in outcomes),
        "extract_seconds": round(sum(o.seconds for o in outcomes), 2),
    }
    return meta


KEY_LABELS = {"income.total": "本年收入合计", "expenditure.total": "本年支出合计", "sangong.total": "“三公”经费",
              "procurement.total": "政府采购"}


def _document_metadata(o: StageOutcome, url: str) -> dict:
    """What one partition's materialisation shows about its own document."""
    figures = "| 指标 | 万元 |\n|---|---|\n" + "\n".join(
        f"| {label} | {o.key_values[m]:,.2f} |" for m, label in KEY_LABELS.items() if m in o.key_values)
    meta = {
        "unit_name": o.unit_name or "—", "fiscal_year": o.fiscal_year or "—", "kind": o.kind or "—",
        "document_status": o.status, "document_pages": o.n_pages or 0, "document_figures": o.n_figures,
        "document_line_items": o.n_line_items,
        "document_key_figures": dg.MetadataValue.md(figures if o.key_values else "no key figures found"),
    }
    if url.startswith("http"):
        meta["source_url"] = dg.MetadataValue.url(url)
    elif url.startswith("file://"):
        meta["source_path"] = dg.MetadataValue.path(url[len("file://"):])
    if o.errors:
        meta["document_problems"] = dg.MetadataValue.md("\n".join(f"- {e.splitlines()[0]}" for e in o.errors[:10]))
    return meta


def _add_partition_metadata(context: dg.AssetExecutionContext, asset_key: dg.AssetKey,
                            per_partition: dict[str, dict]) -> None:
    """Metadata on each partition's own materialisation. ``add_asset_metadata`` checks the key against the run's
    partitions on every call by loading all dynamic partitions (~7 ms, 1.5 s per 200 documents, growing with the
    registry); these keys are the run's own ``partition_keys``, so where Dagster's step context allows, the
    metadata goes straight into the same accumulator without that check (a test pins the result)."""
    step = getattr(getattr(context, "op_execution_context", None), "_step_execution_context", None)
    acc = getattr(step, "_metadata_accumulator", None)
    if acc is None or not hasattr(acc, "with_additional_asset_metadata"):
        for key, meta in per_partition.items():
            context.add_asset_metadata(meta, asset_key=asset_key, partition_key=key)
        return
    for key, meta in per_partition.items():
        acc = acc.with_additional_asset_metadata(asset_key=asset_key, partition_key=key, metadata=meta)
    step._metadata_accumulator = acc


@dg.multi_asset(
    specs=[
        dg.AssetSpec(PARSED, group_name="ingest", kinds={"pdf", "python"},
                     description="Each document read into the Document model (pages, lines with positions, tables "
                                 "as cell grids), stored as JSON under data/parsed/."),
        dg.AssetSpec(EXTRACTED, group_name="ingest", deps=[PARSED], kinds={"python", "parquet"},
                     description="Every catalogued figure, line item, table and narrative claim of each document, "
                                 "with provenance, and its in-document anomaly findings, staged as Parquet under "
                                 "data/staging/<doc_id>/ for the single warehouse writer."),
    ],
    name="staging_documents",
    can_subset=True,
    partitions_def=documents_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def staging_documents(context: dg.AssetExecutionContext, documents: DocumentStore, stage_pool: StagePool):
    # Dagster keeps ~200k long-lived objects; reading PDFs allocates heavily, and every full GC pass would walk
    # them all again (~3% of the step). Freezing them for the step leaves the collector only this batch's objects.
    gc.collect()
    gc.freeze()
    try:
        yield from _stage_batch(context, documents, stage_pool)
    finally:
        gc.unfreeze()


def _stage_batch(context: dg.AssetExecutionContext, documents: DocumentStore, stage_pool: StagePool):
    selected = context.selected_asset_keys
    entries = list(_entries(context, documents))
    job = StageJob(documents.parsed_dir, documents.staging() if EXTRACTED in selected else None,
                   parse=PARSED in selected)

    processes = min(stage_pool.workers, max(1, len(entries)))
    done, started = [0], time.perf_counter()
    step = max(10, len(entries) // 10)  # ~10 progress lines a batch: each log line is a stored Dagster event
    names = [file_name(e) for e in entries]
    progress.emit("batch_started", len(entries))

    def on_result(i: int, result) -> None:
        p, o = result
        # one warning per problem, named by file (the parse and the extract stage often report the same one)
        problems = list(dict.fromkeys(
            ([p.problem] if p is not None and p.problem else []) + (o.errors if o is not None else [])))
        for text in problems:
            context.log.warning(f"{progress.named(names[i], text)} ({entries[i].doc_id})")
        progress.emit("document_done", names[i], (o.status if o is not None else p.status), problems)
        done[0] += 1
        if done[0] % step == 0 and done[0] < len(entries):
            context.log.info(f"staged {done[0]}/{len(entries)} documents in {time.perf_counter() - started:.0f} s "
                             f"({processes} process{'es' if processes > 1 else ''}), last {names[i]}")

    results = stage_batch(entries, job, workers=stage_pool.workers, on_result=on_result,
                          on_start=lambda i: progress.emit("document_started", names[i]))
    progress.emit("batch_finished")
    parsed = [p for p, _ in results if p is not None]
    outcomes = [o for _, o in results if o is not None]
    urls = {e.doc_id: e.url for e in entries}
    # data versions are the code versions that produced the files (the bytes are pinned by the partition key):
    # concurrent batches then agree on them instead of tripping Dagster's provenance check against each other
    if PARSED in selected:
        _add_partition_metadata(context, PARSED, {
            e.doc_id: {"parse_status": p.status, "parse_seconds": round(p.seconds, 2),
                       **({"problem": p.problem} if p.problem else {})}
            for e, (p, _) in zip(entries, results, strict=True)})
        yield dg.MaterializeResult(asset_key=PARSED, metadata=_parse_metadata(parsed),
                                   data_version=dg.DataVersion(reader_version()))
    if EXTRACTED in selected:
        _add_partition_metadata(context, EXTRACTED, {o.doc_id: _document_metadata(o, urls.get(o.doc_id, ""))
                                                     for o in outcomes})
        yield dg.MaterializeResult(asset_key=EXTRACTED, metadata=_extract_metadata(outcomes, processes),
                                   data_version=dg.DataVersion(extractor_version()))

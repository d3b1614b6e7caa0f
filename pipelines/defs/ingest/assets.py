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
from urllib.parse import unquote

import dagster as dg

from extractors.version import extractor_version, reader_version
from pipelines import progress
from pipelines.defs.partitions import documents_partitions
from pipelines.defs.resources import DocumentStore, StagePool
from pipelines.stage import ParseOutcome, StageOutcome
from pipelines.stage_pool import StageJob, stage_batch
from pipelines.stage_watch import Watch
from schemas.labels import code_label

PARSED = dg.AssetKey(["staging", "parsed_documents"])
EXTRACTED = dg.AssetKey(["staging", "extracted_documents"])


def file_name(entry) -> str:
    """What a person calls the document: its published file name (the raw store's path only as a fallback)."""
    return entry.original_name or Path(entry.raw_path).name


DATA_DIR_TAG = "juesuan/data_dir"  # set by `juesuan ingest` on its batch runs
# the follow-up run of deferred stragglers: each runs to its own budget, never deferred again
NO_DEFER_TAG = "juesuan/no_defer"


def batch_watch(context: dg.AssetExecutionContext, stage_pool: StagePool) -> Watch:
    no_defer = context.run.tags.get(NO_DEFER_TAG) == "1"
    return Watch(document_seconds=stage_pool.document_seconds or None,
                 straggler_seconds=None if no_defer else (stage_pool.straggler_seconds or None))


def _entries(context: dg.AssetExecutionContext, documents: DocumentStore):
    registry = documents.root / "registry.sqlite"
    # a CLI batch is the partition range spanning its documents; when several data folders share one Dagster
    # instance (DAGSTER_HOME set for all), that range also holds other folders' documents: not errors, skipped
    shared = context.run.tags.get(DATA_DIR_TAG) == str(documents.root)
    foreign = 0
    with documents.registry() as reg:
        for key in context.partition_keys:
            entry = reg.get(key)
            if entry is None:
                if shared:
                    foreign += 1
                else:
                    context.log.error(f"{key}: not in the registry at {registry}")
                continue
            yield entry
    if foreign:
        context.log.info(f"{foreign} partitions of this batch's range are documents of another data folder "
                         f"(this Dagster instance is shared), not of {registry}: skipped")


# Batch metadata (the batch's counts, under their plain names) would go on the batch's materialisation, which Dagster copies into every partition's event ahead
# of the partition's own entries. So the few batch counts are appended to each partition's own metadata instead
# (the same bytes), and a partition page leads with its document: unit, year, kind, scope, file name (a table of
# the batch's key figures made each event 10 kB and their storage 2x slower; that table is on core_tables).
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
    return {
        "documents": dg.MetadataValue.int(len(outcomes)),
        "worker_processes": processes,
        "status": dg.MetadataValue.json(dict(Counter(o.record_status or o.status for o in outcomes))),
        "unchanged": sum(o.status == "current" for o in outcomes),
        "figures": sum(o.n_figures for o in outcomes),
        "line_items": sum(o.n_line_items for o in outcomes),
        "extract_seconds": round(sum(o.seconds for o in outcomes), 2),
    }


KEY_LABELS = {"income.total": "本年收入合计", "expenditure.total": "本年支出合计", "sangong.total": "“三公”经费",
              "procurement.total": "政府采购"}


def _coded(field: str, value: str | None) -> str:
    return f"{code_label(field, value)} ({value})" if value else "—"


def source_text(url: str) -> str:
    """A source as a person reads it: file:// paths and URLs percent-decoded (Chinese names shown as such)."""
    return unquote(url[len("file://"):]) if url.startswith("file://") else unquote(url)


def _document_metadata(o: StageOutcome, entry) -> dict:
    """What one partition's materialisation shows about its own document, most telling first. An unchanged
    document (already staged with this extractor) shows what it holds, as before, not just "current"."""
    status = o.record_status or o.status
    figures = "| 指标 | 万元 |\n|---|---|\n" + "\n".join(
        f"| {label} | {o.key_values[m]:,.2f} |" for m, label in KEY_LABELS.items() if m in o.key_values)
    meta = {
        "unit_name": o.unit_name or "—", "fiscal_year": o.fiscal_year or "—", "kind": _coded("kind", o.kind),
        "scope": _coded("scope", o.scope), "file_name": file_name(entry),
        "document_status": status,
        "staging": ("unchanged: already staged by this extractor version" if o.status == "current"
                    else "deferred: ran long after the rest of its batch finished; read in a run of its own"
                    if o.status == "deferred" else f"read and extracted in {o.seconds:.1f} s"),
        "document_pages": o.n_pages or 0, "document_figures": o.n_figures, "document_line_items": o.n_line_items,
        "document_key_figures": dg.MetadataValue.md(figures if o.key_values else "no key figures found"),
    }
    if o.errors:
        meta["document_problems"] = dg.MetadataValue.md("\n".join(f"- {e.splitlines()[0]}" for e in o.errors[:10]))
    url = entry.url or ""
    if url.startswith("http"):
        meta["source_url"] = dg.MetadataValue.url(url)
    if url.startswith("file://"):
        meta["source_path"] = dg.MetadataValue.path(source_text(url))
    elif url:
        meta["source"] = source_text(url)
    return meta


def problem_table(outcomes: list[StageOutcome], entries: dict) -> dg.TableMetadataValue:
    """The batch's failed and partial documents by unit, year and file name (a table, visible as it is)."""
    rows = [o for o in outcomes if (o.record_status or o.status) in ("failed", "partial", "deferred")]
    return dg.TableMetadataValue(
        records=[dg.TableRecord({
            "单位": o.unit_name or "（未识别）", "年度": str(o.fiscal_year or "—"), "类型": code_label("kind", o.kind) or "—",
            "文件": file_name(entries[o.doc_id]), "状态": code_label("status", o.record_status or o.status),
            "问题": (o.errors[0].splitlines()[0] if o.errors else "")[:300], "分区": o.doc_id})
            for o in rows],
        schema=dg.TableSchema(columns=[dg.TableColumn(c, "string") for c in
                                       ("单位", "年度", "类型", "文件", "状态", "问题", "分区")]))


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
    check_specs=[dg.AssetCheckSpec("documents_read", asset=EXTRACTED, description=(
        "Every document of the batch was read and has figures; failed and partial documents are listed by unit, "
        "year and file name. A warning, not a blocker: the other documents load as usual."))],
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
        status = o.status if o is not None else p.status
        progress.emit("document_done", names[i], "unchanged" if status == "current" else status, problems)
        done[0] += 1
        if done[0] % step == 0 and done[0] < len(entries):
            context.log.info(f"staged {done[0]}/{len(entries)} documents in {time.perf_counter() - started:.0f} s "
                             f"({processes} process{'es' if processes > 1 else ''}), last {names[i]}")

    results = stage_batch(entries, job, workers=stage_pool.workers, on_result=on_result,
                          on_start=lambda i: progress.emit("document_started", names[i]),
                          watch=batch_watch(context, stage_pool))
    progress.emit("batch_finished")
    parsed = [p for p, _ in results if p is not None]
    outcomes = [o for _, o in results if o is not None]
    by_id = {e.doc_id: e for e in entries}
    # data versions are the code versions that produced the files (the bytes are pinned by the partition key):
    # concurrent batches then agree on them instead of tripping Dagster's provenance check against each other
    if PARSED in selected:
        batch = _parse_metadata(parsed)
        _add_partition_metadata(context, PARSED, {
            e.doc_id: {"file_name": file_name(e), "parse_status": "unchanged" if p.status == "current" else p.status,
                       "parse_seconds": round(p.seconds, 2), **({"problem": p.problem} if p.problem else {}),
                       **batch}
            for e, (p, _) in zip(entries, results, strict=True)})
        yield dg.MaterializeResult(asset_key=PARSED, data_version=dg.DataVersion(reader_version()))
    if EXTRACTED in selected:
        batch = _extract_metadata(outcomes, processes)
        _add_partition_metadata(context, EXTRACTED, {o.doc_id: {**_document_metadata(o, by_id[o.doc_id]), **batch}
                                                     for o in outcomes})
        yield dg.MaterializeResult(asset_key=EXTRACTED, data_version=dg.DataVersion(extractor_version()))
        if READ_CHECK in (context.selected_asset_check_keys or set()):
            yield documents_read_result(outcomes, by_id)


READ_CHECK = dg.AssetCheckKey(EXTRACTED, "documents_read")


def documents_read_result(outcomes: list[StageOutcome], entries: dict) -> dg.AssetCheckResult:
    """Per batch: every document read with figures. Failed and partial ones are listed (unit, year, file), so a
    batch with one unreadable file shows as a failed (warning) check on the asset an operator opens first."""
    table = problem_table(outcomes, entries)
    counts = Counter(o.record_status or o.status for o in outcomes)
    n_failed, n_deferred = counts["failed"], counts["deferred"]
    n_partial = len(table.records) - n_failed - n_deferred
    reason = (f"{n_failed} of {len(outcomes)} documents could not be read, {n_partial} were read without figures"
              + (f", {n_deferred} ran long and were deferred to a run of their own" if n_deferred else "")
              if table.records else f"all {len(outcomes)} documents read with figures")
    return dg.AssetCheckResult(
        asset_key=EXTRACTED, check_name="documents_read", passed=not table.records,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"reason": reason, "failed": n_failed, "partial": n_partial, "deferred": n_deferred,
                  "documents": len(outcomes),
                  "problem_documents": table})

"""`juesuan ingest` in-process: the same Dagster jobs the UI and the sensor launch, recorded in the instance.

Files are registered, added as dynamic partitions, and run as one batch (a partition-key range): one run, whose
staging step spreads the documents over ``workers`` processes (JUESUAN_WORKERS, as in the UI) before the single
warehouse writer loads them.
"""
from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

from extractors.registry import RegistryEntry, register_files
from pipelines.settings import Settings


@dataclass
class IngestReport:
    registered: int = 0
    new: int = 0
    doc_ids: list[str] = field(default_factory=list)
    run_ids: list[str] = field(default_factory=list)
    success: bool = True
    seconds: float = 0.0
    failed_steps: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files the classifier says are not disclosures, with why
    # one clear line per failed check or step (the check's reason, a step's error message without its traceback)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things the operator should know that are not failures


def _range_tags(keys: list[str]) -> dict[str, str]:
    from pipelines.defs.ingest.sensors import range_tags

    return range_tags(keys[0], keys[-1])


PID_TAG, HOST_TAG = "juesuan/pid", "juesuan/host"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reclaim_abandoned_runs(instance) -> list[str]:
    """Fail in-process runs whose process died (e.g. killed mid-load) and give back their pool slots.

    A run launched by the daemon is watched by run monitoring; an in-process run from this CLI is not, and a
    killed one would hold the single ``duckdb_write`` slot forever, leaving every later run waiting for it.
    """
    from dagster import DagsterRunStatus, RunsFilter

    reclaimed = []
    alive_states = [DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.NOT_STARTED]
    for run in instance.get_runs(filters=RunsFilter(statuses=alive_states, tags={HOST_TAG: socket.gethostname()})):
        pid = int(run.tags.get(PID_TAG, "0") or 0)
        if pid and pid != os.getpid() and not _pid_alive(pid):
            instance.report_run_failed(run, f"process {pid} that ran it is gone (killed or crashed)")
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            reclaimed.append(run.run_id)
    return reclaimed


def _execute(job_name: str, keys: list[str] | None, settings: Settings,
             extra_tags: dict[str, str] | None = None) -> tuple[str, bool, list[str], list[str]]:
    import dagster as dg

    from pipelines.definitions import defs

    settings.export_env()
    instance = dg.DagsterInstance.get()
    reclaim_abandoned_runs(instance)
    job = defs().resolve_job_def(job_name)
    from pipelines.defs.ingest.assets import DATA_DIR_TAG

    tags = {**(_range_tags(keys) if keys else {}), PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname(),
            DATA_DIR_TAG: str(settings.data_dir), **(extra_tags or {})}
    # the run's full event log is in the instance (and the UI); the terminal only needs warnings
    # (with a progress listener the warnings are shown by it, named by file, so the console keeps errors only)
    from pipelines import progress

    # (and the step failures too: the summary prints each as one line, without Dagster's stack trace)
    level = os.environ.get("JUESUAN_LOG_LEVEL") or ("CRITICAL" if progress.active() else "WARNING")
    run_config = {"loggers": {"console": {"config": {"log_level": level}}}}
    result = job.execute_in_process(instance=instance, tags=tags, raise_on_error=False, run_config=run_config)
    failed = [e.step_key for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    return result.run_id, result.success, failed, run_problems(result.all_events)


# checks whose warnings are about single documents, which the summary lists one per line anyway
PER_DOCUMENT_CHECKS = {"documents_read", "documents_readable"}


def run_problems(events) -> list[str]:
    """The failed checks (with their reason) and the failed steps that are not just those checks, one line each."""
    out, check_steps = [], set()
    for e in events:
        if e.event_type_value == "ASSET_CHECK_EVALUATION":
            ev = e.event_specific_data
            if not ev.passed:
                check_steps.add(e.step_key)
                if ev.check_name in PER_DOCUMENT_CHECKS and ev.severity.value == "WARN":
                    continue  # the summary lists each of those documents on its own line
                reason = ev.metadata.get("reason")
                out.append(f"check {ev.check_name} failed ({ev.severity.value.lower()})"
                           + (f": {reason.value}" if reason is not None else ""))
    for e in events:
        if e.event_type_value == "STEP_FAILURE" and e.step_key not in check_steps:
            err = getattr(e.event_specific_data, "error", None)
            msg = (err.message.strip().splitlines() or [""])[0] if err is not None else ""
            out.append(f"step {e.step_key} failed: {msg}")
    return out


def inherited_note(settings: Settings, given: set[str]) -> list[str]:
    """Say so when a new warehouse is about to receive documents staged in its data folder by earlier runs.

    A warehouse holds every document of its data folder (the registry and staging under --data-dir), which is
    what the sensor and UI runs load too; a fresh warehouse pointed at a used folder inherits them, never
    silently."""
    if settings.warehouse.exists():
        return []
    from warehouse.staging import Staging

    others = [s for s in Staging(settings.data_dir / "staging").all() if s.doc_id not in given]
    if not others:
        return []
    return [f"the new warehouse {settings.warehouse} also receives {len(others)} documents staged earlier in "
            f"{settings.data_dir} (a warehouse holds every document of its data folder; use a new --data-dir to "
            "start empty)"]


def workers_from_env() -> int:
    """JUESUAN_WORKERS (the setting UI and sensor runs use), for `juesuan ingest` without --workers."""
    raw = os.environ.get("JUESUAN_WORKERS", "").strip()
    try:
        return max(1, int(raw)) if raw else 1
    except ValueError:
        raise ValueError(f"JUESUAN_WORKERS must be a number of processes, not {raw!r}") from None


def ingest(paths: list[str | Path], settings: Settings, *, workers: int | None = None,
           source_name: str = "cli", wait: float | None = None) -> IngestReport:
    """Register ``paths`` and run one batch over them, holding the data folder's ingest lock throughout (a
    second ingest on the folder waits up to ``wait`` seconds, None = until the first is done; then FolderBusy)."""
    from pipelines.folder_lock import ingest_lock

    with ingest_lock(settings.data_dir, wait):
        return _ingest(paths, settings, workers=workers, source_name=source_name)


def _ingest(paths: list[str | Path], settings: Settings, *, workers: int | None, source_name: str) -> IngestReport:
    import dagster as dg

    from pipelines.defs.partitions import documents_partitions

    t0 = time.perf_counter()
    settings.export_env()
    report = IngestReport()
    from extractors.registry import RawStore, Registry

    with Registry(settings.data_dir / "registry.sqlite") as reg:
        registered = register_files(reg, RawStore(settings.data_dir / "raw"), paths, source_name=source_name)
    entries: list[RegistryEntry] = [e for e, _ in registered]
    # 决议, 通知, 绩效评价 … dropped in with the disclosures are registered (rejected, with the classifier's
    # reason) but never read: the report names each one and why
    report.skipped = [f"{e.original_name}: {e.note}" for e in entries if e.status == "rejected"]
    entries = [e for e in entries if e.status != "rejected"]
    report.notes += inherited_note(settings, {e.doc_id for e in entries})
    report.registered = len(entries)
    report.new = sum(1 for e, is_new in registered if is_new and e.status != "rejected")  # skipped ones aren't
    if not entries:
        report.seconds = time.perf_counter() - t0
        return report
    instance = dg.DagsterInstance.get()
    known = instance.get_dynamic_partitions(documents_partitions.name)
    wanted = {e.doc_id for e in entries}
    known_set = set(known)
    missing = list(dict.fromkeys(e.doc_id for e in entries if e.doc_id not in known_set))
    if missing:
        instance.add_dynamic_partitions(documents_partitions.name, missing)
        known = instance.get_dynamic_partitions(documents_partitions.name)
    # the batch is the partition range spanning the wanted documents; documents in between that were already
    # staged with the current extractor are skipped by the assets in milliseconds
    ordered = [k for k in known if k in wanted]
    lo, hi = known.index(ordered[0]), known.index(ordered[-1])
    span = known[lo:hi + 1]
    report.doc_ids = ordered
    # one run whatever the worker count: the staging step hands the batch's documents to that many processes
    os.environ["JUESUAN_WORKERS"] = str(max(1, workers if workers is not None else workers_from_env()))
    run_id, ok, failed, problems = _execute("ingest_documents", span, settings)
    report.run_ids.append(run_id)
    report.success, report.failed_steps, report.problems = ok, failed, problems
    _run_deferred(report, settings)
    report.seconds = time.perf_counter() - t0
    return report


def _run_deferred(report: IngestReport, settings: Settings) -> None:
    """The batch's stragglers, stopped so the rest could load, read now in runs of their own (never deferred
    again: each runs to the per-document budget). One run per document, so one slow file never waits on another."""
    from pipelines.defs.ingest.assets import NO_DEFER_TAG
    from pipelines.stage_watch import deferred_doc_ids

    deferred = deferred_doc_ids(settings.data_dir / "parsed")
    mine = [k for k in report.doc_ids if k in deferred]
    if not mine:
        return
    report.notes.append(f"{len(mine)} document(s) still running well after the rest of the batch finished were "
                        "read in a run of their own, after the others were loaded")
    for key in mine:
        run_id, ok, failed, problems = _execute("ingest_documents", [key], settings, {NO_DEFER_TAG: "1"})
        report.run_ids.append(run_id)
        report.success = report.success and ok
        report.failed_steps += failed
        report.problems += problems

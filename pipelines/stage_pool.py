"""Stage one batch of documents in several processes (plain Python; the Dagster step calls it).

Why this shape:
- **One run, many processes.** The batch stays one Dagster run with one step whether it is staged by one process
  or eight, so the UI, the sensor and `juesuan ingest` launch the same thing and differ only in the
  ``JUESUAN_WORKERS`` setting.
- **Documents are handed out one at a time, largest first.** Each process claims the next document from a shared
  counter when it is free, so a process that drew small documents does not sit idle while another finishes a
  big one (static halves left up to a second of one core idle per 200 documents).
- **The calling process works too**: n workers are n processes, and a worker that starts late (spawned rather
  than forked) just takes fewer documents.
- **A worker that dies** (a reader crashing the interpreter, the kernel's OOM killer) costs only the document it
  was on: that document is staged as failed with the exit code, and the others are finished by the survivors.
"""
from __future__ import annotations

import multiprocessing as mp
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from extractors.registry import RegistryEntry
from pipelines.stage import ParseOutcome, StageOutcome, extract_stage, parse_stage
from pipelines.stage_watch import Watch, deferred_marker, deferred_result, stage_watched
from warehouse.staging import Staging

Result = tuple[ParseOutcome | None, StageOutcome | None]


@dataclass(frozen=True)
class StageJob:
    """What to do with each document of the batch: read it, extract it, or both (read once, extract from memory)."""

    parsed_dir: Path
    staging: Staging | None  # None: read only
    parse: bool = True

    def run(self, entry: RegistryEntry) -> Result:
        p = parse_stage(entry, self.parsed_dir) if self.parse else None
        o = extract_stage(entry, self.parsed_dir, self.staging, parsed=p) if self.staging is not None else None
        if p is not None:
            p.document = None  # only the outcome travels back; one document in memory at a time
        deferred_marker(self.parsed_dir, entry.doc_id).unlink(missing_ok=True)  # its follow-up run is this one
        return p, o

    def deferred(self, entry: RegistryEntry, reason: str) -> Result:
        """The outcome for a straggler stopped so its batch could load: not staged, marked for its own run."""
        return deferred_result(self, entry, reason)

    def discard_partial(self, entry: RegistryEntry, pid: int | None) -> None:
        """Remove what a killed process was writing (the files it renames into place are never half-written)."""
        parsed_tmp = Path(self.parsed_dir) / f".{entry.doc_id}.json.tmp"
        parsed_tmp.unlink(missing_ok=True)
        if self.staging is not None and pid:
            self.staging.discard_partial(entry.doc_id, pid)

    def lost(self, entry: RegistryEntry, problem: str) -> Result:
        """The outcome for a document whose process died: failed, with the reason, and staged as such."""
        failed = ParseOutcome("failed", problem=problem)
        o = extract_stage(entry, self.parsed_dir, self.staging, force=True, parsed=failed) \
            if self.staging is not None else None
        return (failed if self.parse else None), o


def worker_context() -> mp.context.BaseContext:
    """Forked workers start in milliseconds with Dagster, the definitions and the readers already imported; a
    spawned one spends ~2 s importing them (the calling process keeps working meanwhile). Forking is safe here
    while no other Python thread could hold a lock the child inherits: the staging step holds no open database
    connection (Dagster's SQLite storage connects per call, the registry is closed before, DuckDB is never
    opened), and the native threads pyarrow keeps re-initialise through their at-fork handlers. With another
    Python thread alive (a run worker under the daemon may have some) or without fork on the platform, fresh
    interpreters are spawned."""
    if "fork" in mp.get_all_start_methods() and threading.active_count() == 1:
        return mp.get_context("fork")
    return mp.get_context("spawn")


def _claim(counter) -> int:
    with counter.get_lock():
        i = counter.value
        counter.value = i + 1
    return i


def _serve(job: StageJob, entries: list[RegistryEntry], counter, results) -> None:
    """A worker process: claim documents until none are left, sending each outcome back with its index. An
    exception (readers' own errors are outcomes already, so this is the disk or a bug) goes back too, so the step
    fails with it as it would in one process."""
    while (i := _claim(counter)) < len(entries):
        outcome = run_in_worker(job, entries[i])
        results.put((i, outcome))
        if isinstance(outcome, WorkerError):
            return


class WorkerError(Exception):
    """An exception raised in a worker process while staging a document, with its traceback as text."""


def run_in_worker(job: StageJob, entry: RegistryEntry) -> Result | WorkerError:
    """Stage one document in a worker process; an exception comes back as a WorkerError naming the file."""
    try:
        return job.run(entry)
    except Exception:
        return WorkerError(f"{entry.original_name or entry.raw_path}: {traceback.format_exc(limit=8)}")


def stage_batch(entries: list[RegistryEntry], job: StageJob, workers: int = 1,
                on_result: Callable[[int, Result], None] | None = None,
                on_start: Callable[[int], None] | None = None, watch: Watch | None = None) -> list[Result]:
    """Run ``job`` over ``entries`` in ``workers`` processes; outcomes come back in the order of ``entries``.

    ``on_result(index, result)`` is called in this process as each document finishes (progress logging);
    ``on_start(index)`` as this process starts one (the terminal's "current file"). With an active ``watch``
    every document runs in a child process under its time rules (pipelines/stage_watch.py)."""
    n = len(entries)
    if watch is not None and watch.active and n:
        return stage_watched(entries, job, workers, watch, on_result=on_result, on_start=on_start)
    workers = max(1, min(workers, n))
    out: list[Result | None] = [None] * n
    if workers == 1:
        for i, entry in enumerate(entries):
            if on_start:
                on_start(i)
            out[i] = job.run(entry)
            if on_result:
                on_result(i, out[i])
        return out  # type: ignore[return-value]
    # biggest files first: the last documents handed out are the small ones, so the processes finish together
    order = sorted(range(n), key=lambda i: entries[i].bytes or 0, reverse=True)
    queue = [entries[i] for i in order]
    ctx = worker_context()
    counter, results = ctx.Value("i", 0), ctx.SimpleQueue()
    procs = [ctx.Process(target=_serve, args=(job, queue, counter, results), daemon=True,
                         name=f"juesuan-stage-{k}") for k in range(1, workers)]
    for proc in procs:
        proc.start()

    def take(k: int, result: Result | WorkerError) -> None:
        if isinstance(result, WorkerError):
            raise result
        out[order[k]] = result
        if on_result:
            on_result(order[k], result)

    try:
        while (k := _claim(counter)) < n:
            if on_start:
                on_start(order[k])
            take(k, job.run(queue[k]))
            while not results.empty():  # drain between documents so no worker blocks on a full pipe
                take(*results.get())
        for k, result in _remaining(results, procs, lambda: sum(r is None for r in out)):
            take(k, result)
    except BaseException:
        # the run is being terminated (or this process failed): stop the workers now rather than let them finish
        for proc in procs:
            proc.kill()
        raise
    finally:
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
    for k, entry in enumerate(queue):
        if out[order[k]] is None:
            codes = ", ".join(str(p.exitcode) for p in procs if p.exitcode)
            take(k, job.lost(entry, f"{entry.original_name or entry.raw_path}: the worker process reading it "
                                    f"died (exit code {codes or 'unknown'}); the other documents were finished"))
    return out  # type: ignore[return-value]


def _remaining(results, procs: list, missing: Callable[[], int]) -> Iterator[tuple[int, Result]]:
    """Outcomes still to come from the workers; stops early when every worker has exited (some died)."""
    while missing():
        if not results.empty():
            yield results.get()
            continue
        alive = [p for p in procs if p.is_alive()]
        if not alive:
            while not results.empty():
                yield results.get()
            return
        wait([results._reader, *(p.sentinel for p in alive)], timeout=1.0)

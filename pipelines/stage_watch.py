"""Stage a batch under a watch: every document in a child process, with a wall-clock box around each.

The readers keep their own budgets (pages, cells, seconds) and end over-budget documents as partial or failed
with the reason. This is the backstop for the time those checks cannot see — a C extension looping, a regex
backtracking, extraction after reading — and the answer to a straggler holding its finished batch-mates out of
the warehouse (the load step starts when the batch's staging step ends):

- **Hard box** (``document_seconds``): a document still running past it is stopped (its process killed), staged
  as failed with the reason, and a fresh process takes the next document.
- **Straggler** (``straggler_seconds``): once every other document of the batch is finished, a document that has
  run that much longer (and that long in all) is stopped and *deferred*: not staged, so the finished documents
  load now, and marked (``<parsed>/<doc_id>.deferred``) so a follow-up run reads it on its own, without the
  straggler rule (``juesuan ingest`` runs it right after; the sensor picks up markers for UI and daemon runs).

The parent only hands out documents and watches; workers receive one document at a time over their own pipe, so
the parent always knows which document a process is on and how long it has been at it.
"""
from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from extractors.registry import RegistryEntry
from pipelines.stage import ParseOutcome, StageOutcome

DEFERRED_SUFFIX = ".deferred"


@dataclass(frozen=True)
class Watch:
    """The batch's time rules; 0 or None switches a rule off."""

    document_seconds: float | None = None
    straggler_seconds: float | None = None
    poll_seconds: float = 0.5

    @property
    def active(self) -> bool:
        return bool(self.document_seconds) or bool(self.straggler_seconds)


def deferred_marker(parsed_dir: Path, doc_id: str) -> Path:
    return Path(parsed_dir) / f"{doc_id}{DEFERRED_SUFFIX}"


def deferred_doc_ids(parsed_dir: Path) -> dict[str, float]:
    """Documents waiting for their own run: doc_id → when they were deferred (the marker's mtime)."""
    d = Path(parsed_dir)
    if not d.is_dir():
        return {}
    return {p.name[:-len(DEFERRED_SUFFIX)]: p.stat().st_mtime for p in d.glob(f"*{DEFERRED_SUFFIX}")}


def _worker(job, conn) -> None:
    """A child: stage each document the parent sends until it sends None; send back (index, result)."""
    from pipelines.stage_pool import WorkerError, run_in_worker

    while (task := conn.recv()) is not None:
        i, entry = task
        outcome = run_in_worker(job, entry)
        conn.send((i, outcome))
        if isinstance(outcome, WorkerError):
            return


@dataclass
class _Slot:
    proc: object
    conn: object
    task: tuple[int, float] | None = None  # (document index, monotonic start)


def stage_watched(entries: list[RegistryEntry], job, workers: int, watch: Watch,
                  on_result: Callable[[int, tuple], None] | None = None,
                  on_start: Callable[[int], None] | None = None) -> list[tuple]:
    """Run ``job`` over ``entries`` in ``workers`` child processes under ``watch``; results in ``entries`` order."""
    from pipelines.stage_pool import WorkerError, worker_context

    n = len(entries)
    out: list[tuple | None] = [None] * n
    # several processes: biggest first, so they finish together; one process: smallest first (the total is the
    # same), so the quick documents are done early and a slow one at the end is the straggler the watch defers
    pending = deque(sorted(range(n), key=lambda i: entries[i].bytes or 0, reverse=workers > 1))
    ctx = worker_context()
    slots: list[_Slot] = []
    last_finish = [None]  # monotonic time the batch's latest document finished

    def start_slot() -> _Slot:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker, args=(job, child), daemon=True, name=f"juesuan-stage-{len(slots) + 1}")
        proc.start()
        child.close()
        slot = _Slot(proc, parent)
        slots.append(slot)
        return slot

    def assign(slot: _Slot) -> None:
        if pending:
            i = pending.popleft()
            slot.task = (i, time.monotonic())
            if on_start:
                on_start(i)
            slot.conn.send((i, entries[i]))
        else:
            slot.task = None
            try:
                slot.conn.send(None)
            except (BrokenPipeError, OSError):
                pass

    def finish(i: int, result: tuple) -> None:
        out[i] = result
        last_finish[0] = time.monotonic()
        if on_result:
            on_result(i, result)

    def stop(slot: _Slot, result: tuple) -> None:
        """Kill the slot's process, record ``result`` for its document, and let a fresh process go on."""
        i, _ = slot.task
        slot.proc.kill()
        slot.proc.join(timeout=5)
        job.discard_partial(entries[i], slot.proc.pid)
        slots.remove(slot)
        finish(i, result)
        if pending:
            assign(start_slot())

    try:
        for _ in range(max(1, min(workers, n))):
            assign(start_slot())
        while any(s.task for s in slots):
            busy = [s for s in slots if s.task]
            wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=watch.poll_seconds)
            for slot in busy:
                if slot.conn.poll():
                    i, result = slot.conn.recv()
                    if isinstance(result, WorkerError):
                        raise result
                    finish(i, result)
                    assign(slot)
                elif not slot.proc.is_alive():
                    i, _ = slot.task
                    stop(slot, job.lost(entries[i], f"{_name(entries[i])}: the worker process reading it died "
                                                    f"(exit code {slot.proc.exitcode}); the other documents "
                                                    "were finished"))
            _enforce(watch, [s for s in slots if s.task], pending, last_finish[0], entries, job, stop)
    except BaseException:
        for slot in slots:
            slot.proc.kill()
        raise
    finally:
        for slot in slots:
            slot.proc.join(timeout=5)
            if slot.proc.is_alive():
                slot.proc.kill()
    return out  # type: ignore[return-value]


def _enforce(watch: Watch, busy: list[_Slot], pending, last_finish: float | None, entries, job, stop) -> None:
    now = time.monotonic()
    for slot in busy:
        i, started = slot.task
        ran = now - started
        if watch.document_seconds and ran > watch.document_seconds:
            stop(slot, job.lost(entries[i], f"{_name(entries[i])}: still running after the per-document budget of "
                                            f"{watch.document_seconds:g} s (JUESUAN_DOCUMENT_SECONDS); stopped so "
                                            "the batch could finish"))
        elif (watch.straggler_seconds and not pending and last_finish is not None
              and ran > watch.straggler_seconds and now - last_finish > watch.straggler_seconds):
            stop(slot, job.deferred(entries[i], f"{_name(entries[i])}: still running {ran:.0f} s after it started, "
                                                f"{now - last_finish:.0f} s after the rest of its batch finished; "
                                                "deferred to a run of its own so the others load now"))


def _name(entry: RegistryEntry) -> str:
    return entry.original_name or str(entry.raw_path)


def deferred_result(job, entry: RegistryEntry, reason: str) -> tuple[ParseOutcome | None, StageOutcome | None]:
    """A deferred document: nothing staged, a marker saying why, picked up by the follow-up run."""
    marker = deferred_marker(job.parsed_dir, entry.doc_id)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(reason + "\n", encoding="utf-8")
    return ((ParseOutcome("deferred", problem=reason) if job.parse else None),
            (StageOutcome(entry.doc_id, "deferred", errors=[reason]) if job.staging is not None else None))

"""Staging a batch in several processes: same outcomes as one process, and a dying worker costs one document."""
from __future__ import annotations

import multiprocessing
import os
import time
from dataclasses import asdict

import pytest

from extractors.registry import RawStore, Registry, register_files
from extractors.synthetic import build_corpus
from pipelines.stage_pool import StageJob, WorkerError, stage_batch
from warehouse.staging import Staging


@pytest.fixture(scope="module")
def entries(tmp_path_factory):
    root = tmp_path_factory.mktemp("pool")
    manifest = build_corpus(root / "corpus", units=3, years=(2023, 2024), formats=("pdf", "docx"))
    with Registry(root / "registry.sqlite") as reg:
        return [e for e, _ in register_files(reg, RawStore(root / "raw"), [m["path"] for m in manifest])]


def _comparable(result):
    p, o = result
    o = {k: v for k, v in asdict(o).items() if k != "seconds"}
    return p.status, p.problem, o


def _staged_files(staging: Staging, doc_id: str) -> dict[str, int]:
    d = staging.dir_for(doc_id)
    return {f.name: f.stat().st_size for f in d.iterdir() if f.suffix == ".parquet"}


def test_two_workers_stage_exactly_what_one_does(entries, tmp_path):
    one = stage_batch(entries, StageJob(tmp_path / "p1", Staging(tmp_path / "s1")), workers=1)
    seen = []
    two = stage_batch(entries, StageJob(tmp_path / "p2", Staging(tmp_path / "s2")), workers=2,
                      on_result=lambda i, r: seen.append(i))
    assert len(one) == len(two) == len(entries) >= 12
    # outcomes come back in the batch's order, whichever process finished which document first
    assert [o.doc_id for _, o in two] == [e.doc_id for e in entries]
    assert [_comparable(r) for r in two] == [_comparable(r) for r in one]
    assert sorted(seen) == list(range(len(entries)))
    assert all(o.status == "ok" for _, o in two)
    for e in entries:
        assert _staged_files(Staging(tmp_path / "s2"), e.doc_id) == _staged_files(Staging(tmp_path / "s1"), e.doc_id)


def test_more_workers_than_documents_and_read_only_batches(entries, tmp_path):
    few = entries[:2]
    results = stage_batch(few, StageJob(tmp_path / "p", None), workers=8)
    assert [(p.status, o) for p, o in results] == [("parsed", None), ("parsed", None)]
    assert sorted(f.name for f in (tmp_path / "p").glob("*.json")) == sorted(f"{e.doc_id}.json" for e in few)


def _in_calling_process() -> bool:
    # spawned workers import this module afresh, so the calling process is named by an environment variable
    return str(os.getpid()) == os.environ["POOL_TEST_PARENT"]


@pytest.fixture()
def calling_process(monkeypatch):
    monkeypatch.setenv("POOL_TEST_PARENT", str(os.getpid()))


@pytest.fixture()
def forked(monkeypatch, calling_process):
    """Workers forked whatever the thread count: the test jobs below live in this module, which a forked worker
    shares."""
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("these test jobs reach workers only by fork, which this platform lacks")
    monkeypatch.setattr("pipelines.stage_pool.worker_context", lambda: multiprocessing.get_context("fork"))


class _WorkersDie(StageJob):
    """Every worker process dies on the first document it takes (a reader taking the interpreter down);
    the calling process is slow enough that a worker always gets to take one."""

    def run(self, entry):
        if not _in_calling_process():
            os._exit(3)
        time.sleep(0.2)
        return super().run(entry)


def test_a_dying_worker_costs_only_the_document_it_was_reading(entries, tmp_path, forked):
    batch = entries[:5]
    staging = Staging(tmp_path / "s")
    results = stage_batch(batch, _WorkersDie(tmp_path / "p", staging), workers=2)
    lost = [(p, o) for p, o in results if o.status == "failed"]
    assert len(lost) == 1, [o.status for _, o in results]
    p, o = lost[0]
    assert "worker process reading it died (exit code 3)" in p.problem and o.errors == [p.problem]
    # staged as failed, so the warehouse lists it with the reason instead of losing it
    assert staging.get(o.doc_id).record()["document"]["status"] == "failed"
    assert all(o.status == "ok" for _, o in results if o.doc_id != lost[0][1].doc_id)


class _SlowParent(StageJob):
    """Slow in the calling process, so a spawned worker (which first spends seconds importing) gets documents;
    each outcome says which process staged it."""

    def run(self, entry):
        if _in_calling_process():
            time.sleep(1.5)
        p, o = super().run(entry)
        o.errors = [f"pid {os.getpid()}"]
        return p, o


def test_spawned_workers_when_forking_is_unsafe(entries, tmp_path, calling_process):
    """With another Python thread alive (as in a run worker under the daemon) workers are fresh interpreters:
    everything they get must pickle, and they must find the project's modules on their own."""
    import threading

    from pipelines.stage_pool import worker_context

    stop = threading.Event()
    helper = threading.Thread(target=stop.wait, daemon=True)
    helper.start()
    try:
        assert worker_context().get_start_method() == "spawn"
        batch = entries[:6]
        results = stage_batch(batch, _SlowParent(tmp_path / "p", Staging(tmp_path / "s")), workers=2)
    finally:
        stop.set()
    assert [o.doc_id for _, o in results] == [e.doc_id for e in batch]
    assert all(o.n_values > 20 for _, o in results)
    assert {o.errors[0] for _, o in results} - {f"pid {os.getpid()}"}, "the spawned worker staged nothing"


class _ParentFails(StageJob):
    def run(self, entry):
        if _in_calling_process():
            raise KeyboardInterrupt  # what Dagster's run termination raises in the step's process
        time.sleep(30)
        return super().run(entry)


class _DiskFull(StageJob):
    def run(self, entry):
        if not _in_calling_process():
            raise OSError(28, "No space left on device")
        time.sleep(0.3)
        return super().run(entry)


@pytest.mark.parametrize("job, error, match", [
    (_ParentFails, KeyboardInterrupt, None),  # the run is terminated: workers are killed, not waited for (30 s)
    (_DiskFull, WorkerError, "No space left on device"),  # fails the step as it would in one process
])
def test_a_failing_step_stops_its_workers_at_once(entries, tmp_path, forked, job, error, match):
    t0 = time.perf_counter()
    with pytest.raises(error, match=match):
        stage_batch(entries[:4], job(tmp_path / "p", Staging(tmp_path / "s")), workers=3)
    assert time.perf_counter() - t0 < 10
    assert not multiprocessing.active_children()

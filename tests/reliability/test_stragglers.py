"""One slow document must not hold its finished batch-mates out of the warehouse (issue 17, item 3).

Before: a batch's documents were loaded when its staging step ended, so one slow file kept three good PDFs out
of the warehouse for 13.6 minutes. Now every document of a watched batch runs in a child process: a straggler
(still running well after the rest finished) is deferred to a run of its own, and a document past the hard
per-document box is stopped and failed with the reason (pipelines/stage_watch.py)."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from extractors.registry import RawStore, Registry, register_files
from pipelines.stage_pool import StageJob, stage_batch
from pipelines.stage_watch import Watch, deferred_doc_ids, deferred_marker
from warehouse.staging import Staging

SLOW_MARK = "slow"


class _OneSlow(StageJob):
    """Stages as usual, except that documents whose file name holds ``slow`` hang (as a looping reader would)."""

    def run(self, entry):
        if SLOW_MARK in (entry.original_name or ""):
            time.sleep(600)
        return super().run(entry)


@pytest.fixture
def batch(docx_corpus, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for src in docx_corpus:
        (folder / src.name).write_bytes(src.read_bytes())
    # the hanging one is the smallest, so a one-process batch takes it first: the watch must still get the rest done
    (folder / f"{SLOW_MARK}.docx").write_bytes(docx_corpus[0].read_bytes() + b"\0")  # other bytes, other id
    with Registry(tmp_path / "registry.sqlite") as reg:
        return [e for e, _ in register_files(reg, RawStore(tmp_path / "raw"), sorted(folder.iterdir()))]


def _by_name(entries, results):
    return {e.original_name: r for e, r in zip(entries, results, strict=True)}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_hanging_document_is_stopped_at_the_box_and_the_rest_are_staged(batch, tmp_path, workers):
    staging = Staging(tmp_path / "s")
    t0 = time.monotonic()
    results = stage_batch(batch, _OneSlow(tmp_path / "p", staging), workers=workers,
                          watch=Watch(document_seconds=3, poll_seconds=0.1))
    took = time.monotonic() - t0
    out = _by_name(batch, results)
    slow = out.pop(f"{SLOW_MARK}.docx")[1]
    assert slow.status == "failed" and "per-document budget of 3 s" in slow.errors[0]
    assert "slow.docx" in slow.errors[0]  # the file is named
    # staged as failed, so the warehouse shows it with the reason rather than losing it
    assert staging.get(slow.doc_id).stamp["status"] == "failed"
    assert all(o.status == "ok" for _, o in out.values()) and len(out) == 3
    assert took < 60  # the box, not the 600 s hang
    assert not deferred_doc_ids(tmp_path / "p")


def test_a_straggler_is_deferred_once_the_rest_are_done(batch, tmp_path):
    staging = Staging(tmp_path / "s")
    t0 = time.monotonic()
    results = stage_batch(batch, _OneSlow(tmp_path / "p", staging), workers=2,
                          watch=Watch(document_seconds=300, straggler_seconds=2, poll_seconds=0.1))
    took = time.monotonic() - t0
    out = _by_name(batch, results)
    parsed, slow = out.pop(f"{SLOW_MARK}.docx")
    assert slow.status == "deferred" and parsed.status == "deferred"
    assert "deferred to a run of its own" in slow.errors[0]
    assert staging.get(slow.doc_id) is None  # nothing staged: the load skips it, the follow-up run reads it
    assert list(deferred_doc_ids(tmp_path / "p")) == [slow.doc_id]
    assert all(o.status == "ok" for _, o in out.values())
    assert took < 60
    # the follow-up run (no straggler rule) stages it and clears the marker
    entry = next(e for e in batch if e.doc_id == slow.doc_id)
    (p, o), = stage_batch([entry], StageJob(tmp_path / "p", staging), workers=1, watch=Watch(document_seconds=300))
    assert o.status in ("ok", "partial", "failed") and staging.get(slow.doc_id) is not None
    assert not deferred_marker(tmp_path / "p", slow.doc_id).exists()


def test_a_killed_write_leaves_the_previous_staging_in_place(tmp_path):
    staging = Staging(tmp_path / "s")
    staging.root.mkdir(parents=True)
    # the process died between moving the old folder aside and renaming the new one in
    old = staging.root / ".d1.old4242"
    old.mkdir()
    (old / "stamp.json").write_text(json.dumps({"doc_id": "d1", "sha256": "x", "extractor_version": "v"}))
    half = staging.root / ".d1.tmp4242"
    half.mkdir()
    staging.discard_partial("d1", 4242)
    assert not half.exists() and not old.exists()
    assert json.loads((staging.dir_for("d1") / "stamp.json").read_text())["doc_id"] == "d1"


def test_ingest_loads_the_others_first_and_reads_the_straggler_in_its_own_run(docx_corpus, tmp_path, capsys,
                                                                               clean_env, monkeypatch):
    """`juesuan ingest` end to end, with a real slow file (a 40,000-row DOCX, legitimate but slow to read)."""
    import duckdb
    from dagster import DagsterEventType, DagsterInstance

    from pipelines.cli import main
    from tests.reliability.big_docx import build

    folder = tmp_path / "in"
    folder.mkdir()
    for src in docx_corpus:
        (folder / src.name).write_bytes(src.read_bytes())
    build(folder / "2024年某单位部门决算（附表明细）.docx", rows=40000)
    monkeypatch.setenv("JUESUAN_STRAGGLER_SECONDS", "1")
    monkeypatch.setenv("JUESUAN_WORKERS", "2")
    data = tmp_path / "data"
    code = main(["ingest", str(folder), "--data-dir", str(data), "--json"])
    s = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert code in (0, 3), s
    assert s["documents"] == 4
    assert len(s["run_ids"]) == 2, s  # the batch, then the straggler on its own
    assert any("run of their own" in n or "run of its own" in n for n in s["notes"])
    monkeypatch.setenv("DAGSTER_HOME", str(data / "dagster_home"))
    instance = DagsterInstance.get()
    first, second = (instance.get_run_by_id(r) for r in s["run_ids"])
    assert first.tags.get("juesuan/no_defer") is None and second.tags["juesuan/no_defer"] == "1"
    # the batch's own run loaded the three good documents: its load step ran and succeeded
    loads = instance.get_records_for_run(first.run_id, of_type=DagsterEventType.STEP_SUCCESS)
    assert any("warehouse" in r.event_log_entry.step_key for r in loads.records)
    assert not deferred_doc_ids(Path(data) / "parsed")
    with duckdb.connect(s["warehouse"], read_only=True) as con:
        assert con.execute("select count(*) from documents").fetchone()[0] == 4


def test_the_sensor_runs_each_deferred_document_once_on_its_own(tmp_path):
    """UI and daemon runs have no `juesuan ingest` to run the follow-up: the sensor turns markers into runs."""
    from pipelines.defs.ingest.sensors import deferred_run_requests

    deferred_marker(tmp_path, "dabc").write_text("slow\n")
    deferred_marker(tmp_path, "dgone").write_text("slow\n")  # no partition (another instance's): not requested
    (req,) = deferred_run_requests(deferred_doc_ids(tmp_path), existing={"dabc", "dother"})
    assert req.tags["juesuan/no_defer"] == "1"
    assert req.tags["dagster/asset_partition_range_start"] == req.tags["dagster/asset_partition_range_end"] == "dabc"
    # the key carries when it was deferred: the same deferral is one run, a later one another
    assert req.run_key.startswith("deferred-dabc-")
    again, = deferred_run_requests(deferred_doc_ids(tmp_path), existing={"dabc"})
    assert again.run_key == req.run_key

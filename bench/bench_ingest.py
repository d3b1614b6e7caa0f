"""Ingest throughput: the Dagster job against plain `juesuan extract` over the same generated documents.

Prints, all measured in this one process run:
  - baseline: extract_file() + JSON over N documents in one process (what `juesuan extract` does per file);
  - the ingest_documents job (register, partitions, parse, extract, stage, load, anomalies, checks, snapshot)
    with one worker, and the overhead of orchestration + loading + anomalies relative to the baseline;
  - the same with two worker processes, and the throughput ratio 2 workers / 1 worker;
  - how the one-worker time grows from 50 to N documents.

usage: python bench/bench_ingest.py [--docs 200] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.figures import extract_file  # noqa: E402
from extractors.synthetic import build_corpus  # noqa: E402
from pipelines.runner import ingest  # noqa: E402
from pipelines.settings import Settings  # noqa: E402


def baseline(files: list[str]) -> float:
    t0 = time.perf_counter()
    for f in files:
        json.dumps(extract_file(f), ensure_ascii=False)
    return time.perf_counter() - t0


def run_ingest(files: list[str], root: Path, workers: int) -> tuple[float, dict[str, float]]:
    """Wall seconds of one ingest, and where they went: the per-document work (the staging step until its first
    output: reading, extracting, writing staging files, in all its processes), Dagster's per-document
    materialisation events at the end of that step, the single-writer tail (load, checks, anomalies, snapshot)
    and everything else (registration, partitions, run creation)."""
    if root.exists():
        shutil.rmtree(root)
    # one Dagster instance for every run, as an operator has (its one-off creation, ~0.6 s of SQLite schema
    # setup, is paid by the warm-up run); data, registry and warehouse are fresh for each run
    settings = Settings.resolve(data_dir=str(root / "data"), warehouse=str(root / "warehouse.duckdb"),
                                dagster_home=str(root.parent / "dagster_home"))
    t0 = time.perf_counter()
    report = ingest(files, settings, workers=workers)
    secs = time.perf_counter() - t0
    if not report.success:
        print(f"  (run reported failed steps: {report.failed_steps})")
    import dagster as dg

    work = events = tail = 0.0
    instance = dg.DagsterInstance.get()
    for run_id in report.run_ids:
        marks: dict[tuple[str, str], float] = {}
        for e in instance.all_logs(run_id):
            kind = e.dagster_event.event_type_value if e.dagster_event else None
            if e.step_key and kind in ("STEP_START", "STEP_OUTPUT", "STEP_SUCCESS", "STEP_FAILURE"):
                marks.setdefault((e.step_key, "end" if kind in ("STEP_SUCCESS", "STEP_FAILURE") else kind), e.timestamp)
        for step in {k for k, _ in marks}:
            start, end = marks[(step, "STEP_START")], marks[(step, "end")]
            if step.startswith("staging"):
                first_output = marks.get((step, "STEP_OUTPUT"), end)
                work, events = work + first_output - start, events + end - first_output
            elif step.startswith("warehouse"):
                tail += end - start
    return secs, {"work": work, "events": events, "tail": tail, "other": secs - work - events - tail}


def _phases(p: dict[str, float]) -> str:
    return (f"per-document work {p['work']:.1f} s, its Dagster events {p['events']:.1f} s, single-writer tail "
            f"{p['tail']:.1f} s, start-up and runs {p['other']:.1f} s")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--keep", help="work folder to keep (default: a temp folder, removed)")
    a = ap.parse_args()
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="juesuan-bench-"))
    for k in ("DAGSTER_HOME", "JUESUAN_DATA_DIR", "JUESUAN_WAREHOUSE", "JUESUAN_SNAPSHOT"):
        os.environ.pop(k, None)
    try:
        t0 = time.perf_counter()
        manifest = build_corpus(work / "corpus", units=a.docs // 2, years=(2023, 2024), formats=("pdf",))
        files = [m["path"] for m in manifest][: a.docs]
        print(f"corpus: {len(files)} generated PDFs in {time.perf_counter() - t0:.1f} s (cpus: {os.cpu_count()})")
        # warm imports and caches so neither side pays one-off start-up inside its timing
        baseline(files[:2])
        run_ingest(files[:2], work / "warm", 1)

        base = baseline(files)
        print(f"baseline  extract_file over {len(files)} docs in one process: {base:7.1f} s  "
              f"({len(files) / base:.2f} docs/s)")
        one, one_phases = run_ingest(files, work / "w1", 1)
        print(f"dagster   ingest_documents, 1 worker:                  {one:7.1f} s  ({len(files) / one:.2f} docs/s)  "
              f"overhead vs baseline: {100 * (one - base) / base:+.1f}%")
        print(f"          ({_phases(one_phases)})")
        two, two_phases = run_ingest(files, work / "w2", 2)
        print(f"dagster   ingest_documents, 2 worker processes:      {two:7.1f} s  ({len(files) / two:.2f} docs/s)  "
              f"throughput 2 workers / 1 worker: {one / two:.2f}x")
        print(f"          ({_phases(two_phases)})")
        # Amdahl: only the per-document work is spread over processes; the rest of the one-worker run is serial
        serial = one - one_phases["work"]
        print(f"          per-document work alone: {one_phases['work'] / two_phases['work']:.2f}x; with the one-worker "
              f"run's {serial:.1f} s outside it, two processes can give at most "
              f"{one / (one_phases['work'] / 2 + serial):.2f}x")
        sizes = sorted({n for n in (50, 100, len(files)) if n <= len(files)})
        times = {}
        for n in sizes:
            times[n] = one if n == len(files) else run_ingest(files[:n], work / f"s{n}", 1)[0]
        print("scaling   (1 worker) " + "  ".join(f"{n} docs {times[n]:.1f} s ({times[n] / n:.3f} s/doc)" for n in sizes))
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

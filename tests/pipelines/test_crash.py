"""A real kill (SIGKILL) of `juesuan ingest` inside the load transaction, then a rerun, must leave exactly the
rows of a clean run: no duplicates, no half-loaded documents, and the pool slot is not leaked."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractors.synthetic import build_corpus
from tests.warehouse.records import warehouse_rows

JUESUAN = str(Path(sys.executable).parent / "juesuan")


def _env(root: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUESUAN_", "DAGSTER_HOME"))}
    env.update({"DAGSTER_HOME": str(root / "home"), "JUESUAN_DATA_DIR": str(root / "data"),
                "JUESUAN_WAREHOUSE": str(root / "w.duckdb"), **extra})
    return env


@pytest.mark.slow
def test_killed_ingest_then_rerun_equals_clean_run(tmp_path):
    corpus = build_corpus(tmp_path / "corpus", units=2, years=(2024,), formats=("pdf",))
    files = [m["path"] for m in corpus]
    clean, crashed = tmp_path / "clean", tmp_path / "crashed"
    subprocess.run([JUESUAN, "ingest", *files], env=_env(clean), check=True, capture_output=True, timeout=600)

    proc = subprocess.Popen([JUESUAN, "ingest", *files], env=_env(crashed, JUESUAN_FAULT_PAUSE_IN_LOAD="60"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    seen = ""
    while time.time() < deadline and "paused inside load transaction" not in seen:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            break
        seen += line
    assert "paused inside load transaction" in seen, seen[-2000:]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    # nothing of the killed transaction is visible
    from warehouse.db import Warehouse

    with Warehouse(crashed / "w.duckdb").read() as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0

    rerun = subprocess.run([JUESUAN, "ingest", *files], env=_env(crashed), capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert warehouse_rows(crashed / "w.duckdb") == warehouse_rows(clean / "w.duckdb")

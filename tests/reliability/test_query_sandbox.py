"""`juesuan query` reads the database it opened and nothing else, and `--live` never gets in a writer's way."""
from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from pipelines.cli import main
from pipelines.exit_codes import EXIT_BUSY, EXIT_USAGE
from tests.reliability.conftest import juesuan
from warehouse.db import Warehouse


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _figures(path: Path) -> int:
    with Warehouse(path).read() as con:
        return con.execute("SELECT count(*) FROM figures").fetchone()[0]


def escapes(data: Path) -> list[str]:
    wh = data / "warehouse.duckdb"
    return [
        f"ATTACH '{wh}' AS w (READ_WRITE); DROP TABLE w.figures",  # empties the live warehouse
        f"COPY (SELECT 'x') TO '{wh}'",  # overwrites it with 7 bytes
        f"COPY (SELECT 'x') TO '{data}/written.csv'",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_csv('/etc/passwd', sep = ':')",
        "SELECT * FROM read_blob('/etc/hostname')",
        "SELECT * FROM glob('/etc/*')",
        f"EXPORT DATABASE '{data}/dump'",
        "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')",  # network
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "SET lock_configuration = false",
        "DROP TABLE figures",
    ]


@pytest.mark.parametrize("live", [False, True], ids=["snapshot", "live"])
def test_every_escape_is_refused_and_nothing_changes(data, capsys, live):
    wh, snap = data / "warehouse.duckdb", data / "analyst" / "juesuan.duckdb"
    before = {p: _digest(p) for p in (wh, snap)}
    n_figures = _figures(wh)
    for sql in escapes(data):
        code = main(["query", "--data-dir", str(data), *(["--live"] if live else []), sql])
        err = capsys.readouterr().err
        assert code == EXIT_USAGE, sql
        assert err.startswith("juesuan query: ") and "Traceback" not in err, (sql, err)
    assert {p: _digest(p) for p in (wh, snap)} == before
    assert _figures(wh) == n_figures
    assert not (data / "written.csv").exists() and not (data / "dump").exists()
    # and the views and tables still answer
    assert main(["query", "--data-dir", str(data), *(["--live"] if live else []), "--csv",
                 "SELECT count(*) AS n FROM unit_year_finance"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "2"]


def test_live_query_is_refused_at_once_while_a_writer_holds_the_lock(data, capsys):
    wh = Warehouse(data / "warehouse.duckdb")
    t0 = time.perf_counter()
    with wh.write() as con:  # what the loader holds while it loads a batch
        con.execute("SELECT 1")
        code = main(["query", "--data-dir", str(data), "--live", "SELECT count(*) FROM documents"])
    err = capsys.readouterr().err
    assert code == EXIT_BUSY and time.perf_counter() - t0 < 5
    assert "is being written" in err and "without --live" in err and err.count("\n") == 1


def test_a_writer_waits_for_a_live_query_and_the_query_is_stopped_in_time(data):
    """Before: an ingest whose load started during a --live query failed on DuckDB's file lock. Now the query
    holds the writers' lock, the writer waits for it, and the query is stopped after its time limit."""
    wh = Warehouse(data / "warehouse.duckdb", lock_timeout=60)
    query = juesuan("query", "--data-dir", str(data), "--live", "SELECT sum(range) FROM range(100000000000)",
                    env={"JUESUAN_LIVE_QUERY_SECONDS": "2"})
    try:
        deadline = time.monotonic() + 20
        while True:  # until the query holds the lock
            try:
                with FileLock(str(wh.lock_path), timeout=0):
                    pass
            except Timeout:
                break
            assert query.poll() is None, query.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        t0 = time.perf_counter()
        with wh.write() as con:
            con.execute("CREATE TABLE IF NOT EXISTS written_while_queried (x INTEGER)")
        waited = time.perf_counter() - t0
        out, err = query.communicate(timeout=30)
    finally:
        query.kill()
    assert query.returncode == EXIT_USAGE and "stopped after 2 s" in err, err
    assert 0.5 < waited < 30
    with wh.read() as con:
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'written_while_queried'"
                           ).fetchone()[0] == 1

"""DuckDB access: one writer at a time (file lock + Dagster pool), readers read-only.

DuckDB allows one read-write process or many read-only ones. Every writer goes through ``Warehouse.write()``,
which holds ``<db>.lock`` for the life of the connection, so the CLI, the Dagster run and an ad-hoc script can
never collide; Dagster's ``duckdb_write`` pool keeps runs from queueing on the lock in the first place.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from schemas import ddl

# Analysts' SQL (`juesuan query`) may read the one database it was opened on and nothing else: no ATTACH, no
# COPY TO/FROM, no read_csv/read_text/glob, no network, no extensions, and no SET that would undo any of it.
# DuckDB enforces this itself (the file it opened stays readable); read_only refuses writes to that file.
SANDBOX_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "lock_configuration": True,  # last: after it, no setting can change
}


def sandboxed_connection(path: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``path`` that can touch no other file, no network and no setting."""
    return duckdb.connect(str(path), read_only=True, config=dict(SANDBOX_CONFIG))


class WarehouseBusy(RuntimeError):
    """A writer (an ingest, a review) holds the warehouse lock."""


class Warehouse:
    def __init__(self, path: str | os.PathLike, lock_timeout: float = 600):
        self.path = Path(path)
        self.lock_timeout = lock_timeout

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @contextlib.contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.lock_path), timeout=self.lock_timeout):
            con = duckdb.connect(str(self.path))
            try:
                yield con
            finally:
                con.close()

    @contextlib.contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Read-only connection. Waits for a writer to finish (DuckDB cannot mix RW and RO processes)."""
        if not self.path.exists():
            raise FileNotFoundError(f"{self.path}: warehouse does not exist yet (run `juesuan ingest` first)")
        with FileLock(str(self.lock_path), timeout=self.lock_timeout):
            con = duckdb.connect(str(self.path), read_only=True)
            try:
                yield con
            finally:
                con.close()

    @contextlib.contextmanager
    def read_unless_busy(self, *, sandbox: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """Read-only connection under the writer lock, or ``WarehouseBusy`` at once when someone holds it.

        Holding the lock is what keeps a concurrent writer safe: it waits for the lock (``lock_timeout``) instead
        of failing on DuckDB's own file lock, which refuses a read-write open while any reader has the file."""
        if not self.path.exists():
            raise FileNotFoundError(f"{self.path}: warehouse does not exist yet (run `juesuan ingest` first)")
        lock = FileLock(str(self.lock_path), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise WarehouseBusy(f"{self.path} is being written (lock {self.lock_path} is held)") from None
        try:
            con = sandboxed_connection(self.path) if sandbox else duckdb.connect(str(self.path), read_only=True)
            try:
                yield con
            finally:
                con.close()
        finally:
            lock.release()

    def migrate(self) -> list[str]:
        """Apply numbered DDL files once each, then (re)create the analyst views. Idempotent."""
        applied_now = []
        with self.write() as con:
            migrate_connection(con, applied_now)
        return applied_now


def migrate_connection(con: duckdb.DuckDBPyConnection, applied_now: list[str] | None = None) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    done = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
    rekey = False
    for name, sql in ddl.migrations():
        if name in done:
            continue
        con.execute("BEGIN")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        if applied_now is not None:
            applied_now.append(name)
        rekey = rekey or name.startswith("008_")
    if rekey:  # issue 18: existing rows get their region and (region, name) key; none is dropped
        from warehouse.identity import resolve_identity

        resolve_identity(con)
    from warehouse.labels import apply_view_comments, create_metrics_table

    create_metrics_table(con)  # the metric catalogue, which views join for their Chinese metric names
    views = ddl.views_sql()
    if views:
        con.execute(views)
    apply_view_comments(con)  # recreating a view drops its column comments

"""Analyst snapshot and exports.

Analysts never open the live warehouse: after the blocking checks pass, the file is copied under the writer
lock to a temporary name beside the snapshot and renamed over it (atomic on one filesystem), so a reader sees
either the old snapshot or the new one, never half of each.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
from filelock import FileLock

from warehouse.db import Warehouse
from warehouse.exports import EXPORT_VIEWS, export  # noqa: F401 - the exports live there; importable from here


def published_paths(snapshot_path: str | os.PathLike) -> dict[str, Path]:
    """Where a published snapshot's exports live: beside it, so the CLI, the assets and the README agree."""
    snap = Path(snapshot_path)
    return {"snapshot": snap, "xlsx": snap.parent / "juesuan.xlsx", "report": snap.parent / "report.html"}


def publish_snapshot(warehouse: Warehouse, snapshot_path: str | os.PathLike) -> Path:
    snapshot_path = Path(snapshot_path)
    snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = snapshot_path.with_name(f".{snapshot_path.name}.tmp{os.getpid()}")
    with FileLock(str(warehouse.lock_path), timeout=warehouse.lock_timeout):
        con = duckdb.connect(str(warehouse.path))
        try:
            con.execute("CHECKPOINT")  # fold the WAL into the file before copying it
        finally:
            con.close()
        shutil.copyfile(warehouse.path, tmp)
    os.replace(tmp, snapshot_path)
    return snapshot_path

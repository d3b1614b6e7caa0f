"""One ingest at a time per data folder.

Everything an ingest touches besides the warehouse lives in its data folder: the registry (SQLite), the raw
store, the staging files and the Dagster instance (its SQLite storages, created on first use). Two ingests on one
folder raced on all of them: Dagster's schema creation ("table runs already exists"), the registry's insert and
a batch's partition range. A lock file in the folder makes the second ingest wait for the first (saying so),
or give up after ``wait`` seconds with :class:`FolderBusy`. The lock is an OS file lock (``filelock``), so a
killed ingest leaves nothing to clean up.
"""
from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

LOCK_NAME = ".ingest.lock"
OWNER_NAME = ".ingest.owner.json"  # who holds the lock, for the waiting ingest's message


class FolderBusy(RuntimeError):
    """Another ingest still held the data folder when the wait ran out."""


def _owner_text(data_dir: Path) -> str:
    try:
        o = json.loads((data_dir / OWNER_NAME).read_text())
    except (OSError, ValueError):
        return "another ingest"
    started = time.strftime("%H:%M:%S", time.localtime(o.get("started", 0)))
    return f"another ingest (pid {o.get('pid')} on {o.get('host')}, started {started})"


@contextlib.contextmanager
def ingest_lock(data_dir: str | os.PathLike, wait: float | None = None, *, command: str = "ingest") -> Iterator[None]:
    """Hold the data folder's ingest lock. ``wait``: seconds to wait for another holder (None: as long as it
    takes, 0: not at all); a wait is announced on stderr once, naming the holder."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(data_dir / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        who = _owner_text(data_dir)
        if wait is not None and wait <= 0:
            raise FolderBusy(f"{who} is working in {data_dir}; not waiting (--wait 0)") from None
        limit = "until it finishes" if wait is None else f"up to {wait:g} s"
        print(f"juesuan {command}: {who} is working in {data_dir}; waiting {limit} …", file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=-1 if wait is None else wait)
        except Timeout:
            raise FolderBusy(f"{who} still holds {data_dir} after {wait:g} s; nothing was registered or "
                             "loaded by this run, run it again later") from None
    try:
        owner = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
        (data_dir / OWNER_NAME).write_text(json.dumps(owner))
        yield
    finally:
        lock.release()

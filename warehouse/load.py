"""Single-writer load: staged Parquet → DuckDB, idempotent and atomic per batch.

For each batch: one transaction deletes every row of the batch's documents from every table, then inserts the
staged rows. A crash or kill anywhere inside leaves the previous state (DuckDB rolls back the open
transaction), and a rerun converges to exactly what a clean run produces. Anomaly reviews are keyed by
fingerprint in their own table and are never touched here.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field

from warehouse.db import Warehouse, migrate_connection
from warehouse.identity import IdentityInputs, resolve_identity
from warehouse.staging import TABLES, StagedDocument, Staging


@dataclass
class LoadSummary:
    loaded: list[str] = field(default_factory=list)
    skipped_current: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    identity: dict[str, int] = field(default_factory=dict)  # documents resolved / unresolved to a unit

    def as_metadata(self) -> dict:
        return {"documents_loaded": len(self.loaded), "documents_already_current": self.skipped_current,
                **{f"rows_{k}": v for k, v in self.rows.items()},
                **{f"units_{k}": v for k, v in self.identity.items()}}


def _loaded_tokens(con) -> dict[str, str]:
    return dict(con.execute("SELECT doc_id, stage_token FROM documents").fetchall())


def load_staged(warehouse: Warehouse, staging: Staging, doc_ids: list[str] | None = None, *,
                force: bool = False, batch_size: int = 500, identity: IdentityInputs | None = None) -> LoadSummary:
    """Load staged documents whose staged version is not yet in the warehouse (all of ``doc_ids`` if given)."""
    summary = LoadSummary()
    staged = staging.all() if doc_ids is None else [s for s in (staging.get(d) for d in doc_ids) if s]
    with warehouse.write() as con:
        migrate_connection(con)
        tokens = _loaded_tokens(con)
        todo: list[StagedDocument] = []
        for s in staged:
            if not force and tokens.get(s.doc_id) == s.stamp.get("stage_token"):
                summary.skipped_current += 1
            else:
                todo.append(s)
        for start in range(0, len(todo), batch_size):
            batch = todo[start:start + batch_size]
            _load_batch(con, batch)
            summary.loaded.extend(s.doc_id for s in batch)
        # regions and unit keys over the whole warehouse: a rename or a register entry can join years
        summary.identity = resolve_identity(con, identity)
        for t in TABLES:
            summary.rows[t] = con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
    return summary


def _load_batch(con, batch: list[StagedDocument]) -> None:
    ids = [s.doc_id for s in batch]
    con.execute("BEGIN TRANSACTION")
    try:
        for t in TABLES:
            con.execute(f"DELETE FROM {t} WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        for i, t in enumerate(TABLES):
            files = [str(s.parquet(t)) for s in batch if s.parquet(t).exists()]
            if files:
                con.execute(f"INSERT INTO {t} BY NAME SELECT * FROM read_parquet(?, union_by_name = true)", [files])
            if i == 1:
                _fault_injection_pause()
        con.execute("UPDATE documents SET loaded_at = now() WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def _fault_injection_pause() -> None:
    """Crash tests set JUESUAN_FAULT_PAUSE_IN_LOAD=<seconds> to kill the process mid-transaction for real."""
    pause = os.environ.get("JUESUAN_FAULT_PAUSE_IN_LOAD")
    if pause:
        print("juesuan: paused inside load transaction", file=sys.stderr, flush=True)
        time.sleep(float(pause))


def delete_documents(warehouse: Warehouse, doc_ids: list[str]) -> None:
    """Remove documents (e.g. withdrawn from a portal) from every table, atomically."""
    with warehouse.write() as con:
        migrate_connection(con)
        con.execute("BEGIN TRANSACTION")
        for t in TABLES:
            con.execute(f"DELETE FROM {t} WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [doc_ids])
        con.execute("COMMIT")

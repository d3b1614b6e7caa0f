"""Registry entries staged and loaded without Dagster (the ingest job's work in one process), for tests that need
a warehouse of real extractions quickly."""
from __future__ import annotations

from pathlib import Path

from pipelines.stage import stage_document
from warehouse.anomalies import detect_anomalies
from warehouse.db import Warehouse
from warehouse.load import load_staged
from warehouse.staging import Staging


def stage_and_load(entries, data: Path, warehouse: Path | None = None) -> Warehouse:
    """Stage each entry under ``data``, load them into ``warehouse`` and run the anomaly rules."""
    staging = Staging(data / "staging")
    for e in entries:
        stage_document(e, data / "parsed", staging)
    wh = Warehouse(warehouse or data / "warehouse.duckdb")
    load_staged(wh, staging)
    detect_anomalies(wh)
    return wh

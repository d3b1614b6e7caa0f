"""Resources: where documents live on disk and where the warehouse is. Settings come from the environment."""

import os
from pathlib import Path

import dagster as dg

from extractors.registry import RawStore, Registry
from warehouse.db import Warehouse
from warehouse.staging import Staging


class DocumentStore(dg.ConfigurableResource):
    """The per-document file areas under one data directory: registry, raw bytes, parsed documents, staging.

    Everything here is plain files, so moving per-document work to other machines means pointing this at
    shared storage (or swapping it for an object-store implementation), not rewriting the assets.
    """

    data_dir: str

    @property
    def root(self) -> Path:
        return Path(self.data_dir).resolve()

    def registry(self) -> Registry:
        return Registry(self.root / "registry.sqlite")

    def raw_store(self) -> RawStore:
        return RawStore(self.root / "raw")

    @property
    def parsed_dir(self) -> Path:
        return self.root / "parsed"

    def staging(self) -> Staging:
        return Staging(self.root / "staging")


class WarehouseResource(dg.ConfigurableResource):
    """The single DuckDB file (one writer, behind a file lock) and the analysts' read-only snapshot."""

    path: str
    snapshot_path: str

    def warehouse(self) -> Warehouse:
        return Warehouse(Path(self.path).resolve())


class StagePool(dg.ConfigurableResource):
    """How many processes stage each batch of documents (JUESUAN_WORKERS). 1 stages in the run's own process;
    more fork workers that take documents one at a time, largest first (pipelines/stage_pool.py)."""

    workers: int = 1


def _stage_workers() -> int:
    # optional, unlike the paths: without JUESUAN_WORKERS a batch is staged in the run's own process
    # (EnvVar.int is an int that Dagster resolves from the environment when the run starts)
    return dg.EnvVar.int("JUESUAN_WORKERS") if os.environ.get("JUESUAN_WORKERS") else 1


class SourcesResource(dg.ConfigurableResource):
    """The sources.yaml that discovery crawls."""

    sources_path: str


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={
        "documents": DocumentStore(data_dir=dg.EnvVar("JUESUAN_DATA_DIR")),
        "warehouse": WarehouseResource(path=dg.EnvVar("JUESUAN_WAREHOUSE"),
                                       snapshot_path=dg.EnvVar("JUESUAN_SNAPSHOT")),
        "sources": SourcesResource(sources_path=dg.EnvVar("JUESUAN_SOURCES")),
        "stage_pool": StagePool(workers=_stage_workers()),
    })

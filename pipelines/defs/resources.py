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
    """How each batch of documents is staged: by how many processes (JUESUAN_WORKERS; documents handed out one
    at a time, largest first), and under which time rules (pipelines/stage_watch.py): a document still running
    after ``document_seconds`` (JUESUAN_DOCUMENT_SECONDS) is stopped and failed with the reason; one still
    running ``straggler_seconds`` (JUESUAN_STRAGGLER_SECONDS) after the rest of its batch finished is deferred
    to a run of its own so the others load now. 0 switches a rule off (both off: a one-process batch is staged
    in the run's own process, as the tests of the readers do)."""

    workers: int = 1
    document_seconds: int = 900  # above the readers' own 600 s budget, which ends documents as partial first
    straggler_seconds: int = 120


def _env_int(name: str, default: int):
    # optional, unlike the paths (EnvVar.int is resolved by Dagster from the environment when the run starts)
    return dg.EnvVar.int(name) if os.environ.get(name) else default


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
        "stage_pool": StagePool(workers=_env_int("JUESUAN_WORKERS", 1),
                                document_seconds=_env_int("JUESUAN_DOCUMENT_SECONDS", 900),
                                straggler_seconds=_env_int("JUESUAN_STRAGGLER_SECONDS", 120)),
    })

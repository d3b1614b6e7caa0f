"""Paths and environment for the CLI: one place that turns options into the JUESUAN_* variables the
Dagster resources read (EnvVar), and a DAGSTER_HOME per data folder that keeps its run history."""
from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Instance behaviour that only environment variables control (also exported by `make dev` for the UI and daemon).
# One "materialisation planned" event per asset and run instead of one per document: with SQLite storage each
# event costs ~7 ms, i.e. 3 s per 200-document batch. The price: when a batch run crashes, its documents show as
# missing rather than failed in the partition bar; the failed run itself is listed with its error.
# The materialisation events of a batch reach the event log as one batch (pipelines/event_log.py writes it in one
# transaction): another ~2.5 s per 200 documents.
DAGSTER_ENV = {"DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "true", "DAGSTER_EVENT_BATCH_SIZE": "1000"}


# values export_env() put in the environment itself (for the Dagster resources of this process): a later
# resolve() in the same process must not take them for the user's settings
# (every value, not only the last: a command that restores the environment it found can put an earlier
# command's exported value back)
_EXPORTED: dict[str, set[str]] = {}


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is not None and value in _EXPORTED.get(name, ()) else value


@dataclass
class Settings:
    data_dir: Path
    warehouse: Path
    snapshot: Path
    sources: Path
    dagster_home: Path

    @classmethod
    def resolve(cls, data_dir: str | None = None, warehouse: str | None = None, snapshot: str | None = None,
                sources: str | None = None, dagster_home: str | None = None) -> Settings:
        # a warehouse given without a data folder gets its own (the folder it is in), so a new warehouse never
        # inherits the documents registered and staged in the default data/ by earlier runs
        data = Path(data_dir or _env("JUESUAN_DATA_DIR")
                    or (Path(warehouse).parent if warehouse else "data")).resolve()
        wh = Path(warehouse or _env("JUESUAN_WAREHOUSE") or data / "warehouse.duckdb").resolve()
        snap = Path(snapshot or _env("JUESUAN_SNAPSHOT") or wh.parent / "analyst" / "juesuan.duckdb").resolve()
        src = Path(sources or _env("JUESUAN_SOURCES") or PROJECT_ROOT / "sources.yaml").resolve()
        # one Dagster instance per data folder: the demo's runs and partitions never mix with a real run's
        home = Path(dagster_home or _env("DAGSTER_HOME") or data / "dagster_home").resolve()
        return cls(data, wh, snap, src, home)

    def export_env(self) -> None:
        """Make the Dagster resources (EnvVar) and instance see these paths."""
        sync_instance_config(self.dagster_home)
        for key, value in (("JUESUAN_DATA_DIR", self.data_dir), ("JUESUAN_WAREHOUSE", self.warehouse),
                           ("JUESUAN_SNAPSHOT", self.snapshot), ("JUESUAN_SOURCES", self.sources),
                           ("DAGSTER_HOME", self.dagster_home)):
            if os.environ.get(key) != str(value):  # a value the user set stays theirs
                _EXPORTED.setdefault(key, set()).add(str(value))
            os.environ[key] = str(value)
        for key, value in DAGSTER_ENV.items():
            os.environ.setdefault(key, value)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sync_instance_config(home: Path, project_config: Path = PROJECT_ROOT / "dagster.yaml") -> str:
    """Put the project's dagster.yaml in DAGSTER_HOME, and keep an unedited copy current.

    The instance reads DAGSTER_HOME/dagster.yaml, a copy: without a refresh, an upgrade that changes the
    project's file (the event log class, pools, run queue) would never reach an existing home. A stamp beside
    the copy records what was copied; a copy that no longer matches its stamp was edited by the operator and is
    left alone, with a warning while it differs from the project's. Returns what happened: copied, refreshed,
    current or kept.
    """
    home.mkdir(parents=True, exist_ok=True)
    cfg, stamp = home / "dagster.yaml", home / ".dagster.yaml.sha256"
    want = project_config.read_bytes()
    have = cfg.read_bytes() if cfg.exists() else None
    if have == want:
        if not stamp.exists():
            stamp.write_text(_sha256(want) + "\n")
        return "current"
    if have is not None and not (stamp.exists() and stamp.read_text().strip() == _sha256(have)):
        print(f"juesuan: {cfg} differs from {project_config} and was edited (or copied before juesuan kept a "
              "stamp), so it is left as it is; compare the two, or delete it to take the project's", file=sys.stderr)
        return "kept"
    tmp = cfg.with_name(f".dagster.yaml.tmp{os.getpid()}")
    tmp.write_bytes(want)
    os.replace(tmp, cfg)  # a reader sees the old file or the new one
    stamp.write_text(_sha256(want) + "\n")
    return "copied" if have is None else "refreshed"


if __name__ == "__main__":  # `make dev`: the same copy/refresh before the UI starts
    print(f"{os.environ['DAGSTER_HOME']}/dagster.yaml: {sync_instance_config(Path(os.environ['DAGSTER_HOME']))}")

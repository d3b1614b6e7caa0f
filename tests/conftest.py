"""Shared fixtures. Real-corpus tests read ../shared (never copied into the repo) and skip when it is absent."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(__import__("os").environ.get("JUESUAN_SHARED", REPO.parent / "shared"))
REAL_CORPUS = SHARED / "corpus" / "real"
SEED_CORPUS = SHARED / "corpus" / "seed"


def require_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: real-corpus tests need ../shared beside the repository (CI has it)")
    return path


@pytest.fixture
def shared_dir() -> Path:
    return require_shared(SHARED)


@pytest.fixture
def real_corpus() -> Path:
    return require_shared(REAL_CORPUS)


@pytest.fixture
def seed_corpus() -> Path:
    return require_shared(SEED_CORPUS)


@pytest.fixture
def clean_env(monkeypatch):
    """No JUESUAN_* or DAGSTER_HOME from the caller's shell: tests pass their paths explicitly."""
    for k in ("DAGSTER_HOME", "JUESUAN_DATA_DIR", "JUESUAN_WAREHOUSE", "JUESUAN_SNAPSHOT"):
        monkeypatch.delenv(k, raising=False)

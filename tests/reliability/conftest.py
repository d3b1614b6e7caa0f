"""Fixtures for the hostile cases: a small warehouse with a published snapshot (hand-made records, no Dagster),
and tiny generated disclosures for the cases that need a real `juesuan ingest`."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pipelines.test_cli import data  # noqa: F401 - the fixture: warehouse + snapshot from two records

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def docx_corpus(tmp_path_factory) -> list[Path]:
    """Three one-year DOCX disclosures of three units (DOCX reads fastest)."""
    from extractors.synthetic import build_corpus

    out = tmp_path_factory.mktemp("reliability_corpus")
    return [Path(m["path"]) for m in build_corpus(out, units=3, years=(2024,), formats=("docx",))]


def juesuan(*args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    """`juesuan ARGS` in its own process (what a user or cron runs), stdout and stderr captured."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "JUESUAN_DATA_DIR",
                                                                   "JUESUAN_WAREHOUSE", "JUESUAN_SNAPSHOT")}
    full_env.update(env or {})
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", *args], cwd=REPO, env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)

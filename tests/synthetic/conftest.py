from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.synthetic import build_corpus

CORPUS_ARGS = {"units": 6, "years": (2023, 2024), "formats": ("pdf", "docx"), "seed": 7}


@pytest.fixture(scope="session")
def corpus_args() -> dict:
    return dict(CORPUS_ARGS)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("synthetic")
    return out, build_corpus(out, **CORPUS_ARGS)


@pytest.fixture(scope="session")
def truths(corpus) -> dict[str, dict]:
    _, manifest = corpus
    return {rec["path"]: json.loads(Path(rec["truth_path"]).read_text(encoding="utf-8")) for rec in manifest}

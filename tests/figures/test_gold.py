"""The shared gold files (seed DOCX/PDF and one hand-labelled Shanghai 决算) at the contract's accuracy bar."""
from __future__ import annotations

import json

import pytest

from extractors.figures import extract_file
from tests.conftest import SHARED, require_shared
from tests.figures.truth_compare import compare

pytestmark = pytest.mark.real_corpus


def _cases():
    gold = SHARED / "gold"
    if not gold.exists():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"{gold} absent"))]
    out = []
    for g in sorted(gold.glob("*.json")):
        d = json.loads(g.read_text(encoding="utf-8"))
        for f in d["file"] if isinstance(d["file"], list) else [d["file"]]:
            out.append(pytest.param(g, f, id=f.rsplit("/", 1)[-1]))
    return out


@pytest.mark.parametrize("gold_path,rel", _cases())
def test_gold(gold_path, rel):
    require_shared(SHARED / rel)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    out = extract_file(SHARED / rel)
    c = compare(out, gold)
    assert c["recall"] >= 0.95, c["missing"]
    assert c["precision"] >= 0.98, c["wrong"]
    assert c["li_recall"] >= 0.95, c["li_missing"]

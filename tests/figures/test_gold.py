"""The shared gold files (seed DOCX/PDF and one hand-labelled Shanghai 决算) at the contract's accuracy bar."""
from __future__ import annotations

import json

import pytest

from extractors.figures import extract_file
from tests.conftest import SHARED, require_shared
from tests.figures.truth_compare import compare

pytestmark = pytest.mark.real_corpus

# The two budgets added to the shared gold fail the bar until issue 12's extraction work lands. A strict xfail
# turns red the moment a case passes, so the mark cannot outlive the fix: remove a name once its case passes.
_PENDING_ISSUE_12 = {"guangdong_sz-czj_2026_yusuan.pdf", "chongqing_cq-qxj_2026_yusuan.pdf"}
_PENDING_MARK = pytest.mark.xfail(strict=True, reason="issue 12: budget families (explicit zeros, prior-year, "
                                  "procurement shares, assets) not yet extracted")


def _cases():
    gold = SHARED / "gold"
    if not gold.exists():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"{gold} absent"))]
    out = []
    for g in sorted(gold.glob("*.json")):
        d = json.loads(g.read_text(encoding="utf-8"))
        for f in d["file"] if isinstance(d["file"], list) else [d["file"]]:
            name = f.rsplit("/", 1)[-1]
            marks = [_PENDING_MARK] if name in _PENDING_ISSUE_12 else []
            out.append(pytest.param(g, f, id=name, marks=marks))
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

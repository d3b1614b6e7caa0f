"""Extraction against the hand-checked values of ``real_expectations.py`` (15 real documents, 12 regions/templates).

The documents are split into a tuning half and a test half (``halves.py``); both are scored and reported, and
a test-half failure is never a reason to change extraction code.

Recall = expected values the extractor returns with the right value; precision = of the expected metrics the
extractor returns at all, the share with the right value (a wrong value is worse than a missing one). The bar
is per document (recall ≥ 0.85, precision ≥ 0.95) and over the whole set (recall ≥ 0.95, precision ≥ 0.98).

    .venv/bin/python -m tests.figures.test_real_values     # prints the per-document and overall score
"""
from __future__ import annotations

import pytest

from tests.conftest import REAL_CORPUS, require_shared
from tests.figures.halves import half_of
from tests.figures.real_expectations import EXPECTED

pytestmark = pytest.mark.real_corpus

_cache: dict[str, dict] = {}


def _extract(name: str) -> dict:
    if name not in _cache:
        from extractors.figures import extract_file

        _cache[name] = extract_file(require_shared(REAL_CORPUS) / name)
    return _cache[name]


def _close(a, b) -> bool:
    return abs(float(a) - float(b)) <= 0.011 + 1e-6 * abs(float(b))


def score(values: dict, expected: list[tuple]) -> dict:
    ok, missing, wrong = [], [], []
    for metric, want, page, text in expected:
        if metric not in values:
            missing.append((metric, want, page, text))
        elif _close(values[metric], want):
            ok.append(metric)
        else:
            wrong.append((metric, values[metric], want, page, text))
    return {"ok": ok, "missing": missing, "wrong": wrong}


def totals(scores: list[dict]) -> tuple[float, float]:
    ok = sum(len(s["ok"]) for s in scores)
    n = ok + sum(len(s["missing"]) + len(s["wrong"]) for s in scores)
    got = ok + sum(len(s["wrong"]) for s in scores)
    return ok / max(1, n), ok / max(1, got)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_values(name):
    s = score(_extract(name)["values"], EXPECTED[name])
    n = len(EXPECTED[name])
    assert len(s["ok"]) / n >= 0.85, s["missing"] + s["wrong"]
    assert len(s["ok"]) / max(1, len(s["ok"]) + len(s["wrong"])) >= 0.95, s["wrong"]


@pytest.mark.parametrize("half", ["tuning", "test"])
def test_real_values_overall(half):
    require_shared(REAL_CORPUS)
    names = [n for n in sorted(EXPECTED) if half_of(n) == half]
    assert names
    recall, precision = totals([score(_extract(n)["values"], EXPECTED[n]) for n in names])
    assert recall >= 0.95 and precision >= 0.98, (half, recall, precision)


def main(argv: list[str] | None = None) -> None:
    import json
    import sys
    from pathlib import Path

    args = sys.argv[1:] if argv is None else argv
    src = Path(args[0]) if args else None  # optional directory of saved records (<file>.json)
    for half in ("tuning", "test"):
        names = [n for n in sorted(EXPECTED) if half_of(n) == half]
        scores = []
        for name in names:
            rec = json.loads((src / f"{name}.json").read_text()) if src else _extract(name)
            s = score(rec["values"], EXPECTED[name])
            scores.append(s)
            print(f"[{half}] {name}: {len(s['ok'])}/{len(EXPECTED[name])}")
            for m in s["missing"]:
                print("   missing", m[:3])
            for w in s["wrong"]:
                print("   WRONG  ", w[:4])
        recall, precision = totals(scores)
        print(f"real expectations, {half} half: recall {recall:.3f} precision {precision:.3f} "
              f"({sum(len(EXPECTED[n]) for n in names)} values, {len(names)} documents)")


if __name__ == "__main__":
    main()

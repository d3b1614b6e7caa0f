"""Our own gold (``tests/gold/*.json``, labelled from the page, in the shared gold's format) at the shared gold's bar.

The bar of issue 12 — values recall ≥ 0.98, precision ≥ 0.995, line items recall ≥ 0.99 — holds per half:
the tuning half (code may change because of its failures) and the test half (never). A half that is below the
bar is a strict xfail carrying the measured numbers, so it fails the suite as soon as it passes and the mark
must go. ``python -m tests.figures.test_own_gold`` prints both halves with every miss.

    PATH=.venv/bin:$PATH python3 ../shared/tools/score_extract.py --gold tests/gold --docs ../shared
scores the same files through ``juesuan extract``.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import REAL_CORPUS, SHARED, require_shared
from tests.figures.halves import BATCHES, HALF, half_of, split_by_rule
from tests.figures.truth_compare import compare

pytestmark = pytest.mark.real_corpus

GOLD = Path(__file__).resolve().parents[1] / "gold"
BAR = {"recall": 0.98, "precision": 0.995, "li_recall": 0.99}
# measured 2026-12-03 when the test half was first scored; never a reason to change extraction code
_BELOW_BAR = {"test": "issue 12: the test half is below the bar (2026-12-03, after batch 6: 15 documents, values "
                      "recall 0.944, precision 0.999, line items 1.000); reported, never tuned for"}
_cache: dict[str, dict] = {}


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.json"))


def _extract(rel: str) -> dict:
    if rel not in _cache:
        from extractors.figures import extract_file

        _cache[rel] = extract_file(require_shared(SHARED / rel))
    return _cache[rel]


def score_half(half: str) -> dict:
    tot = {"n": 0, "ok": 0, "wrong": 0, "li_n": 0, "li_missing": 0, "docs": {}}
    for g in gold_files():
        gold = json.loads(g.read_text(encoding="utf-8"))
        if gold["half"] != half:
            continue
        c = compare(_extract(gold["file"]), gold)
        tot["docs"][g.stem] = c
        tot["n"] += c["n"]
        tot["ok"] += c["ok"]
        tot["wrong"] += len(c["wrong"])
        tot["li_n"] += c["li_n"]
        tot["li_missing"] += len(c["li_missing"])
    tot["recall"] = tot["ok"] / tot["n"] if tot["n"] else 1.0
    tot["precision"] = tot["ok"] / (tot["ok"] + tot["wrong"]) if tot["ok"] + tot["wrong"] else 1.0
    tot["li_recall"] = 1 - tot["li_missing"] / tot["li_n"] if tot["li_n"] else 1.0
    return tot


def test_every_gold_file_names_a_real_document_and_its_half():
    files = gold_files()
    assert len(files) >= 6
    for g in files:
        gold = json.loads(g.read_text(encoding="utf-8"))
        assert gold["file"].startswith("corpus/real/"), g.name
        assert gold["half"] == half_of(gold["file"]), (g.name, gold["half"])
        assert gold["document"]["fiscal_year"] and gold["values"], g.name
    halves = {json.loads(g.read_text(encoding="utf-8"))["half"] for g in files}
    assert halves == {"tuning", "test"}


def test_halves_follow_the_rule():
    manifest = require_shared(SHARED / "corpus" / "manifest_real.csv")
    with manifest.open(encoding="utf-8") as fh:
        sha = {r["file"]: r["sha256"] for r in csv.DictReader(fh)}
    for batch in BATCHES:
        assert split_by_rule(batch, sha) == {f: HALF[f] for f in batch}


@pytest.mark.parametrize("half", [
    "tuning",
    pytest.param("test", marks=pytest.mark.xfail(strict=True, reason=_BELOW_BAR["test"])),
])
def test_own_gold_half_at_the_bar(half):
    require_shared(REAL_CORPUS)
    s = score_half(half)
    misses = {d: (c["missing"], c["wrong"], len(c["li_missing"])) for d, c in s["docs"].items()
              if c["missing"] or c["wrong"] or c["li_missing"]}
    assert s["recall"] >= BAR["recall"], misses
    assert s["precision"] >= BAR["precision"], misses
    assert s["li_recall"] >= BAR["li_recall"], misses


def main() -> None:
    for half in ("tuning", "test"):
        s = score_half(half)
        for d, c in s["docs"].items():
            print(f"[{half}] {d}: values {c['ok']}/{c['n']} (wrong {len(c['wrong'])}, missing {len(c['missing'])}) "
                  f"line_items {c['li_n'] - len(c['li_missing'])}/{c['li_n']}")
            if half == "tuning":
                for k in c["missing"]:
                    print("    missing", k)
                for w in c["wrong"]:
                    print("    wrong  ", w)
        print(f"{half} half: docs {len(s['docs'])} | values recall {s['recall']:.3f} precision {s['precision']:.3f} "
              f"| line_items recall {s['li_recall']:.3f}")


if __name__ == "__main__":
    main()

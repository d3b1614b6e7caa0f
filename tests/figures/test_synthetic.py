"""Extraction against the corpus factory's known values, for every regional template and both formats."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.figures import extract_file
from tests.figures.truth_compare import compare

synthetic = pytest.importorskip("extractors.synthetic")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("synthetic")
    names = list(synthetic.TEMPLATE_ORDER)
    return synthetic.build_corpus(out, units=len(names), years=(2024,), formats=("pdf", "docx"), templates=names,
                                  anomalies=False)


def test_factory_covers_four_templates_and_two_formats(corpus):
    assert len({r["template"] for r in corpus}) >= 4
    assert {r["format"] for r in corpus} == {"pdf", "docx"}
    truths = [json.loads(Path(r["truth_path"]).read_text(encoding="utf-8")) for r in corpus]
    flagged = {flag: {f["metric"] for t in truths for f in t["figures"] if f.get(flag)} for flag in ("blank", "derived")}
    # the families of issue 12 the factory renders: blank zeros and prior years stated only as a change
    assert len(flagged["blank"]) >= 3 and {"gpb.expenditure_prev", "sangong.total_prev"} <= flagged["derived"]


@pytest.mark.parametrize("i", range(2 * len(synthetic.TEMPLATE_ORDER)))
def test_values_and_line_items_match_truth(corpus, i):
    if i >= len(corpus):
        pytest.skip("fewer documents in this corpus")
    rec = corpus[i]
    truth = json.loads(Path(rec["truth_path"]).read_text(encoding="utf-8"))
    out = extract_file(rec["path"])
    c = compare(out, truth)
    where = f"{rec['template']}/{rec['format']}"
    assert c["recall"] >= 0.95, f"{where}: missing {c['missing']} wrong {c['wrong']}"
    assert c["precision"] >= 0.98, f"{where}: wrong {c['wrong']}"
    assert c["li_recall"] >= 0.95, f"{where}: line items missing {c['li_missing'][:10]}"
    assert out["document"]["status"] == "ok", out["document"]["errors"]
    # a function table printed without codes (the Sichuan style's 支出决算表) gets its codes from the names
    if rec["template"] == "sichuan":
        t03 = [li for li in out["line_items"] if li["table"] == "T03"]
        assert t03 and all(li.get("code_mapped") for li in t03), where
    # blank zeros and prior-year figures stated only as a change carry their flag (extract-output.md)
    for flag in ("blank", "derived"):
        for m in {f["metric"] for f in truth["figures"] if f.get(flag)}:
            assert any(f["metric"] == m and f.get(flag) for f in out["figures"]), f"{where}: {m} not flagged {flag}"
    # provenance: every figure has page, source and raw text; PDF figures carry a bounding box
    for f in out["figures"]:
        assert f["source"] in ("table", "narrative") and f["page"] >= 1 and f["text"]
        if rec["format"] == "pdf" and not f.get("derived"):
            assert f.get("bbox"), f


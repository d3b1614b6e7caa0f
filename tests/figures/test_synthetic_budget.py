"""Extraction against the corpus factory's budget template (issue 12's budget families), PDF and DOCX.

The budget's 支出总表 lists units by 单位编码 (no function codes), its 三公 table prints the prior year's row
first, prior years are stated only as changes, and the assets paragraph names vehicles held at 截至上年末
beside vehicles to be bought.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.figures import extract_file
from tests.figures.truth_compare import compare

synthetic = pytest.importorskip("extractors.synthetic")


@pytest.fixture(scope="module")
def budgets(tmp_path_factory) -> list[tuple[dict, dict, dict]]:
    out = tmp_path_factory.mktemp("budgets")
    corpus = synthetic.build_corpus(out, units=3, years=(2026,), formats=("pdf", "docx"), templates=["budget"],
                                    anomalies=False)
    return [(r, json.loads(Path(r["truth_path"]).read_text(encoding="utf-8")), extract_file(r["path"]))
            for r in corpus]


def test_budget_documents_match_their_truth(budgets):
    assert len(budgets) == 6
    for rec, truth, out in budgets:
        c = compare(out, truth)
        where = f"{Path(rec['path']).name}"
        assert truth["document"]["kind"] == "budget" and out["document"]["kind"] == "budget", where
        assert c["recall"] >= 0.98 and c["precision"] >= 0.995, (where, c["missing"], c["wrong"])
        assert c["li_recall"] >= 0.99, (where, c["li_missing"][:5])


def _table_fig(out: dict, metric: str, table: str) -> dict | None:
    return next((f for f in out["figures"] if f["metric"] == metric and f.get("table") == table), None)


def test_unit_coded_expenditure_table_gives_the_totals(budgets):
    for _, truth, out in budgets:
        for metric in ("expenditure.total", "expenditure.basic", "expenditure.project"):
            f = _table_fig(out, metric, "T03")
            assert f is not None and f["value"] == pytest.approx(truth["values"][metric], abs=0.011), metric


def test_three_public_table_uses_the_budget_years_row_not_the_prior_years(budgets):
    for _, truth, out in budgets:
        f = _table_fig(out, "sangong.total", "T07")
        assert f is not None and f["value"] == pytest.approx(truth["values"]["sangong.total"], abs=0.011)
        assert out["values"]["sangong.total_prev"] == pytest.approx(truth["values"]["sangong.total_prev"], abs=0.011)
        assert any(f["metric"] == "sangong.total_prev" and f.get("derived") for f in out["figures"])


def test_vehicles_held_versus_to_buy_and_sme_reservations(budgets):
    for _, truth, out in budgets:
        v, t = out["values"], truth["values"]
        assert (v["assets.vehicles"], v["sangong.vehicles_purchased"]) == (t["assets.vehicles"],
                                                                           t["sangong.vehicles_purchased"])
        assert v["procurement.sme"] == pytest.approx(t["procurement.sme"], abs=0.011)
        assert v["procurement.micro"] == pytest.approx(t["procurement.micro"], abs=0.011)

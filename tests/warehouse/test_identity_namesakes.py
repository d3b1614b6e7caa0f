"""Issue 18 end to end on generated documents: three 东城县财政局 of three cities (and two city-level 财政局), two
years each, read by the extractor, loaded and checked. The name-only key merges the namesakes (the collision);
the (region, name) key keeps them apart, and no cross-year comparison pairs two different units."""
from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from extractors.figures import extract_file
from extractors.synthetic import build_unit_models, generate_document
from pipelines.stage import metric_value_types
from warehouse.anomaly_rules.cross import _unit_docs, prior_quotes
from warehouse.db import Warehouse
from warehouse.load import load_staged
from warehouse.staging import Staging, record_rows

SERIES = (0, 7, 28, 35, 42)  # 青川市财政局, 岭江市财政局, 东城县财政局 × 3 (青川市, 岭江市, 海澄市)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("namesakes")
    series = build_unit_models(units=max(SERIES) + 1)
    staging, truth = Staging(root / "staging"), {}
    for i in SERIES:
        for model in series[i]:
            path = root / f"u{i}_{model.fiscal_year}.pdf"
            generate_document(model, None, "pdf", path)
            rec = extract_file(path)
            doc_id = f"u{i}-{model.fiscal_year}"
            rows = record_rows(doc_id, rec, value_types=metric_value_types(), extractor_version="t")
            staging.write(doc_id, rec, rows, sha256=rec["document"]["sha256"], extractor_version="t")
            truth[doc_id] = (model.region_name, model.unit_name)
    wh = Warehouse(root / "wh.duckdb")
    load_staged(wh, staging)
    with wh.read() as con:
        docs = con.execute("SELECT doc_id, unit_id, legacy_unit_id, unit_name, region_name, unit_status, fiscal_year, "
                           "kind, scope FROM documents ORDER BY doc_id").df()
        amounts = con.execute("SELECT doc_id, metric_id, CAST(amount_wan AS DOUBLE) AS a FROM metric_values "
                              "WHERE amount_wan IS NOT NULL").df().set_index(["doc_id", "metric_id"]).a
        views = con.execute("SELECT region_name, unit_name, fiscal_year, kind, scope, count(*) AS n "
                            "FROM unit_year_finance GROUP BY ALL").df()
    return docs, amounts, views, truth


def _wrong_pairs(docs: pd.DataFrame, truth: dict) -> int:
    """Cross-year pairs (this year's document → the document taken as last year's) of two different units."""
    by_key = _unit_docs(docs)
    pairs = [(r.doc_id, by_key.get((r.unit_id, int(r.fiscal_year) - 1, r.kind, r.scope))) for r in docs.itertuples()
             if r.unit_id]
    return sum(1 for d, prev in pairs if prev and truth[prev] != truth[d])


def test_namesakes_are_three_units_and_never_compared(loaded):
    docs, amounts, views, truth = loaded
    assert len(docs) == 2 * len(SERIES) and (docs.unit_status == "resolved").all()
    dongcheng = docs[docs.unit_name == "东城县财政局"]
    assert len(dongcheng) == 6
    assert dongcheng.legacy_unit_id.nunique() == 1  # the name alone: one "unit" (the collision)
    assert dongcheng.unit_id.nunique() == 3  # (region, name): three units, one per city
    assert set(dongcheng.region_name) == {"四川省青川市东城县", "岭江市东城县", "海澄市东城县"}  # as printed
    # every document's key is its own unit's, and each unit has both years
    assert docs.groupby("unit_id").doc_id.apply(lambda d: len({truth[x] for x in d})).max() == 1
    assert Counter(docs.groupby("unit_id").size()) == {2: len(SERIES)}
    legacy = docs.assign(unit_id=docs.legacy_unit_id)
    assert _wrong_pairs(legacy, truth) > 0 and _wrong_pairs(docs, truth) == 0
    where = lambda d, m: (None, "")  # noqa: E731
    wrong_quotes = [f for f in prior_quotes(docs, amounts, where) if "上年文件" in f["evidence"]
                    and truth[f["evidence"].split("上年文件 ")[1].rstrip("）")] != truth[f["doc_id"]]]
    assert wrong_quotes == []
    # the unit-year views: one row per (region, unit, year, kind, scope)
    assert (views.n == 1).all() and len(views) == len(docs)

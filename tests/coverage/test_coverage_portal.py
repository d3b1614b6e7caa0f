"""Coverage end to end on the corpus factory's portal (extractors/synthetic/portal.py) served on 127.0.0.1:
crawl → stage → load → coverage, with a register and without one."""
from __future__ import annotations

import datetime as dt

import pytest

from extractors.crawl import crawl_sources
from extractors.registry import RawStore, Registry
from extractors.synthetic.portal import build_portal, serve
from pipelines.coverage import coverage_inputs
from pipelines.stage import stage_document
from warehouse.coverage import build_coverage, read_coverage
from warehouse.db import Warehouse
from warehouse.load import load_staged
from warehouse.staging import Staging

AS_OF = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("coverage-portal")
    site = build_portal(root / "portal", units=6, years=(2023, 2024), formats=("pdf",))
    data = root / "data"
    with serve(site.root) as url, Registry(data / "registry.sqlite") as reg:
        sources = root / "sources.yaml"
        sources.write_text(site.sources_yaml(url), encoding="utf-8")
        first = list(crawl_sources(sources, reg, RawStore(data / "raw")))
        second = list(crawl_sources(sources, reg, RawStore(data / "raw")))
        entries = reg.all()
    staging = Staging(data / "staging")
    for e in entries:
        stage_document(e, data / "parsed", staging)
    wh = Warehouse(data / "warehouse.duckdb")
    wh.migrate()
    load_staged(wh, staging)
    return site, data, sources, wh, first, second


def _rows(wh):
    with wh.read() as con:
        return {(r["unit_name"], r["fiscal_year"]): r for r in read_coverage(con)}


def test_crawl_stores_each_published_document_once(loaded):
    site, _data, _sources, _wh, first, second = loaded
    fetched = [r for r in first if r["status"] == "fetched"]
    assert len(fetched) == len(site.published)
    notice = [r for r in first if "通知" in r["title"]]
    assert len(notice) == 1 and notice[0]["reason"].startswith("not a disclosure: notice")
    assert not [r for r in second if r["status"] == "fetched"]


def test_missing_late_and_renamed_with_a_register(loaded, monkeypatch):
    site, data, sources, wh, *_ = loaded
    monkeypatch.setenv("JUESUAN_UNITS", str(site.units_dir))
    summary = build_coverage(wh, coverage_inputs(data / "registry.sqlite", sources, as_of=AS_OF))
    rows = _rows(wh)
    (unit, year), = site.missing
    missing = rows[(unit, year)]
    assert (missing["status"], missing["required"], missing["past_deadline"]) == ("missing", True, True)
    assert missing["deadline"] == f"{year + 1}-08-20" and missing["days_late"] == (AS_OF - dt.date(year + 1, 8, 20)).days
    (unit, year, published), = site.late
    late = rows[(unit, year)]
    assert (late["status"], late["publish_date"], late["deadline"], late["days_late"]) == \
        ("late", published, f"{year + 1}-08-20", 26)
    former, name, last_year = site.renamed
    renamed = [r for r in rows.values() if r["unit_name"] == name]
    assert {r["status"] for r in renamed} == {"found"} and len(renamed) == 2
    old = next(r for r in renamed if r["fiscal_year"] == last_year)
    assert old["published_name"] == former and old["matched_by"] == f"register alias ({former})"
    assert summary.by_status == {"found": len(site.published) - 1, "late": 1, "missing": 1}
    assert [(r["unit_name"], r["fiscal_year"]) for r in summary.overdue] == site.missing


def test_without_a_register_last_years_publishers_are_expected(loaded, monkeypatch):
    site, data, sources, wh, *_ = loaded
    monkeypatch.delenv("JUESUAN_UNITS", raising=False)
    build_coverage(wh, coverage_inputs(data / "registry.sqlite", sources, as_of=AS_OF))
    rows = _rows(wh)
    (unit, year), = site.missing
    assert rows[(unit, year)]["status"] == "missing" and rows[(unit, year)]["expected_basis"] == "previous_year"
    assert rows[(unit, year)]["past_deadline"] is None  # no register, no approval dates: unknown, not a guess
    assert {r["expected_basis"] for r in rows.values() if r["fiscal_year"] == year} >= {"previous_year"}
    former, name, last_year = site.renamed
    # without the register the rename is invisible: the former name is expected again, the new one is new
    assert rows[(former, last_year + 1)]["status"] == "missing"
    assert rows[(name, last_year + 1)]["expected_basis"] == "first_seen"

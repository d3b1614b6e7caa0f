"""The demo portal with its 部门预算 column (build_portal(budgets=...)): the same department units' budgets for the
same two years, crawled, loaded and compared with their final accounts, so every README query has rows."""
from __future__ import annotations

import datetime as dt

import pytest

from extractors.crawl import crawl_sources
from extractors.registry import RawStore, Registry
from extractors.synthetic.portal import build_portal, serve
from pipelines.coverage import coverage_inputs
from tests.pipelines.loaded import stage_and_load
from tests.pipelines.test_ux_readme import QUERIES
from warehouse.coverage import build_coverage, read_coverage


@pytest.fixture(scope="module")
def portal_warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("portal-budgets")
    site = build_portal(root / "portal", units=4, years=(2023, 2024), formats=("pdf",), budgets=("pdf",))
    data = root / "data"
    with serve(site.root) as url, Registry(data / "registry.sqlite") as reg:
        sources = root / "sources.yaml"
        sources.write_text(site.sources_yaml(url), encoding="utf-8")
        crawled = list(crawl_sources(sources, reg, RawStore(data / "raw")))
        entries = reg.all()
    wh = stage_and_load(entries, data)
    mp = pytest.MonkeyPatch()
    mp.setenv("JUESUAN_UNITS", str(site.units_dir))
    try:
        build_coverage(wh, coverage_inputs(data / "registry.sqlite", sources, as_of=dt.date(2026, 1, 1)))
    finally:
        mp.undo()
    return site, wh, crawled


def test_budgets_are_published_beside_the_final_accounts_and_crawled(portal_warehouse):
    site, wh, crawled = portal_warehouse
    fetched = [r for r in crawled if r["status"] == "fetched"]
    assert len(fetched) == len(site.published) + len(site.budgets)
    # department units only (a 单位决算's unit publishes no 部门预算), both years each
    assert {(b["unit_name"], b["fiscal_year"]) for b in site.budgets} == \
        {(b["unit_name"], y) for b in site.budgets for y in (2023, 2024)}
    with wh.read() as con:
        kinds = dict(con.execute("SELECT kind, count(*) FROM documents GROUP BY ALL").fetchall())
        rates = [r[0] for r in con.execute("SELECT execution_pct FROM budget_vs_actual "
                                           "WHERE metric_id = 'expenditure.total'").fetchall()]
        # the 预算数 a 决算 quotes is what the unit's 预算 document plans (三公 and 一般公共预算支出)
        quoted = con.execute("""
            SELECT f.unit_name, f.fiscal_year, q.metric_id, CAST(q.amount_wan AS DOUBLE), CAST(p.amount_wan AS DOUBLE)
            FROM documents f JOIN documents b ON b.unit_id = f.unit_id AND b.fiscal_year = f.fiscal_year
                 AND b.kind = 'budget' AND f.kind = 'final_accounts'
            JOIN metric_values q ON q.doc_id = f.doc_id AND q.metric_id IN ('sangong.budget', 'gpb.budget')
            JOIN metric_values p ON p.doc_id = b.doc_id
                 AND p.metric_id = CASE q.metric_id WHEN 'sangong.budget' THEN 'sangong.total' ELSE 'gpb.expenditure' END
            """).fetchall()
    assert kinds == {"budget": len(site.budgets), "final_accounts": len(site.published)}
    # budget meets actual for every unit-year published under one name (the renamed unit's first year is not)
    assert len(rates) >= len(site.budgets) - 1 and all(80 <= r <= 100.01 for r in rates), rates
    assert len(quoted) >= len(site.budgets) and [q for q in quoted if abs(q[3] - q[4]) > 0.011] == []


def test_budgets_are_on_time_and_the_final_accounts_coverage_is_unchanged(portal_warehouse):
    site, wh, _ = portal_warehouse
    with wh.read() as con:
        rows = read_coverage(con)
    budgets = {(r["unit_name"], r["fiscal_year"]): r["status"] for r in rows if r["kind"] == "budget"}
    assert budgets == {(b["unit_name"], b["fiscal_year"]): "found" for b in site.budgets}
    finals = {(r["unit_name"], r["fiscal_year"]): r["status"] for r in rows if r["kind"] == "final_accounts"}
    assert finals[site.missing[0]] == "missing" and finals[site.late[0][:2]] == "late"


@pytest.mark.parametrize("sql", QUERIES, ids=[q.split("FROM ")[1].split()[0] for q in QUERIES])
def test_every_readme_query_returns_rows(sql, portal_warehouse):
    _, wh, _ = portal_warehouse
    with wh.read() as con:
        assert con.execute(sql).fetchall(), sql


def test_prior_year_figures_stand_beside_this_years_with_the_change(portal_warehouse):
    """Every unit-year view row that has a 上年 figure carries the change, computed (not re-read from the text)."""
    _, wh, _ = portal_warehouse
    with wh.read() as con:
        rows = con.execute("""
            SELECT kind, sangong_total_wan, sangong_total_prev_wan, sangong_total_change_wan, sangong_total_change_pct
            FROM unit_year_sangong WHERE sangong_total_prev_wan IS NOT NULL""").fetchall()
        finance = con.execute("SELECT grand_total_wan, grand_total_prev_wan, grand_total_change_wan "
                              "FROM unit_year_finance WHERE grand_total_prev_wan IS NOT NULL").fetchall()
    assert {r[0] for r in rows} == {"final_accounts", "budget"} and finance
    for _kind, now, prev, change, pct in rows:
        assert change == now - prev and (prev == 0 or abs(float(pct) - float(change / prev * 100)) < 0.006)
    assert all(change == now - prev for now, prev, change in finance)

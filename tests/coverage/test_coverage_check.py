"""The coverage check in Dagster (fails with a table of the required units missing past their deadline), deadlines
given per source in sources.yaml, unknown dates printed as unknown, and the matrix in the written HTML report."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from test_coverage_rows import PUBS, REGISTER

from pipelines.coverage import coverage_inputs, format_rows
from pipelines.defs.coverage.assets import required_units_published
from pipelines.defs.resources import WarehouseResource
from schemas.units import load_units
from warehouse.coverage import CoverageInputs, Publication, build_coverage, read_coverage

SOURCES = """sources:
  - name: changsha_portal
    kind: portal
    start_urls: ["https://czj.changsha.gov.cn/col/index.html"]
    region: 长沙市
    deadlines:
      final_accounts: {days: 40, approved: {2024: 2025-08-01}}
"""


@pytest.fixture
def register(tmp_path):
    (tmp_path / "units.yaml").write_text(REGISTER, encoding="utf-8")
    return load_units(tmp_path / "units.yaml")


def _check(wh):
    return required_units_published(warehouse=WarehouseResource(path=str(wh.path), snapshot_path=str(wh.path)))


def test_check_fails_with_a_table_of_the_required_units_missing_past_the_deadline(wh, register):
    build_coverage(wh, CoverageInputs(register=register, publications=PUBS, as_of=dt.date(2025, 12, 1)))
    result = _check(wh)
    assert not result.passed
    md = result.metadata
    assert md["missing_past_deadline"].value == 1 and md["late"].value == 1
    table = md["units"].value.splitlines()
    assert table[0].startswith("| 地区 | 单位 | 年度") and len(table) == 3  # header, rule, one unit
    assert "| 长沙市 | 长沙市审计局 | 2024 | 决算 | 部门 | 未公开 | unknown | 2025-08-21 |" in table[2]
    assert "长沙市审计局 2024 final_accounts (department) missing, deadline 2025-08-21" in md["reason"].value


def test_check_passes_before_the_deadline_and_when_it_is_unknown(wh, register):
    build_coverage(wh, CoverageInputs(register=register, publications=PUBS, as_of=dt.date(2025, 8, 15)))
    assert _check(wh).passed  # 长沙市审计局 is missing, but not yet due
    build_coverage(wh, CoverageInputs(publications=PUBS, as_of=dt.date(2026, 12, 1)))
    result = _check(wh)  # no register, no approval dates: missing, but nobody can say it is overdue
    assert result.passed and result.metadata["units"].value == "none"


def test_deadlines_per_source_beat_the_register(wh, register, tmp_path, monkeypatch):
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES, encoding="utf-8")
    monkeypatch.setenv("JUESUAN_UNITS", str(tmp_path / "units.yaml"))
    inputs = coverage_inputs(tmp_path / "no-registry.sqlite", sources, as_of=dt.date(2025, 12, 1))
    assert inputs.source_regions == {"changsha_portal": "长沙市"}
    inputs.publications = PUBS
    build_coverage(wh, inputs)
    with wh.read() as con:
        rows = {(r["unit_name"], r["fiscal_year"]): r for r in read_coverage(con)}
    # sources.yaml gives 40 days after 2025-08-01 for 2024; the register's 20 days still hold for 2023
    late = rows[("长沙市财政局", 2024)]
    assert (late["deadline"], late["deadline_basis"]) == ("2025-09-10", "40 days after 批复 on 2025-08-01")
    assert late["status"] == "found-incomplete" and late["days_late"] == 0  # published 2025-08-30: in time now
    assert rows[("长沙市财政局", 2023)]["deadline"] == "2024-08-21"


def test_unknown_dates_print_as_unknown(wh):
    build_coverage(wh, CoverageInputs(publications={}, as_of=dt.date(2025, 12, 1)))
    with wh.read() as con:
        rows = read_coverage(con)
    assert all(r["deadline"] is None and r["deadline_basis"].startswith("unknown") for r in rows)
    lines = format_rows(rows).splitlines()
    head = lines[0].split("\t")
    date, deadline = head.index("发布日期"), head.index("期限")
    assert {(ln.split("\t")[date], ln.split("\t")[deadline]) for ln in lines[1:]} == {("unknown", "unknown")}


def test_the_written_report_has_the_coverage_matrix(wh, register, tmp_path):
    from warehouse.report import write_report

    build_coverage(wh, CoverageInputs(register=register, publications=PUBS, as_of=dt.date(2025, 12, 1)))
    html = write_report(wh.path, tmp_path / "report.html").read_text(encoding="utf-8")
    start = html.index("公开情况（单位 × 年度）")
    section = html[start:html.find("<h2>", start)]  # up to the next part of the report
    assert "<th>2023</th><th>2024</th>" in section
    for status in ("found", "late", "missing"):  # (财政局 2024 lacks tables too, but late is what it is first)
        assert f"cov-{status}" in section, status
    assert "逾期 9天" in section and "期限 2025-08-21；缺 T04、T05、T06、T07" in section
    # 审计局 2024 is missing (red), 环保局 → 生态环境局 is one row through the alias
    assert section.count("长沙市生态环境局") == 1 and "长沙市环保局" not in section


def test_without_register_or_source_region_rows_carry_the_documents_region(wh):
    with wh.write() as con:
        con.execute("UPDATE documents SET region_name = '长沙市'")
    build_coverage(wh, CoverageInputs(publications=PUBS, as_of=dt.date(2025, 12, 1)))
    with wh.read() as con:
        rows = read_coverage(con)
    assert {r["region"] for r in rows} == {"长沙市"}
    missing = [(r["unit_name"], r["fiscal_year"]) for r in rows if r["status"] == "missing"]
    assert missing == [("长沙市审计局", 2024), ("长沙市环保局", 2024)]  # last year's publishers, same region


def test_a_source_without_region_dates_its_own_documents_and_their_successors(wh, tmp_path):
    """Its deadlines apply to what it published and, register-less, to the units expected from it next year."""
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES.replace("    region: 长沙市\n", "").replace(
        "{2024: 2025-08-01}", "{2023: 2024-08-01, 2024: 2025-08-01}"), encoding="utf-8")
    with wh.write() as con:
        con.execute("UPDATE documents SET region_name = '长沙市'")  # read from the documents, not the source
    inputs = coverage_inputs(tmp_path / "no-registry.sqlite", sources, as_of=dt.date(2025, 12, 1))
    assert inputs.source_regions == {} and set(inputs.source_deadlines) == {("changsha_portal", "final_accounts")}
    inputs.publications = {k: dataclasses.replace(p, source_name="changsha_portal") for k, p in PUBS.items()}
    inputs.publications["d4"] = Publication("d4", dt.date(2024, 8, 30), "changsha_portal")
    build_coverage(wh, inputs)
    with wh.read() as con:
        rows = {(r["unit_name"], r["fiscal_year"]): r for r in read_coverage(con)}
    assert rows[("长沙市财政局", 2024)]["deadline"] == "2025-09-10"  # 40 days: the source's rule
    missing = rows[("长沙市审计局", 2024)]  # expected because it published 2023 on this source
    assert (missing["status"], missing["deadline"], missing["past_deadline"]) == ("missing", "2025-09-10", True)
    # 环保局 is expected too, but its 2023 document has no registry record (no source): its deadline is unknown
    assert rows[("长沙市环保局", 2024)]["deadline"] is None
    assert _check(wh).metadata["missing_past_deadline"].value == 1

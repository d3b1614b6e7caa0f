"""Coverage from warehouse rows: statuses, dates, aliases across a rename, the register-less fallback, the view,
the CLI and the report section (documents inserted directly; the generated-portal test crawls and ingests)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from schemas.units import RegisterError, load_units, normalise_unit_name
from warehouse.coverage import CoverageInputs, Publication, build_coverage, read_coverage

REGISTER = """region: 长沙市
deadlines:
  final_accounts: {days: 20, approved: {2023: 2024-08-01, 2024: 2025-08-01}}
units:
  - {code: "101", name: 长沙市财政局, must_publish: [department]}
  - {code: "102", name: 长沙市生态环境局, aliases: [{name: 长沙市环保局, to: 2023}]}
  - {code: "103", name: 长沙市审计局}
  - {code: "104", name: 长沙市统计局, from: 2024}
"""


PUBS = {"d0": Publication("d0", dt.date(2024, 8, 10)), "d1": Publication("d1", dt.date(2025, 8, 30)),
        "d3": Publication("d3", None), "d5": Publication("d5", dt.date(2025, 8, 15))}


def _by(rows):
    return {(r["unit_name"], r["fiscal_year"]): r for r in rows}


def test_register_statuses_dates_and_rename(wh, tmp_path):
    (tmp_path / "units.yaml").write_text(REGISTER, encoding="utf-8")
    reg = load_units(tmp_path / "units.yaml")
    s = build_coverage(wh, CoverageInputs(register=reg, publications=PUBS, as_of=dt.date(2025, 12, 1)))
    with wh.read() as con:
        rows = _by(read_coverage(con))
    late = rows[("长沙市财政局", 2024)]
    assert (late["status"], late["publish_date"], late["deadline"], late["days_late"]) == \
        ("late", "2025-08-30", "2025-08-21", 9)
    assert late["tables_missing"] == ["T04", "T05", "T06", "T07"] and late["original_name"].endswith("部门决算.pdf")
    missing = rows[("长沙市审计局", 2024)]
    assert (missing["status"], missing["required"], missing["past_deadline"], missing["days_late"]) == \
        ("missing", True, True, 102)
    assert missing["deadline_basis"] == "20 days after 批复 on 2025-08-01"
    # 长沙市环保局 (2023) and 长沙市生态环境局 (2024) are one unit through the register's alias
    renamed = [r for r in rows.values() if r["unit_code"] == "102"]
    assert [(r["fiscal_year"], r["status"], r["published_name"]) for r in renamed] == \
        [(2023, "found", "长沙市环保局"), (2024, "found", "长沙市生态环境局")]
    assert renamed[0]["matched_by"] == "register alias (长沙市环保局)"
    assert rows[("长沙市生态环境局", 2024)]["publish_date"] is None  # unknown stays unknown
    assert rows[("长沙市财政局", 2023)]["status"] == "found" and rows[("长沙市财政局", 2023)]["days_late"] == 0
    assert ("长沙市统计局", 2023) not in rows  # the register says it exists from 2024
    assert s.by_status == {"found": 5, "late": 1, "missing": 1} and [r["unit_name"] for r in s.overdue] == ["长沙市审计局"]


def test_without_register_last_years_publishers_are_expected(wh):
    build_coverage(wh, CoverageInputs(publications=PUBS, as_of=dt.date(2025, 12, 1)))
    with wh.read() as con:
        rows = _by(read_coverage(con))
    assert rows[("长沙市审计局", 2024)]["status"] == "missing"
    assert rows[("长沙市审计局", 2024)]["expected_basis"] == "previous_year"
    assert rows[("长沙市审计局", 2024)]["past_deadline"] is None  # no approval dates: deadline unknown
    assert rows[("长沙市审计局", 2024)]["deadline_basis"].startswith("unknown")
    assert rows[("长沙市财政局", 2024)]["status"] == "found-incomplete"  # （部门） folded into the same unit
    assert rows[("长沙市统计局", 2024)]["expected_basis"] == "first_seen" and not rows[("长沙市统计局", 2024)]["required"]
    # without a register a rename cannot be known: the old name is missing, the new one first seen
    assert rows[("长沙市环保局", 2024)]["status"] == "missing"


def test_rerun_replaces_rows(wh):
    build_coverage(wh, CoverageInputs(publications=PUBS))
    build_coverage(wh, CoverageInputs(publications=PUBS))
    with wh.read() as con:
        assert con.execute("SELECT count(*) FROM coverage_runs").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM coverage_rows").fetchone()[0] == len(read_coverage(con))


def test_register_errors_name_the_file(tmp_path):
    bad = tmp_path / "units.yaml"
    bad.write_text("region: x\nunits:\n  - {name: 某局, must_publish: [everything]}\n", encoding="utf-8")
    with pytest.raises(RegisterError, match=r"units\.yaml: units\[0\] '某局'\.must_publish"):
        load_units(bad)
    csv = tmp_path / "长沙市.csv"
    csv.write_text("code,name,aliases,must_publish\n1,长沙市生态环境局,长沙市环保局@-2018,department|unit\n",
                   encoding="utf-8")
    reg = load_units(csv)
    unit = reg.match("长沙市环保局（本级）", 2018)
    assert unit.region == "长沙市" and unit.must_publish == {"department", "unit"}
    assert reg.match("某某市环保局", 2018) is None
    assert normalise_unit_name("上海市普陀区财政局 (部门)") == "上海市普陀区财政局"


def test_cli_and_report_section(wh, tmp_path, capsys, monkeypatch):
    from pipelines.cli import main
    from warehouse.coverage_report import coverage_section

    (tmp_path / "units").mkdir()
    (tmp_path / "units" / "changsha.yaml").write_text(REGISTER, encoding="utf-8")
    monkeypatch.setenv("JUESUAN_UNITS", str(tmp_path / "units"))
    args = ["coverage", "--warehouse", str(wh.path), "--data-dir", str(tmp_path), "--sources",
            str(tmp_path / "none.yaml"), "--as-of", "2025-12-01"]
    assert main(args + ["--year", "2024", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["fiscal_year"] for r in rows} == {2024}
    # no registry here, so no publish dates: 财政局 2024 is not known to be late, only incomplete
    assert {r["status"] for r in rows} == {"found-incomplete", "missing", "found"}
    assert main(args + ["--region", "长沙市"]) == 0
    out, err = capsys.readouterr()
    assert "长沙市审计局" in out and "missing（未公开）" in out and "1 required and overdue" in err
    with wh.read() as con:
        section = coverage_section(con)
    assert "cov-found-incomplete" in section and "cov-missing" in section and "<th>2024</th>" in section

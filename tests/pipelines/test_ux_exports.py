"""What an analyst opens: the XLSX workbook, the CSV files, the views' Chinese comments and the metrics table."""
import csv
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines.cli import main
from tests.pipelines.test_cli import data  # noqa: F401 - extended below
from tests.warehouse.records import record
from tests.warehouse.test_load import stage
from warehouse.anomalies import detect_anomalies
from warehouse.db import Warehouse, migrate_connection
from warehouse.dictionary import data_dictionary_markdown
from warehouse.load import load_staged
from warehouse.snapshot import publish_snapshot
from warehouse.staging import Staging


@pytest.fixture
def budget_data(data) -> Path:  # noqa: F811 - test_cli's two units, plus a budget of 青川市教育局 for budget_vs_actual
    stage(Staging(data / "staging"), "d3", record("c" * 64, unit="青川市教育局", income=12000.0, kind="budget"))
    stage(Staging(data / "staging"), "d2", record("b" * 64, unit="青川市教育局", income=12345.5))
    wh = Warehouse(data / "warehouse.duckdb")
    load_staged(wh, Staging(data / "staging"))
    detect_anomalies(wh)
    publish_snapshot(wh, data / "analyst" / "juesuan.duckdb")
    return data


def test_every_view_column_has_a_chinese_comment_and_the_dictionary_shows_it():
    con = duckdb.connect()
    migrate_connection(con)
    views = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal "
                                       "AND schema_name = 'main'").fetchall()]
    assert {"unit_year_finance", "unit_year_sangong", "budget_vs_actual", "anomaly_list"} <= set(views)
    missing = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE table_name IN "
                          "(SELECT unnest(?::VARCHAR[])) AND (comment IS NULL OR comment = '')", [views]).fetchall()
    assert missing == []
    labels = dict(con.execute("SELECT column_name, comment FROM duckdb_columns() "
                              "WHERE table_name = 'unit_year_sangong'").fetchall())
    assert labels["sangong_total_prev_wan"] == "上年“三公”经费（万元）"
    assert "比上年" in labels["sangong_total_change_pct"]
    md = data_dictionary_markdown()
    view_part = md[md.index("## Views"):]
    assert "| `sangong_total_wan` | DECIMAL(18,2) | “三公”经费决算数（万元） |" in view_part
    assert "| `label_zh` |" in md  # the metrics table is in the dictionary too


def test_snapshot_has_a_queryable_metrics_table_and_prev_year_columns(budget_data, capsys):
    assert main(["query", "--data-dir", str(budget_data), "--csv",
                 "SELECT metric_id, label_zh, unit, section FROM metrics WHERE metric_id = 'sangong.total'"]) == 0
    assert "sangong.total,“三公”经费决算数,万元,sangong" in capsys.readouterr().out
    con = duckdb.connect(str(budget_data / "analyst" / "juesuan.duckdb"), read_only=True)
    cols = {r[0] for r in con.execute("DESCRIBE unit_year_finance").fetchall()}
    assert {"grand_total_prev_wan", "grand_total_change_wan", "gpb_expenditure_prev_wan",
            "admin_operating_cost_change_wan"} <= cols
    rows = con.execute("SELECT metric_id, metric_name, budget_wan, actual_wan FROM budget_vs_actual "
                       "WHERE metric_id = 'income.total'").fetchall()
    assert rows == [("income.total", "本年收入合计", 12000.0, 12345.5)]


def test_xlsx_reads_like_a_finished_workbook(budget_data, capsys):
    assert main(["export", "--data-dir", str(budget_data)]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == budget_data / "analyst" / "juesuan.xlsx"  # beside the published snapshot, not a second place
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "说明"
    readme = [c.value for row in wb["说明"].iter_rows() for c in row if c.value]
    assert "三公经费" in readme and any("空白表示" in str(v) for v in readme)

    ws = wb["单位年度收支"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["单位（部门）名称", "年度", "文件类型", "口径"]  # not a doc-id hash first
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headers), headers  # every header Chinese
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    col = headers.index("本年收入合计（万元）") + 1
    cells = [ws.cell(r, col) for r in range(2, ws.max_row + 1)]
    assert {c.number_format for c in cells} == {"#,##0.00"} and 12345.5 in [c.value for c in cells]
    assert ws.column_dimensions[ws.cell(1, 1).column_letter].width >= 12  # fitted to 青川市教育局
    assert {ws.cell(r, 3).value for r in range(2, ws.max_row + 1)} == {"决算", "预算"}  # codes in Chinese

    ws = wb["三公经费"]
    headers = [c.value for c in ws[1]]
    pct = next(i for i, h in enumerate(headers, start=1) if h.startswith("“三公”经费完成预算的百分比"))
    assert {ws.cell(r, pct).number_format for r in range(2, ws.max_row + 1)} == {"0.00%"}
    ws = wb["预算与决算对比"]
    assert ws.max_row > 1 and ws.cell(2, 1).value == "青川市教育局"


def test_an_empty_sheet_says_why(tmp_path, clean_env):
    from warehouse.exports import export

    d = tmp_path / "data"
    staging = Staging(d / "staging")
    stage(staging, "d1", record("a" * 64))
    wh = Warehouse(d / "w.duckdb")
    load_staged(wh, staging)
    wb = openpyxl.load_workbook(export(wh.path, tmp_path / "out")[0])
    ws = wb["预算与决算对比"]
    assert ws.max_row == 2 and ws.cell(2, 1).value.startswith("本表暂无数据：需要同一单位同一年度的预算文件和决算文件")


def test_csv_has_a_bom_and_chinese_headers_unless_ids_are_asked_for(budget_data, tmp_path, capsys):
    assert main(["export", "--data-dir", str(budget_data), "--format", "csv", "--out", str(tmp_path / "zh")]) == 0
    raw = (tmp_path / "zh" / "unit_year_finance.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    head = next(csv.reader([raw.decode("utf-8-sig").splitlines()[0]]))
    assert head[:2] == ["单位（部门）名称", "年度"]
    assert main(["export", "--data-dir", str(budget_data), "--format", "csv", "--headers", "ids",
                 "--out", str(tmp_path / "ids")]) == 0
    raw = (tmp_path / "ids" / "unit_year_finance.csv").read_bytes()
    assert raw.startswith(b"doc_id,") and b"\xef\xbb\xbf" not in raw


def test_every_sheet_has_chinese_headers_frozen_filtered_and_formatted(budget_data, tmp_path):
    from warehouse.exports import EXPORT_VIEWS, export

    wb = openpyxl.load_workbook(export(budget_data / "analyst" / "juesuan.duckdb", tmp_path)[0])
    assert wb.sheetnames == ["说明", *(sheet for sheet, _, _ in EXPORT_VIEWS.values())]
    explained = {c.value for row in wb["说明"].iter_rows() for c in row}
    for sheet, _, _ in EXPORT_VIEWS.values():
        ws = wb[sheet]
        assert sheet in explained, sheet  # the 说明 sheet explains each sheet
        headers = [c.value for c in ws[1]]
        cjk = [h for h in headers if not any("\u4e00" <= ch <= "\u9fff" for ch in str(h))]
        assert cjk == [], (sheet, cjk)
        assert headers[0] not in ("文件ID", "doc_id") and ws.freeze_panes and ws.auto_filter.ref, sheet
        for col, h in enumerate(headers, start=1):
            formats = {ws.cell(r, col).number_format for r in range(2, ws.max_row + 1)
                       if isinstance(ws.cell(r, col).value, (int, float))}
            if "万元" in h:
                assert formats <= {"#,##0.00"}, (sheet, h, formats)
            if h.endswith("（%）") or "百分比" in h:
                assert formats <= {"0.00%"}, (sheet, h, formats)
            width = ws.column_dimensions[ws.cell(1, col).column_letter].width
            assert width and width >= min(len(str(h)), 8), (sheet, h, width)

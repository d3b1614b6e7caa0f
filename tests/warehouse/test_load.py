from pathlib import Path

import duckdb
import pytest

from tests.warehouse.records import record, warehouse_rows
from warehouse.anomalies import detect_anomalies, set_review
from warehouse.db import Warehouse
from warehouse.load import load_staged
from warehouse.snapshot import export, publish_snapshot
from warehouse.staging import Staging, record_rows, unit_id_for

TYPES = {"income.total": "amount", "staff.actual": "count", "sangong.reception_batches": "count"}


def stage(staging: Staging, doc_id: str, rec: dict):
    rows = record_rows(doc_id, rec, value_types=TYPES, extractor_version="t")
    return staging.write(doc_id, rec, rows, sha256=rec["document"]["sha256"], extractor_version="t")


@pytest.fixture
def setup(tmp_path: Path):
    return Warehouse(tmp_path / "wh.duckdb"), Staging(tmp_path / "staging")


def test_migrate_is_idempotent(setup):
    wh, _ = setup
    first = wh.migrate()
    assert first[0] == "001_core.sql" and first == sorted(first) and "002_table_notes.sql" in first
    assert wh.migrate() == []
    with wh.read() as con:
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name='documents' AND column_name='fiscal_year'").fetchone()[0]
    assert comment == "年度"


def test_load_twice_leaves_identical_tables(setup):
    wh, staging = setup
    stage(staging, "d1", record("a" * 64))
    stage(staging, "d2", record("b" * 64, unit="青川市教育局", income=250.5))
    s1 = load_staged(wh, staging)
    assert sorted(s1.loaded) == ["d1", "d2"]
    before = warehouse_rows(wh.path)
    s2 = load_staged(wh, staging)
    assert s2.loaded == [] and s2.skipped_current == 2
    s3 = load_staged(wh, staging, force=True)
    assert sorted(s3.loaded) == ["d1", "d2"]
    assert warehouse_rows(wh.path) == before
    with wh.read() as con:
        assert con.execute("SELECT CAST(amount_wan AS DOUBLE) FROM metric_values WHERE doc_id='d2' AND metric_id='income.total'").fetchone()[0] == 250.5
        assert con.execute("SELECT value_num FROM metric_values WHERE doc_id='d2' AND metric_id='staff.actual'").fetchone()[0] == 20
        assert con.execute("SELECT amount_wan FROM metric_values WHERE metric_id='staff.actual'").fetchone()[0] is None
        assert con.execute("SELECT count(*) FROM figures").fetchone()[0] == 6


def test_reprocessing_one_document_replaces_only_its_rows(setup):
    wh, staging = setup
    stage(staging, "d1", record("a" * 64))
    stage(staging, "d2", record("b" * 64, unit="青川市教育局", income=250.5))
    load_staged(wh, staging)
    with wh.read() as con:
        d1_before = con.execute("SELECT * EXCLUDE (loaded_at) FROM documents WHERE doc_id='d1'").fetchall()
    stage(staging, "d2", record("b" * 64, unit="青川市教育局", income=260.0))  # "extractor changed"
    summary = load_staged(wh, staging)
    assert summary.loaded == ["d2"]
    with wh.read() as con:
        assert con.execute("SELECT * EXCLUDE (loaded_at) FROM documents WHERE doc_id='d1'").fetchall() == d1_before
        assert con.execute("SELECT CAST(amount_wan AS DOUBLE) FROM metric_values WHERE doc_id='d2' AND metric_id='income.total'").fetchone()[0] == 260.0
        assert con.execute("SELECT count(*) FROM metric_values WHERE doc_id='d2' AND metric_id='income.total'").fetchone()[0] == 1


def test_anomalies_and_review_status_survive_reload(setup):
    wh, staging = setup
    stage(staging, "d1", record("a" * 64, sangong=(3.5, 1.0, 1.5, 0.5), narrative_income=99.0))
    load_staged(wh, staging)
    found = detect_anomalies(wh)
    rules = set(found.rule_id)
    assert {"sum.sangong_components", "narrative_vs_table"} <= rules
    fp = found[found.rule_id == "sum.sangong_components"].fingerprint.iloc[0]
    set_review(wh, fp, "confirmed", "analyst", "checked against page 9")
    load_staged(wh, staging, force=True)
    again = detect_anomalies(wh)
    assert fp in set(again.fingerprint)
    with wh.read() as con:
        assert con.execute("SELECT review_status FROM anomaly_list WHERE fingerprint = ?", [fp]).fetchone()[0] == "confirmed"
    with pytest.raises(ValueError):
        set_review(wh, fp, "maybe")


def test_cross_year_prior_quote(setup):
    wh, staging = setup
    prev = record("a" * 64, year=2023)
    prev["values"]["sangong.total"] = 2.0
    cur = record("b" * 64, year=2024)
    cur["values"]["sangong.total_prev"] = 2.5  # quotes a prior-year figure that last year's document does not show
    stage(staging, "d2023", prev)
    stage(staging, "d2024", cur)
    load_staged(wh, staging)
    found = detect_anomalies(wh)
    hit = found[found.rule_id == "cross_year.prior_quote"]
    assert len(hit) == 1 and hit.iloc[0].doc_id == "d2024" and hit.iloc[0].expected_value == 2.0


def test_snapshot_and_exports(setup, tmp_path):
    wh, staging = setup
    stage(staging, "d1", record("a" * 64))
    load_staged(wh, staging)
    detect_anomalies(wh)
    snap = publish_snapshot(wh, tmp_path / "analyst" / "snap.duckdb")
    con = duckdb.connect(str(snap), read_only=True)
    assert con.execute("SELECT income_total_wan FROM unit_year_finance").fetchone()[0] == 100
    con.close()
    xlsx = export(snap, tmp_path / "out", "xlsx")[0]
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    assert "三公经费" in wb.sheetnames and "异常清单" in wb.sheetnames
    headers = [c.value for c in wb["单位年度收支"][1]]
    assert any(h.startswith("年度") for h in headers)
    from warehouse.snapshot import EXPORT_VIEWS  # the analyst views and the metrics table

    assert len(export(snap, tmp_path / "pq", "parquet")) == len(EXPORT_VIEWS) == 8
    assert len(export(snap, tmp_path / "csv", "csv")) == 8


def test_unit_id_merges_scope_suffixes():
    assert unit_id_for("深圳市财政局（本级）") == unit_id_for("深圳市财政局") == "深圳市财政局"
    assert unit_id_for(None) is None


def test_migrations_upgrade_an_older_warehouse(tmp_path):
    """A warehouse created by an older release (only 001 applied) is upgraded in place, keeping its rows."""
    import duckdb

    from schemas.ddl import migrations

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    con.execute(dict(migrations())["001_core.sql"])
    con.execute("INSERT INTO schema_migrations VALUES ('001_core.sql', now())")
    con.execute("INSERT INTO doc_tables (doc_id, table_id, title) VALUES ('d1', 'T01', '收入支出决算总表')")
    con.close()
    assert "002_table_notes.sql" in Warehouse(path).migrate()
    with Warehouse(path).read() as con:
        assert con.execute("SELECT title, notes, is_empty FROM doc_tables").fetchall() == [("收入支出决算总表", None, None)]

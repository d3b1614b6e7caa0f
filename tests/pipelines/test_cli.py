"""The `juesuan` commands an analyst uses, against a small warehouse built from hand-made records."""
import json
from pathlib import Path

import openpyxl
import pytest

from pipelines.cli import main
from tests.warehouse.records import record
from tests.warehouse.test_load import stage
from warehouse.anomalies import detect_anomalies
from warehouse.db import Warehouse
from warehouse.load import load_staged
from warehouse.snapshot import publish_snapshot
from warehouse.staging import Staging


@pytest.fixture
def data(tmp_path, clean_env) -> Path:
    d = tmp_path / "data"
    staging = Staging(d / "staging")
    stage(staging, "d1", record("a" * 64, sangong=(3.5, 1.0, 1.5, 0.5)))
    stage(staging, "d2", record("b" * 64, unit="青川市教育局", income=250.5))
    wh = Warehouse(d / "warehouse.duckdb")
    load_staged(wh, staging)
    detect_anomalies(wh)
    publish_snapshot(wh, d / "analyst" / "juesuan.duckdb")
    return d


def test_anomalies_review_query_export_report(data, capsys):
    assert main(["anomalies", "--data-dir", str(data), "--json"]) == 0
    rows = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    hit = [r for r in rows if r["rule_id"] == "sum.sangong_components"]
    assert hit and hit[0]["review_status"] == "open"
    # traceable without SQL: which document, under which published file name (None for these hand-made records)
    assert hit[0]["doc_id"] == "d1" and "file_name" in hit[0] and hit[0]["evidence"]
    assert main(["review", "--data-dir", str(data), hit[0]["fingerprint"], "dismissed", "--note", "见第9页"]) == 0
    capsys.readouterr()
    main(["anomalies", "--data-dir", str(data), "--json", "--rule", "sum.*"])
    rows = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert {r["review_status"] for r in rows if r["fingerprint"] == hit[0]["fingerprint"]} == {"dismissed"}

    assert main(["query", "--data-dir", str(data), "--live", "--csv",
                 "SELECT unit_name, income_total_wan FROM unit_year_finance ORDER BY 1"]) == 0
    out = capsys.readouterr().out
    assert "青川市教育局,250.5" in out
    assert main(["query", "--data-dir", str(data), "SELECT nonsense FROM nowhere"]) == 2

    assert main(["export", "--data-dir", str(data), "--out", str(data / "x")]) == 0
    wb = openpyxl.load_workbook(data / "x" / "juesuan.xlsx")
    assert {"单位年度收支", "三公经费", "政府采购", "预算与决算对比", "异常清单"} <= set(wb.sheetnames)
    assert main(["report", "--data-dir", str(data), "--out", str(data / "r.html")]) == 0
    page = (data / "r.html").read_text(encoding="utf-8")
    assert "sum.sangong_components" in page and "青川市教育局" in page


def test_extract_bad_file_exits_nonzero_with_one_line(tmp_path, capsys):
    bad = tmp_path / "fake.pdf"
    bad.write_bytes(b"<html><body>404 Not Found</body></html>")
    assert main(["extract", str(bad), "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert "fake.pdf" in err and len(err.splitlines()) == 1
    assert main(["extract", str(tmp_path / "missing.pdf"), "--json"]) == 2


def test_ingest_of_missing_path_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    assert main(["ingest", str(tmp_path / "nope"), "--data-dir", str(tmp_path / "d")]) == 2
    assert "nope" in capsys.readouterr().err


def test_workers_option_takes_a_number_or_auto(monkeypatch):
    import argparse

    from pipelines.cli import _workers

    monkeypatch.setattr("os.cpu_count", lambda: 16)
    assert _workers("3") == 3 and _workers("auto") == 8  # one per CPU, at most 8
    for bad in ("0", "-2", "many"):
        with pytest.raises(argparse.ArgumentTypeError):
            _workers(bad)


def test_workers_default_to_the_setting_ui_runs_use(tmp_path, capsys, monkeypatch):
    """Without --workers, `juesuan ingest` uses JUESUAN_WORKERS like UI and sensor runs; a bad value is named."""
    import pipelines.runner as runner
    from pipelines.runner import workers_from_env

    monkeypatch.delenv("JUESUAN_WORKERS", raising=False)
    assert workers_from_env() == 1
    monkeypatch.setenv("JUESUAN_WORKERS", "3")
    assert workers_from_env() == 3
    seen = []
    monkeypatch.setattr(runner, "ingest",
                        lambda paths, settings, workers, **kw: seen.append(workers) or runner.IngestReport())
    monkeypatch.setattr("pipelines.report.print_ingest_summary", lambda *a, **k: {"exit_code": 0})
    assert main(["ingest", str(tmp_path), "--data-dir", str(tmp_path / "d")]) == 0
    assert main(["ingest", str(tmp_path), "--data-dir", str(tmp_path / "d"), "--workers", "2"]) == 0
    assert seen == [3, 2]
    monkeypatch.setenv("JUESUAN_WORKERS", "lots")
    assert main(["ingest", str(tmp_path), "--data-dir", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert "JUESUAN_WORKERS" in err and "'lots'" in err and seen == [3, 2]

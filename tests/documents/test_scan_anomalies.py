"""Scans ingested beside their text twins raise no error-level anomaly from misread digits (issue 14).

Before: 244.60 read as 4244.60 and a 购房补贴 row read as 33005357.00 became row-total "errors". Now OCR'd figures
carry a confidence, the arithmetic check confirms or corrects cells, and a finding whose operands were read by OCR
without confirmation is at most a warning. The corpus factory writes consistent documents (no planted errors), so
any error-level finding on the scan or its twin is a false one."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from extractors.documents.ocr_engines import PpOcrEngine


@pytest.mark.slow
@pytest.mark.skipif(not PpOcrEngine.available(), reason="rapidocr-onnxruntime not installed: PP-OCR cannot run")
@pytest.mark.parametrize("template", ["shanghai", "unit_yuan"])
def test_a_scan_beside_its_twin_raises_no_error(template, tmp_path, capsys, clean_env, monkeypatch):
    from extractors.synthetic import build_corpus
    from extractors.synthetic.render_scan import ScanSettings, scan_corpus
    from pipelines.cli import main

    monkeypatch.setenv("JUESUAN_OCR_ENGINE", "ppocr")
    manifest = build_corpus(tmp_path / "twins", units=1, years=(2024,), formats=("pdf",), templates=[template],
                            anomalies=False)
    (scan,) = scan_corpus(manifest, tmp_path / "scans", ScanSettings(dpi=150, max_skew=1.0))
    folder = tmp_path / "in"
    folder.mkdir()
    for src in (Path(manifest[0]["path"]), Path(scan["path"])):
        (folder / src.name).write_bytes(src.read_bytes())
    data = tmp_path / "data"
    code = main(["ingest", str(folder), "--data-dir", str(data), "--json"])
    s = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert code == 0 and s["documents"] == 2, s
    with duckdb.connect(s["warehouse"], read_only=True) as con:
        errors = con.execute("SELECT rule_id, message, doc_id FROM anomaly_list WHERE severity = 'error'").fetchall()
        ocr_figures = con.execute("SELECT count(*) FROM figures WHERE ocr").fetchone()[0]
    assert ocr_figures > 50  # the scan was read by OCR, not skipped
    assert errors == []

"""In-document findings are computed when each document is staged (in parallel) and loaded with it; the anomalies
table must be exactly what running every rule over the loaded warehouse gives — on the synthetic corpus with its
planted anomalies and on real documents with real findings — and a rule-code change must recompute them."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from extractors.registry import RawStore, Registry, register_files
from extractors.synthetic import build_corpus
from pipelines.stage import stage_document
from tests.conftest import REAL_CORPUS, require_shared
from warehouse.anomalies import detect_anomalies
from warehouse.anomaly_rules.engine import rules_version, run_rules
from warehouse.db import Warehouse
from warehouse.load import load_staged
from warehouse.staging import Staging

KEY = ["fingerprint", "rule_id", "severity", "doc_id", "metric_id", "expected_value", "actual_value", "difference",
       "message", "evidence", "page"]
# real documents with findings of several families (identities, items, narrative, completeness)
REAL = ["shanghai_putuo-czj_2024_juesuan-MODIFIED-testerrors.pdf", "shanghai_putuo-czj_2024_juesuan.pdf"]


def _ingest(paths: list, root: Path) -> Warehouse:
    staging = Staging(root / "staging")
    with Registry(root / "registry.sqlite") as reg:
        entries = [e for e, _ in register_files(reg, RawStore(root / "raw"), paths)]
    for e in entries:
        stage_document(e, root / "parsed", staging)
    wh = Warehouse(root / "wh.duckdb")
    load_staged(wh, staging)
    return wh


def _rows(df: pd.DataFrame) -> set[tuple]:
    df = df[KEY].astype(object).where(df[KEY].notna(), None)
    return {tuple(round(v, 6) if isinstance(v, float) else v for v in r) for r in df.itertuples(index=False)}


def _assert_same_as_full_recompute(wh: Warehouse) -> pd.DataFrame:
    incremental = detect_anomalies(wh)
    with wh.read() as con:
        full = run_rules(con)
        stored = con.execute("SELECT * FROM anomalies").df()
    assert len(incremental) == len(stored)
    assert _rows(incremental) == _rows(full)
    return incremental


def test_synthetic_corpus_with_planted_anomalies(tmp_path):
    manifest = build_corpus(tmp_path / "corpus", units=4, years=(2023, 2024), formats=("pdf",), templates=None,
                            anomalies=True)
    wh = _ingest([m["path"] for m in manifest], tmp_path)
    found = _assert_same_as_full_recompute(wh)
    document_level = found[~found.rule_id.str.startswith(("cross_year", "cross_unit"))]
    assert len(document_level) > 0, "the planted in-document anomalies must come through the staged findings"
    with wh.read() as con:
        versions = {r[0] for r in con.execute("SELECT DISTINCT rules_version FROM documents").fetchall()}
    assert versions == {rules_version()}


def test_real_documents(tmp_path):
    corpus = require_shared(REAL_CORPUS)
    wh = _ingest([corpus / name for name in REAL], tmp_path)
    found = _assert_same_as_full_recompute(wh)
    assert {"narrative_vs_table", "completeness.tables"} <= set(found.rule_id)


def test_rule_change_recomputes_findings_from_the_warehouse(tmp_path):
    manifest = build_corpus(tmp_path / "corpus", units=2, years=(2024,), formats=("pdf",), templates=None,
                            anomalies=True)
    wh = _ingest([m["path"] for m in manifest], tmp_path)
    before = _rows(detect_anomalies(wh))
    with wh.write() as con:  # as if the findings had been staged by older rule code, and wrongly
        con.execute("UPDATE documents SET rules_version = 'older-rules'")
        con.execute("DELETE FROM document_findings")
        con.execute("INSERT INTO document_findings (fingerprint, rule_id, severity, doc_id) "
                    "SELECT 'stale', 'sum.income_sources', 'error', doc_id FROM documents LIMIT 1")
    after = detect_anomalies(wh)
    assert _rows(after) == before and "stale" not in set(after.fingerprint)
    with wh.read() as con:
        assert con.execute("SELECT count(*) FROM documents WHERE rules_version <> ?",
                           [rules_version()]).fetchone()[0] == 0

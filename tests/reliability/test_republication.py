"""A republished version of a unit-year disclosure replaces the old one in current_documents; both stay in the
base tables. Before: the version with the most figures won, so a correction with fewer figures stayed hidden."""
from __future__ import annotations

import copy

from extractors.registry import RawStore, Registry, register_files
from extractors.synthetic import build_unit_models, generate_document
from pipelines.stage import metric_value_types, stage_document
from tests.warehouse.records import record
from warehouse.db import Warehouse
from warehouse.load import load_staged
from warehouse.staging import Staging, record_rows


def _current(wh: Warehouse) -> list[tuple]:
    with wh.read() as con:
        return con.execute("SELECT doc_id, n_versions FROM current_documents ORDER BY doc_id").fetchall()


def _stage(staging: Staging, doc_id: str, rec: dict, **source) -> None:
    rows = record_rows(doc_id, rec, source=source, value_types=metric_value_types(), extractor_version="t")
    staging.write(doc_id, rec, rows, sha256=rec["document"]["sha256"], extractor_version="t")


def _with_figures(rec: dict, n: int) -> dict:
    """The record with ``n`` figures (copies of its first), so versions differ in how complete they are."""
    out = copy.deepcopy(rec)
    out["figures"] = [dict(out["figures"][0], page=i + 1) for i in range(n)]
    return out


def test_a_correction_registered_later_replaces_the_original_and_both_stay(tmp_path):
    """End to end from the registry: the original (sichuan layout, more figures) is ingested, then a corrected
    re-publication of the same 决算 (another layout, fewer figures)."""
    model = build_unit_models(units=1, years=(2024,), seed=7)[0][0]
    original, correction = tmp_path / "in" / "2024年部门决算.docx", tmp_path / "in2" / "2024年部门决算（更正）.docx"
    for path, template in ((original, "sichuan"), (correction, "guangdong")):
        path.parent.mkdir(parents=True)
        generate_document(model, template, "docx", path)
    data = tmp_path / "data"
    staging, wh = Staging(data / "staging"), Warehouse(data / "warehouse.duckdb")
    entries = []
    with Registry(data / "registry.sqlite") as reg:
        for path in (original, correction):  # two registrations: two ingests, days apart in real life
            [(entry, is_new)] = register_files(reg, RawStore(data / "raw"), [path])
            assert is_new
            entries.append(entry)
            stage_document(entry, data / "parsed", staging)
    old, new = entries
    load_staged(wh, staging)
    with wh.read() as con:
        rows = dict((d, (n, r)) for d, n, r in con.execute(
            "SELECT doc_id, n_figures, registered_at FROM documents").fetchall())
    assert set(rows) == {old.doc_id, new.doc_id}  # both versions stay in the base table
    assert rows[old.doc_id][0] > rows[new.doc_id][0]  # the correction has fewer figures …
    assert rows[old.doc_id][1] < rows[new.doc_id][1]  # … and was registered later
    assert _current(wh) == [(new.doc_id, 2)]  # so it is the current version
    with wh.read() as con:
        assert con.execute("SELECT count(DISTINCT doc_id) FROM figures").fetchone()[0] == 2
        assert con.execute("SELECT doc_id FROM unit_year_finance").fetchall() == [(new.doc_id,)]


def test_files_registered_together_share_one_registration_time(tmp_path):
    data = tmp_path / "data"
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(f"2024年部门决算 {name}", encoding="utf-8")
    with Registry(data / "registry.sqlite") as reg:
        pair = register_files(reg, RawStore(data / "raw"), [folder / "a.txt", folder / "b.txt"], classify=False)
        register_files(reg, RawStore(data / "raw"), [folder / "a.txt"], classify=False)
        stored = [reg.get(e.doc_id).first_seen for e, _ in pair]
    assert stored[0] == stored[1]  # one registration: one version, of which current_documents shows the fuller
    assert stored[0] == pair[0][0].first_seen  # the same bytes again are not a new registration


def test_publish_dates_decide_before_completeness_and_a_failed_version_never_hides_a_good_one(tmp_path):
    staging, wh = Staging(tmp_path / "staging"), Warehouse(tmp_path / "wh.duckdb")
    base = record("a" * 64)
    # crawled: the original of 2025-05-20 (40 figures), a correction of 2025-06-30 (5 figures)
    _stage(staging, "d_orig", _with_figures(base, 40), publish_date="2025-05-20", registered_at=1.0e9)
    _stage(staging, "d_fix", _with_figures(dict(base, document={**base["document"], "sha256": "b" * 64}), 5),
           publish_date="2025-06-30", registered_at=1.0e9)
    # PDF and DOCX of one publication (one date): the more complete one
    other = record("c" * 64, unit="青川市教育局")
    _stage(staging, "d_pdf", _with_figures(other, 30), publish_date="2025-06-01", registered_at=1.0e9)
    _stage(staging, "d_docx", _with_figures(dict(other, document={**other["document"], "sha256": "d" * 64}), 20),
           publish_date="2025-06-01", registered_at=1.1e9)
    # PDF and DOCX from one folder, no publish date, one registration: the more complete one
    fourth = record("1" * 64, unit="青川市司法局")
    _stage(staging, "d_cli_docx", _with_figures(fourth, 15), registered_at=1.3e9)
    _stage(staging, "d_cli_pdf", _with_figures(dict(fourth, document={**fourth["document"], "sha256": "2" * 64}), 25),
           registered_at=1.3e9)
    # a newer version that could not be read does not hide the readable older one
    third = record("e" * 64, unit="青川市卫生健康委员会")
    _stage(staging, "d_ok", _with_figures(third, 10), registered_at=1.0e9)
    broken = dict(third, document={**third["document"], "sha256": "f" * 64, "status": "failed"}, figures=[])
    _stage(staging, "d_broken", broken, registered_at=1.2e9)
    load_staged(wh, staging)
    assert _current(wh) == [("d_cli_pdf", 2), ("d_fix", 2), ("d_ok", 2), ("d_pdf", 2)]
    with wh.read() as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 8
        dates = dict(con.execute("SELECT doc_id, publish_date::VARCHAR FROM documents").fetchall())
    assert dates["d_fix"] == "2025-06-30" and dates["d_ok"] is None

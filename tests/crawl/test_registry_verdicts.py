"""The registry keeps the classifier's verdict; files that are not disclosures are registered as rejected with
the reason and `ingest` skips them, saying so (without starting a run when nothing else is left)."""
from __future__ import annotations

import sqlite3

from trs_portal_fixture import DECISION, cjk_pdf, final_accounts_lines

from extractors.registry import RawStore, Registry, register_files


def test_register_files_stores_verdicts(tmp_path):
    (tmp_path / "in").mkdir()
    decision = tmp_path / "in" / "2024年度市级决算.pdf"  # a title that lies; the text is the 决议
    decision.write_bytes(cjk_pdf(DECISION))
    good = tmp_path / "in" / "附件1.pdf"  # a title that says nothing; the text is the 部门决算
    good.write_bytes(cjk_pdf(final_accounts_lines("市民政局")))
    with Registry(tmp_path / "reg.sqlite") as reg:
        out = {e.original_name: e for e, _new in register_files(reg, RawStore(tmp_path / "raw"), [tmp_path / "in"])}
        assert out["附件1.pdf"].disclosure == "disclosure" and out["附件1.pdf"].status == "registered"
        d = out["2024年度市级决算.pdf"]
        assert (d.disclosure, d.status) == ("decision", "rejected") and d.note.startswith("not a disclosure: decision")
        assert [e.original_name for e in reg.all()] == ["附件1.pdf"]  # what the sensor turns into partitions
        assert [e.original_name for e in reg.non_disclosures()] == ["2024年度市级决算.pdf"]
        again = {e.original_name: e for e, _ in register_files(reg, RawStore(tmp_path / "raw"), [tmp_path / "in"])}
        assert again["2024年度市级决算.pdf"].status == "rejected"  # the verdict is kept, not recomputed


def test_old_registry_gains_the_verdict_columns(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE documents (doc_id TEXT PRIMARY KEY, sha256 TEXT, raw_path TEXT, bytes INTEGER,"
                " status TEXT, note TEXT)")
    con.execute("INSERT INTO documents VALUES ('d1', 'ab', '/x', 1, 'registered', '')")
    con.commit()
    con.close()
    with Registry(path) as reg:
        e = reg.get("d1")
        assert e.disclosure == "" and e.year_guess is None  # unknown, treated as a disclosure


def test_ingest_skips_non_disclosures_and_says_why(tmp_path):
    from pipelines.runner import ingest
    from pipelines.settings import Settings

    f = tmp_path / "决议.pdf"
    f.write_bytes(cjk_pdf(DECISION))
    settings = Settings.resolve(data_dir=str(tmp_path / "data"), dagster_home=str(tmp_path / "home"))
    report = ingest([f], settings)
    assert report.run_ids == [] and report.doc_ids == []
    assert len(report.skipped) == 1 and report.skipped[0].startswith("决议.pdf: not a disclosure: decision")

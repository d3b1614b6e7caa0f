"""Issue 17 item 2: the raw store owns its bytes. Before: put_file hard-linked the input, so `cp other.docx
doc.docx` (an in-place overwrite) changed the bytes behind the stored hash and a re-read loaded the other
unit's figures under the old document."""
from __future__ import annotations

import json

import duckdb

from extractors.registry import RawStore, Registry, sha256_file
from pipelines.cli import main
from pipelines.stage import parse_stage


def _figures(warehouse, doc_id):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("SELECT count(*), sum(amount_wan) FROM figures WHERE doc_id = ?", [doc_id]).fetchone()


def test_an_in_place_overwrite_of_the_original_changes_nothing_stored(docx_corpus, tmp_path, capsys, clean_env):
    folder, data = tmp_path / "in", tmp_path / "data"
    folder.mkdir()
    doc = folder / "2024年部门决算.docx"
    doc.write_bytes(docx_corpus[0].read_bytes())
    sha = sha256_file(doc)
    assert main(["ingest", str(folder), "--data-dir", str(data), "--json"]) == 0
    capsys.readouterr()
    with Registry(data / "registry.sqlite") as reg:
        entry = next(e for e in reg.all(status=None) if e.sha256 == sha)
    before = _figures(data / "warehouse.duckdb", entry.doc_id)
    assert before[0] > 50
    parsed_before = parse_stage(entry, tmp_path / "p1", force=True).document.to_json()

    with open(doc, "r+b") as f:  # what `cp other.docx doc.docx` does: same inode, other bytes
        f.truncate(0)
        f.write(docx_corpus[1].read_bytes())
    assert sha256_file(entry.raw_path) == sha  # the store kept its own copy

    # re-read and re-materialise: the old document reads as before, nothing of the other unit under it
    assert parse_stage(entry, tmp_path / "p2", force=True).document.to_json() == parsed_before
    assert main(["ingest", str(folder), "--data-dir", str(data), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["exit_code"] == 0
    assert _figures(data / "warehouse.duckdb", entry.doc_id) == before


def test_stored_bytes_that_no_longer_match_their_hash_are_refused_naming_the_file(docx_corpus, tmp_path):
    store = RawStore(tmp_path / "raw")
    src = tmp_path / "2024年部门决算.docx"
    src.write_bytes(docx_corpus[0].read_bytes())
    sha, dest = store.put_file(src)
    assert dest.stat().st_ino != src.stat().st_ino and dest.read_bytes() == src.read_bytes()
    dest.write_bytes(docx_corpus[1].read_bytes())  # changed behind the store's back (an old hard link, a disk tool)
    with Registry(tmp_path / "registry.sqlite") as reg:
        from extractors.registry import register_files
        entry = register_files(reg, RawStore(tmp_path / "raw2"), [src], classify=False)[0][0]
    entry.raw_path, entry.sha256 = str(dest), sha
    out = parse_stage(entry, tmp_path / "parsed", force=True)
    assert out.status == "failed" and out.document is None
    assert src.name in out.problem and "changed since ingest" in out.problem

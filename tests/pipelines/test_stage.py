"""Per-document staging without Dagster: what is redone when reader or extraction code changes."""
from __future__ import annotations

import pytest

import pipelines.stage as stage
from extractors.registry import RawStore, Registry, register_files
from extractors.synthetic import build_corpus
from warehouse.staging import Staging


@pytest.fixture()
def staged(tmp_path):
    manifest = build_corpus(tmp_path / "corpus", units=1, years=(2024,), formats=("pdf",), templates=["sichuan"])
    with Registry(tmp_path / "registry.sqlite") as reg:
        entry = register_files(reg, RawStore(tmp_path / "raw"), [manifest[0]["path"]])[0][0]
    staging = Staging(tmp_path / "staging")
    first = stage.stage_document(entry, tmp_path / "parsed", staging)
    assert first.status == "ok" and first.n_values > 20
    return entry, tmp_path / "parsed", staging, first


def test_unchanged_code_skips_both_stages(staged, monkeypatch):
    entry, parsed_dir, staging, _ = staged
    monkeypatch.setattr(stage, "read_document", lambda *a: pytest.fail("re-read an unchanged document"))
    monkeypatch.setattr(stage, "extract_document", lambda *a: pytest.fail("re-extracted an unchanged document"))
    assert stage.stage_document(entry, parsed_dir, staging).status == "current"


def test_extraction_change_re_extracts_from_parsed_json_without_re_reading(staged, monkeypatch):
    entry, parsed_dir, staging, first = staged
    token = staging.get(entry.doc_id).stamp["stage_token"]
    monkeypatch.setattr(stage, "extractor_version", lambda: "changed-rules")
    monkeypatch.setattr(stage, "read_document", lambda *a: pytest.fail("re-read although only extraction changed"))
    again = stage.stage_document(entry, parsed_dir, staging)
    assert again.status == "ok" and again.n_values == first.n_values and again.n_figures == first.n_figures
    stamp = staging.get(entry.doc_id).stamp
    assert stamp["extractor_version"] == "changed-rules" and stamp["stage_token"] != token


def test_reader_change_reads_again(staged, monkeypatch):
    entry, parsed_dir, staging, first = staged
    calls = []
    real_read = stage.read_document
    monkeypatch.setattr(stage, "reader_version", lambda: "changed-reader")
    monkeypatch.setattr(stage, "extractor_version", lambda: "changed-reader+rules")
    monkeypatch.setattr(stage, "read_document", lambda path: calls.append(path) or real_read(path))
    again = stage.stage_document(entry, parsed_dir, staging)
    assert len(calls) == 1 and again.status == "ok" and again.n_values == first.n_values

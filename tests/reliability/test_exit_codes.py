"""`juesuan ingest` exit status: 0 all good, 3 finished with failed documents (listed in --json), and the table
of codes in --help. Before: 0 whatever failed."""
from __future__ import annotations

import json

import pytest

from pipelines.cli import build_parser, main
from pipelines.exit_codes import (
    EXIT_BUSY,
    EXIT_DOCUMENTS_FAILED,
    EXIT_OK,
    EXIT_RUN_FAILED,
    EXIT_USAGE,
    ingest_exit_code,
)
from pipelines.settings import Settings


def test_a_batch_with_a_broken_document_exits_3_and_lists_it(docx_corpus, tmp_path, capsys, clean_env):
    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / docx_corpus[0].name
    good.write_bytes(docx_corpus[0].read_bytes())
    broken = folder / "2024年部门决算（更正）.docx"
    broken.write_bytes(docx_corpus[1].read_bytes()[:6000])  # truncated in transfer
    data = tmp_path / "data"
    assert main(["ingest", str(folder), "--data-dir", str(data), "--json"]) == EXIT_DOCUMENTS_FAILED
    s = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert s["exit_code"] == EXIT_DOCUMENTS_FAILED and s["success"] is True
    assert [d["file"] for d in s["failed_documents"]] == [broken.name]
    assert s["failed_documents"][0]["problem"] and s["documents"] == 2
    # the good document was loaded all the same, and the snapshot published
    assert s["snapshot_published"] and s["figures"] > 50
    # the same folder again, without the broken file: all good
    broken.unlink()
    assert main(["ingest", str(folder), "--data-dir", str(data), "--json"]) == EXIT_OK
    s = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert s["exit_code"] == EXIT_OK and s["failed_documents"] == []


def test_bad_paths_are_usage_errors(tmp_path, capsys, clean_env):
    assert main(["ingest", str(tmp_path / "nowhere"), "--data-dir", str(tmp_path / "d")]) == EXIT_USAGE
    assert "no such file or folder" in capsys.readouterr().err


@pytest.mark.parametrize("success,failed,code", [(True, 0, EXIT_OK), (True, 2, EXIT_DOCUMENTS_FAILED),
                                                 (False, 0, EXIT_RUN_FAILED), (False, 2, EXIT_RUN_FAILED)])
def test_a_failed_run_outranks_failed_documents(success, failed, code):
    assert ingest_exit_code(success, failed) == code


def test_the_codes_are_documented_in_help_and_readme():
    from tests.conftest import REPO

    parser = build_parser()
    ingest = parser._subparsers._group_actions[0].choices["ingest"]
    for text in (parser.format_help(), ingest.format_help()):
        for code in (EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE, EXIT_DOCUMENTS_FAILED, EXIT_BUSY):
            assert f"\n  {code}  " in text
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert "3 when it finished but some documents could not be read" in readme and "exits 4 when" in readme


def test_no_batch_means_no_failed_documents(tmp_path, clean_env):
    """An ingest that registered nothing new to read reports on nothing, even if the warehouse holds failures."""
    from pipelines.report import ingest_summary
    from pipelines.runner import IngestReport

    s = ingest_summary(IngestReport(), Settings.resolve(data_dir=str(tmp_path / "d")))
    assert s["exit_code"] == EXIT_OK and s["failed_documents"] == []

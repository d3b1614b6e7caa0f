"""`juesuan export --out`: the path is data, never SQL, and a path that cannot take the export is one clear line."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.exit_codes import EXIT_USAGE


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_quote_in_the_path_stays_in_the_name(data, capsys, fmt, tmp_path):
    pwned = tmp_path / "pwned.csv"
    # closes the string literal, then runs its own COPY if the path were pasted into the SQL text
    out = tmp_path / f"x' (FORMAT csv); COPY (SELECT 42 AS pwned) TO '{pwned}' (FORMAT csv); --"
    args = ["export", "--data-dir", str(data), "--format", fmt, "--out", str(out)]
    if fmt == "csv":
        args += ["--headers", "ids"]  # the CSV path that goes through DuckDB's COPY
    assert main(args) == 0
    written = [Path(p) for p in capsys.readouterr().out.splitlines()]
    assert written and all(p.parent == out and p.exists() for p in written)
    assert not pwned.exists()
    assert (out / f"documents.{fmt}").stat().st_size > 0


def _one_line_error(capsys) -> str:
    cap = capsys.readouterr()
    assert cap.out == "" and "Traceback" not in cap.err and cap.err.count("\n") == 1, cap.err
    assert cap.err.startswith("juesuan export: ")
    return cap.err


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "parquet"])
def test_dev_null_an_existing_file_and_a_file_on_the_way_are_refused(data, capsys, fmt, tmp_path):
    afile = tmp_path / "report.xlsx"
    afile.write_bytes(b"keep me")
    for out, says in (("/dev/null", "is not a folder"), (str(afile), "is not a folder"),
                      (str(afile / "sub"), "cannot create the folder")):
        assert main(["export", "--data-dir", str(data), "--format", fmt, "--out", out]) == EXIT_USAGE
        assert says in _one_line_error(capsys)
    assert afile.read_bytes() == b"keep me"


def test_a_folder_where_the_export_file_goes_is_refused(data, capsys, tmp_path):
    (tmp_path / "juesuan.xlsx").mkdir()
    assert main(["export", "--data-dir", str(data), "--out", str(tmp_path)]) == EXIT_USAGE
    assert "juesuan.xlsx is a folder" in _one_line_error(capsys)


def test_export_without_a_warehouse_says_so(tmp_path, capsys, clean_env):
    assert main(["export", "--data-dir", str(tmp_path / "none"), "--out", str(tmp_path / "x")]) == EXIT_USAGE
    assert "does not exist yet" in _one_line_error(capsys)

"""What a newcomer sees in the terminal: clear errors at the CLI's edges, --help, the summary, the progress."""
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from extractors.registry import iter_document_files
from pipelines import progress
from pipelines.cli import build_parser, main
from pipelines.report import print_ingest_summary
from pipelines.runner import IngestReport
from pipelines.settings import Settings
from tests.pipelines.test_cli import data  # noqa: F401 - the fixture

REPO = Path(__file__).resolve().parents[2]


def test_extract_of_a_directory_says_it_is_one(tmp_path, capsys):
    assert main(["extract", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a directory" in err and "juesuan ingest" in err


@pytest.mark.parametrize("path", ["/etc/hostname", "generated"])
def test_extract_of_a_file_that_is_no_disclosure_says_so_and_fails(path, tmp_path, capsys):
    if path == "generated":
        path = tmp_path / "hostname"
        path.write_text("build-host-42\n")
    elif not Path(path).exists():
        pytest.skip(f"{path} is absent on this machine (the generated case covers it)")
    assert main(["extract", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and "holds no 预决算 figures" in err


def test_query_of_a_missing_snapshot_is_an_error(data, tmp_path, capsys):  # noqa: F811
    assert main(["query", "--data-dir", str(data), "--snapshot", str(tmp_path / "MISSING.duckdb"),
                 "SELECT 1"]) == 2
    assert "MISSING.duckdb does not exist" in capsys.readouterr().err


def test_review_of_an_unknown_fingerprint_is_an_error(data, capsys):  # noqa: F811
    assert main(["review", "--data-dir", str(data), "feedfacefeedface", "dismissed"]) == 2
    assert "no anomaly has fingerprint 'feedfacefeedface'" in capsys.readouterr().err
    main(["anomalies", "--data-dir", str(data), "--json"])
    fp = json.loads(capsys.readouterr().out.splitlines()[0])["fingerprint"]
    assert main(["review", "--data-dir", str(data), fp[:10], "confirmed"]) == 0  # a unique prefix is enough
    assert capsys.readouterr().out.strip() == f"{fp}: confirmed"


def test_report_is_written_beside_the_published_snapshot(data, capsys):  # noqa: F811
    assert main(["report", "--data-dir", str(data)]) == 0
    assert Path(capsys.readouterr().out.strip()) == data / "analyst" / "report.html"


def test_every_subcommand_help_has_a_description_its_arguments_and_an_example():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert {"extract", "ingest", "demo", "anomalies", "review", "export", "report", "query"} <= set(sub.choices)
    for name, parser in sub.choices.items():
        text = parser.format_help()
        assert parser.description and len(parser.description) > 40, name
        assert "examples:" in text and f"juesuan {name}" in text.split("examples:")[1], name
        for action in parser._actions:
            if action.dest not in ("help",) and action.option_strings != ["-h", "--help"]:
                assert action.help, f"{name} {action.dest} has no help"
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "ingest", "--help"], capture_output=True,
                         text=True, cwd=REPO)
    assert out.returncode == 0 and "juesuan ingest corpus/" in out.stdout


def test_plain_text_in_a_folder_is_not_a_document(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "说明.txt").write_text("notes")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.docx").write_bytes(b"PK")
    assert [p.name for p in iter_document_files([tmp_path])] == ["a.pdf", "b.docx"]
    assert [p.name for p in iter_document_files([tmp_path / "说明.txt"])] == ["说明.txt"]  # named: still read


def test_a_warehouse_given_alone_gets_its_own_data_folder(tmp_path, clean_env):
    s = Settings.resolve(warehouse=str(tmp_path / "new" / "w.duckdb"))
    assert s.data_dir == tmp_path / "new"
    assert Settings.resolve(warehouse=str(tmp_path / "w.duckdb"), data_dir=str(tmp_path / "d")).data_dir == \
        tmp_path / "d"


def _settings(tmp_path: Path) -> Settings:
    deep = tmp_path / ("a-rather-long-folder-name-" * 4) / "data"
    return Settings.resolve(data_dir=str(deep), dagster_home=str(tmp_path / "home"))


def test_summary_prints_whole_paths_off_a_terminal_and_json_says_the_same(tmp_path, capsys):
    settings = _settings(tmp_path)
    report = IngestReport(registered=2, new=2, run_ids=["0f368b3f-fb6b-4758-966f-a0eb7ca655d2"], success=False,
                          seconds=3.2, problems=["check documents_readable failed (error): 3 of 4 documents failed"])
    buf = io.StringIO()
    s = print_ingest_summary(report, settings, console=Console(file=buf, width=80, soft_wrap=True))
    text = buf.getvalue()
    for key in ("warehouse", "snapshot"):
        assert any(line.endswith(s[key]) or s[key] in line for line in text.splitlines()), key
    assert str(settings.warehouse) in text and "FAILED" in text
    assert text.count("check documents_readable failed") == 1
    print_ingest_summary(report, settings, as_json=True)
    as_json = json.loads(capsys.readouterr().out)
    assert as_json == json.loads(json.dumps(s)) and as_json["xlsx"].endswith("analyst/juesuan.xlsx")
    assert as_json["run_problems"] == report.problems and as_json["snapshot_published"] is False


def test_progress_off_a_terminal_names_files_and_reports_each_warning_once():
    buf = io.StringIO()
    p = progress.IngestProgress(Console(file=buf, width=200), live=False)
    with progress.listening(p):
        progress.emit("batch_started", 3)
        progress.emit("document_started", "甲.pdf")
        progress.emit("document_done", "甲.pdf", "ok", [])
        progress.emit("document_done", "乙.docx", "failed", ["乙.docx: not a disclosure", "not a disclosure"])
        progress.emit("document_done", "丙.pdf", "partial", ["no catalogued figure found"])
        progress.emit("phase", "loading")
    text = buf.getvalue()
    assert "reading 3 documents" in text and "3/3 documents" in text and "ETA" in text and "丙.pdf" in text
    assert text.count("乙.docx: not a disclosure") == 1 and "丙.pdf: no catalogued figure found" in text
    assert "failed  乙.docx: not a disclosure" in text and "partial 丙.pdf: no catalogued" in text  # by status
    assert progress.active() is None


def test_progress_bar_on_a_terminal_shows_count_file_elapsed_and_eta():
    buf = io.StringIO()
    p = progress.IngestProgress(Console(file=buf, width=160, force_terminal=True), live=True)
    with progress.listening(p):
        progress.emit("batch_started", 2)
        progress.emit("document_started", "某某局2024年部门决算.pdf")
        p._bar.refresh()
        shown = buf.getvalue()
        progress.emit("document_done", "某某局2024年部门决算.pdf", "ok", [])
    assert "0/2" in shown and "某某局2024年部门决算.pdf" in shown and "ETA" in shown and "0:00:00" in shown


def test_each_data_folder_has_its_own_dagster_instance(tmp_path, clean_env, monkeypatch):
    a, b = Settings.resolve(data_dir=str(tmp_path / "a")), Settings.resolve(data_dir=str(tmp_path / "b"))
    assert a.dagster_home == tmp_path / "a" / "dagster_home" != b.dagster_home
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "shared"))  # unless the user asks for one instance
    assert Settings.resolve(data_dir=str(tmp_path / "a")).dagster_home == tmp_path / "shared"


def test_demo_defaults_to_its_own_data_folder(tmp_path, clean_env, monkeypatch):
    from pipelines import cli

    seen = {}
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "_settings", lambda args: seen.setdefault("data_dir", args.data_dir) and 1 / 0)
    with pytest.raises(ZeroDivisionError):
        cli.main(["demo"])
    assert seen["data_dir"] == cli.DEMO_DATA_DIR == "data/demo"


@pytest.mark.slow
def test_a_failed_check_prints_one_line_per_failed_document_and_no_stack_trace(tmp_path, clean_env, capfd):
    """documents_readable blocks the snapshot (3 of 4 unreadable): exit 1, the check's reason once, each failed
    file once in the summary, named by file; no Dagster stack trace on either stream."""
    from extractors.synthetic import build_corpus

    folder = tmp_path / "收件箱"
    folder.mkdir()
    good, = build_corpus(tmp_path / "factory", units=1, years=(2024,), formats=("docx",), templates=["sichuan"],
                         anomalies=False)
    (folder / "好的.docx").write_bytes(Path(good["path"]).read_bytes())
    bad = [f"坏文件{i}.pdf" for i in range(3)]
    for i, name in enumerate(bad):
        (folder / name).write_bytes(f"<html><body>404 Not Found {i}</body></html>".encode())
    code = main(["ingest", str(folder), "--data-dir", str(tmp_path / "data")])
    out, err = capfd.readouterr()
    assert code == 1, (out, err)
    for stream in (out, err):
        assert "Traceback" not in stream and "DagsterExecutionStepExecutionError" not in stream
        assert "dagster._core" not in stream and 'File "' not in stream
    assert out.count("check documents_readable failed") == 1 and "snapshot is not published" in out
    lines = out.splitlines()
    for name in bad:
        mine = [ln for ln in lines if name in ln]
        assert len(mine) == 1 and mine[0].startswith(f"failed  {name}: "), mine  # one line per document
        assert err.count(f"failed  {name}: ") == 1  # and once while it was read (stderr's progress)
    assert "好的.docx" not in out and "juesuan ingest  FAILED" in out
    assert "reading 4 documents" in err and "4/4 documents" in err and "ETA" in err  # the real run's progress


@pytest.mark.slow
def test_a_new_warehouse_holds_only_what_its_data_folder_holds(tmp_path, clean_env, capsys):
    """`ingest B --warehouse NEW --data-dir D2` loads B alone, though A was ingested into D1 beside it; a new
    warehouse pointed at a used data folder receives that folder's documents and says so in a note."""
    from extractors.synthetic import build_corpus
    from warehouse.db import Warehouse

    a, b = build_corpus(tmp_path / "factory", units=2, years=(2024,), formats=("docx",), templates=["sichuan"],
                        anomalies=False)
    d1 = tmp_path / "data"

    def ingest(*args) -> dict:
        assert main(["ingest", *map(str, args), "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    def names(warehouse) -> set:
        with Warehouse(warehouse).read() as con:
            return {r[0] for r in con.execute("SELECT unit_name FROM documents").fetchall()}

    ingest(a["path"], "--data-dir", d1)
    s = ingest(b["path"], "--warehouse", tmp_path / "new" / "w.duckdb", "--data-dir", tmp_path / "d2")
    assert names(s["warehouse"]) == {b["unit_name"]} and s["notes"] == [] and s["documents"] == 1
    assert s["data_dir"] == str(tmp_path / "d2")  # (a --warehouse alone brings its own folder: test above)
    s = ingest(b["path"], "--warehouse", d1 / "second.duckdb")  # a new warehouse in a used folder: said so
    assert names(s["warehouse"]) == {a["unit_name"], b["unit_name"]}
    assert len(s["notes"]) == 1 and "also receives 1 documents staged earlier in" in s["notes"][0]
    assert names(d1 / "warehouse.duckdb") == {a["unit_name"]}  # the first warehouse is untouched


def test_a_published_run_prints_snapshot_xlsx_and_report_paths_whole(tmp_path, clean_env):
    settings = _settings(tmp_path)
    settings.snapshot.parent.mkdir(parents=True)
    settings.snapshot.write_bytes(b"")  # published: the summary then names all three files
    report = IngestReport(registered=1, new=1, run_ids=["r"], success=True, seconds=1.0)
    buf = io.StringIO()
    s = print_ingest_summary(report, settings, console=Console(file=buf, width=80, soft_wrap=True))
    lines = buf.getvalue().splitlines()
    for key, label in (("snapshot", "analyst snapshot"), ("xlsx", "Excel workbook"), ("report", "HTML report")):
        line, = [ln for ln in lines if ln.startswith(label)]
        assert line.split(None, 2)[-1].strip() == s[key] and len(s[key]) > 80, line  # one line, never folded


def test_files_that_are_no_disclosure_are_counted_and_each_named_once(tmp_path):
    settings = _settings(tmp_path)
    report = IngestReport(registered=0, new=0, skipped=["通知.pdf: not a disclosure: notice (通知)",
                                                        "模板.xls: not a disclosure: template (空白模板)"])
    buf = io.StringIO()
    print_ingest_summary(report, settings, console=Console(file=buf, width=80, soft_wrap=True))
    text = buf.getvalue()
    assert "2 other files skipped, not disclosures (listed below)" in text
    assert text.count("通知.pdf") == 1 and "skipped 模板.xls: not a disclosure: template" in text

"""Two `juesuan ingest` runs on one fresh data folder serialise, and every document of both ends up loaded.

Before: the second run died on Dagster's schema creation (`table runs already exists`, `UNIQUE constraint
failed: alembic_version`) or the registry (`database is locked`, `UNIQUE constraint failed: documents.doc_id`),
and its batch was never ingested."""
from __future__ import annotations

import json

from extractors.registry import Registry, RegistryEntry
from pipelines.cli import main
from pipelines.exit_codes import EXIT_BUSY, EXIT_OK
from pipelines.folder_lock import ingest_lock
from tests.reliability.conftest import juesuan
from warehouse.db import Warehouse

TRACEBACK_SIGNS = ("Traceback", "database is locked", "UNIQUE constraint", "already exists")


def test_two_ingests_on_one_fresh_folder_serialise_and_load_everything(docx_corpus, tmp_path):
    data = tmp_path / "data"
    first, second = docx_corpus[:2], docx_corpus[2:]
    runs = [juesuan("ingest", *map(str, batch), "--data-dir", str(data), "--json") for batch in (first, second)]
    results = [r.communicate(timeout=120) for r in runs]
    for r, (out, err) in zip(runs, results, strict=True):
        assert r.returncode == EXIT_OK, err
        assert not any(s in err for s in TRACEBACK_SIGNS), err
        assert json.loads(out.splitlines()[-1])["success"] is True
    # one of them found the other working and said it would wait
    assert sum("is working in" in err and "waiting until it finishes" in err for _, err in results) == 1
    with Warehouse(data / "warehouse.duckdb").read() as con:
        names = {r[0] for r in con.execute("SELECT original_name FROM documents WHERE status <> 'failed'").fetchall()}
    assert names == {p.name for p in docx_corpus}


def test_a_second_ingest_told_not_to_wait_exits_4_and_registers_nothing(docx_corpus, tmp_path, capsys, clean_env):
    data = tmp_path / "data"
    with ingest_lock(data):  # an ingest at work in this folder
        code = main(["ingest", str(docx_corpus[0]), "--data-dir", str(data), "--wait", "0"])
    err = capsys.readouterr().err
    assert code == EXIT_BUSY and "is working in" in err and "--wait 0" in err and "Traceback" not in err
    assert not (data / "registry.sqlite").exists()


def test_registering_the_same_document_from_two_processes_at_once_is_one_row(tmp_path):
    """The race inside the registry itself (a crawl and an ingest): the second insert finds the row."""
    path = tmp_path / "registry.sqlite"
    entry = dict(doc_id="d0123456789abcdef", sha256="0123456789abcdef" * 4, raw_path="/raw/x", bytes=10)
    with Registry(path) as a, Registry(path) as b:
        real_get, looks = b.get, []

        def get_before_a_inserted(doc_id):  # b's first look happened before a's insert
            looks.append(doc_id)
            return None if len(looks) == 1 else real_get(doc_id)

        b.get = get_before_a_inserted
        assert a.upsert(RegistryEntry(**entry, original_name="a.pdf")) is True
        assert b.upsert(RegistryEntry(**entry, title="标题")) is False
        row = real_get(entry["doc_id"])
    assert (row.original_name, row.title) == ("a.pdf", "标题")


def test_data_folders_sharing_one_dagster_home_do_not_see_each_others_documents(docx_corpus, tmp_path, clean_env):
    """Before: a batch's partition range spanned another folder's documents, each logged as an error
    ("not in the registry"). Now they are skipped with one info line."""
    import dagster as dg

    from pipelines.runner import ingest
    from pipelines.settings import Settings

    home = tmp_path / "shared_home"
    one, two = (Settings.resolve(data_dir=str(tmp_path / name), dagster_home=str(home)) for name in ("one", "two"))
    a, b, c = docx_corpus
    ingest([a], one)
    ingest([b], two)
    report = ingest([a, c], one)  # the range a … c holds b, a document of folder two
    assert report.success
    with dg.DagsterInstance.from_config(str(home)) as instance:
        logs = [e.user_message for e in instance.all_logs(report.run_ids[0])]
    assert not [m for m in logs if "not in the registry" in m]
    assert [m for m in logs if "1 partitions of this batch's range are documents of another data folder" in m]
    with Warehouse(one.warehouse).read() as con:
        assert {r[0] for r in con.execute("SELECT original_name FROM documents").fetchall()} == {a.name, c.name}

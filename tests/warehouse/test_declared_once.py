"""Each warehouse table is declared once (its DDL in schemas/sql); staging's Parquet schemas, the column lists and
the export headers derive from that declaration (schemas/columns.py), so a new column is one migration."""
from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from schemas import columns as declared
from schemas import ddl
from tests.warehouse.records import record
from tests.warehouse.test_load import stage
from warehouse import staging as staging_mod
from warehouse.db import Warehouse
from warehouse.load import load_staged
from warehouse.staging import TABLES, Staging


def test_staged_files_carry_exactly_the_warehouse_columns_less_those_the_load_fills(tmp_path):
    wh = Warehouse(tmp_path / "w.duckdb")
    wh.migrate()
    with wh.read() as con:
        live = {t: con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
                               "ORDER BY column_index", [t]).fetchall() for t in TABLES}
    staged = stage(Staging(tmp_path / "staging"), "d1", record("a" * 64))
    for t in TABLES:
        names = pq.read_schema(staged.path / f"{t}.parquet").names
        expected = [c for c, _ in live[t] if c not in declared.LOADED.get(t, ())]
        assert names == expected, t  # same columns, same order as the warehouse
        assert [(c.name, c.data_type) for c in declared.columns(t)] == live[t]
    # the load-filled columns are real columns, and the load does fill them
    assert declared.LOADED["documents"] <= set(declared.column_names("documents"))
    load_staged(wh, Staging(tmp_path / "staging"))
    with wh.read() as con:
        loaded_at, status, region = con.execute("SELECT loaded_at, unit_status, region_name FROM documents").fetchone()
    assert loaded_at is not None and status and region == "青川市"


def test_every_declared_column_has_its_chinese_comment():
    for t in TABLES:
        blank = [c.name for c in declared.columns(t) if not c.comment]
        assert blank == [], t


def test_a_column_added_by_a_new_migration_reaches_staging_and_the_load(tmp_path, monkeypatch):
    migration = ("ALTER TABLE metric_values ADD COLUMN reviewer_note VARCHAR;\n"
                 "COMMENT ON COLUMN metric_values.reviewer_note IS '复核备注';\n")
    original = ddl.migrations
    monkeypatch.setattr(ddl, "migrations", lambda: [*original(), ("999_reviewer_note.sql", migration)])
    declared._declared.cache_clear()
    staging_mod.arrow_schema.cache_clear()
    try:
        assert declared.columns("metric_values")[-1] == declared.Column("reviewer_note", "VARCHAR", "复核备注")
        assert staging_mod.arrow_schema("metric_values").field("reviewer_note").type == "string"
        staged = stage(Staging(tmp_path / "staging"), "d1", record("a" * 64))
        assert "reviewer_note" in pq.read_schema(staged.path / "metric_values.parquet").names
        wh = Warehouse(tmp_path / "w.duckdb")
        load_staged(wh, Staging(tmp_path / "staging"))  # INSERT BY NAME takes the new column as it is
        with wh.read() as con:
            assert con.execute("SELECT count(*) FROM metric_values WHERE reviewer_note IS NULL").fetchone()[0] > 0
    finally:
        monkeypatch.undo()
        declared._declared.cache_clear()
        staging_mod.arrow_schema.cache_clear()


def test_an_unknown_table_or_type_is_named():
    with pytest.raises(KeyError, match="'nonsense' is no warehouse table"):
        declared.columns("nonsense")
    with pytest.raises(TypeError, match="no staging type for DuckDB HUGEINT"):
        staging_mod._arrow_type("HUGEINT")

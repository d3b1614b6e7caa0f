"""Every warehouse table is declared once: by its DDL (the numbered migrations in schemas/sql), with a type and a
Chinese comment per column. What else lists a table's columns derives from here instead of repeating them: the
Arrow schemas of the staged Parquet files (warehouse/staging.py), the column lists of the code that reads the
tables, and the XLSX/CSV headers (the comments, read from the warehouse). A new column is one ALTER TABLE in a new
migration, with its COMMENT; staging then writes it, the load inserts it BY NAME, and the exports label it.

The declaration is read by applying the migrations to an empty in-memory DuckDB (about 0.1 s, once per process)
rather than by parsing SQL text, so what is derived is exactly what a warehouse holds.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from schemas import ddl

# columns the load fills, never staged: when the document was loaded, and the unit identity that
# warehouse/identity.py recomputes for every document from the documents, the sources and the units register
LOADED: dict[str, frozenset[str]] = {
    "documents": frozenset({
        "loaded_at", "province_name", "province_code", "city_name", "city_code", "county_name", "county_code",
        "region_name", "region_code", "region_level", "region_source", "canonical_name", "unit_type",
        "unit_status"}),
}


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str  # as DuckDB spells it: VARCHAR, INTEGER, DECIMAL(18,2), VARCHAR[], …
    comment: str  # 中文说明 (the XLSX/CSV header and the data dictionary's text)


@functools.cache
def _declared() -> dict[str, tuple[Column, ...]]:
    import duckdb

    con = duckdb.connect()
    try:
        for _name, sql in ddl.migrations():
            con.execute(sql)
        rows = con.execute("SELECT table_name, column_name, data_type, coalesce(comment, '') FROM duckdb_columns() "
                           "WHERE NOT internal AND table_name IN (SELECT table_name FROM duckdb_tables()) "
                           "ORDER BY table_name, column_index").fetchall()
    finally:
        con.close()
    out: dict[str, list[Column]] = {}
    for table, name, data_type, comment in rows:
        out.setdefault(table, []).append(Column(name, data_type, comment))
    return {t: tuple(cols) for t, cols in out.items()}


def tables() -> list[str]:
    """Every declared warehouse table (views are declared in views.sql and view_columns.csv)."""
    return sorted(_declared())


def columns(table: str) -> tuple[Column, ...]:
    """The table's columns in warehouse order; an unknown table is an error naming the declared ones."""
    try:
        return _declared()[table]
    except KeyError:
        raise KeyError(f"{table!r} is no warehouse table (declared: {', '.join(tables())})") from None


def column_names(table: str) -> list[str]:
    return [c.name for c in columns(table)]


def staged_columns(table: str) -> tuple[Column, ...]:
    """The columns a staged document carries: the table's, less those the load fills (LOADED)."""
    loaded = LOADED.get(table, frozenset())
    return tuple(c for c in columns(table) if c.name not in loaded)

"""Chinese column comments on the analyst views and the ``metrics`` table, applied on every migrate.

DuckDB drops a view's column comments when the view is recreated (views.sql runs on every migrate), so they are
applied again right after it, from the declarations in ``schemas.labels``.
"""
from __future__ import annotations

import duckdb

from schemas.labels import metric_rows, view_column_comments

# where a view column that copies a table column finds its comment (first match wins)
_BASE_TABLES = ("documents", "anomalies", "anomaly_reviews", "metric_values")


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def apply_view_comments(con: duckdb.DuckDBPyConnection) -> None:
    declared = view_column_comments()
    # any table's comment for a same-named column, the core tables' winning (a view over coverage_rows, say,
    # takes that table's words without being declared again)
    base: dict[str, str] = dict(con.execute(
        "SELECT c.column_name, any_value(c.comment) FROM duckdb_columns() c JOIN duckdb_tables() t "
        "ON t.table_name = c.table_name AND t.schema_name = c.schema_name WHERE c.comment IS NOT NULL "
        "AND c.comment <> '' GROUP BY ALL").fetchall())
    for table in reversed(_BASE_TABLES):
        base.update(dict(con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ? "
                                     "AND comment IS NOT NULL AND comment <> ''", [table]).fetchall()))
    views = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal "
                                       "AND schema_name = 'main'").fetchall()]
    for view in views:
        for (col,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                                  "ORDER BY column_index", [view]).fetchall():
            text = declared.get((view, col)) or base.get(col)
            if text:
                con.execute(f'COMMENT ON COLUMN "{view}"."{col}" IS {_sql_text(text)}')


def create_metrics_table(con: duckdb.DuckDBPyConnection) -> None:
    """The metric catalogue inside the warehouse (and so the snapshot): labels an analyst can join and query."""
    con.execute("CREATE OR REPLACE TABLE metrics (metric_id VARCHAR PRIMARY KEY, label_zh VARCHAR, unit VARCHAR, "
                "value_type VARCHAR, section VARCHAR)")
    con.executemany("INSERT INTO metrics VALUES (?, ?, ?, ?, ?)", metric_rows())
    con.execute("COMMENT ON TABLE metrics IS '指标目录：指标ID、中文名称、计量单位、类型、所属部分'")
    for col, text in (("metric_id", "指标ID"), ("label_zh", "中文名称"), ("unit", "计量单位（万元、%、个）"),
                      ("value_type", "值类型：amount 金额 / pct 百分比 / count 数量 / text 文本"),
                      ("section", "所属部分（收入、支出、三公、政府采购等）")):
        con.execute(f"COMMENT ON COLUMN metrics.{col} IS {_sql_text(text)}")

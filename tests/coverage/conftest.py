"""Coverage tests' warehouse: six 决算 of four 长沙 units over two years, inserted directly (the generated-portal
test crawls and ingests instead): a rename (环保局 → 生态环境局), a （部门） suffix, a unit new in 2024, and one
document missing tables."""
from __future__ import annotations

import pytest

from warehouse.db import Warehouse

ALL = ["T01", "T02", "T03", "T04", "T05", "T06", "T07"]
DOCS = [  # doc_id, unit name as published, year, tables
    ("d0", "长沙市财政局", 2023, ALL), ("d1", "长沙市财政局（部门）", 2024, ALL[:3]),
    ("d2", "长沙市环保局", 2023, ALL), ("d3", "长沙市生态环境局", 2024, ALL),
    ("d4", "长沙市审计局", 2023, ALL), ("d5", "长沙市统计局", 2024, ALL),
]


@pytest.fixture
def wh(tmp_path):
    w = Warehouse(tmp_path / "w.duckdb")
    w.migrate()
    with w.write() as con:
        for doc_id, name, year, tables in DOCS:
            con.execute("INSERT INTO documents (doc_id, sha256, unit_name, fiscal_year, kind, scope, status, n_figures,"
                        " original_name) VALUES (?, ?, ?, ?, 'final_accounts', 'department', 'ok', 10, ?)",
                        [doc_id, doc_id, name, year, f"{year}年度{name}部门决算.pdf"])
            con.executemany("INSERT INTO doc_tables (doc_id, table_id) VALUES (?, ?)", [[doc_id, t] for t in tables])
    return w

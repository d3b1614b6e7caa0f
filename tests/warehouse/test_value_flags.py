"""Blank zeros, derived prior-year figures and mapped codes keep their flags in the warehouse (migration 009)."""
from pathlib import Path

from tests.warehouse.records import record
from warehouse.db import Warehouse
from warehouse.load import load_staged
from warehouse.staging import Staging, record_rows


def test_blank_derived_and_code_mapped_flags_reach_the_tables(tmp_path: Path):
    wh, staging = Warehouse(tmp_path / "wh.duckdb"), Staging(tmp_path / "staging")
    rec = record("c" * 64)
    rec["values"].update({"income.business": 0.0, "total.grand_prev": 90.0})
    rec["figures"] += [
        {"metric": "income.business", "value": 0.0, "source": "table", "table": "T01", "page": 5,
         "text": "事业收入 （空白，按0计）", "blank": True},
        {"metric": "total.grand_prev", "value": 90.0, "source": "narrative", "page": 12,
         "text": "收支总计比上年增加10.00万元", "derived": True},
    ]
    rec["line_items"] += [
        {"table": "T03", "code": "2040601", "name": "行政运行", "column": "project", "value": 0.0, "page": 7,
         "blank": True, "code_mapped": True}]
    rows = record_rows("d1", rec, value_types={"income.business": "amount", "total.grand_prev": "amount"},
                       extractor_version="t")
    staging.write("d1", rec, rows, sha256=rec["document"]["sha256"], extractor_version="t")
    load_staged(wh, staging)
    with wh.read() as con:
        figs = dict(con.execute("SELECT metric_id, is_blank::INT * 2 + is_derived::INT FROM figures "
                                "WHERE metric_id IN ('income.business', 'total.grand_prev')").fetchall())
        vals = dict(con.execute("SELECT metric_id, is_blank::INT * 2 + is_derived::INT FROM metric_values "
                                "WHERE metric_id IN ('income.business', 'total.grand_prev', 'income.total')")
                    .fetchall())
        items = con.execute("SELECT item_code, is_blank, code_mapped FROM line_items ORDER BY item_code").fetchall()
    assert figs == {"income.business": 2, "total.grand_prev": 1}
    assert vals == {"income.business": 2, "total.grand_prev": 1, "income.total": 0}
    assert items == [("2010101", False, False), ("2040601", True, True)]

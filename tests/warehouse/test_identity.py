"""Issue 18: a unit is (region, canonical name) — regions from names, the identity pass, migration 008."""
from __future__ import annotations

import duckdb

from schemas import ddl
from schemas.regions import canonical_name, parse_region, region_from_name
from schemas.units import Alias, Unit, UnitsRegister
from warehouse.db import migrate_connection
from warehouse.identity import IdentityInputs, identify_row


def test_region_from_printed_names():
    cases = {"四川省内江市住房公积金管理中心": ("四川省内江市", "511000", "住房公积金管理中心"),
             "上海市普陀区财政局（部门）": ("上海市普陀区", "310107", "财政局"),
             "中共上海市普陀区委社会工作部": ("上海市普陀区", "310107", "中共区委社会工作部"),
             "深圳市财政局（本级）": ("广东省深圳市", "440300", "财政局"),  # province from the code list
             "青川市东城县财政局": ("青川市东城县", None, "财政局"),  # a place outside the list: by its form
             "市场监督管理局": (None, None, "市场监督管理局")}
    for name, (region, code, canonical) in cases.items():
        r = parse_region(name)[0]
        assert (r.name, r.code, canonical_name(name)) == (region, code, canonical), name
    assert parse_region("财政局")[0].empty and parse_region("市财政局")[0].empty
    assert parse_region("国家信访局")[0].level == "central" and region_from_name("中央").name == "中央"
    # a county alone never names its city (普陀区 is in 上海 and in 舟山): no parent, no code
    r = parse_region("普陀区财政局")[0]
    assert (r.county_name, r.city_name, r.code) == ("普陀区", None, None)


def test_identity_keys_on_region_and_abstains_without_one():
    none = IdentityInputs()
    a = identify_row("东城县财政局", 2024, "s", "四川省青川市东城县", "cover+org_line", none)
    b = identify_row("东城县财政局", 2024, "s", "广东省岭安市东城县", "org_line", none)
    assert a["unit_id"] != b["unit_id"] and a["canonical_name"] == b["canonical_name"] == "财政局"
    assert a["region_level"] == "county" and a["unit_status"] == "resolved"
    bare = identify_row("财政局", 2024, "s", None, None, none)
    assert bare["unit_status"] == "unresolved" and bare["unit_id"] is None
    # the source's region fills in what the document does not say; the operator's word beats a conflicting one
    src = IdentityInputs(source_regions={"s": "四川省青川市"})
    assert identify_row("财政局", 2024, "s", None, None, src)["region_name"] == "四川省青川市"
    assert identify_row("财政局", 2024, "s", "广东省岭安市", "cover", src)["region_source"] == "source"
    # 全称/简称 of a committee are one unit
    full = identify_row("青川市卫生健康委员会", 2024, None, "青川市", "unit_name", none)
    short = identify_row("青川市卫生健康委", 2023, None, "青川市", "unit_name", none)
    assert full["unit_id"] == short["unit_id"]


def test_register_alias_joins_a_renamed_unit_and_never_a_namesake():
    reg = UnitsRegister([Unit("001", "青川市生态环境局", "青川市", aliases=(Alias("青川市环境保护局", to_year=2018),)),
                         Unit("002", "财政局", "青川市"), Unit("003", "财政局", "岭安市")])
    inputs = IdentityInputs(register=reg)
    old = identify_row("青川市环境保护局", 2018, None, "青川市", "unit_name", inputs)
    new = identify_row("青川市生态环境局", 2019, None, "青川市", "unit_name", inputs)
    assert old["unit_id"] == new["unit_id"] and old["region_source"] == "register"
    # "财政局" is registered in two regions: with no region it stays unresolved, with one it is that region's
    assert identify_row("财政局", 2024, None, None, None, inputs)["unit_status"] == "unresolved"
    assert identify_row("财政局", 2024, None, "岭安市", "cover", inputs)["region_name"] == "岭安市"


def test_migration_008_rekeys_an_old_warehouse_without_losing_a_row():
    con = duckdb.connect()
    con.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    for name, sql in ddl.migrations():
        if name >= "008":
            break
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
    names = ["青川市财政局", "岭安市财政局", "财政局", "上海市普陀区财政局（部门）", "上海市普陀区财政局"]
    for i, name in enumerate(names):  # the old key: the name alone
        con.execute("INSERT INTO documents (doc_id, sha256, unit_name, unit_id, fiscal_year, kind, scope, status) "
                    "VALUES (?, ?, ?, ?, 2024, 'final_accounts', 'department', 'ok')",
                    [f"d{i}", f"{i}" * 64, name, name.replace("（部门）", "")])
        con.execute("INSERT INTO metric_values (doc_id, metric_id, amount_wan) VALUES (?, 'income.total', 1.0)",
                    [f"d{i}"])
    before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "metric_values")}
    migrate_connection(con)
    after = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "metric_values")}
    assert before == after == {"documents": 5, "metric_values": 5}
    rows = dict(con.execute("SELECT doc_id, unit_id FROM documents").fetchall())
    assert rows["d0"] != rows["d1"] and rows["d2"] is None and rows["d3"] == rows["d4"] == "310107/财政局"
    legacy = dict(con.execute("SELECT doc_id, legacy_unit_id FROM documents").fetchall())
    assert legacy["d0"] == "青川市财政局"
    assert con.execute("SELECT count(*) FROM units").fetchone()[0] == 3
    assert con.execute("SELECT region_source FROM documents WHERE doc_id = 'd0'").fetchone()[0] == "unit_name"

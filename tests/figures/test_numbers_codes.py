"""Pure helpers: number parsing and unit conversion (numbers.py), classification codes (codes.py,
function_codes.py) and the precedence of codes learnt from the document's own tables."""
from __future__ import annotations

import pytest

from extractors.figures.codes import join_levels, norm_code, split_code_name
from extractors.figures.function_codes import lookup
from extractors.figures.narrative import compile_pattern
from extractors.figures.numbers import cn_int, parse_number, to_wanyuan, typed
from extractors.figures.textstream import clean


@pytest.mark.parametrize("cell,want", [
    ("1,506.37", 1506.37), ("303,312,586.17", 303312586.17), ("0.00", 0.0), ("-3.5", -3.5), ("（12.30）", -12.3),
    ("1，234.50", 1234.5), (" 45 ", 45.0), ("", None), ("-", None), ("—", None), ("——", None), ("/", None),
    ("合计", None), ("2026年", None), ("12.3万元", None),
])
def test_parse_number(cell, want):
    assert parse_number(cell) == want


def test_full_width_digits_are_folded_by_clean():
    assert parse_number(clean("１，５０６．３７")) == 1506.37
    assert clean("收入总计 1 506.37 万 元") == "收入总计1 506.37万元"


@pytest.mark.parametrize("value,unit,want", [
    (303312586.17, "元", 30331.26), (195774300, "元", 19577.43), (1506.37, "万元", 1506.37),
    (2.5, "亿元", 25000.0), (12345, "千元", 1234.5), (8.0, None, 8.0),
])
def test_to_wanyuan(value, unit, want):
    assert to_wanyuan(value, unit) == want


def test_typed_and_cn_int():
    assert typed(3.0, "count") == 3 and isinstance(typed(3.0, "count"), int)
    assert typed(1.005, "amount") == 1.0 or typed(1.005, "amount") == 1.01
    assert [cn_int(x) for x in ("三", "十", "十二", "二十", "九十九", "7", "")] == [3, 10, 12, 20, 99, 7, None]


@pytest.mark.parametrize("text,amt,unit", [
    ("收入总计1,506.37万元", "1,506.37", "万元"), ("共计303,312,586.17元", "303,312,586.17", "元"),
    ("规模2.5亿元", "2.5", "亿元"), ("预算947万元", "947", "万元"), ("数为.5万元", ".5", "万元"),
])
def test_amount_placeholder(text, amt, unit):
    m = compile_pattern(r"{AMT}").search(text)
    assert (m.group("amt"), m.group("unit")) == (amt, unit)


@pytest.mark.parametrize("cell,want", [
    ("2080505", "2080505"), ("208 05 05", "2080505"), ("208-05-05", "2080505"), ("208", "208"), ("20805", "20805"),
    ("行政运行", None), ("", None), (None, None),
])
def test_norm_code(cell, want):
    assert norm_code(cell) == want


@pytest.mark.parametrize("cell,want", [
    ("2010101 行政运行", ("2010101", "行政运行")), ("[2011301]行政运行", ("2011301", "行政运行")),
    ("[201]一般公共服务支出", ("201", "一般公共服务支出")), ("20805 行政事业单位养老支出", ("20805", "行政事业单位养老支出")),
    ("行政运行", (None, "行政运行")), ("2026年", (None, "2026年")),
])
def test_split_code_name(cell, want):
    assert split_code_name(cell) == want


def test_join_levels_lei_kuan_xiang_columns():
    ctx: list[str] = []
    assert join_levels("208", "", "", ctx) == "208"
    assert join_levels("208", "05", "", ctx) == "20805"
    assert join_levels("208", "05", "05", ctx) == "2080505"
    assert join_levels("", "05", "06", ["208"]) == "2080506"  # a blank 类 inherits from the previous row
    assert join_levels("合计", "", "", ctx) is None
    assert join_levels("208", "5", "", ctx) is None


def test_function_code_dictionary():
    assert lookup("社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出") == "2080505"
    assert lookup("住房保障支出", "住房改革支出", "住房公积金") == "2210201"
    assert lookup("一般公共服务", "未知款", "行政运行") is None


def test_codes_from_the_documents_own_tables_win():
    """A narrative 类/款/项 entry takes the code the document's tables print for the same 项 name."""
    from extractors.figures import extract_document
    from tests.figures.helpers import doc_from_lines, table

    t = table([["科目编码", "科目名称", "合计"], ["2210302", "住房公积金管理", "10.00"]], title="支出决算表",
              table_id="T03")
    d = doc_from_lines("2024年度某中心部门决算。", "住房保障支出（类）城乡社区住宅（款）住房公积金管理（项）：支出决算为10.00万元。",
                       tables=[t])
    d.lines[1].page = 1
    rec = extract_document(d)
    narr = [li for li in rec["line_items"] if li["table"] == "narrative"]
    assert narr and narr[0]["code"] == "2210302", rec["line_items"]
    # without a table the seed dictionary answers (the gold file's 2210301)
    rec2 = extract_document(doc_from_lines("2024年度某中心部门决算。",
                                           "住房保障支出（类）城乡社区住宅（款）住房公积金管理（项）：支出决算为10.00万元。"))
    assert [li["code"] for li in rec2["line_items"] if li["table"] == "narrative"] == ["2210301"]

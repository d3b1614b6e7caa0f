"""Function codes printed in split 类 | 款 | 项 columns (Shanghai 决算 / Yantai / Changsha layouts), and the
Putuo 司法局 unit-budget 2040601 project value (a printed value, not an extraction defect)."""
from __future__ import annotations

import pytest

from extractors.figures import extract_document
from extractors.figures.codes import join_levels
from tests.conftest import REAL_CORPUS, require_shared
from tests.figures.helpers import doc_from_lines, table

FINAL = "某某局2024年度部门决算。"
_real: dict[str, dict] = {}


def _real_rec(name: str) -> dict:
    if name not in _real:
        from extractors.figures import extract_file

        _real[name] = extract_file(require_shared(REAL_CORPUS) / name)
    return _real[name]


def _items(rec: dict, tid: str, column: str = "total") -> dict[str, tuple[str, float]]:
    out: dict[str, tuple[str, float]] = {}
    for li in rec["line_items"]:
        if li["table"] == tid and li["column"] == column:
            assert li["code"] not in out, f"duplicate code {li['code']} in {tid}"
            out[li["code"]] = (li["name"], li["value"])
    return out


def _assert_parents_sum_children(items: dict[str, tuple[str, float]]) -> None:
    for code, (_, val) in items.items():
        kids = [v for k, (_, v) in items.items() if len(k) == len(code) + 2 and k.startswith(code)]
        if kids:
            assert abs(sum(kids) - val) < 0.011, (code, val, kids)


def test_join_levels_carries_lei_and_kuan_down():
    assert join_levels("", "", "01", ["201", "06"]) == "2010601"  # only the 项 printed
    assert join_levels("", "06", "", ["201"]) == "20106"  # only the 款 printed
    assert join_levels("", "", "01", ["201"]) is None  # no enclosing 款 known
    assert join_levels("201", "", "01", ["201", "06"]) == "2010601"  # 类 repeated, 款 blank
    assert join_levels("", "", "", ["201", "06"]) is None
    assert join_levels("类", "款", "项", ["201", "06"]) is None  # the label row


# Shanghai 决算 T03: the 类/款/项 labels share the body's first row with 合计 (the reader counts 3 header rows),
# so no header path ends in 类 and the columns were read as one code column → "201" for every row.
_SH_T03 = [
    ["项目", "", "", "", "本年支出合计", "基本支出", "项目支出"],
    ["支出功能分类", "", "", "科目名称", "", "", ""],
    ["科目编码", "", "", "", "", "", ""],
    ["类", "款", "项", "合计", "2,048.61", "1,590.49", "458.12"],
    ["201", "", "", "一般公共服务支出", "1,521.89", "1,063.77", "458.12"],
    ["201", "06", "", "财政事务", "1,521.89", "1,063.77", "458.12"],
    ["201", "06", "01", "行政运行", "1,063.77", "1,063.77", ""],
    ["201", "06", "02", "一般行政管理事务", "458.12", "", "458.12"],
    ["208", "", "", "社会保障和就业支出", "526.72", "526.72", ""],
    ["208", "05", "", "行政事业单位养老支出", "526.72", "526.72", ""],
    ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "526.72", "526.72", ""],
]

# Yantai family: child rows print only their own part (款 or 项); 类/款 carry down from the rows above.
_YT_T03 = [
    ["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"],
    ["类", "款", "项", "", "", "", ""],
    ["", "", "", "合计", "2,048.61", "1,590.49", "458.12"],
    ["201", "", "", "一般公共服务支出", "1,521.89", "1,063.77", "458.12"],
    ["", "06", "", "财政事务", "1,521.89", "1,063.77", "458.12"],
    ["", "", "01", "行政运行", "1,063.77", "1,063.77", ""],
    ["", "", "02", "一般行政管理事务", "458.12", "", "458.12"],
    ["208", "", "", "社会保障和就业支出", "526.72", "526.72", ""],
    ["", "05", "", "行政事业单位养老支出", "526.72", "526.72", ""],
    ["", "", "05", "机关事业单位基本养老保险缴费支出", "526.72", "526.72", ""],
]

_WANT = {"201": "一般公共服务支出", "20106": "财政事务", "2010601": "行政运行", "2010602": "一般行政管理事务",
         "208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "2080505": "机关事业单位基本养老保险缴费支出"}


@pytest.mark.parametrize("rows,header_rows", [(_SH_T03, 3), (_YT_T03, 2)], ids=["labels-in-total-row", "parts-only"])
def test_split_code_columns_build_seven_digit_codes(rows, header_rows):
    t = table(rows, title="支出决算表", table_id="T03", header_rows=header_rows)
    rec = extract_document(doc_from_lines(FINAL, tables=[t]))
    items = _items(rec, "T03")
    assert {c: n for c, (n, _) in items.items()} == _WANT
    assert items["2010601"][1] == 1063.77 and items["2080505"][1] == 526.72
    _assert_parents_sum_children(items)
    assert _items(rec, "T03", "project")["2010602"] == ("一般行政管理事务", 458.12)


def test_split_code_columns_found_by_content_without_labels():
    rows = [["编码", "", "", "名称", "合计", "基本支出", "项目支出"]] + [r for r in _SH_T03[4:]]
    t = table(rows, title="支出决算表", table_id="T03", header_rows=1)
    items = _items(extract_document(doc_from_lines(FINAL, tables=[t])), "T03")
    assert {c: n for c, (n, _) in items.items()} == _WANT


@pytest.mark.real_corpus
@pytest.mark.parametrize("tid", ["T02", "T03", "T05"])
def test_real_putuo_czj_2024_split_codes(tid):
    items = _items(_real_rec("shanghai_putuo-czj_2024_juesuan.pdf"), tid)
    assert len(items) == 19
    assert items["2010601"][0] == "行政运行" and items["20106"][0] == "财政事务"
    assert items["2080505"] == ("机关事业单位基本养老保险缴费支出", 160.75)
    assert items["2210203"] == ("购房补贴", 258.5)
    assert items["201"][0] == "一般公共服务支出"
    _assert_parents_sum_children(items)


@pytest.mark.real_corpus
def test_real_yantai_czj_2026_parts_only_rows():
    items = _items(_real_rec("shandong_yt-czj_2026_yusuan.pdf"), "T03")
    assert items["2010601"] == ("行政运行", 2990.74)
    assert items["2101103"] == ("公务员医疗补助", 84.5)
    _assert_parents_sum_children(items)


@pytest.mark.real_corpus
def test_real_putuo_sfj_2026_2040601_project_is_as_printed():
    """The unit-budget PDF itself prints 64,840,547.00 (the 款 20406's project amount) in the 2040601 行政运行
    项目支出 cell of T03 (p.11) and T05 (p.14) — a publisher error (the row's 合计 equals its 基本支出, and the
    other 项 rows already sum to 64,840,547.00). The department PDF prints 0.00. Both are reported as printed."""
    for tid in ("T03", "T05"):
        unit = _items(_real_rec("shanghai_putuo-sfj_2026_yusuan-unit.pdf"), tid, "project")
        assert unit["2040601"] == ("行政运行", 6484.05) and unit["20406"][1] == 6484.05
        assert round(sum(v for k, (_, v) in unit.items() if k.startswith("20406") and len(k) == 7 and k != "2040601"),
                     2) == 6484.05
        dept = _items(_real_rec("shanghai_putuo-sfj_2026_yusuan-dept.pdf"), tid, "project")
        assert dept["2040601"] == ("行政运行", 0.0) and dept["20406"][1] == 7054.05

"""Table families seen in the real corpus, as small synthetic grids: each rule is for a layout, not a file."""
from __future__ import annotations

from extractors.figures import extract_document
from tests.figures.helpers import doc_from_lines, table

BUDGET = "某某局2026年部门预算。"
FINAL = "某某局2024年度部门决算。"


def _values(title: str, *tables) -> dict:
    return extract_document(doc_from_lines(title, tables=list(tables)))["values"]


def test_t01_fujian_total_after_carryover_is_grand():
    t = table([["项目", "预算数", "项目", "预算数"],
               ["一、一般公共预算拨款收入", "90.00", "一、一般公共服务支出", "100.00"],
               ["本年收入合计", "90.00", "本年支出合计", "100.00"],
               ["上年结转结余", "10.00", "结转下年支出", "0.00"],
               ["收入合计", "100.00", "支出合计", "100.00"]], title="收支预算总表", table_id="T01")
    v = _values(BUDGET, t)
    assert v["total.grand"] == 100.0 and v["income.total"] == 90.0 and v["expenditure.total"] == 100.0


def test_t01_chongqing_single_sum_line_is_grand():
    t = table([["项目", "预算数", "项目", "预算数"],
               ["合计", "14,770.62", "合计", "14,770.62"],
               ["一、一般公共预算资金", "12,672.73", "一、社会保障和就业支出", "120.17"]],
              title="2026年部门收支总体情况表", table_id="T01")
    assert _values(BUDGET, t)["total.grand"] == 14770.62


def test_t05_basic_subtotal_with_personnel_and_public():
    t = table([["科目编码", "科目名称", "合计", "基本支出", "基本支出", "基本支出", "项目支出"],
               ["科目编码", "科目名称", "合计", "小计", "人员经费", "公用经费", "项目支出"],
               ["**", "**", "1", "2", "3", "4", "5"],
               ["", "合计", "6838.41", "5571.66", "4944.99", "626.67", "1266.75"],
               ["201", "一般公共服务支出", "5356.01", "4089.26", "3478.23", "611.02", "1266.75"]],
              title="2026年市级部门一般公共预算支出表", table_id="T05")
    rec = extract_document(doc_from_lines(BUDGET, tables=[t]))
    v = rec["values"]
    assert (v["gpb.expenditure"], v["gpb.basic"], v["gpb.project"]) == (6838.41, 5571.66, 1266.75)
    assert (v["gpb.personnel"], v["gpb.public"]) == (4944.99, 626.67)
    cols = {li["column"] for li in rec["line_items"] if li["code"] == "201"}
    assert cols == {"total", "basic", "project"}  # the 人员/公用 split is not a contract column


def test_shenzhen_total_row_labelled_with_the_unit_name():
    t = table([["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"],
               ["深圳市民政局（本级）", "", "", "8,947.31", "5,581.69", "3,365.62"],
               ["", "205", "教育支出", "12.23", "0.00", "12.23"]],
              title="一般公共预算支出表（按功能分类）", table_id="T05")
    v = _values(BUDGET, t)
    assert (v["gpb.expenditure"], v["gpb.basic"], v["gpb.project"]) == (8947.31, 5581.69, 3365.62)


def test_t07_year_rows_take_the_current_year():
    t = table([["预算单位", "年度", "总计", "因公出国（境）费", "公务接待费", "公务用车购置及运行维护费"],
               ["深圳市民政局（本级）", "2025年", "33.00", "0.00", "15.00", "18.00"],
               ["", "2026年", "66.00", "46.80", "15.00", "4.20"],
               ["", "增减变化金额", "33.00", "46.80", "0.00", "-13.80"]],
              title="财政拨款“三公”经费支出表", table_id="T07", header_rows=1)
    v = _values(BUDGET, t)
    assert (v["sangong.total"], v["sangong.abroad"], v["sangong.vehicle"]) == (66.0, 46.8, 4.2)


def test_t07_column_number_row_and_unit_rows():
    t = table([["单位名称", "“三公”经费合计", "因公出国(境)费用", "公务用车购置及运行费", "公务用车购置及运行费", "公务用车购置及运行费", "公务接待费"],
               ["单位名称", "“三公”经费合计", "因公出国(境)费用", "小计", "公务用车购置费", "公务用车运行维护费", "公务接待费"],
               ["**", "1", "2", "3", "4", "5", "6"],
               ["合计", "9.30", "", "3.50", "", "3.50", "5.80"],
               ["湖州市财政局", "7.50", "", "3.50", "", "3.50", "4.00"]], title="2026年市级部门一般公共预算三公经费支出表",
              table_id="T07")
    v = _values(BUDGET, t)
    assert (v["sangong.total"], v["sangong.vehicle"], v["sangong.reception"]) == (9.3, 3.5, 5.8)
    # a blank cell of the printed row is 0 (extract contract), its observation flagged blank
    assert (v["sangong.abroad"], v["sangong.vehicle_purchase"]) == (0, 0)


def test_t07_previous_current_change_blocks_in_yuan():
    head = ["合计", "小计", "因公出国（境）费用", "公务接待费", "会议费", "培训费"]
    t = table([["单位名称"] + ["上年"] * 6 + ["当年"] * 6 + ["增减变化情况"] * 6,
               ["单位名称"] + ["合计"] + ["一般公共预算拨款安排的“三公”经费预算"] * 3 + ["会议费", "培训费"]
               + ["合计"] + ["一般公共预算拨款安排的“三公”经费预算"] * 3 + ["会议费", "培训费"]
               + ["合计"] + ["一般公共预算拨款安排的“三公”经费预算"] * 3 + ["会议费", "培训费"],
               ["单位名称"] + head * 3,
               ["合计", "2,480,000.00", "265,000.00", "", "90,000.00", "506,800.00", "1,708,200.00",
                "2,083,436.00", "219,000.00", "", "80,000.00", "461,836.00", "1,402,600.00",
                "-396,564.00", "-46,000.00", "", "-10,000.00", "-44,964.00", "-305,600.00"]],
              title="部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表", table_id="T07", unit="元")
    v = _values(BUDGET, t)
    assert (v["sangong.total"], v["sangong.reception"]) == (21.9, 8.0)
    assert (v["meeting.expenditure"], v["training.expenditure"]) == (46.18, 140.26)


def test_t07_budget_and_actual_rows_of_a_final_account():
    t = table([["项目", "财政拨款安排的“三公”经费", "财政拨款安排的“三公”经费", "会议费", "培训费"],
               ["项目", "小计", "公务接待费", "会议费", "培训费"],
               ["预算数", "593.46", "1.86", "86.81", "2,795.78"],
               ["决算数", "587.55", "0.11", "86.81", "2,795.78"]],
              title="财政拨款“三公”经费及会议费、培训费支出决算表", table_id="T07")
    v = _values(FINAL, t)
    assert (v["sangong.total"], v["sangong.budget"]) == (587.55, 593.46)
    assert (v["sangong.reception"], v["sangong.reception_budget"]) == (0.11, 1.86)
    assert v["training.expenditure"] == 2795.78


def test_catalogue_titles_of_the_regional_families():
    from schemas.catalog import identify_table_title as ident

    assert ident("2026年预算单位一般公共预算基本支出部门预算经济分类预算表") == "T06"  # Shanghai
    assert ident("2026年一般公共预算基本支出情况表") == "T06"  # Chongqing / Hunan
    assert ident("一般公共预算支出功能分类预算表") == "T05"
    assert ident("2026年度收支预算总表") == "T01"  # Fujian
    assert ident("项目支出绩效目标表") is None


def test_budget_documents_never_report_sangong_budget():
    t = table([["项目", "预算数"], ["合计", "84.10"], ["1、因公出国（境）费用", "70.00"], ["2、公务接待费", "6.10"]],
              title="2026年度一般公共预算“三公”经费支出预算表", table_id="T07", header_rows=1)
    v = _values(BUDGET, t)
    assert v["sangong.total"] == 84.1 and v["sangong.abroad"] == 70.0
    assert not any(k.endswith("_budget") or k == "sangong.budget" for k in v)

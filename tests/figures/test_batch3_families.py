"""Families found on the batch-3 tuning documents (普陀区财政局 决算, 杭州市司法局 and 烟台市财政局 预算), as small
synthetic grids and sentences: each test is for a layout or a phrasing, not for one file."""
from __future__ import annotations

from extractors.figures import extract_document
from schemas.codes import code_for_name
from tests.figures.helpers import doc_from_lines, table

BUDGET = "某某局2026年部门预算。"
FINAL = "某某局2024年度部门决算。"


def _rec(title: str, *tables, lines: tuple[str, ...] = ()) -> dict:
    return extract_document(doc_from_lines(title, *lines, tables=list(tables)))


def _blank(rec: dict, metric: str) -> bool:
    return any(f["metric"] == metric and f.get("blank") for f in rec["figures"])


def test_total_row_labelled_in_the_name_column_under_split_code_columns():
    # 普陀 T03 / 烟台 T05: the 类|款|项 header row carries 合计 in the name column, its cells are the totals
    t = table([["项目", "", "", "", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
               ["类", "款", "项", "合计", "2,940.05", "2,336.91", "603.14", "", "", ""],
               ["201", "", "", "一般公共服务支出", "2,940.05", "2,336.91", "603.14", "", "", ""],
               ["201", "06", "01", "行政运行", "2,940.05", "2,336.91", "603.14", "", "", ""]],
              title="支出决算表", table_id="T03")
    rec = _rec(FINAL, t)
    v = rec["values"]
    assert (v["expenditure.basic"], v["expenditure.project"]) == (2336.91, 603.14)
    for m in ("expenditure.remit_superior", "expenditure.operating", "expenditure.affiliated_subsidy"):
        assert v[m] == 0 and _blank(rec, m), m


def test_t01_lists_kinds_under_a_bare_appropriation_line_blank_sources_are_zero():
    # 杭州: "一、财政拨款 91,495.48" above bare "一般公共预算 / 政府性基金预算"; the sum check uses the 财政拨款 line
    t = table([["项目", "预算数", "项目", "预算数"],
               ["一、财政拨款", "900.00", "一般公共服务支出", "1,000.00"],
               ["一般公共预算", "900.00", "", ""],
               ["政府性基金预算", "", "", ""],
               ["二、财政专户管理资金", "", "", ""],
               ["三、事业收入", "", "", ""],
               ["四、事业单位经营收入", "", "", ""],
               ["五、上级补助收入", "", "", ""],
               ["六、附属单位上缴收入", "", "", ""],
               ["七、其他收入", "100.00", "", ""],
               ["本年收入合计", "1,000.00", "本年支出合计", "1,000.00"],
               ["收入总计", "1,000.00", "支出总计", "1,000.00"]], title="2026年市级部门收支预算总表", table_id="T01")
    rec = _rec(BUDGET, t)
    for m in ("income.business", "income.operating", "income.superior_subsidy", "income.affiliated"):
        assert rec["values"][m] == 0 and _blank(rec, m), m


def test_t01_blank_parts_stay_absent_when_the_appropriation_line_does_not_add_up():
    t = table([["项目", "预算数", "项目", "预算数"],
               ["一、财政拨款", "800.00", "一般公共服务支出", "1,000.00"],
               ["三、事业收入", "", "", ""],
               ["七、其他收入", "100.00", "", ""],
               ["本年收入合计", "1,000.00", "本年支出合计", "1,000.00"],
               ["收入总计", "1,000.00", "支出总计", "1,000.00"]], title="2026年市级部门收支预算总表", table_id="T01")
    assert "income.business" not in _rec(BUDGET, t)["values"]  # 800 + 100 ≠ 1000: the blank hides something


def test_t04_one_amount_column_blank_year_end_carryover_is_zero():
    # 湖州/杭州 T04: a single 预算数 column, "二、年终结转结余" printed blank
    t = table([["项目", "预算数", "项目", "预算数"],
               ["一、财政拨款", "500.00", "一、本年支出合计", "520.00"],
               ["一般公共预算", "500.00", "一般公共服务支出", "520.00"],
               ["二、上年结转结余", "20.00", "二、年终结转结余", ""],
               ["收入总计", "520.00", "支出总计", "520.00"]], title="2026年市级部门财政拨款收支预算总表",
              table_id="T04")
    rec = _rec(BUDGET, t)
    assert rec["values"]["appropriation.carryover_end"] == 0 and _blank(rec, "appropriation.carryover_end")


def test_t01_shandong_row_labels():
    # 烟台: "三、事业收入（不含教育收费）" and "对附属单位的补助支出" printed blank
    t = table([["项目", "预算数", "项目", "预算数"],
               ["一、财政拨款收入", "90.00", "一、一般公共服务支出", "90.00"],
               ["一般公共预算收入", "90.00", "", ""],
               ["三、事业收入（不含教育收费）", "", "", ""],
               ["本年收入合计", "90.00", "本年支出合计", "90.00"],
               ["", "", "对附属单位的补助支出", ""],
               ["收入总计", "90.00", "支出总计", "90.00"]], title="收支总体情况表", table_id="T01")
    v = _rec(BUDGET, t)["values"]
    assert v["income.business"] == 0 and v["expenditure.affiliated_subsidy"] == 0


def test_t06_blank_meeting_row_is_zero_and_codeless_rows_are_read_by_name():
    lanes = table([["经济分类", "", "科目名称", "决算数"],
                   ["302", "", "商品和服务支出", "171.07"],
                   ["302", "15", "会议费", ""],
                   ["302", "16", "培训费", "4.05"]], title="一般公共预算财政拨款基本支出决算表", table_id="T06")
    rec = _rec(FINAL, lanes)
    assert rec["values"]["meeting.expenditure"] == 0 and _blank(rec, "meeting.expenditure")
    assert rec["values"]["training.expenditure"] == 4.05
    named = table([["经济分类科目名称", "合计", "人员经费", "日常公用支出"],
                   ["合计", "1,000.00", "800.00", "200.00"],
                   ["商品和服务支出", "200.00", "", "200.00"],
                   ["会议费", "9.30", "", "9.30"],
                   ["培训费", "49.40", "", "49.40"]], title="2026年市级部门一般公共预算基本支出预算表", table_id="T06")
    v = _rec(BUDGET, named)["values"]
    assert (v["meeting.expenditure"], v["training.expenditure"]) == (9.3, 49.4)


def test_t06_stated_department_total_outranks_the_codeless_basic_row():
    named = table([["经济分类科目名称", "合计", "人员经费", "日常公用支出"],
                   ["合计", "1,000.00", "800.00", "200.00"],
                   ["会议费", "9.30", "", "9.30"]], title="2026年市级部门一般公共预算基本支出预算表", table_id="T06")
    v = _rec(BUDGET, named, lines=("2026年会议费预算12.61万元。",))["values"]
    assert v["meeting.expenditure"] == 12.61


def test_bare_shouzhi_budget_and_its_change_give_the_prior_grand_total():
    v = _rec(BUDGET, lines=("（三）增减变化情况：2026年收支预算9,069.47万元，比上年增加560.66万元，其中：",))["values"]
    assert v["total.grand"] == 9069.47 and v["total.grand_prev"] == 8508.81


def test_sangong_section_count_of_cars_outranks_the_assets_count():
    v = _rec(BUDGET, lines=(
        "七、一般公共预算“三公”经费预算情况说明",
        "公务用车购置支出151.68万元，主要用于经批准购置的5辆公务用车。",
        "十、其他重要事项的情况说明",
        "2026年部门预算安排购置车辆6辆，其中，一般公务用车0辆、执法执勤用车4辆。"))["values"]
    assert v["sangong.vehicles_purchased"] == 5


def test_code_list_names_the_2026_justice_prison_and_detox_items():
    # 杭州市司法局 prints 司法/监狱/强制隔离戒毒 项 by name only; the code list maps them (source: seed, the 科目 book)
    assert code_for_name("律师管理", "20406", 2026) == "2040606"
    assert code_for_name("法治建设", "20406", 2026) == "2040612"
    assert code_for_name("罪犯生活及医疗卫生", "20407", 2026) == "2040704"
    assert code_for_name("信息化建设", "20407", 2026) == "2040707"
    assert code_for_name("强制隔离戒毒人员教育", "20408", 2026) == "2040805"


def test_a_qualified_shouzhi_subject_is_not_the_grand_total():
    # only the year or the unit may stand before a bare 收支: "政府性基金收支" is that fund's, not the department's
    v = _rec(BUDGET, lines=("2026年收支预算900.00万元。", "2026年政府性基金收支0万元，与上年持平。"))["values"]
    assert "total.grand_prev" not in v

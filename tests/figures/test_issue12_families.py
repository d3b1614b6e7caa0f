"""Issue 12's families as small grids and sentences: each test is a phrasing or a layout, never one file."""
from __future__ import annotations

from extractors.figures import extract_document
from tests.figures.helpers import doc_from_lines, table

BUDGET = "某某局2026年部门预算。"
FINAL = "某某局2024年度部门决算。"


def _extract(title: str, *lines: str, tables=()) -> dict:
    return extract_document(doc_from_lines(title, *lines, tables=list(tables)))


def _fig(out: dict, metric: str) -> dict:
    return next(f for f in out["figures"] if f["metric"] == metric)


# 1. explicit zeros ---------------------------------------------------------------------------------------------
def _t01(rows):
    return table([["收入", "收入"], ["项目", "预算数"], *rows], title="2026年部门收支总体情况表", table_id="T01")


def test_blank_cells_of_printed_rows_are_zero_and_flagged():
    t = _t01([["合计", "100.00"], ["一、一般公共预算资金", "90.00"], ["二、政府性基金预算资金", "-"],
              ["三、事业收入资金", "10.00"], ["四、上级补助收入资金", ""], ["五、附属单位上缴收入资金", "—"]])
    out = _extract(BUDGET, tables=[t])
    v = out["values"]
    assert (v["income.gf_appropriation"], v["income.superior_subsidy"], v["income.affiliated"]) == (0, 0, 0)
    assert v["income.business"] == 10.0  # the 资金 suffix of budget templates
    assert _fig(out, "income.superior_subsidy")["blank"] is True


def test_blank_zero_yields_to_a_stated_figure():
    t = _t01([["合计", "100.00"], ["一、一般公共预算资金", "100.00"], ["二、上级补助收入资金", ""]])
    out = _extract(BUDGET, "本年上级补助收入5.00万元。", tables=[t])
    assert out["values"]["income.superior_subsidy"] == 5.0


def test_blank_template_and_contradicting_totals_state_no_zero():
    template = _t01([["合计", ""], ["一、一般公共预算资金", ""], ["二、上级补助收入资金", ""]])
    assert "income.superior_subsidy" not in _extract(BUDGET, tables=[template])["values"]
    t = table([["项目", "金额", "项目", "金额"], ["一般公共预算财政拨款收入", "80.00", "基本支出", "100.00"],
               ["上级补助收入", "", "项目支出", ""], ["本年收入合计", "100.00", "本年支出合计", "100.00"]],
              title="收入支出决算总表", table_id="T01")
    v = _extract(FINAL, tables=[t])["values"]
    assert "income.superior_subsidy" not in v  # 80 + blank ≠ 100: the blank hides a misread cell
    assert v["expenditure.project"] == 0  # 100 + blank = 100


def test_blank_line_item_cells_are_zero_line_items():
    t = table([["科目编码", "科目名称", "合计", "基本支出", "项目支出"], ["2010601", "行政运行", "50.00", "50.00", ""],
               ["", "合计", "50.00", "50.00", ""]], title="一般公共预算支出表", table_id="T05")
    items = _extract(BUDGET, tables=[t])["line_items"]
    blank = [li for li in items if li["column"] == "project"]
    assert blank and blank[0]["value"] == 0 and blank[0]["blank"] is True


def test_three_public_blank_budget_cells_are_zero():
    t = table([["合计", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置及运行费", "公务用车购置及运行费", "公务接待费"],
               ["合计", "因公出国（境）费", "小计", "公务用车购置费", "公务用车运行费", "公务接待费"],
               ["13.85", "", "13.55", "", "13.55", "0.30"]], title="2026年财政拨款“三公”经费支出情况表", table_id="T07")
    v = _extract(BUDGET, tables=[t])["values"]
    assert (v["sangong.abroad"], v["sangong.vehicle_purchase"], v["sangong.total"]) == (0, 0, 13.85)


# 2. prior-year figures ---------------------------------------------------------------------------------------------
def test_prior_year_total_derived_from_a_bare_income_change():
    t = _t01([["合计", "14,770.62"], ["一、一般公共预算资金", "14,770.62"]])
    out = _extract(BUDGET, "（一）收入预算：2026年年初预算数14,770.62万元。收入比2025年增加2,515.39万元，"
                   "主要是一般公共预算拨款增加552.5万元。", tables=[t])
    assert out["values"]["total.grand_prev"] == 12255.23
    f = _fig(out, "total.grand_prev")
    assert f["derived"] is True and "增加2,515.39万元" in f["text"]
    # the second change of the sentence is not a level: no claim takes 2,515.39 as its current amount
    assert all(c["amount"] != 2515.39 for c in out["claims"])


def test_prior_year_from_owner_prefixed_income_and_running_cost():
    t = _t01([["收入总计", "37,385.88"], ["一、一般公共预算资金", "37,385.88"]])
    out = _extract(BUDGET, "2026年某某局（本级）部门预算收入37,385.88万元，较2025年年初预算减少16,640.31万元，下降30.8%。",
                   "（一）机关运行经费。2026年一般公共预算财政拨款运行经费137.15万元，比2025年增加4.43万元。", tables=[t])
    v = out["values"]
    assert v["total.grand_prev"] == 54026.19 and v["admin.operating_cost_prev"] == 132.72


# 3. performance ---------------------------------------------------------------------------------------------------
def test_performance_section_counts_amounts_score_and_rate():
    out = _extract(FINAL, "（四）预算绩效管理情况", "某某局整体绩效自评得分为92分，年初预算安排为1806.82万元，截至12月底，"
                   "预算支出完成1506.37万元，预算支出完成率为83.37%。开展绩效自评的项目共3个，涉及资金293.00万元。")
    v = out["values"]
    assert (v["performance.dept_self_score"], v["performance.annual_budget"]) == (92, 1806.82)
    assert (v["performance.budget_completion_pct"], v["performance.projects_self_evaluated"]) == (83.37, 3)
    assert v["performance.self_evaluated_amount"] == 293.0


# 4. procurement reservations in a unit-coded 支出总表 ----------------------------------------------------------------
def test_expenditure_table_listing_units_gives_totals_and_procurement_reservations():
    head = ["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出", "政府采购项目", "政府采购项目", "政府采购项目"]
    sub = ["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出", "小计",
           "其中：预留给中小企业的项目资金规模", "其中：预留给小型、微型企业的项目资金规模"]
    t = table([head, sub, ["某某局（本级）", "", "", "300.00", "100.00", "200.00", "50.00", "20.00", "0.00"],
               ["", "2010601", "行政运行", "100.00", "100.00", "0.00", "0.00", "0.00", "0.00"]],
              title="支出总表", table_id="T03", header_rows=2)
    v = _extract(BUDGET, tables=[t])["values"]
    assert (v["expenditure.total"], v["expenditure.basic"], v["expenditure.project"]) == (300, 100, 200)
    assert (v["procurement.total"], v["procurement.sme"], v["procurement.micro"]) == (50, 20, 0)


# 5. budgets: assets and the 经济分类 table ---------------------------------------------------------------------------
def test_vehicles_held_at_the_cut_off_date_not_the_ones_to_buy():
    v = _extract(BUDGET, "（四）国有资产占有使用情况。截至2025年12月，所属各预算单位共有车辆5辆。2026年安排购置车辆0辆。",
                 "单价100万元", "-9-", "以上设备16台（套）。")["values"]
    assert v["assets.vehicles"] == 5 and v["assets.special_equipment_100w"] == 16


def test_economic_classification_table_of_all_spending():
    t = table([["科目编码", "科目名称", "支出总计", "基本支出", "项目支出"], ["301", "工资福利支出", "80.00", "80.00", "0.00"],
               ["30215", "会议费", "12.00", "2.00", "10.00"], ["302", "商品和服务支出", "30.00", "15.00", "15.00"],
               ["303", "对个人和家庭的补助", "5.00", "5.00", "0.00"]], title="一般公共预算支出表（按经济分类）",
              table_id="T10")
    out = _extract(BUDGET, tables=[t])
    v = out["values"]
    assert (v["gpb.personnel"], v["gpb.public"]) == (85.0, 15.0)
    assert v["meeting.expenditure"] == 12.0  # the 合计 column: basic and project


def test_basic_only_meeting_cost_yields_to_the_stated_total():
    t = table([["经济分类科目编码", "科目名称", "人员经费", "公用经费"], ["30215", "会议费", "", "2.00"]],
              title="一般公共预算财政拨款基本支出决算表", table_id="T06")
    out = _extract(FINAL, "（二）会议费支出12.00万元。", tables=[t])
    assert out["values"]["meeting.expenditure"] == 12.0


# 6. function tables without codes ----------------------------------------------------------------------------------
def test_codeless_function_table_maps_names_to_codes():
    t = table([["项目", "合计", "基本支出", "项目支出"], ["合计", "160.00", "150.00", "10.00"],
               ["社会保障和就业支出", "60.00", "60.00", ""], ["行政事业单位养老支出", "60.00", "60.00", ""],
               ["机关事业单位基本养老保险缴费支出", "60.00", "60.00", ""], ["住房保障支出", "100.00", "90.00", "10.00"],
               ["住房改革支出", "100.00", "90.00", "10.00"], ["住房公积金", "100.00", "90.00", "10.00"]],
              title="一般公共预算支出表", table_id="T05")
    items = _extract(BUDGET, tables=[t])["line_items"]
    codes = {(li["code"], li["column"]): li for li in items}
    assert codes[("208", "total")]["value"] == 60 and codes[("20805", "total")]["code_mapped"] is True
    assert codes[("2080505", "basic")]["value"] == 60
    assert codes[("2210201", "project")]["value"] == 10


def test_narrative_zero_statements_per_item():
    cases = {
        "2024年度因公出国（境）团组0个、0人次。": {"sangong.abroad_groups": 0, "sangong.abroad_persons": 0},
        "本单位2024年度未发生公务接待费。": {"sangong.reception": 0},
        "本年度无因公出国（境）费用支出。": {"sangong.abroad": 0},
        "本单位未开展因公出国（境）活动，因公出国（境）费用为0。": {"sangong.abroad": 0},
        "无会议费支出，本年度未发生培训费。": {"meeting.expenditure": 0, "training.expenditure": 0},
        "本部门没有使用政府性基金预算拨款安排的支出。": {"gf.expenditure": 0},
    }
    for sentence, expected in cases.items():
        v = _extract(FINAL, sentence)["values"]
        assert {k: v.get(k) for k in expected} == expected, sentence
    assert _extract(FINAL, "因公出国（境）费用为0.5万元。")["values"]["sangong.abroad"] == 0.5


def test_three_public_budget_table_whose_first_row_is_the_prior_year():
    head = [["项目", "合计", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置及运行费", "公务用车购置及运行费", "公务接待费"],
            ["项目", "合计", "因公出国（境）费", "小计", "公务用车购置费", "公务用车运行费", "公务接待费"]]
    t = table(head + [["2025年预算数", "20.00", "5.00", "10.00", "0.00", "10.00", "5.00"],
                      ["2026年预算数", "15.00", "", "10.00", "", "10.00", "5.00"]],
              title="2026年财政拨款“三公”经费预算表", table_id="T07")
    v = _extract(BUDGET, tables=[t])["values"]
    assert (v["sangong.total"], v["sangong.abroad"], v["sangong.reception"]) == (15.0, 0, 5.0)

"""Phrasing and layout families found on the tuning half of our own gold (issue 12), each as small invented
sentences or grids — several wordings per family, never one document's text."""
from __future__ import annotations

import pytest

from extractors.figures import extract_document
from tests.figures.helpers import doc_from_lines, table

BUDGET = "某某局2026年部门预算。"
FINAL = "某某局2024年度部门决算。"


def _values(title: str, *lines: str, tables=()) -> dict:
    return extract_document(doc_from_lines(title, *lines, tables=list(tables)))["values"]


def _fig(title, metric, *lines):
    out = extract_document(doc_from_lines(title, *lines))
    return next(f for f in out["figures"] if f["metric"] == metric and f["value"] == out["values"][metric])


@pytest.mark.parametrize("sentence", ["“三公经费”预算数为71万元。", "“三公”经费预算71万元。", "三公经费预算数为71万元。"])
def test_three_public_quote_variants(sentence):
    assert _values(BUDGET, "四、“三公”经费预算情况说明", sentence)["sangong.total"] == 71


@pytest.mark.parametrize("label", ["公务车辆运行维护费", "公务用车运行维护费"])
def test_vehicle_item_label_variants(label):
    v = _values(BUDGET, "四、“三公”经费预算情况说明", f"三公经费预算80万元，其中：{label}预算51万元；公务接待费预算29万元。")
    assert v["sangong.vehicle_operation"] == 51 and v["sangong.reception"] == 29


@pytest.mark.parametrize("item,metric", [("（一）因公出国（境）费用。2026年预算数12.50万元，主要用于交流。", "sangong.abroad"),
                                         ("（二）公务接待费：2026年预算数3.20万元。", "sangong.reception"),
                                         ("（三）公务用车购置和运行维护费。2026年预算数8.00万元。", "sangong.vehicle")])
def test_budget_item_heading_then_its_figure(item, metric):
    v = _values(BUDGET, "四、财政拨款“三公”经费预算情况说明", item)
    assert v[metric] == float(item.split("预算数")[1].split("万元")[0])


@pytest.mark.parametrize("closing", ["和2025年相比未发生增减变化。", "与上年持平。", "与上年相比无变化。"])
def test_no_change_statement_derives_the_prior_year(closing):
    f = _fig(BUDGET, "sangong.total_prev", "四、“三公”经费增减变化情况说明",
             f"2026年度，本单位“三公”经费预算数为40万元，其中：公务接待费预算40万元。{closing}")
    assert f["value"] == 40 and f["derived"] is True


def test_no_change_never_overrides_a_stated_prior_year():
    v = _values(BUDGET, "四、“三公”经费情况说明", "2025年“三公”经费预算38万元。2026年“三公”经费预算40万元，公务接待费与上年持平。")
    assert v["sangong.total_prev"] == 38


def test_change_against_last_years_appropriation_gives_its_prior_year():
    f = _fig(BUDGET, "gpb.expenditure_prev", "（五）一般公共预算当年拨款情况说明",
             "本局2026年一般公共预算当年拨款6000.00万元，比上年执行数减少500.00万元，下降7.7%。")
    assert f["value"] == 6500 and f["derived"] is True


def test_counts_without_border_word_and_foreign_visitors():
    v = _values(FINAL, "三、“三公”经费支出决算情况说明",
                "1.因公出国（境）费支出0万元。机关及下属0个单位出国团组0个、累计0人次。",
                "2.公务用车购置支出为0万元，2024年公务用车购置数0辆。",
                "3.公务接待费支出0.16万元。共接待国外来访团组0个，来访外宾0人次；发生国内接待1次，接待人数共13人。")
    assert (v["sangong.abroad_groups"], v["sangong.abroad_persons"], v["sangong.vehicles_purchased"]) == (0, 0, 0)
    assert (v["sangong.foreign_reception_batches"], v["sangong.foreign_reception_persons"]) == (0, 0)
    assert (v["sangong.reception_batches"], v["sangong.reception_persons"]) == (1, 13)


@pytest.mark.parametrize("sentence,pct", [("“三公”经费支出决算为0.16万元，完成预算0万元的0%。", 0),
                                          ("“三公”经费支出决算为9.90万元，完成预算10.00万元的99%。", 99),
                                          ("“三公”经费支出决算为9.90万元，完成预算的99%。", 99)])
def test_three_public_completion_with_or_without_the_budget_amount(sentence, pct):
    assert _values(FINAL, "三、“三公”经费支出决算情况说明", sentence)["sangong.completion_pct"] == pct


def test_performance_self_evaluation_counts_the_budget_project_statement_first():
    v = _values(FINAL, "四、预算绩效管理工作开展情况",
                "组织对7个一般公共预算项目支出开展绩效自评，共涉及资金940.15万元；组织对0个政府性基金预算项目开展绩效自评。",
                "部门整体支出绩效自评得分为90分。全年预算数1200.00万元，执行数1100.00万元，完成预算的91.67%。")
    assert v["performance.projects_self_evaluated"] == 7
    assert (v["performance.annual_budget"], v["performance.budget_completion_pct"]) == (1200, 91.67)


def test_budget_vehicles_counted_in_tai_and_equipment_by_unit_value():
    v = _values(BUDGET, "（三）国有资产占用情况说明",
                "截至2025年底，本局共有车辆27台，单位价值100万元以上的设备4台（套）。"
                "2026年预算安排中，购置单位价值100万元以上的设备0台（套）。")
    assert (v["assets.vehicles"], v["assets.special_equipment_100w"]) == (27, 4)


def test_budget_that_buys_no_vehicles_states_zero_purchases():
    v = _values(BUDGET, "3.国有资产占有使用情况。", "2026年部门预算未安排购置车辆、单位价值50万元以上通用设备。")
    assert v["sangong.vehicles_purchased"] == 0


@pytest.mark.parametrize("line,metric", [("1.事业单位经营支出0万元。", "expenditure.operating"),
                                         ("结转下年0万元。", "expenditure.carryover_end")])
def test_budget_expenditure_side_zero_lines(line, metric):
    assert _values(BUDGET, "三、支出预算情况说明", "2026年支出预算100.00万元。", line)[metric] == 0


def test_heading_run_into_its_paragraph_is_cut_at_shuoming():
    """An HTML article prints "三、支出预算情况说明 2015年预算支出安排一般公共预算…" as one line."""
    v = _values("某某局2015年度部门预算公开情况说明。",
                "二、收入预算情况说明 2015年收入预算共安排国库拨款资金923.1961万元。",
                "三、支出预算情况说明 2015年预算支出安排一般公共预算财政拨款支出923.1961万元。其中：工资福利支出494.81万元。")
    assert v["expenditure.total"] == pytest.approx(923.2, abs=0.01)
    assert v["gpb.expenditure"] == pytest.approx(923.2, abs=0.01)


def _t(rows, tid, title):
    return table(rows, title=title, table_id=tid)


def test_appropriation_kinds_by_bare_name_and_year_end_carry_over_label():
    t04 = _t([["收入", "收入", "支出", "支出"], ["项目", "预算数", "项目", "预算数"],
              ["一、财政拨款", "500.00", "一般公共服务支出", "500.00"], ["一般公共预算", "500.00", "", ""],
              ["政府性基金预算", "", "", ""], ["本年收入合计", "500.00", "", ""], ["上年结转结余", "", "", ""],
              ["一般公共预算", "", "", ""], ["收入总计", "500.00", "支出总计", "500.00"]],
             "T04", "2026年部门财政拨款收支预算总表")
    t01 = _t([["收入", "收入", "支出", "支出"], ["项目", "预算数", "项目", "预算数"],
              ["一般公共预算资金", "500.00", "一般公共服务支出", "500.00"], ["本年收入合计", "500.00", "本年支出合计", "500.00"],
              ["上年结转结余", "", "年终结转结余", ""], ["收入总计", "500.00", "支出总计", "500.00"]],
             "T01", "2026年部门收支预算总表")
    v = _values(BUDGET, tables=[t01, t04])
    assert v["income.gpb_appropriation"] == 500
    assert (v["income.gf_appropriation"], v["appropriation.carryover_begin"]) == (0, 0)
    assert (v["income.carryover_begin"], v["expenditure.carryover_end"]) == (0, 0)


def test_code_list_bare_other_is_the_class_and_later_codes_map_earlier_years():
    from schemas.codes import code_for_name

    assert code_for_name("其他支出", "22102", 2024) is None  # not 2210299: a bare 其他支出 row is the 类 229
    assert code_for_name("其他支出", "", 2024) == "229"
    assert code_for_name("其他住房改革支出", "22102", 2024) == "2210299"
    assert code_for_name("基层司法业务", "20406", 2023) == "2040604"  # the corpus prints it for 2026 only


@pytest.mark.parametrize("line", ["本单位2024年度财政拨款收入总计1052.04万元，上年财政拨款收入总计1092.95万元，比上年减少40.91万元。",
                                  "2024年度财政拨款收入决算总计1,052.04万元；上年财政拨款收入总计为1,092.95万元。"])
def test_appropriation_income_grand_total_and_its_prior_year(line):
    """财政拨款收支总表's 收入总计 is its grand total (found on the corpus factory's 元 template, read from a scan)."""
    v = _values(FINAL, "三、财政拨款收入支出决算总体情况说明", line)
    assert v["appropriation.grand"] == 1052.04 and v["appropriation.grand_prev"] == 1092.95
    assert "total.grand" not in v  # the 财政拨款 total is never the department's

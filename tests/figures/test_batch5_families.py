"""Families found on the batch-5 tuning documents (上海市财政局 市级单位预算 in 元, 无锡市交通运输局 单位预算,
西安市发改委 2019 综合预算说明), as small synthetic grids and sentences: each test is for a layout or a phrasing,
not for one file."""
from __future__ import annotations

from extractors.figures import extract_document
from tests.figures.helpers import doc_from_lines, table

BUDGET = "某某局2025年单位预算。"


def _rec(title: str, *tables, lines: tuple[str, ...] = ()) -> dict:
    return extract_document(doc_from_lines(title, *lines, tables=list(tables)))


def _t04_in_yuan(total: str) -> object:
    return table([["项目", "预算数", "项目", "合计", "一般公共预算"],
                  ["一、一般公共预算资金", total, "一、一般公共服务支出", total, total],
                  ["收入总计", total, "支出总计", total, total]],
                 title="2025年预算单位财政拨款收支预算总表", table_id="T04", unit="元", header_rows=1)


def test_whole_wanyuan_narrative_matches_a_yuan_table_at_its_own_precision():
    # tables in 元 (171,915,169 元 = 17,191.5169 万元), the narrative rounded to whole 万元
    rec = _rec(BUDGET, _t04_in_yuan("171,915,169"),
               lines=("2025年，某某局收入预算17,192万元，其中：财政拨款收入17,192万元，比2024年预算减少990万元。",))
    assert rec["values"]["appropriation.grand_prev"] == 18182.0
    assert any(f["metric"] == "appropriation.grand_prev" and f.get("derived") for f in rec["figures"])
    # a whole figure more than half a 万元 away is another amount, and a decimal figure keeps the cent tolerance
    far = _rec(BUDGET, _t04_in_yuan("171,915,169"), lines=("其中：财政拨款收入17,190万元，比2024年预算减少990万元。",))
    assert "appropriation.grand_prev" not in far["values"]
    cents = _rec(BUDGET, _t04_in_yuan("171,915,169"), lines=("其中：财政拨款收入17,191.00万元，比2024年预算减少990万元。",))
    assert "appropriation.grand_prev" not in cents["values"]


def test_bare_zero_after_wei_closes_its_clause_without_a_unit():
    v = _rec(BUDGET, lines=("财政拨款支出预算中，一般公共预算拨款支出预算100万元；政府性基金拨款支出预算为0；"
                            "国有资本经营预算拨款支出预算为0。",))["values"]
    assert v["gf.expenditure"] == 0 and v["soe.expenditure"] == 0
    # a 0 that starts a longer number, or a percentage, is not a zero amount
    v2 = _rec(BUDGET, lines=("政府性基金拨款支出预算为0.5%，",))["values"]
    assert "gf.expenditure" not in v2


def test_unchanged_against_the_prior_years_budget_gives_the_prior_figure():
    v = _rec(BUDGET, lines=("一、2025年“三公”经费预算情况说明",
                            "2025年“三公”经费预算数为346.30万元，与2024年预算持平。"))["values"]
    assert v["sangong.total_prev"] == 346.30
    v2 = _rec(BUDGET, lines=("九、一般公共预算“三公”经费支出预算情况说明",
                             "某某局2026年度一般公共预算拨款安排的“三公”经费支出预算2.02万元，与上年预算数相同。"))["values"]
    assert v2["sangong.total_prev"] == 2.02


def test_income_comma_expenditure_grand_total_and_both_sides_changing_by_the_same_amount():
    v = _rec("某某局2026年单位预算。", lines=(
        "一、收支预算总体情况说明",
        "某某局（本级）2026年度收入、支出预算总计984,760.87万元，与上年相比收、支预算总计各增加108,584.28万元，增长12.39%。",
        "四、财政拨款收支预算总体情况说明",
        "某某局（本级）2026年度财政拨款收、支总预算372,917.67万元。与上年相比，财政拨款收、支总计各增加163,364.19万元，"
        "增长77.96%。"))["values"]
    assert v["total.grand"] == 984760.87 and v["total.grand_prev"] == 876176.59
    assert v["appropriation.grand"] == 372917.67 and v["appropriation.grand_prev"] == 209553.48


def test_fund_spending_phrased_zhichu_yusuan_zhichu():
    v = _rec("某某局2026年单位预算。", lines=(
        "十、政府性基金预算支出预算情况说明",
        "某某局（本级）2026年政府性基金支出预算支出143,999万元。与上年相比增加31,183.05万元。",
        "十一、国有资本经营预算支出预算情况说明",
        "某某局（本级）2026年国有资本经营预算支出预算支出32,640万元。"))["values"]
    assert v["gf.expenditure"] == 143999.0 and v["soe.expenditure"] == 32640.0


def test_narrative_phrasings_of_a_2019_comprehensive_budget():
    rec = _rec("西安市某某委员会2019年部门综合预算说明。", lines=(
        "四、部门人员情况说明",
        "截止2018年底，本部门人员编制138人，实有人员138人。单位管理的离退休人员78人，其中：离休3人，退休72人。",
        "五、部门国有资产占有使用及资产购置情况说明",
        "截止2018年底，本部门所属预算单位共有车辆4辆。2019年部门预算安排购置辆0辆。",
        "七、2019年部门预算收支说明",
        "2019年部门预算收入203091.65万元。上年结转财政拨款16.49万元。",
        "2.支出按功能科目分类的明细情况。",
        "本部门2019年一般公共预算支出203091.65万元，其中：（1）行政运行（2010401）2740.23万元，较上年增加957.62万元；"
        "（2）事业运行（2010450）358.07万元；工资福利支出（301）3395.2万元。"))
    v = rec["values"]
    assert v["staff.retired"] == 72  # 离退休 78 counts 离休 too
    assert v["sangong.vehicles_purchased"] == 0
    assert v["appropriation.carryover_begin"] == 16.49
    items = {(li["table"], li["code"]): li["value"] for li in rec["line_items"]}
    assert items[("narrative", "2010401")] == 2740.23 and items[("narrative", "2010450")] == 358.07
    assert not any(li["code"].startswith("3") for li in rec["line_items"])  # economic classes are not function items

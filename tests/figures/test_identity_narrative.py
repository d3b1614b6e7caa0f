"""Identity snippets (cover layouts) and narrative rules: amounts by phrasing family, zero statements, silence,
prior-year redirection and claims."""
from __future__ import annotations

import pytest

from extractors.figures import extract_document
from extractors.figures.identity import identify
from tests.figures.helpers import doc_from_lines


@pytest.mark.parametrize("lines,want", [
    (["内江市住房公积金管理中心", "2024年度部门决算"], ("内江市住房公积金管理中心", 2024, "final_accounts", "department")),
    (["2024", "年度", "中共上海市普陀区委社会工作部", "部门决算"], ("中共上海市普陀区委社会工作部", 2024, "final_accounts", None)),
    (["中共上海市普陀区委", "社会工作部 2024 年度", "部门决算"], ("中共上海市普陀区委社会工作部", 2024, "final_accounts", None)),
    (["深圳市财政局（本级）2026年部门预算"], ("深圳市财政局", 2026, "budget", "unit")),
    (["2026年上海市审计局单位预算"], ("上海市审计局", 2026, "budget", "unit")),
    (["西安市卫生健康委员会（汇总）", "2022年度部门决算"], ("西安市卫生健康委员会", 2022, "final_accounts", None)),
    # OFD-converted covers: CJK radicals (⻔ U+2ED4) folded by the reader into 门
    (["2026年深圳市民政局（本级）部⻔预算".replace("⻔", "门")], ("深圳市民政局", 2026, "budget", "unit")),
])
def test_identity_snippets(lines, want):
    got = identify(doc_from_lines(*lines))
    unit, year, kind, scope = want
    assert got["unit_name"] == unit and got["fiscal_year"] == year and got["kind"] == kind
    if scope:
        assert got["scope"] == scope


def _values(*sentences: str, title: str = "某某局2026年部门预算。") -> dict:
    return extract_document(doc_from_lines(title, *sentences))["values"]


FA = "某某局2024年度部门决算。"


@pytest.mark.parametrize("sentence,metric,want", [
    # 政府采购 phrasing families
    ("政府采购预算总额947万元：政府采购货物预算47万元、政府采购工程预算0万元、政府采购服务预算900万元。", "procurement.total", 947.0),
    ("纳入2026年部门预算的政府采购项目共有3,790.75万元，其中：货物类项目242.80万元。", "procurement.total", 3790.75),
    ("纳入2026年部门预算的政府采购项目共有3,790.75万元，其中：货物类项目242.80万元。", "procurement.goods", 242.8),
    ("当年本部门政府采购预算共4,516.87万元。", "procurement.total", 4516.87),
    ("2026年度政府采购支出预算总额188.5万元。", "procurement.total", 188.5),
    ("2026年本部门政府采购安排512.48万元。", "procurement.total", 512.48),
    # 机关运行经费
    ("2026年本部门一般公共预算机关运行经费预算支出395.6万元。", "admin.operating_cost", 395.6),
    ("本部门当年机关运行经费预算安排452.54万元。", "admin.operating_cost", 452.54),
    ("2026年，本部门机关运行经费安排10,884.55万元。", "admin.operating_cost", 10884.55),
    # 政府性基金
    ("深圳市民政局（本级）政府性基金预算支出19,336.15万元。", "gf.expenditure", 19336.15),
    # 三公 (budget: the budgeted total is sangong.total)
    ("2026年财政拨款“三公”经费预算58.46万元。", "sangong.total", 58.46),
])
def test_budget_phrasing_families(sentence, metric, want):
    assert _values(sentence).get(metric) == want


@pytest.mark.parametrize("sentence,zeroed", [
    ("2026年本单位无政府性基金安排的支出。", ("gf.expenditure",)),
    ("本部门无当年政府性基金预算收支，并已公开空表。", ("gf.expenditure",)),
    ("2026年没有使用政府性基金预算拨款安排的支出，与上年持平。", ("gf.expenditure",)),
    ("本部门无国有资本经营预算拨款安排的支出。", ("soe.expenditure",)),
    ("本单位为事业单位，无机关运行经费。", ("admin.operating_cost",)),
    ("本单位未发生“三公”经费支出。", ("sangong.total", "sangong.abroad", "sangong.reception")),
    ("因公出国（境）费用0万元。", ("sangong.abroad",)),
])
def test_zero_statements(sentence, zeroed):
    v = _values(sentence)
    for m in zeroed:
        assert v.get(m) == 0, (m, v)


def test_silence_is_absent_not_zero():
    v = _values("2026年本部门收入预算100.00万元。")
    for m in ("gf.expenditure", "soe.expenditure", "admin.operating_cost", "procurement.total", "sangong.total"):
        assert m not in v


def test_final_accounts_budget_and_actual_pairs():
    v = _values("2022年度财政拨款安排“三公”经费支出预算593.46万元，支出决算587.55万元，完成预算的99%。"
                "一般公共预算财政拨款支出年初预算139,217.01万元，支出决算296,047.75万元，完成年初预算的212.65%。"
                "2022年本部门政府采购支出总额0万元。发生国内接待1次，接待人数共13人。",
                title="某某委员会2022年度部门决算。")
    assert v["sangong.budget"] == 593.46 and v["gpb.budget"] == 139217.01
    assert v["gpb.completion_pct"] == 212.65
    assert v["procurement.total"] == 0
    assert v["sangong.reception_batches"] == 1 and v["sangong.reception_persons"] == 13


def test_prior_year_goes_to_prev_metric():
    v = _values("2024年度收入总计1,000.00万元。2023年度收入总计900.00万元。", title=FA)
    assert v["total.grand"] == 1000.0 and v.get("total.grand_prev") == 900.0


def test_amounts_in_yuan_and_yi():
    v = _values("当年本部门政府采购预算共45,168,700.00元。2026年收支总预算1.5亿元。")
    assert v["procurement.total"] == 4516.87 and v["total.grand"] == 15000.0


def test_claims_yoy_and_share():
    rec = extract_document(doc_from_lines(
        FA, "2024年度本年支出合计1,200.00万元，比上年增加200.00万元，增长20%。"))
    yoy = [c for c in rec["claims"] if c["claim_type"] == "yoy"]
    assert yoy and yoy[0]["direction"] == "increase" and yoy[0]["stated_change"] == 200.0
    assert yoy[0]["stated_pct"] == 20.0 and yoy[0]["page"] == 1

"""Each rule family on hand-made inputs: fires on the defect, stays silent on clean or insufficient data."""
from __future__ import annotations

import pandas as pd

from warehouse.anomalies import RULES
from warehouse.anomaly_rules.base import DocContext, fingerprint
from warehouse.anomaly_rules.counts import count_rules
from warehouse.anomaly_rules.cross import jumps, outliers
from warehouse.anomaly_rules.identities import value_identities
from warehouse.anomaly_rules.items import line_item_rules
from warehouse.anomaly_rules.narrative import claim_rules, narrative_vs_table

DOC = {"doc_id": "d1", "unit_name": "青川市财政局", "fiscal_year": 2024, "kind": "final_accounts"}


def items(rows) -> pd.DataFrame:
    return pd.DataFrame([{"table_id": t, "item_code": c, "item_name": n, "column_name": col, "amount_wan": v,
                          "page": p} for t, c, n, col, v, p in rows])


def t03(class_total=300.0, basic_2010101=80.0):
    rows = []
    for code, name, total, basic in [("201", "一般公共服务支出", class_total, 180.0), ("20101", "人大事务", 300.0, 180.0),
                                     ("2010101", "行政运行", 100.0, basic_2010101), ("2010102", "一般行政管理事务", 200.0, 100.0)]:
        rows += [("T03", code, name, "total", total, 6), ("T03", code, name, "basic", basic, 6),
                 ("T03", code, name, "project", round(total - basic, 2) if code != "2010101" else 20.0, 6)]
    return rows


def test_rule_catalogue_has_descriptions_and_severities():
    assert all(r.description and r.severity in ("error", "warning", "info") for r in RULES.values())
    assert {"items.hierarchy", "items.row_total", "cross_table.expenditure_by_class", "cross_table.basic_economic",
            "bound.sangong_economic", "count.vehicles", "count.reception", "pct.zero_denominator", "cross_year.jump",
            "cross_unit.vehicle_cost_per_vehicle", "cross_unit.public_per_staff"} <= set(RULES)


def test_hierarchy_and_row_totals_hold_on_consistent_tables():
    ctx = DocContext(DOC, {"expenditure.total": 300.0}, items=items(t03()))
    assert line_item_rules(ctx) == []


def test_class_not_equal_to_sum_of_its_children_is_an_error_with_page():
    ctx = DocContext(DOC, {"expenditure.total": 300.0}, items=items(t03(class_total=310.0)))
    found = line_item_rules(ctx)
    hier = {f["fingerprint"]: f for f in found if f["rule_id"] == "items.hierarchy"}
    assert set(hier) == {fingerprint("items.hierarchy", "d1", "T03|total|201"),
                         fingerprint("items.hierarchy", "d1", "T03|project|201")}  # 310 vs 300; 130 vs 120
    total = hier[fingerprint("items.hierarchy", "d1", "T03|total|201")]
    assert total["severity"] == "error" and total["page"] == 6 and total["expected_value"] == 300.0
    cross = [f for f in found if f["rule_id"] == "cross_table.expenditure_by_class"]
    assert len(cross) == 1 and cross[0]["expected_value"] == 310.0  # T01 300 vs Σ 类 310


def test_row_total_not_basic_plus_project():
    ctx = DocContext(DOC, {}, items=items(t03(basic_2010101=70.0)))  # 70 + 20 ≠ 100
    found = [f for f in line_item_rules(ctx) if f["rule_id"] == "items.row_total"]
    assert [f["fingerprint"] for f in found] == [fingerprint("items.row_total", "d1", "T03|2010101")]


def test_rounding_within_tolerance_is_not_a_finding():
    rows = [("T05", "201", "一般公共服务支出", "total", 100.01, 5), ("T05", "20101", "人大事务", "total", 40.0, 5),
            ("T05", "20102", "政协事务", "total", 60.0, 5)]
    assert line_item_rules(DocContext(DOC, {}, items=items(rows))) == []


def test_code_read_as_amount_and_ambiguous_codes_are_not_checked():
    rows = [("T02", "205", "教育支出", "total", 205.0, 6), ("T02", "20502", "普通教育", "total", 20502.0, 6),
            ("T03", "201", "x", "total", 10.0, 6), ("T03", "201", "x", "total", 12.0, 7),
            ("T03", "20101", "y", "total", 50.0, 6)]
    assert line_item_rules(DocContext(DOC, {}, items=items(rows))) == []


def test_basic_economic_cross_table_and_sangong_inequality():
    rows = [("T05", "201", "一般公共服务支出", "basic", 100.0, 5),
            ("T06", "301", "工资福利支出", "personnel", 70.0, 7), ("T06", "302", "商品和服务支出", "public", 25.0, 7),
            ("T06", "30217", "公务接待费", "public", 3.0, 7)]
    found = line_item_rules(DocContext(DOC, {"sangong.reception": 2.0}, items=items(rows)))
    assert {f["rule_id"] for f in found} == {"cross_table.basic_economic", "bound.sangong_economic"}
    bound = next(f for f in found if f["rule_id"] == "bound.sangong_economic")
    assert bound["severity"] == "warning" and bound["page"] == 7 and bound["actual_value"] == 3.0


def test_counts_against_amounts_need_both_sides():
    assert count_rules(DocContext(DOC, {"sangong.vehicle_operation": 3.2})) == []  # count blank: says nothing
    found = count_rules(DocContext(DOC, {"sangong.vehicle_operation": 3.2, "sangong.vehicles_held": 0,
                                         "sangong.reception": 0.0, "sangong.reception_batches": 4}))
    assert sorted(f["rule_id"] for f in found) == ["count.reception", "count.vehicles"]
    assert all(f["severity"] == "warning" for f in found)


def test_zero_denominator_completion_is_an_error():
    found = value_identities(DocContext(DOC, {"gpb.completion_pct": 95.89, "gpb.budget": 0.0,
                                              "gpb.expenditure": 307.82}))
    assert [(f["rule_id"], f["severity"]) for f in found] == [("pct.zero_denominator", "error")]
    claims = pd.DataFrame([{"claim_seq": 0, "claim_type": "completion", "metric_id": "expenditure.total",
                            "subject": None, "page": 9, "raw_text": "年初预算为0万元，完成预算的95%",
                            "amount_wan": 30.0, "reference_amount_wan": 0.0, "stated_change_wan": None,
                            "stated_pct": 95.0}])
    found = claim_rules(DocContext(DOC, {}, claims=claims))
    assert [(f["rule_id"], f["page"]) for f in found] == [("pct.zero_denominator", 9)]


def test_share_of_project_spending_is_checked_against_project_spending():
    """西安市卫健委 2022: "涉及预算资金597650.29万元,占部门预算项目支出总额的65.9%" — 项目支出 906,922.72, not 支出合计."""
    def share(text):
        return pd.DataFrame([{"claim_seq": 0, "claim_type": "share", "metric_id": "performance.amount",
                              "subject": None, "page": 23, "raw_text": text, "amount_wan": 597650.29,
                              "reference_amount_wan": 2074962.01, "stated_change_wan": None, "stated_pct": 65.9}])

    vals = {"expenditure.total": 2074962.01, "expenditure.project": 906922.72}
    assert claim_rules(DocContext(DOC, vals, claims=share("涉及预算资金597650.29万元,占部门预算项目支出总额的65.9%"))) == []
    # the project base is only for sentences about project spending
    found = claim_rules(DocContext(DOC, vals, claims=share("涉及资金597650.29万元,占支出总额的65.9%")))
    assert [f["rule_id"] for f in found] == ["claim.share"]


def _yoy(text, amount, ref, change, pct):
    return pd.DataFrame([{"claim_seq": 0, "claim_type": "yoy", "metric_id": "sangong.total", "subject": "三公",
                          "page": 3, "raw_text": text, "amount_wan": amount, "reference_amount_wan": ref,
                          "stated_change_wan": change, "stated_pct": pct}])


def test_yoy_checked_only_against_figures_the_sentence_prints():
    wrong = _yoy("三公经费支出5.43万元，上年6.66万元，减少1.53万元，下降18.47%", 5.43, 6.66, -1.53, -18.47)
    assert [f["rule_id"] for f in claim_rules(DocContext(DOC, {}, claims=wrong))] == ["claim.yoy"]
    # a sub-item sentence the record attached to a total (amount from the table, reference derived): silent
    attached = _yoy("委托业务费2,007.93万元，比上年减少120.77万元，下降5.7%", 46402.33, 46523.10, -120.77, -5.7)
    assert claim_rules(DocContext(DOC, {}, claims=attached)) == []


def test_narrative_rounded_to_whole_wan_is_not_a_mismatch():
    figs = pd.DataFrame([
        {"figure_seq": 0, "metric_id": "income.total", "amount_wan": 17191.52, "source": "table", "page": 9,
         "raw_text": "17,191.52", "unit_as_printed": "万元"},
        {"figure_seq": 1, "metric_id": "income.total", "amount_wan": 17192.0, "source": "narrative", "page": 6,
         "raw_text": "收入预算17,192万元", "unit_as_printed": "万元"},
        {"figure_seq": 2, "metric_id": "income.total", "amount_wan": 0.3, "source": "narrative", "page": 6,
         "raw_text": "收入总计0.3万元", "unit_as_printed": "万元"},
        {"figure_seq": 3, "metric_id": "income.total", "amount_wan": 0.3, "source": "narrative", "page": 6,
         "raw_text": "收支总计0.3万元", "unit_as_printed": "万元"}])
    found = narrative_vs_table(DocContext(DOC, {}, figs=figs))
    assert [(f["actual_value"], f["page"]) for f in found] == [(0.3, 6)]  # one finding per value and page


def test_basic_table_training_is_a_floor_for_the_narrative_total():
    """湖州市财政局 2026: "各单位培训费预算 54.98 万元" against 30216 培训费 40.98 in the 基本支出表 — the narrative adds
    project spending, so it is no mismatch; a narrative figure below the basic part alone still is."""
    def figs(narrated):
        return pd.DataFrame([
            {"figure_seq": 0, "metric_id": "training.expenditure", "amount_wan": 40.98, "source": "table",
             "table_id": "T06", "page": 26, "raw_text": "30216 培训费 40.98", "unit_as_printed": "万元"},
            {"figure_seq": 1, "metric_id": "training.expenditure", "amount_wan": narrated, "source": "narrative",
             "table_id": None, "page": 13, "raw_text": f"培训费预算 {narrated} 万元", "unit_as_printed": "万元"}])

    assert narrative_vs_table(DocContext(DOC, {}, figs=figs(54.98))) == []
    assert narrative_vs_table(DocContext(DOC, {}, figs=figs(40.98))) == []
    below = narrative_vs_table(DocContext(DOC, {}, figs=figs(30.0)))
    assert [(f["expected_value"], f["actual_value"]) for f in below] == [(40.98, 30.0)]
    assert "仅基本支出部分" in below[0]["message"]


def _docs_values(ratios):
    docs = pd.DataFrame([{"doc_id": f"d{i}", "unit_id": f"u{i}", "unit_name": f"单位{i}", "fiscal_year": 2024,
                          "kind": "final_accounts", "scope": "department"} for i in range(len(ratios))])
    values = pd.DataFrame([r for i, x in enumerate(ratios) for r in (
        {"doc_id": f"d{i}", "metric_id": "sangong.vehicle_operation", "value_num": x * 2, "amount_wan": x * 2},
        {"doc_id": f"d{i}", "metric_id": "sangong.vehicles_held", "value_num": 2.0, "amount_wan": None})])
    return docs, values


def test_cross_unit_outlier_with_small_n_guard():
    def nowhere(d, m):
        return None, ""

    docs, values = _docs_values([2.0, 2.2, 1.8, 2.5, 1.9, 2.1, 13.0])
    found = outliers(docs, values, nowhere)
    assert [(f["rule_id"], f["doc_id"], f["severity"]) for f in found] == \
        [("cross_unit.vehicle_cost_per_vehicle", "d6", "info")]
    docs, values = _docs_values([2.0, 2.2, 1.8, 13.0])  # three peers: insufficient data, no finding
    assert outliers(docs, values, nowhere) == []


def test_yoy_jump_against_quoted_prior_year_is_info():
    docs = pd.DataFrame([{"doc_id": "d1", "unit_id": "u", "unit_name": "单位", "fiscal_year": 2024,
                          "kind": "final_accounts", "scope": "department"}])
    amounts = pd.Series({("d1", "sangong.total"): 30.0, ("d1", "sangong.total_prev"): 10.0})
    found = jumps(docs, amounts, pd.DataFrame(columns=["doc_id", "metric_id", "claim_type", "raw_text"]),
                  lambda d, m: (4, "三公经费30万元"))
    assert [(f["rule_id"], f["severity"], f["page"]) for f in found] == [("cross_year.jump", "info", 4)]


def test_empty_table_needs_a_note():
    from warehouse.anomaly_rules.base import DocContext
    from warehouse.anomaly_rules.completeness import empty_without_note

    doc = {"doc_id": "d", "unit_name": "u", "fiscal_year": 2024, "kind": "final_accounts"}
    ctx = DocContext(doc)
    ctx.tables = {
        "T08": {"pages": [15], "notes": [], "is_empty": True},  # empty, no note → finding
        "T09": {"pages": [16], "notes": ["本部门不涉及国有资本经营预算财政拨款支出，故本表为空表。"], "is_empty": True},
        "T07": {"pages": [14], "notes": None, "is_empty": True},  # extractor did not say: unknown, no finding
        "T05": {"pages": [12], "notes": [], "is_empty": False},
    }
    found = empty_without_note(ctx)
    assert [(f["rule_id"], f["page"]) for f in found] == [("completeness.empty_table_note", 15)]


def test_a_bare_basic_spending_sentence_may_be_the_appropriation_split():
    """"其中：基本支出X" in the 财政拨款 section is the 一般公共预算 figure; a sentence that names 财政拨款 itself is held
    to that figure only."""
    def figs(text):
        return pd.DataFrame([
            {"figure_seq": 0, "metric_id": "expenditure.basic", "amount_wan": 5838.39, "source": "table", "page": 9,
             "raw_text": "5,838.39", "unit_as_printed": "万元"},
            {"figure_seq": 1, "metric_id": "gpb.basic", "amount_wan": 5445.39, "source": "table", "page": 12,
             "raw_text": "5,445.39", "unit_as_printed": "万元"},
            {"figure_seq": 2, "metric_id": "expenditure.basic", "amount_wan": 5445.39, "source": "narrative",
             "page": 2, "raw_text": text, "unit_as_printed": "万元"}])
    assert narrative_vs_table(DocContext(DOC, {}, figs=figs("基本支出5,445.39万元"))) == []
    named = narrative_vs_table(DocContext(DOC, {}, figs=figs("部门支出中财政拨款基本支出5,445.39万元")))
    assert [(f["expected_value"], f["actual_value"]) for f in named] == [(5838.39, 5445.39)]


def test_only_zero_parts_against_a_total_prove_nothing():
    vals = {"expenditure.total": 30331.26, "expenditure.remit_superior": 0.0, "expenditure.affiliated_subsidy": 0.0}
    assert not [f for f in value_identities(DocContext(DOC, vals)) if f["rule_id"] == "sum.expenditure_split"]
    vals["expenditure.basic"] = 7910.83
    assert [f["rule_id"] for f in value_identities(DocContext(DOC, vals))] == ["sum.expenditure_split"]


def test_an_empty_table_is_explained_by_a_clause_stating_its_subject_absent_or_zero():
    from warehouse.anomaly_rules.completeness import empty_without_note

    tables = {"T01": {"pages": [3], "n_rows": 20, "notes": [], "is_empty": False},
              "T08": {"pages": [13], "n_rows": 2, "notes": [], "is_empty": True}}

    def rules(*texts):
        ctx = DocContext(DOC, tables=tables, lines=[{"page": 2, "text": t} for t in texts])
        return [f["rule_id"] for f in empty_without_note(ctx)]

    assert rules("一般公共预算拨款支出预算17,192万元。") == ["completeness.empty_table_note"]
    assert rules("支出预算17,192万元；政府性基金拨款支出预算为0；国有资本经营预算拨款支出预算为0。") == []
    assert rules("表9 2019年部门综合预算政府性基金收支表 是 本单位无政府性基金预算") == []
    # a zero of another subject explains nothing
    assert rules("国有资本经营预算拨款支出预算为0。政府性基金拨款支出预算1,200万元。") == ["completeness.empty_table_note"]


def test_public_spending_per_staff_outlier_among_at_least_five_peers():
    staff = [20, 25, 18, 30, 22, 24, 21]
    per_head = [1.1, 1.0, 1.2, 0.9, 1.05, 1.15, 9.0]  # 万元 公用经费 per person; the last unit spends ~8×
    docs = pd.DataFrame([{"doc_id": f"d{i}", "unit_id": f"u{i}", "unit_name": f"单位{i}", "fiscal_year": 2024,
                          "kind": "final_accounts", "scope": "department"} for i in range(len(staff))])
    values = pd.DataFrame([r for i, (n, x) in enumerate(zip(staff, per_head)) for r in (
        {"doc_id": f"d{i}", "metric_id": "gpb.public", "value_num": n * x, "amount_wan": n * x},
        {"doc_id": f"d{i}", "metric_id": "staff.actual", "value_num": float(n), "amount_wan": None})])
    found = outliers(docs, values, lambda d, m: (None, ""))
    assert [(f["rule_id"], f["doc_id"]) for f in found] == [("cross_unit.public_per_staff", "d6")]
    assert outliers(docs.iloc[3:], values[values.doc_id.isin(docs.doc_id.iloc[3:])], lambda d, m: (None, "")) == []

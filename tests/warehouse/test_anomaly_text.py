"""Text-consistency, comparison-statement and evidence-gate rules on small generated documents (lines as a
reader gives them: PDF visual lines, so sentences wrap across lines and pages)."""
from __future__ import annotations

import pandas as pd

from warehouse.anomaly_rules.base import DocContext
from warehouse.anomaly_rules.compare import comparison_rules, narrative_vs_blank
from warehouse.anomaly_rules.gates import evidence_gate
from warehouse.anomaly_rules.identities import binds_to_total
from warehouse.anomaly_rules.text import text_rules

DOC = {"doc_id": "d1", "unit_name": "上海市云浦区财政局", "fiscal_year": 2024, "kind": "final_accounts"}
TABLES = {t: {"pages": [i + 3], "is_empty": False, "notes": []} for i, t in enumerate(
    ["T01", "T02", "T03", "T04", "T05", "T06", "T07"])}


def ctx_of(*lines: tuple[int, str], tables=None, doc=None) -> DocContext:
    return DocContext(doc or DOC, lines=[{"page": p, "text": t} for p, t in lines],
                      tables=TABLES if tables is None else tables)


def rules(found):
    return sorted((f["rule_id"], f["page"]) for f in found)


def test_a_consistent_document_raises_nothing():
    ctx = ctx_of((1, "上海市云浦区财政局"), (1, "2024年度部门决算"), (2, "目录"), (2, "一、收入支出决算总表"),
                 (2, "二、收入决算表"), (2, "三、支出决算表"), (3, "第二部分上海市云浦区财政局2024年度部门决算表"),
                 (9, "截至2024年12月31日，共有车辆2辆。"),
                 (10, "年初预算为100.00万元，支出决算为90.00万元。决算数小于预算数的主要原因：节约。"),
                 (11, "机关运行经费支出50.00万元，上年为40.00万元，比上年增加10.00万元，增长25.00%。"))
    assert text_rules(ctx) + comparison_rules(ctx) == []


def test_placeholder_wrong_year_date_and_missing_table():
    tables = {k: v for k, v in TABLES.items() if k != "T03"}
    ctx = ctx_of((2, "目录"), (2, "一、收入支出决算总表"), (2, "二、收入决算表"), (2, "三、支出决算表"),
                 (2, "四、财政拨款收入支出决算总表"),
                 (3, "第二部分上海市云浦区XX局2024年度部门决算表"),
                 (8, "第三部分上海市云浦区财政局2023年度部门决算情况说明"),
                 (9, "截至2023年12月"), (9, "31日，共有车辆2辆。"), tables=tables)
    assert rules(text_rules(ctx)) == [("text.fiscal_year", 8), ("text.placeholder", 3), ("text.report_date", 9),
                                      ("text.toc_tables", 2)]


def test_a_heading_naming_another_unit_is_reported():
    ctx = ctx_of((3, "第二部分上海市云浦区教育局2024年度部门决算表"), (4, "编制单位：上海市云浦区财政局"))
    found = text_rules(ctx)
    assert [f["rule_id"] for f in found] == ["text.unit_name"] and "教育局" in found[0]["message"]


def test_flipped_budget_words_bind_to_their_own_item():
    ctx = ctx_of((10, "1.行政运行（项）：年初预算为1,560.05万元，支出决算为1511.89万元。决算数大于预算数的主要原因：人员变化。"),
                 (10, "2.职业年金（项）：年初预算为80.81万元，支出决算为80.81万元。决算数等于预算数的主要原因：按实。"),
                 (11, "3.公务接待：预算0万元，决算0.16万元。决算数大于预算数的主要原因：新成立单位。"))
    found = comparison_rules(ctx)
    assert [(f["rule_id"], f["actual_value"], f["expected_value"]) for f in found] == \
        [("compare.budget_word", 1511.89, 1560.05)]


def test_change_words_against_printed_amounts():
    ctx = ctx_of((5, "本年收入合计200.00万元。与2023年度决算数150.00万元相比，收入减少50.00万元，下降33.33%。"),
                 (6, "机关运行经费30.00万元，比上年增加5.00万元，下降20.00%。"),
                 (7, "本年培训费10.00万元，上年为0.00万元，比上年增加10.00万元，增长100.00%。"),
                 (8, "公务用车购置费0万元，比2023年减少0.45万元；公务用车运行费13.55万元，与上年持平。"))
    found = comparison_rules(ctx)
    assert rules(found) == [("compare.change_word", 5), ("compare.change_word", 6), ("compare.zero_base", 7)]


def test_blank_sangong_row_against_the_narrative():
    figs = pd.DataFrame([
        {"metric_id": "sangong.abroad", "amount_wan": 1.0, "source": "table", "table_id": "T07", "page": 7},
        {"metric_id": "sangong.vehicle", "amount_wan": 2.0, "source": "table", "table_id": "T07", "page": 7},
        {"metric_id": "sangong.reception", "amount_wan": 3.5, "source": "narrative", "table_id": None, "page": 12,
         "raw_text": "公务接待费支出决算3.50万元"}])
    ctx = DocContext(DOC, figs=figs, tables=TABLES)
    assert [(f["rule_id"], f["metric_id"]) for f in narrative_vs_blank(ctx)] == \
        [("narrative_vs_blank_table", "sangong.reception")]


def test_ocr_operands_cap_a_finding_at_warning_and_say_so():
    ctx = DocContext(DOC, value_reading={"sangong.total": (True, 0.6)})
    found = evidence_gate(ctx, [{"rule_id": "sum.sangong_components", "severity": "error", "metric_id": "sangong.total",
                                 "page": 3, "message": "合计不符"},
                                {"rule_id": "sum.vehicle_components", "severity": "error",
                                 "metric_id": "sangong.vehicle", "page": 3, "message": "不符"}])
    assert [(f["severity"], "OCR" in f["message"]) for f in found] == [("warning", True), ("error", False)]


def test_a_stated_percentage_binds_to_its_own_clause():
    text = "“三公”经费支出决算为0.95万元，完成预算的95.00%，其中：因公出国（境）费决算为0.00万元，完成预算的0%。"
    assert binds_to_total(text, 95.0) and not binds_to_total(text, 0.0)


def _items(rows):
    return pd.DataFrame([{"table_id": t, "item_code": c, "item_name": n, "column_name": "total", "amount_wan": v,
                          "page": p} for t, c, n, v, p in rows], columns=["table_id", "item_code", "item_name",
                                                                         "column_name", "amount_wan", "page"])


def test_a_t05_item_missing_from_t03_or_larger_there():
    from warehouse.anomaly_rules.crosstable import item_rows_across_tables

    t03 = [("T03", "2010101", "行政运行", 100.0, 4), ("T03", "2010102", "一般行政管理事务", 50.0, 4),
           ("T03", "2080505", "养老保险缴费", 30.0, 4)]
    t05 = [("T05", "2010101", "行政运行", 90.0, 6), ("T05", "2010102", "一般行政管理事务", 50.01, 6),
           ("T05", "2080505", "养老保险缴费", 35.0, 6), ("T05", "2210201", "住房公积金", 12.0, 6)]
    found = item_rows_across_tables(DocContext(DOC, items=_items(t03 + t05)))
    assert sorted((f["rule_id"], f["severity"], f["message"][:7])
                  for f in found) == sorted([("cross_table.item_exceeds", "info", "2010102"),
                                             ("cross_table.item_exceeds", "warning", "2080505"),
                                             ("cross_table.item_missing", "warning", "T05 列有 ")])


def test_a_stated_trend_against_last_years_document():
    from warehouse.anomaly_rules.cross_units import stated_trends

    docs = pd.DataFrame([{"doc_id": "a", "unit_id": "u", "unit_name": "u", "fiscal_year": 2023, "kind": "k",
                          "scope": "s"}, {"doc_id": "b", "unit_id": "u", "unit_name": "u", "fiscal_year": 2024,
                                          "kind": "k", "scope": "s"}])
    amounts = pd.Series({("a", "sangong.total"): 10.0, ("b", "sangong.total"): 12.0})
    claims = pd.DataFrame([{"doc_id": "b", "metric_id": "sangong.total", "claim_type": "yoy",
                            "raw_text": "“三公”经费较上年减少2.00万元", "stated_change_wan": -2.0}])
    found = stated_trends(docs, amounts, claims, lambda d, m: (9, ""))
    assert [(f["rule_id"], f["doc_id"], f["expected_value"]) for f in found] == [("cross_year.stated_trend", "b", 2.0)]
    claims.loc[0, "stated_change_wan"] = 2.0
    assert stated_trends(docs, amounts, claims, lambda d, m: (9, "")) == []

"""Regression tests for extraction defects traced from anomaly false alarms on the real corpus, one per
table/phrasing family (small synthetic grids and sentences; real-corpus checks are marked and skip without
../shared)."""
from __future__ import annotations

import pytest

from extractors.figures import extract_document
from tests.conftest import REAL_CORPUS, require_shared
from tests.figures.helpers import doc_from_lines, table

BUDGET = "某某局2026年部门预算。"
FINAL = "某某局2024年度部门决算。"
_real: dict[str, dict] = {}


def _rec(*lines, tables=()) -> dict:
    return extract_document(doc_from_lines(*lines, tables=list(tables)))


def _real_rec(name: str) -> dict:
    if name not in _real:
        from extractors.figures import extract_file

        _real[name] = extract_file(require_shared(REAL_CORPUS) / name)
    return _real[name]


def _figs(rec: dict, metric: str, source: str | None = None) -> list[dict]:
    return [f for f in rec["figures"] if f["metric"] == metric and (source is None or f["source"] == source)]


# 1. 基本支出 with sub-columns ------------------------------------------------------------------------
def test_t03_basic_split_without_subtotal_is_the_sum():
    t = table([["科目编码", "科目名称", "总计", "基本支出", "基本支出", "项目支出"],
               ["科目编码", "科目名称", "总计", "人员支出", "公用经费", "项目支出"],
               ["**", "**", "1", "2", "3", "4"],
               ["", "合计", "6838.41", "4944.99", "626.67", "1266.75"],
               ["201", "一般公共服务支出", "5356.01", "3478.23", "611.02", "1266.75"]],
              title="支出预算总表", table_id="T03")
    rec = _rec(BUDGET, tables=[t])
    basic = _figs(rec, "expenditure.basic", "table")
    assert [f["value"] for f in basic] == [5571.66] and basic[0]["derived"]
    assert rec["values"]["expenditure.basic"] == 5571.66
    assert not any(li["column"] == "basic" and li["value"] == 3478.23 for li in rec["line_items"])


def test_t05_spanned_basic_header_without_sub_labels_is_not_read():
    t = table([["科目编码", "科目名称", "合计", "基本支出", "基本支出", "项目支出"],
               ["", "合计", "100.00", "70.00", "10.00", "20.00"],
               ["201", "一般公共服务支出", "100.00", "70.00", "10.00", "20.00"]],
              title="一般公共预算支出表", table_id="T05")
    v = _rec(BUDGET, tables=[t])["values"]
    assert v.get("gpb.basic") != 70.0


@pytest.mark.real_corpus
def test_real_huz_czj_t03_basic_is_personnel_plus_public():
    rec = _real_rec("zhejiang_huz-czj_2026_yusuan.pdf")
    t03 = [f for f in _figs(rec, "expenditure.basic", "table") if f.get("table") == "T03"]
    assert t03 and abs(t03[0]["value"] - 5571.66) < 0.01 and t03[0].get("derived")


# 2. narrative totals belong to the department's own 总体情况 ----------------------------------------------
def test_qualified_budget_amounts_are_not_the_department_total():
    rec = _rec("某某局2026年部门预算。", "一、收支预算总体情况说明", "某某局2026年支出预算100.00万元。",
               "六、财政拨款基本支出预算情况说明", "某某局2026年度财政拨款基本支出预算60.00万元。",
               "九、“三公”经费支出预算情况说明", "1.因公出国（境）费预算支出0万元。2.会议费预算支出1.09万元。",
               "十三、政府采购支出预算情况说明", "2026年度政府采购支出预算总额12.90万元。")
    assert [f["value"] for f in _figs(rec, "expenditure.total", "narrative")] == [100.0]


def test_subordinate_unit_sections_do_not_give_document_totals():
    rec = _rec("某某局2026年部门预算。", "第二部分部门预算收支总体情况", "2026年某某局部门预算收入500.00万元。",
               "第三部分部门预算支出具体情况", "一、某某市某某局（本级）", "某某市某某局（本级）部门预算收入300.00万元。",
               "（五）项目支出100.00万元。", "二、某某市某某局甲分局", "某某市某某局甲分局部门预算收入200.00万元。",
               "（五）项目支出50.00万元。", "第四部分政府采购预算情况", "无。")
    rec["document"]["unit_name"] = "某某局"
    assert [f["value"] for f in _figs(rec, "income.total", "narrative")] == [500.0]
    assert not _figs(rec, "expenditure.project", "narrative")


def test_t07_change_row_is_not_the_value():
    t = table([["项目", "合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费"],
               ["增加", "33.00", "30.00", "3.00", "0.00"],
               ["2026年预算数", "66.00", "46.80", "15.00", "4.20"]], title="“三公”经费支出预算表", table_id="T07")
    assert _rec(BUDGET, tables=[t])["values"]["sangong.total"] == 66.0


@pytest.mark.real_corpus
@pytest.mark.parametrize("name,wrong", [("jiangsu_wx-jtysj_2026_yusuan-unit.pdf", {3305.86, 0.0, 2.02}),
                                        ("jiangsu_suz-sjj_2026_yusuan.pdf", {4312.17, 0.0, 10.0, 43.0})])
def test_real_sub_item_amounts_not_expenditure_total(name, wrong):
    vals = {f["value"] for f in _figs(_real_rec(name), "expenditure.total", "narrative")}
    assert not vals & wrong


@pytest.mark.real_corpus
def test_real_sz_rsj_unit_sections_give_no_totals():
    rec = _real_rec("guangdong_sz-rsj_2026_yusuan.pdf")
    assert {f["value"] for f in _figs(rec, "income.total", "narrative")} == {571347.93}


# 3. year-on-year claims: the sentence's own subject and amount ----------------------------------------------
def _claims(rec, kind):
    return [c for c in rec["claims"] if c["claim_type"] == kind]


def test_yoy_sub_item_is_not_attached_to_a_total():
    rec = _rec(BUDGET, "六、委托业务费安排情况",
               "2026年本部门一般公共预算安排委托业务费233.30万元，比上年减少116.61万元，下降33.3%。")
    (c,) = _claims(rec, "yoy")
    assert c["metric"] is None and "委托业务费" in c["subject"]
    assert c["amount"] == 233.3 and c["reference_amount"] == 349.91 and c["reference_derived"] is True


def test_yoy_uses_the_printed_amount_not_the_table():
    t = table([["项目", "金额"], ["一般公共预算财政拨款支出", "1183.09"]], title="一般公共预算支出表", table_id="T05")
    rec = _rec(FINAL, "（三）一般公共预算财政拨款支出决算情况",
               "2024年度一般公共预算财政拨款支出1144.59万元，比上年增加100.00万元，增长9.6%。", tables=[t])
    (c,) = _claims(rec, "yoy")
    assert c["metric"] == "gpb.expenditure" and c["amount"] == 1144.59 and c["reference_amount"] == 1044.59


def test_yoy_printed_prior_amount_is_not_derived():
    rec = _rec(BUDGET, "2026年支出预算4483899.83万元，比2025年年初预算数4001046.82万元增加482853.01万元，增长12.07%。")
    (c,) = _claims(rec, "yoy")
    assert c["amount"] == 4483899.83 and c["reference_amount"] == 4001046.82 and c["reference_derived"] is False


def test_yoy_item_line_keeps_its_subject():
    rec = _rec(BUDGET, "（二）支出按功能科目分类的明细情况", "本部门当年一般公共预算支出300.00万元，其中：",
               "1.行政运行（2010601）200.00万元，较上年增加20.00万元，增长11.1%。")
    (c,) = _claims(rec, "yoy")
    assert c["metric"] is None and c["amount"] == 200.0 and "行政运行" in c["subject"]


# 4. share claims: the base the sentence names ------------------------------------------------------------
def test_share_base_is_the_enumerated_total_incl_carryover():
    rec = _rec(BUDGET, "二、关于部门收入总表的说明",
               "2026年某某局收入预算总计50,616.94万元，其中，一般公共预算拨款收入16,474.82万元，占32.55%；"
               "上年结转2,254.12万元，占4.45%。")
    cl = _claims(rec, "share")
    assert [c["reference_amount"] for c in cl] == [50616.94, 50616.94]
    assert cl[0]["reference_metric"] == "total.grand"


def test_share_named_base_not_disclosed_gives_no_reference():
    rec = _rec(BUDGET, "（一）基本支出。基本支出预算2919265.78万元，占本年支出预算74.41%。")
    (c,) = _claims(rec, "share")
    assert c["reference_amount"] is None and c["reference"] == "本年支出预算"


# 5. 三公 table: 栏次, unit, year column ----------------------------------------------------------------------
def test_t07_column_number_row_is_not_an_amount():
    t = table([["单位名称", "“三公”经费合计", "因公出国（境）费用", "公务接待费"],
               ["**", "1", "2", "3"],
               ["合计", "9.30", "", "5.80"]], title="“三公”经费预算表", table_id="T07")
    v = _rec(BUDGET, tables=[t])["values"]
    assert v["sangong.total"] == 9.3 and v["sangong.reception"] == 5.8


def test_t07_takes_the_latest_year_block():
    t = table([["2025年预算数", "2025年预算数", "2026年预算数", "2026年预算数"],
               ["合计", "公务接待费", "合计", "公务接待费"],
               ["10.40", "5.00", "23.40", "5.00"]], title="“三公”经费预算表", table_id="T07")
    assert _rec(BUDGET, tables=[t])["values"]["sangong.total"] == 23.4


def test_t07_in_yuan_without_caption_is_rescaled_by_the_narrative():
    t = table([["“三公”经费合计", "公务接待费", "因公出国（境）费"],
               ["219,000.00", "80,000.00", "139,000.00"]], title="“三公”经费预算表", table_id="T07", unit=None)
    rec = _rec(BUDGET, "2026年“三公”经费预算21.90万元。", tables=[t])
    assert rec["values"]["sangong.total"] == 21.9 and rec["values"]["sangong.reception"] == 8.0


# 8. table notes and emptiness in record["tables"] -----------------------------------------------------------
def test_table_summary_carries_notes_and_empty():
    t = table([["项目", "合计", "公务接待费"], ["合计", "", ""]], title="政府性基金预算支出表", table_id="T08")
    t.notes = ["本部门不涉及政府性基金预算支出，故公开空表。"]
    full = table([["科目编码", "科目名称", "合计"], ["", "合计", "12.50"], ["201", "一般公共服务支出", "12.50"]],
                 title="一般公共预算支出表", table_id="T05", page=3)
    tabs = {s["table"]: s for s in _rec(BUDGET, tables=[t, full])["tables"]}
    assert tabs["T08"]["empty"] is True and tabs["T08"]["notes"] == ["本部门不涉及政府性基金预算支出，故公开空表。"]
    assert tabs["T05"]["empty"] is False and tabs["T05"]["notes"] == []

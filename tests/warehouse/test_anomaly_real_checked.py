"""Findings on the genuine real corpus, each checked by hand on the page itself (pdftotext -layout of the PDF, not
the extractor's reading), pinned with why it is genuine; and findings that the same check showed to be false,
pinned as gone with the family fix that removed them. (The MODIFIED copy, the official template, 普陀区司法局's
copied row, 万里街道's stale note and 规划资源局's heading are pinned in test_anomaly_real.py and
test_anomaly_text_real.py.)"""
from __future__ import annotations

from functools import cache

import pytest

from extractors.figures import extract_file
from tests.conftest import REAL_CORPUS, require_shared
from warehouse.anomaly_rules.engine import findings_from_rows
from warehouse.staging import record_rows

pytestmark = pytest.mark.real_corpus


@cache
def _found(name: str) -> tuple[tuple, ...]:
    rows = record_rows("d0", extract_file(require_shared(REAL_CORPUS) / name))
    return tuple(sorted((f["rule_id"], f["severity"], f["page"], f["expected_value"], f["actual_value"])
                        for f in findings_from_rows(rows) if f["severity"] != "info"))


def test_genuine_warnings_checked_on_the_page():
    # 国家信访局 2026 预算 p.25: "委托业务费财政拨款预算1,391.68万元，比2025年预算增加333.83万元，增长31.35%" —
    # 333.83 / (1,391.68 − 333.83 = 1,057.85) is 31.56 %, not 31.35 %: the stated rate is wrong
    assert ("claim.yoy", "warning", 25, 31.56, 31.35) in _found("central_gjxfj_2026_yusuan.pdf")
    # 佛山市公路事务中心 2019 决算 p.28: 7 projects "共涉及资金940.15万元，占一般公共预算项目支出总额的100%", but the
    # 一般公共预算财政拨款支出决算表 (p.15) prints 项目支出 合计 921.75: 940.15 is 102.0 % of it, more than the whole
    assert ("claim.share", "warning", 28, 102.0, 100.0) in _found("guangdong_fs-gdjtj_2019_juesuan.pdf")
    # 长春市信访局 2026 预算 p.13 (本年政府性基金预算支出表, 预算表8) and p.15 (国有资本经营预算支出明细表, 预算表10):
    # header rows only, nothing under them, and no sentence anywhere says the unit has no such budget (the only
    # mentions are the 0.00 lines of the 收支总表): empty tables without the note the disclosure rules require
    cc = _found("jilin_cc-xfj_2026_yusuan.pdf")
    assert [(r, p) for r, s, p, _, _ in cc if r == "completeness.empty_table_note"] == \
        [("completeness.empty_table_note", 13), ("completeness.empty_table_note", 15)]


def test_genuine_errors_checked_on_the_page():
    # 国家信访局 p.18 "财政拨款收支总预算18,728.91万元"; the 收支总表 p.9 prints 收入总计 = 支出总计 18,728.94
    assert ("narrative_vs_table", "error", 18, 18728.94, 18728.91) in _found("central_gjxfj_2026_yusuan.pdf")
    # 普陀区规划和自然资源局 2024 决算 p.24 "一般公共预算财政拨款基本支出5377.64万元。其中：人员经费4896.98万元";
    # the tables print 基本支出 合计 5364.75 (p.15) and 人员经费合计 4884.09 (p.16): both 12.89 万元 off
    gh = _found("shanghai_putuo-ghzyj_2024_juesuan.pdf")
    assert ("narrative_vs_table", "error", 24, 5364.75, 5377.64) in gh
    assert ("narrative_vs_table", "error", 24, 4884.09, 4896.98) in gh
    # 普陀区社会工作部 2024 决算 p.18 "年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的
    # 95.89%": a completion rate of a zero 年初预算 (95.89 % is of the 全年预算)
    assert [r for r in _found("shanghai_putuo-shgzb_2024_juesuan.pdf") if r[0] == "pct.zero_denominator"] == \
        [("pct.zero_denominator", "error", 18, None, 95.89)]


def _rules(name: str) -> set[str]:
    return {r for r, *_ in _found(name)}


def test_findings_the_page_showed_false_are_gone():
    # 杭州市司法局 2026 预算 p.4–5: "比上年执行数增加" | page number "3" | "7,331.92万元，增长8.0%" — the folio was
    # glued to the figure (37,331.92 → a false 60.31 %); bare folios are dropped from the running text
    assert "claim.yoy" not in _rules("zhejiang_hz-sfj_2026_yusuan.pdf")
    # 西安市应急管理局 2019 预算: 表9 政府性基金收支表 is empty and its 目录 (a table with 是否空表 | 公开空表理由)
    # says "是  本单位无政府性基金预算" — the reason is given where that template puts it
    assert "completeness.empty_table_note" not in _rules("shaanxi_xa-ajj_2019_yusuan-tables.pdf")
    # 上海 unit budgets: the empty 政府性基金/国有资本经营 (福彩中心 also 一般公共预算) tables are explained in the text,
    # "政府性基金拨款支出预算为0；国有资本经营预算拨款支出预算为0" (福彩: "一般公共预算拨款支出预算为0")
    for name in ("shanghai_sh-czj_2025_yusuan-unit.pdf", "shanghai_sh-sjj_2026_yusuan-unit.pdf",
                 "shanghai_sh-flcp_2026_yusuan-unit.pdf"):
        assert "completeness.empty_table_note" not in _rules(name), name
    # 西安市财政局 2026 预算 收支总表 splits spending into 人员经费和公用经费支出 79,108,250.17 + 专项业务经费支出
    # 224,204,336.00 = 303,312,586.17: only the blank 上缴上级/附属单位 rows (zeros) were parts — no error
    assert "sum.expenditure_split" not in _rules("shaanxi_xa-czj_2026_yusuan.pdf")
    # 重庆市气象局 / 市政府办公厅 2026 预算, "三、财政拨款情况说明 … 一般公共预算财政拨款支出12,672.73万元 … 其中：基本支出
    # 5,445.39万元 … 项目支出7,227.34万元": the 财政拨款 split (its table p.12 prints 5,445.39 / 7,227.34), not the
    # all-source 5,838.39 / 8,932.23 of 部门支出总体情况表
    for name in ("chongqing_cq-qxj_2026_yusuan.pdf", "chongqing_cq-zfbgt_2026_yusuan.pdf"):
        assert "narrative_vs_table" not in _rules(name), name

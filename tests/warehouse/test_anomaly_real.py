"""Real corpus: the Shanghai 普陀区财政局 2024 决算 with injected errors (GovBudgetChecker's 测试问题版本) against the
published original. The injected 收入支出总计 "0万元" and the dropped 支出决算表 are caught; the original is nearly
clean (its one finding is a real slip of the published file: 财政拨款收入支出总计 "0.3万元" against 2961.68)."""
from __future__ import annotations

import pytest

from extractors.registry import RawStore, Registry, register_files
from pipelines.stage import stage_document
from tests.conftest import REAL_CORPUS, require_shared
from warehouse.anomalies import detect_anomalies
from warehouse.db import Warehouse
from warehouse.load import load_staged
from warehouse.staging import Staging

pytestmark = pytest.mark.real_corpus

GENUINE = "shanghai_putuo-czj_2024_juesuan.pdf"
MODIFIED = "shanghai_putuo-czj_2024_juesuan-MODIFIED-testerrors.pdf"


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    corpus = require_shared(REAL_CORPUS)
    root = tmp_path_factory.mktemp("real_anomalies")
    staging = Staging(root / "staging")
    with Registry(root / "registry.sqlite") as reg:
        entries = [e for e, _ in register_files(reg, RawStore(root / "raw"), [corpus / GENUINE, corpus / MODIFIED])]
    for e in entries:
        stage_document(e, root / "parsed", staging)
    wh = Warehouse(root / "wh.duckdb")
    load_staged(wh, staging)
    found = detect_anomalies(wh)
    names = {e.doc_id: e.original_name for e in entries}
    return {name: found[found.doc_id == doc_id] for doc_id, name in names.items()}


def test_injected_errors_are_caught(findings):
    bad = findings[MODIFIED]
    nvt = bad[bad.rule_id == "narrative_vs_table"]
    assert len(nvt) == 1 and nvt.iloc[0].metric_id == "total.grand" and nvt.iloc[0].actual_value == 0.0
    assert nvt.iloc[0].expected_value == 2995.39 and nvt.iloc[0].page == 18
    missing = bad[bad.rule_id == "completeness.tables"]
    assert len(missing) == 1 and "T03" in missing.iloc[0].message


def test_modified_file_has_more_serious_findings_than_its_genuine_twin(findings):
    def serious(name):
        f = findings[name]
        return f[f.severity.isin(("error", "warning"))]

    assert len(serious(MODIFIED)) > len(serious(GENUINE))
    assert len(findings[MODIFIED][findings[MODIFIED].severity == "error"]) >= \
        len(findings[GENUINE][findings[GENUINE].severity == "error"])
    genuine = serious(GENUINE)
    assert list(genuine.rule_id) == ["narrative_vs_table"] and genuine.iloc[0].actual_value == 0.3


@pytest.mark.parametrize("name", ["guangdong_gz-tjj_2026_yusuan.pdf", "guangdong_zh-swj_2026_yusuan.pdf",
                                  "guangdong_sz-rsj_2026_yusuan.pdf", "beijing_bj-czj_2026_yusuan.pdf",
                                  "beijing_bj-jw_2026_yusuan.pdf"])
def test_budget_income_identity_closes_across_templates(name):
    """预算 收支总表 that print 财政拨款 as one line (广州 "预算拨款"), list 财政专户管理资金 (深圳), or call 收入总计
    "收入预算"/"支出预算" (北京: 上年结转 and 年终结转结余 are listed among their parts) used to raise false
    sum.income_sources / sum.expenditure_split errors; their sums add up."""
    from extractors.figures import extract_file
    from warehouse.anomaly_rules.engine import findings_from_rows
    from warehouse.staging import record_rows

    corpus = require_shared(REAL_CORPUS)
    rows = record_rows("d0", extract_file(corpus / name))
    rules = {f["rule_id"] for f in findings_from_rows(rows)}
    assert not rules & {"sum.income_sources", "sum.expenditure_split"}, rules


def test_split_of_spending_is_not_read_as_its_total():
    """长春市信访局 2026: "基本支出合计为1208.20万元" is a part, not 本年支出合计. What remains is the publisher's own slip:
    "2026年预算支出1682.76元" — 元 where 万元 is meant — which the rule rightly reports."""
    from extractors.figures import extract_file
    from warehouse.anomaly_rules.engine import findings_from_rows
    from warehouse.staging import record_rows

    rows = record_rows("d0", extract_file(require_shared(REAL_CORPUS) / "jilin_cc-xfj_2026_yusuan.pdf"))
    nvt = [f for f in findings_from_rows(rows) if f["rule_id"] == "narrative_vs_table"]
    assert [(f["metric_id"], f["actual_value"]) for f in nvt] == [("expenditure.total", 0.17)]


def test_a_stale_empty_table_note_is_one_warning_not_a_zero_per_figure():
    """万里街道 2024 预算: under its 三公 table (47.91 万元 in figures) the note still says "本部门2024年无“三公”经费…
    故本表为空表". That contradiction is reported once; the note's zero is not compared with each 三公 figure."""
    from extractors.figures import extract_file
    from warehouse.anomaly_rules.engine import findings_from_rows
    from warehouse.staging import record_rows

    rows = record_rows("d0", extract_file(require_shared(REAL_CORPUS) / "shanghai_putuo-wanli-jd_2024_yusuan.pdf"))
    found = findings_from_rows(rows)
    assert [(f["rule_id"], f["page"]) for f in found] == [("completeness.note_contradicts_table", 31)]
    assert "空表" in found[0]["evidence"]


def test_a_fund_sections_own_total_is_not_the_departments():
    """西安市卫健委 2022 决算: "本年支出决算568,051.63万元" sits under 七、政府性基金预算财政拨款收入支出决算情况说明 and is
    the fund's spending; the department's 本年支出合计 is 2,074,962.01 万元 in both tables and narrative."""
    from extractors.figures import extract_file

    rec = extract_file(require_shared(REAL_CORPUS) / "shaanxi_xa-wjw_2022_juesuan.pdf")
    totals = {f["value"] for f in rec["figures"] if f["metric"] == "expenditure.total"}
    assert totals == {2074962.01}


def test_a_row_copied_into_the_wrong_column_is_reported_where_it_is_printed():
    """普陀区司法局 2026 单位预算, 支出预算总表 (p.11) and 一般公共预算支出功能分类预算表 (p.14): the 2040601 行政运行 row
    prints 项目支出 64,840,547.00 元 (the 款's figure) next to 基本支出 14,348,853.34 and 合计 14,348,853.34 — checked on
    the rendered page, a slip of the published file, not of the reader. Both tables report it, with their pages."""
    from extractors.figures import extract_file
    from warehouse.anomaly_rules.engine import findings_from_rows
    from warehouse.staging import record_rows

    rows = record_rows("d0", extract_file(require_shared(REAL_CORPUS) / "shanghai_putuo-sfj_2026_yusuan-unit.pdf"))
    found = sorted((f["rule_id"], f["page"]) for f in findings_from_rows(rows) if f["severity"] == "error")
    assert found == [("items.hierarchy", 11), ("items.hierarchy", 14), ("items.row_total", 11), ("items.row_total", 14)]


def test_a_codeless_table_with_unmapped_rows_raises_no_hierarchy_error():
    """杭州市司法局 2026 预算 prints its function tables with names only. Rows whose names the 科目 list lacks
    (律师管理, 法治建设 … under 20406/20407/20408) get no code, so those 款 look larger than their mapped 项 —
    a gap of the mapping, not of the publisher: no items.hierarchy finding for the mapped tables."""
    from extractors.figures import extract_file
    from warehouse.anomaly_rules.engine import findings_from_rows
    from warehouse.staging import record_rows

    rec = extract_file(require_shared(REAL_CORPUS) / "zhejiang_hz-sfj_2026_yusuan.pdf")
    assert any(li.get("code_mapped") for li in rec["line_items"])
    found = [f for f in findings_from_rows(record_rows("d0", rec)) if f["rule_id"] == "items.hierarchy"]
    assert found == []


def test_at_least_seven_injected_errors_answered_by_findings_the_twin_lacks(findings):
    """Each change GovBudgetChecker's authors made (found by diffing the two files' text) and the finding that
    answers it; none of these findings is on the genuine twin."""
    bad, good = findings[MODIFIED], findings[GENUINE]
    fresh = bad[~bad.fingerprint.isin(good.fingerprint) & ~bad.rule_id.isin(set(good.rule_id))]
    answers = {
        # 1. 第二部分 heading "上海市普陀区XX局2024年度部门决算表" (p.7): the template's XX left in
        "placeholder": fresh[(fresh.rule_id == "text.placeholder") & (fresh.page == 7)],
        # 2. 支出决算表 (T03) removed from the body while the 目录 still lists it
        "removed table": fresh[fresh.rule_id.isin(["completeness.tables", "text.toc_tables"])],
        # 3. 第三部分 heading "…财政局2023年度部门决算情况说明" (p.18) in a 2024 决算
        "wrong year in heading": fresh[(fresh.rule_id == "text.fiscal_year") & (fresh.actual_value == 2023)],
        # 4. 收入支出总计 "0万元" against 2995.39 in 收入支出决算总表
        "zeroed total": fresh[(fresh.rule_id == "narrative_vs_table") & (fresh.actual_value == 0)],
        # 5.–7. "决算数小于预算数" flipped to 大于 (行政运行 1511.89 < 1560.05; 职业年金 80.38 < 80.81) and to 等于
        # (卫生健康 60.99 < 62.29)
        "flipped 1511.89": fresh[(fresh.rule_id == "compare.budget_word") & (fresh.actual_value == 1511.89)],
        "flipped 80.38": fresh[(fresh.rule_id == "compare.budget_word") & (fresh.actual_value == 80.38)],
        "flipped 60.99": fresh[(fresh.rule_id == "compare.budget_word") & (fresh.actual_value == 60.99)],
        # 8. 国有资产占有使用情况 "截至2023年12月31日" in the 2024 决算
        "wrong reporting date": fresh[(fresh.rule_id == "text.report_date") & (fresh.actual_value == 2023)],
    }
    answered = [k for k, rows in answers.items() if len(rows)]
    assert len(answered) >= 7, sorted(set(answers) - set(answered))
    assert (good.severity != "error").sum() <= 1  # the twin keeps only its own genuine 0.3 slip

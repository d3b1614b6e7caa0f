"""Families found on the batch-6 tuning documents (上海 budgets whose tables are in 元: 普陀 司法局/商务委/万里街道/区府办,
上海市福利彩票发行中心), as small synthetic grids and sentences: each test is for a layout or a phrasing, not for one file."""
from __future__ import annotations

from extractors.figures import extract_document
from tests.figures.helpers import doc_from_lines, table

BUDGET = "某某中心2026年单位预算。"
_HEAD = [["项目", "项目", "项目", "项目"], ["功能分类科目编码", "功能分类科目编码", "功能分类科目编码", "功能分类科目名称"],
         ["类", "款", "项", "功能分类科目名称"]]


def _rec(*tables, lines: tuple[str, ...] = ()) -> dict:
    return extract_document(doc_from_lines(BUDGET, *lines, tables=list(tables)))


def _fund_table(fund: str, body: list[list[str]], *, title: str, tid: str, page: int) -> object:
    head = [h + [fund] * 3 for h in _HEAD[:1]] + [_HEAD[1] + ["合计", "基本支出", "项目支出"],
                                                   _HEAD[2] + ["合计", "基本支出", "项目支出"]]
    return table(head + body, title=title, table_id=tid, unit="元", header_rows=3, page=page)


def test_budget_fund_table_headed_by_the_funds_spending_keeps_its_total_column():
    # 政府性基金预算支出 → 合计 | 基本支出 | 项目支出: no 本年支出 in the header, yet 合计 is the row's total
    t08 = _fund_table("政府性基金预算支出", [
        ["229", "", "", "其他支出", "215,020,000", "20,862,863", "194,157,137"],
        ["229", "08", "04", "福利彩票销售机构的业务费支出", "215,020,000", "20,862,863", "194,157,137"],
        ["合计", "合计", "合计", "合计", "215,020,000", "20,862,863", "194,157,137"]],
        title="2026年预算单位政府性基金预算支出功能分类预算表", tid="T08", page=3)
    rec = _rec(t08)
    got = {(li["code"], li["column"]): li["value"] for li in rec["line_items"] if li["table"] == "T08"}
    assert got[("229", "total")] == 21502.0 and got[("2290804", "total")] == 21502.0
    assert got[("229", "basic")] == 2086.29 and got[("229", "project")] == 19415.71
    assert rec["values"]["gf.expenditure"] == 21502.0


def test_final_accounts_fund_table_still_skips_its_carry_over_and_income_columns():
    rows = [["项目", "项目", "年初结转和结余", "本年收入", "本年支出", "本年支出", "本年支出", "年末结转和结余"],
            ["科目编码", "科目名称", "年初结转和结余", "本年收入", "小计", "基本支出", "项目支出", "年末结转和结余"],
            ["229", "其他支出", "5.00", "100.00", "90.00", "10.00", "80.00", "15.00"],
            ["合计", "合计", "5.00", "100.00", "90.00", "10.00", "80.00", "15.00"]]
    t08 = table(rows, title="政府性基金预算财政拨款收入支出决算表", table_id="T08", header_rows=2, page=3)
    rec = extract_document(doc_from_lines("某某局2024年度部门决算。", tables=[t08]))
    got = {(li["code"], li["column"]): li["value"] for li in rec["line_items"] if li["table"] == "T08"}
    assert got[("229", "total")] == 90.0 and rec["values"]["gf.expenditure"] == 90.0


def _empty_t05_t06() -> list:
    t05 = _fund_table("一般公共预算支出", [["", "", "", "", "", "", ""], ["合计", "合计", "合计", "合计", "", "", ""]],
                      title="2026年预算单位一般公共预算支出功能分类预算表", tid="T05", page=3)
    t06 = table([["项目", "项目", "项目", "一般公共预算基本支出", "一般公共预算基本支出", "一般公共预算基本支出"],
                 ["经济分类科目编码", "经济分类科目编码", "部门经济分类科目名称", "合计", "人员经费", "公用经费"],
                 ["类", "款", "部门经济分类科目名称", "合计", "人员经费", "公用经费"],
                 ["合计", "合计", "合计", "", "", ""]],
                title="2026年预算单位一般公共预算基本支出部门预算经济分类预算表", table_id="T06", unit="元",
                header_rows=3, page=4)
    return [t05, t06]


def test_blank_total_row_of_an_empty_table_is_zero_once_its_subject_is_stated_zero():
    rec = _rec(*_empty_t05_t06(), lines=("财政拨款支出预算中，一般公共预算拨款支出预算为0；政府性基金拨款支出预算21,502万元。",))
    v = rec["values"]
    assert v["gpb.expenditure"] == 0
    # 0 in all ⇒ 表5's blank 基本/项目 are 0 ⇒ 表8's blank 人员经费/公用经费 are 0 (a chain), each flagged blank
    assert (v["gpb.basic"], v["gpb.project"], v["gpb.personnel"], v["gpb.public"]) == (0, 0, 0, 0)
    assert all(f.get("blank") for f in rec["figures"] if f["metric"] in ("gpb.basic", "gpb.personnel"))


def test_blank_total_row_states_nothing_without_a_stated_zero():
    # an unfilled template: no statement that the subject is 0, so its blank cells stay absent
    v = _rec(*_empty_t05_t06(), lines=("一般公共预算拨款支出预算100万元。",))["values"]
    assert v["gpb.expenditure"] == 100.0
    assert not {"gpb.basic", "gpb.project", "gpb.personnel", "gpb.public"} & set(v)
    v2 = _rec(*_empty_t05_t06())["values"]
    assert not {"gpb.basic", "gpb.project", "gpb.personnel", "gpb.public"} & set(v2)


def test_no_change_of_another_funds_spending_is_not_the_sections_headline():
    # a 名词解释 item on 机关运行经费 opens an "admin" section that runs on into the 编制说明 (whose own title carries
    # no number): "国有资本经营…0万元，比上年预算持平" there is that fund's, never 机关运行经费's prior year
    v = extract_document(doc_from_lines("某某街道2023年部门预算。", "三、名词解释",
                    "（四）、机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。",
                    "部门预算编制说明",
                    "财政拨款支出预算中，一般公共预算拨款支出预算100万元，比2022年预算增加10万元；"
                    "国有资本经营预算拨款支出预算0万元，比2022年预算持平。",
                    "二、机关运行经费预算",
                    "2023年本部门下属1家机关财政拨款的机关运行经费预算为78.60万元。"))["values"]
    assert v["admin.operating_cost"] == 78.6 and v["soe.expenditure"] == 0
    assert "admin.operating_cost_prev" not in v
    # a part of the section's own subject still closes it: 公务接待费 flat ⇒ the 三公 total's prior year
    v2 = extract_document(doc_from_lines("某某街道2023年部门预算。", "一、2023年“三公”经费预算情况说明",
                                         "2023年“三公”经费预算数为40万元，其中：公务接待费预算40万元，与上年持平。"))
    assert v2["values"]["sangong.total_prev"] == 40

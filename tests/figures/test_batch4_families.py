"""Families found on the batch-4 tuning documents (重庆市政府办公厅 and 普陀区万里街道 预算, 普陀区规划和自然资源局
决算), as small synthetic grids and sentences: each test is for a layout or a phrasing, not for one file."""
from __future__ import annotations

from extractors.figures import extract_document
from schemas.document import Line
from tests.figures.helpers import doc_from_lines, table

BUDGET = "某某局2026年部门预算。"
FINAL = "某某局2024年度部门决算。"


def _rec(title: str, *tables, lines: tuple[str, ...] = ()) -> dict:
    return extract_document(doc_from_lines(title, *lines, tables=list(tables)))


def _items(rec: dict, table_id: str) -> dict:
    return {(li["code"], li["column"]): li["value"] for li in rec["line_items"] if li["table"] == table_id}


def test_class_table_prior_year_column_is_not_this_years_total():
    # 重庆 T05: "2025年预算数" printed before the 2026 block (总计 | 基本支出 小计/人员/公用 | 项目支出)
    t = table([["科目编码", "科目名称", "2025年预算数", "2026年预算数", "", "", "", ""],
               ["", "", "", "总计", "基本支出", "", "", "项目支出"],
               ["", "", "", "", "小计", "人员经费", "公用经费", ""],
               ["", "合计", "900.00", "1,000.00", "600.00", "500.00", "100.00", "400.00"],
               ["201", "一般公共服务支出", "900.00", "1,000.00", "600.00", "500.00", "100.00", "400.00"],
               ["2010301", "行政运行", "800.00", "600.00", "600.00", "500.00", "100.00", ""]],
              title="2026年一般公共预算支出情况表", table_id="T05", header_rows=3)
    rec = _rec(BUDGET, t)
    items = _items(rec, "T05")
    assert items[("201", "total")] == 1000.0 and items[("2010301", "total")] == 600.0
    assert items[("2010301", "basic")] == 600.0 and items[("201", "project")] == 400.0
    assert rec["values"]["gpb.expenditure"] == 1000.0
    # "上年预算数" names the prior year without a number
    t2 = table([["科目编码", "科目名称", "上年预算数", "合计", "基本支出", "项目支出"],
                ["201", "一般公共服务支出", "50.00", "70.00", "30.00", "40.00"]],
               title="2026年一般公共预算支出情况表", table_id="T05", header_rows=1)
    assert _items(_rec(BUDGET, t2), "T05")[("201", "total")] == 70.0


def test_class_table_total_row_alone_on_the_next_page_is_the_tables_total():
    # 普陀 T03 in 元: the 合计 row has no ruling on its own page, so the reader gives a text line, not a table row
    t = table([["类", "款", "项", "功能分类科目名称", "合计", "基本支出", "项目支出"],
               ["201", "", "", "一般公共服务支出", "3,296,600", "0", "3,296,600"],
               ["208", "", "", "社会保障和就业支出", "1,000,000", "1,000,000", "0"]],
              title="2025年部门支出预算总表", table_id="T03", unit="元", header_rows=1)
    doc = doc_from_lines("某某街道2025年部门预算。", tables=[t])
    doc.lines.append(Line(page=3, text="合计 4,296,600 1,000,000 3,296,600", raw="合计 4,296,600 1,000,000 3,296,600",
                          seq=99))
    v = extract_document(doc)["values"]
    assert (v["expenditure.total"], v["expenditure.basic"], v["expenditure.project"]) == (429.66, 100.0, 329.66)


def test_a_next_page_line_with_the_wrong_number_of_amounts_is_not_a_total_row():
    t = table([["类", "款", "项", "功能分类科目名称", "合计", "基本支出", "项目支出"],
               ["201", "", "", "一般公共服务支出", "3,296,600", "0", "3,296,600"]],
              title="2025年部门支出预算总表", table_id="T03", unit="元", header_rows=1)
    doc = doc_from_lines("某某街道2025年部门预算。", tables=[t])
    doc.lines.append(Line(page=3, text="合计 3,296,600", raw="合计 3,296,600", seq=99))
    assert "expenditure.basic" not in extract_document(doc)["values"]


def test_t06_printed_zero_in_the_personnel_cell_of_a_meeting_row_is_not_the_meeting_cost():
    # 普陀 元 template: every empty cell prints 0, so 30215 会议费 reads 30,000 | 0 | 30,000
    t = table([["类", "款", "经济分类科目名称", "合计", "人员经费", "公用经费"],
               ["302", "", "商品和服务支出", "113,000", "0", "113,000"],
               ["302", "15", "会议费", "30,000", "0", "30,000"],
               ["302", "16", "培训费", "83,000", "0", "83,000"],
               ["", "", "合计", "113,000", "0", "113,000"]],
              title="2025年部门一般公共预算基本支出部门预算经济分类预算表", table_id="T06", unit="元", header_rows=1)
    v = _rec("某某街道2025年部门预算。", t)["values"]
    assert (v["meeting.expenditure"], v["training.expenditure"]) == (3.0, 8.3)


def test_budget_phrasings_of_fund_kinds_reserved_procurement_and_the_appropriation_change():
    v = _rec("某某街道2025年部门预算。", lines=(
        "2025年，某某街道收入预算18,976.76万元，其中：财政拨款收入18,976.76万元，比2024年预算增加3,355.65万元；"
        "事业收入0.00万元。",
        "财政拨款支出预算中，一般公共预算拨款支出预算18,976.76万元，比2024年预算增加3,355.65万元；"
        "政府性基金拨款支出预算0.00万元，比2024年预算持平；国有资本经营拨款支出预算0.00万元。",
        "三、政府采购预算情况",
        "2025年本部门面向中小企业预留政府采购项目预算金额1928.48万元，其中，预留给小型和微型企业的政府采购项目预算为"
        "1349.94万元。"))["values"]
    assert v["gf.expenditure"] == 0 and v["soe.expenditure"] == 0
    assert (v["procurement.sme"], v["procurement.micro"]) == (1928.48, 1349.94)
    assert v["gpb.expenditure_prev"] == 15621.11


def test_appropriation_change_gives_the_prior_grand_total_only_when_it_is_the_grand_total():
    t = table([["项目", "预算数", "项目", "合计", "一般公共预算"],
               ["一、一般公共预算资金", "1,000.00", "一、一般公共服务支出", "1,000.00", "1,000.00"],
               ["收入总计", "1,000.00", "支出总计", "1,000.00", "1,000.00"]],
              title="2025年部门财政拨款收支预算总表", table_id="T04", header_rows=1)
    same = _rec(BUDGET, t, lines=("其中：财政拨款收入1,000.00万元，比2025年预算增加200.00万元。",))
    assert same["values"]["appropriation.grand_prev"] == 800.0
    assert any(f["metric"] == "appropriation.grand_prev" and f.get("derived") for f in same["figures"])
    other = _rec(BUDGET, t, lines=("其中：财政拨款收入900.00万元，比2025年预算增加200.00万元。",))
    assert "appropriation.grand_prev" not in other["values"]  # 900 is not the 1,000 total: its change says nothing
    # a qualified 财政拨款支出 ("“三公”经费财政拨款支出") stays the qualifier's
    v = _rec(FINAL, lines=("2024年度“三公”经费财政拨款支出决算数为0.39万元。",
                           "2024年度“三公”经费财政拨款支出决算数比2023年度减少0.15万元。"))["values"]
    assert v["sangong.total_prev"] == 0.54


def test_final_accounts_foreign_guests_and_self_evaluated_budget_amount():
    v = _rec(FINAL, lines=(
        "七、财政拨款“三公”经费支出决算情况说明",
        "公务接待费支出0.39万元。列明公务接待2批次、26人次，其中：接待外宾0批次、0人次。",
        "十、预算绩效管理情况",
        "编报绩效目标的2024年度项目39个，涉及预算金额4415.48万元；绩效自评的2024年度项目39个，涉及预算金额4415.48万元，"
        "平均得分99.33分。"))["values"]
    assert (v["sangong.reception_batches"], v["sangong.reception_persons"]) == (2, 26)
    assert (v["sangong.foreign_reception_batches"], v["sangong.foreign_reception_persons"]) == (0, 0)
    assert v["performance.projects_self_evaluated"] == 39 and v["performance.self_evaluated_amount"] == 4415.48


def test_t07_meeting_column_whose_header_caught_a_neighbours_last_character():
    # 陕西 三公及会议费、培训费 table: the vertical "因公出国（境）费" leaves its 费 in front of 会议费
    t = table([["单位名称", "2019年", "", "", "", ""],
               ["", "合计", "一般公共预算拨款安排的“三公”经费预算", "", "费会议费", "培训费"],
               ["", "", "小计", "公务接待费", "", ""],
               ["合计", "83.74", "28.38", "28.38", "19.06", "36.30"]],
              title="2019年部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表", table_id="T07",
              header_rows=3)
    v = _rec("某某局2019年部门预算。", t)["values"]
    assert (v["meeting.expenditure"], v["training.expenditure"], v["sangong.total"]) == (19.06, 36.3, 28.38)


def _shaanxi_t01(rows_extra: list[list[str]]) -> object:
    return table([["项目", "预算数", "部门预算支出经济分类科目（按大类）", "预算数"],
                  ["1、财政拨款", "1,000.00", "1、人员经费和公用经费支", "出600.00"],
                  ["（1）一般公共预算拨款收入", "1,000.00", "2、专项业务经费支出", "400.00"],
                  ["5、下级单位上缴收入", "", "", ""],
                  ["本年收入合计", "1,000.00", "本年支出合计", "1,000.00"],
                  ["用事业基金弥补收支差额", "", "结转下年", "50.00"],
                  *rows_extra,
                  ["收入总计", "1,050.00", "支出总计", "1,050.00"]], title="2019年部门综合预算收支总表", table_id="T01",
                 header_rows=1)


def test_shaanxi_t01_panel_labels_spilled_tails_and_account_balance_rows():
    # 上年实户资金余额 is part of 收入总计: with it the blank 用事业基金弥补收支差额 is proven 0
    rec = _rec("某某局2019年部门预算。", _shaanxi_t01([["上年实户资金余额", "40.00", "未安排支出的实户资金", ""],
                                                  ["上年结转", "10.00", "", ""]]))
    v = rec["values"]
    assert (v["expenditure.basic"], v["expenditure.project"]) == (600.0, 400.0)
    assert v["income.affiliated"] == 0 and v["income.use_of_reserves"] == 0
    assert not any(f["metric"].startswith("_") for f in rec["figures"])  # the 实户资金 rows are no metric
    # without the balance row the printed parts fall short of 收入总计: the blank proves nothing
    v2 = _rec("某某局2019年部门预算。", _shaanxi_t01([["上年结转", "10.00", "", ""]]))["values"]
    assert "income.use_of_reserves" not in v2


def test_empty_fund_table_explained_by_its_note_or_the_catalogue_is_zero():
    gf = table([["科目编码", "科目名称", "总计", "基本支出", "项目支出"], ["", "合计", "", "", ""]],
               title="2026年政府性基金预算支出情况表", table_id="T08", page=3, header_rows=1)
    gf.notes = ["备注：本单位无政府性基金预算安排的支出，故此表无数据"]
    assert _rec(BUDGET, gf)["values"]["gf.expenditure"] == 0
    silent = table([["科目编码", "科目名称", "总计"], ["", "合计", ""]], title="2026年政府性基金预算支出情况表",
                   table_id="T08", page=3, header_rows=1)
    silent.notes = ["注：本表无数据"]
    assert "gf.expenditure" not in _rec(BUDGET, silent)["values"]  # the note does not say why
    silent.notes = ["无政府性基金预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明："]
    assert "gf.expenditure" not in _rec(BUDGET, silent)["values"]  # the template's instruction, a condition
    catalogue = table([["报表", "报表名称", "是否空表", "公开空表理由"],
                       ["表9", "2019年部门综合预算政府性基金收支表", "是", "本单位无政府性基金预算"],
                       ["表10", "2019年部门综合预算专项业务经费支出表", "否", ""]], page=2)
    empty = table([["科目编码", "科目名称", "合计"], ["", "合计", ""]], title="2019年部门综合预算政府性基金收支总表",
                  table_id="T08", page=24, header_rows=1)
    v = _rec("某某局2019年部门预算。", catalogue, empty)["values"]
    assert v["gf.expenditure"] == 0 and "soe.expenditure" not in v


def test_budget_procurement_table_total_and_kinds():
    cq = table([["项目编号", "项目", "总计", "一般公共预算拨款收入", "事业收入"],
                ["合计", "合计", "4,542.69", "4,542.69", ""],
                ["A", "货物", "110.00", "110.00", ""],
                ["C", "服务", "4,432.69", "4,432.69", ""]], title="2026年政府采购预算明细表", header_rows=1)
    v = _rec(BUDGET, cq)["values"]
    assert (v["procurement.total"], v["procurement.goods"], v["procurement.services"]) == (4542.69, 110.0, 4432.69)
    assert "procurement.works" not in v  # no 工程 row printed
    items = table([["类", "款", "项", "采购项目", "数量", "预算金额"],
                   ["", "", "", "合计", "86", "192.13"],
                   ["224", "01", "06", "事故应急救援", "1", "59.80"]],
                  title="2019年部门综合预算政府采购（资产配置、购买服务）预算表", header_rows=1)
    assert _rec("某某局2019年部门预算。", items)["values"]["procurement.total"] == 192.13
    assert "procurement.total" not in _rec(FINAL, items)["values"]  # budgets only


def test_procurement_items_after_a_fund_scoped_qizhong_are_not_the_departments():
    # 重庆: the GPB share repeats the items with 0 — they must not stand beside the table's department figures
    rec = _rec(BUDGET, lines=("（二）政府采购情况。所属各预算单位政府采购预算总额947万元：政府采购货物预算47万元、政府采购工程预算"
                              "0万元、政府采购服务预算900万元；其中一般公共预算拨款政府采购0万元：政府采购货物预算0万元、"
                              "政府采购工程预算0万元、政府采购服务预算0万元。",))
    goods = [f["value"] for f in rec["figures"] if f["metric"] == "procurement.goods"]
    assert goods == [47.0] and rec["values"]["procurement.services"] == 900.0

"""A 部门预算 (budget) in the style of the 2026 municipal templates (深圳/重庆/北京): narrative first, then the
seven required tables: 收支总表, 收入总表, a 支出总表 that lists units by 单位编码 instead of function codes,
财政拨款收支总表, 一般公共预算支出表, 一般公共预算基本支出表 (amounts headed 预算数) and a 三公 table with one
row per year whose first row is the prior year.

The unit model's figures are read as the budget year's: what a 决算 reports as spent, this document plans. It
renders issue 12's budget families: unit-coded 支出总表 totals, the prior-year-first 三公 table, prior years
stated only as a change (derived), vehicles held at 截至(上年)12月31日 beside vehicles to be bought, and the
procurement reservations for SMEs. Not in the default template rotation: ask for it by name.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ..content import Doc, TableSpec, amt, change_clause
from ..model import ZERO, UnitModel, wan
from ..tables import TableBuilder, TableStyle

NAME = "budget"
# the seven tables every 部门预算 must print (coverage and the completeness rule require T01–T07, as for a 决算)
TITLES = {"T01": "部门收支总表", "T02": "部门收入总表", "T03": "部门支出总表", "T04": "财政拨款收支总表",
          "T05": "一般公共预算支出表", "T06": "一般公共预算基本支出表", "T07": "一般公共预算“三公”经费支出表"}
_INCOME = [("一、一般公共预算拨款收入", "income.gpb_appropriation"), ("二、政府性基金预算拨款收入", "income.gf_appropriation"),
           ("三、国有资本经营预算拨款收入", "income.soe_appropriation"), ("四、事业收入", "income.business"),
           ("五、上级补助收入", "income.superior_subsidy"), ("六、附属单位上缴收入", "income.affiliated"),
           ("七、事业单位经营收入", "income.operating"), ("八、其他收入", "income.other")]


class BudgetTables(TableBuilder):
    def t01(self) -> TableSpec:
        classes = [(label, total) for label, _, total, _, _ in self._class_rows() if total]
        left = [(label, self.tv(metric)) for label, metric in _INCOME]
        left += [("本年收入合计", self.tv("income.total")), ("上年结转结余", self.tv("income.carryover_begin"))]
        right = [(name, self.fmt(total)) for name, total in classes]
        right += [("本年支出合计", self.tv("expenditure.total")), ("年终结转结余", self.tv("expenditure.carryover_end"))]
        n = max(len(left), len(right))
        left += [("", "")] * (n - len(left))
        right += [("", "")] * (n - len(right))
        body = [[a, x, b, y] for (a, x), (b, y) in zip(left, right)]
        body.append(["收入总计", self.tv("total.grand"), "支出总计", self.fmt(self.doc.true("total.grand"))])
        header = [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]]
        return self.spec("T01", header, body, spans=[(0, 0, 1, 0), (2, 0, 3, 0)], col_widths=[30, 14, 30, 14],
                         numeric_from=1, text_cols=(2,))

    def t03(self) -> TableSpec:
        m = self.m
        row = [self.tv("expenditure.total"), self.tv("expenditure.basic"), self.tv("expenditure.project")]
        own = [self.fmt(self.doc.true(k)) for k in ("expenditure.total", "expenditure.basic", "expenditure.project")]
        body = [["", "合计"] + row, [_unit_code(m), f"{m.unit_name}（本级）"] + own]
        header = [["单位编码", "单位名称", "合计", "基本支出", "项目支出"]]
        return self.spec("T03", header, body, col_widths=[12, 36, 16, 16, 16])

    def t04(self) -> TableSpec:
        return _planned(super().t04())

    def t06(self) -> TableSpec:
        return _planned(super().t06())

    def t07(self) -> TableSpec:
        y = self.m.fiscal_year
        keys = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")
        current = [self.tv(f"sangong.{k}", blank_zero=False) for k in keys]
        prior = [self.fmt(v, blank_zero=False) for v in _prior_split(self.m, self.doc.values["sangong.total_prev"])]
        header = [["年度", "合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"],
                  ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费", ""]]
        spans = [(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 2, 1), (3, 0, 5, 0), (6, 0, 6, 1)]
        body = [[f"{y - 1}年预算数"] + prior, [f"{y}年预算数"] + current]
        return self.spec("T07", header, body, spans=spans, col_widths=[16] + [12] * 6, numeric_from=1)


def _planned(spec: TableSpec) -> TableSpec:
    """The 决算 layout's amount columns headed as a budget prints them (预算数, not 决算数)."""
    return replace(spec, header=[[c.replace("决算数", "预算数") for c in row] for row in spec.header])


def _unit_code(model: UnitModel) -> str:
    return f"{300 + sum(map(ord, model.unit_name)) % 600:03d}001"


def _prior_split(model: UnitModel, prior_total: Decimal) -> list[Decimal]:
    """The prior year's row: the printed total split like this year's components (the document prints them;
    they are no metric of this year)."""
    s = model.sangong
    if not s["total"]:
        return [wan(prior_total), wan(prior_total), ZERO, ZERO, ZERO, ZERO]
    share = prior_total / s["total"]
    abroad, purchase = wan(s["abroad"] * share), wan(s["vehicle_purchase"] * share)
    operation = wan(s["vehicle_operation"] * share)
    reception = wan(prior_total) - abroad - purchase - operation
    return [wan(prior_total), abroad, purchase + operation, purchase, operation, reception]


def build(model: UnitModel) -> Doc:
    doc = Doc(model)
    doc.kind = "budget"
    y, name = model.fiscal_year, model.unit_name
    doc.cover(f"{name}{y}年部门预算")
    doc.heading("第一部分 部门概况")
    doc.para(f"{name}主要职责是贯彻落实上级决策部署，承担本行业的管理和服务工作。")
    doc.heading(f"第二部分 {y}年部门预算情况说明")
    doc.heading("一、收支预算总体情况", 2)
    doc.para(f"{name}{y}年收支总预算{amt(doc.narr('total.grand'))}万元。")
    doc.heading("二、收入预算情况", 2)
    parts = "，".join(f"{label[2:]}{amt(doc.narr(metric))}万元" for label, metric in _INCOME if doc.true(metric))
    doc.para(f"{y}年收入预算{amt(doc.narr('income.total'))}万元，其中：{parts}。")
    doc.heading("三、支出预算情况", 2)
    doc.para(f"{y}年支出预算{amt(doc.narr('expenditure.total'))}万元，其中：基本支出{amt(doc.narr('expenditure.basic'))}"
             f"万元，项目支出{amt(doc.narr('expenditure.project'))}万元。")
    doc.heading("四、财政拨款“三公”经费预算情况", 2)
    total, prev = doc.narr("sangong.total"), doc.narr("sangong.total_prev")
    doc.derived("sangong.total_prev")  # the narrative gives only the change
    clause, _, _ = change_clause(total, prev)
    doc.para(f"{y}年“三公”经费财政拨款预算{amt(total)}万元，比上年{clause}。其中：因公出国（境）费预算"
             f"{amt(doc.narr('sangong.abroad'))}万元；公务用车购置及运行维护费预算{amt(doc.narr('sangong.vehicle'))}万元，"
             f"其中公务用车购置费预算{amt(doc.narr('sangong.vehicle_purchase'))}万元、公务用车运行维护费预算"
             f"{amt(doc.narr('sangong.vehicle_operation'))}万元；公务接待费预算{amt(doc.narr('sangong.reception'))}万元。")
    doc.heading("五、其他重要事项的情况说明", 2)
    if doc.true("admin.operating_cost"):
        cost, cost_prev = doc.narr("admin.operating_cost"), doc.narr("admin.operating_cost_prev")
        doc.derived("admin.operating_cost_prev")
        clause, _, _ = change_clause(cost, cost_prev)
        doc.para(f"（一）机关运行经费：{y}年机关运行经费财政拨款预算{amt(cost)}万元，比上年{clause}。")
    doc.para(f"（二）政府采购：{y}年政府采购预算总额{amt(doc.narr('procurement.total'))}万元，其中：政府采购货物预算"
             f"{amt(doc.narr('procurement.goods'))}万元、政府采购工程预算{amt(doc.narr('procurement.works'))}万元、"
             f"政府采购服务预算{amt(doc.narr('procurement.services'))}万元。面向中小企业预留采购份额"
             f"{amt(doc.narr('procurement.sme'))}万元，其中预留给小微企业{amt(doc.narr('procurement.micro'))}万元。")
    buy = doc.narr("sangong.vehicles_purchased")
    doc.para(f"（三）国有资产占用情况：截至{y - 1}年12月31日，本部门共有车辆{doc.narr('assets.vehicles')}辆，"
             f"单价100万元以上专用设备{doc.narr('assets.special_equipment_100w')}台（套）。{y}年计划购置车辆{buy}辆。")
    doc.heading(f"第三部分 {y}年部门预算表")
    style = TableStyle(titles={**TableStyle().titles, **TITLES}, tables=tuple(sorted(TITLES)))
    for spec in BudgetTables(doc, style).build():
        doc.table(spec)
    return doc

"""Guangdong style (like 佛山 2019): 表1–表8 with 行次 and a 栏次 row, "部门：… 金额单位：万元", 0.00 printed."""
from __future__ import annotations

from .. import narrative as n
from ..content import Doc
from ..model import UnitModel
from ..tables import TableBuilder, TableStyle

NAME = "guangdong"
TABLES = ("T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08")  # no 国有资本经营 table, as in 佛山 2019


def build(model: UnitModel) -> Doc:
    doc = Doc(model)
    y, name, v = model.fiscal_year, model.unit_name, NAME
    doc.cover(f"{y}年{name}部门决算")
    doc.heading("目  录")
    for line in (f"第一部分 {name}概况", f"第二部分 {name}{y}年部门决算表", f"第三部分 {name}{y}年部门决算情况说明",
                 "第四部分 名词解释"):
        doc.para(line)
    doc.pagebreak()
    doc.heading(f"第一部分 {name}概况")
    doc.heading("（一）部门主要职责", 2)
    n.duties(doc)
    doc.heading("（二）部门决算单位构成", 2)
    doc.para("我部门没有下属单位，按照部门决算编报要求，单独编制本部门决算。")
    n.overview_staff(doc, v)
    doc.pagebreak()
    doc.heading(f"第二部分 {name}{y}年部门决算表")
    style = TableStyle(codes={t: f"表{i}" for i, t in enumerate(TABLES, start=1)}, org_label="部门",
                       unit_label="金额单位", blank_zero=False, line_numbers=True, notes=False, tables=TABLES)
    for spec in TableBuilder(doc, style).build():
        doc.table(spec)
    doc.heading(f"第三部分 {name}{y}年部门决算情况说明")
    sections = [
        ("一、收入支出决算总体情况说明", lambda: n.grand_total(doc, v)),
        ("二、收入决算情况说明", lambda: n.income(doc, v)),
        ("三、支出决算情况说明", lambda: n.expenditure(doc, v)),
        ("四、财政拨款收入支出决算总体情况说明", lambda: n.grand_total(doc, v, appropriation=True)),
        ("五、一般公共预算财政拨款支出决算情况说明", lambda: (n.gpb_overall(doc, v), n.gpb_structure(doc, v),
                                               n.gpb_items(doc, v))),
        ("六、一般公共预算财政拨款基本支出决算情况说明", lambda: n.basic(doc, v)),
        ("七、一般公共预算财政拨款“三公”经费支出决算情况说明", lambda: n.sangong(doc, v)),
        ("八、政府性基金预算财政拨款支出决算情况说明", lambda: n.funds(doc, v)),
        ("九、机关运行经费支出情况说明", lambda: n.admin_cost(doc, v)),
        ("十、政府采购支出情况说明", lambda: n.procurement(doc, v)),
        ("十一、国有资产占用情况说明", lambda: n.assets(doc, v)),
        ("十二、预算绩效情况说明", lambda: n.performance(doc, v)),
    ]
    for title, body in sections:
        doc.heading(title, 2)
        body()
    doc.heading("第四部分 名词解释")
    n.glossary(doc)
    return doc

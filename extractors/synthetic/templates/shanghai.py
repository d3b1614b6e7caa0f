"""Shanghai style (like 普陀区 决算): 概况 → the nine tables → 情况说明 → 名词解释; zero cells left blank."""
from __future__ import annotations

from .. import narrative as n
from ..content import Doc, amt
from ..model import UnitModel
from ..tables import TableBuilder, TableStyle

NAME = "shanghai"
TITLES = {"T07": "财政拨款“三公”经费支出决算表", "T09": "国有资本经营预算财政拨款收入支出决算表"}


def build(model: UnitModel) -> Doc:
    doc = Doc(model)
    y, name, v = model.fiscal_year, model.unit_name, NAME
    doc.cover(name, f"{y}年度", "部门决算")
    doc.heading("目  录")
    for line in (f"第一部分 {name}概况", f"第二部分 {name}{y}年度部门决算表", f"第三部分 {name}{y}年度部门决算情况说明",
                 "第四部分 名词解释"):
        doc.para(line)
    doc.pagebreak()
    doc.heading(f"第一部分 {name}概况")
    doc.heading("一、主要职能", 2)
    n.duties(doc)
    doc.heading("二、部门决算单位构成", 2)
    doc.para(f"从预算单位构成看，{name}部门决算包括：{name}本级决算。纳入{name}{y}年度部门决算编制范围的单位为{name}（本级）。")
    n.overview_staff(doc, v)
    doc.pagebreak()
    doc.heading(f"第二部分 {name}{y}年度部门决算表")
    style = TableStyle(titles={**TableStyle().titles, **TITLES}, blank_zero=True)
    for spec in TableBuilder(doc, style).build():
        doc.table(spec)
    doc.heading(f"第三部分 {name}{y}年度部门决算情况说明")
    sections = [
        ("一、收入支出决算总体情况说明", lambda: n.grand_total(doc, v)),
        ("二、收入决算情况说明", lambda: n.income(doc, v)),
        ("三、支出决算情况说明", lambda: n.expenditure(doc, v)),
        ("四、财政拨款收入支出决算总体情况说明", lambda: n.grand_total(doc, v, appropriation=True)),
        ("五、一般公共预算财政拨款支出决算情况说明", lambda: n.gpb_sections(doc, NAME)),
        ("六、一般公共预算财政拨款基本支出决算情况说明", lambda: n.basic(doc, v)),
        ("七、财政拨款“三公”经费支出决算情况说明", lambda: _sangong(doc)),
        ("八、政府性基金预算财政拨款收入支出决算情况说明及国有资本经营预算财政拨款收入支出决算情况说明",
         lambda: n.funds(doc, v)),
        ("九、预算绩效管理情况", lambda: n.performance(doc, v)),
        ("十、其他重要事项说明", lambda: _other(doc)),
    ]
    for title, body in sections:
        doc.heading(title, 2)
        body()
    doc.heading("第四部分 名词解释")
    n.glossary(doc)
    return doc


def _sangong(doc: Doc) -> None:
    n.sangong(doc, NAME)
    meeting, training = doc.narr("meeting.expenditure"), doc.narr("training.expenditure")
    doc.para(f"{doc.model.fiscal_year}年度本部门会议费支出{amt(meeting)}万元，培训费支出{amt(training)}万元。")


def _other(doc: Doc) -> None:
    for title, fn in (("（一）机关运行经费情况", n.admin_cost), ("（二）政府采购支出情况", n.procurement),
                      ("（三）国有资产占用情况", n.assets)):
        doc.heading(title, 3)
        fn(doc, NAME)

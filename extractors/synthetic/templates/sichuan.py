"""Sichuan style (like the 内江 seed): narrative first — 部门概况, 决算情况说明 (一…十), 名词解释 — tables as 附表."""
from __future__ import annotations

from .. import narrative as n
from ..content import Doc
from ..model import UnitModel
from ..tables import TableBuilder, TableStyle

NAME = "sichuan"
TITLES = {"T07": "财政拨款“三公”经费支出决算表"}


def build(model: UnitModel) -> Doc:
    doc = Doc(model)
    y, name, v = model.fiscal_year, model.unit_name, NAME
    doc.cover(model.province + name, f"{y}年度", "部门决算编制说明")
    doc.heading("目  录")
    for line in ("第一部分 部门概况", f"第二部分 {y}年度部门决算情况说明", "第三部分 名词解释", "第四部分 附表"):
        doc.para(line)
    doc.pagebreak()
    doc.heading("第一部分 部门概况")
    doc.heading("一、部门职责", 2)
    doc.heading("（一）主要职能。", 3)
    n.duties(doc)
    doc.heading("二、机构设置", 2)
    n.overview_staff(doc, v)
    doc.para(f"纳入{name}{y}年度部门决算编制范围的单位为本级。")
    doc.heading(f"第二部分 {y}年度部门决算情况说明")
    sections = [
        ("一、收入支出决算总体情况说明", lambda: n.grand_total(doc, v)),
        ("二、收入决算情况说明", lambda: n.income(doc, v)),
        ("三、支出决算情况说明", lambda: n.expenditure(doc, v)),
        ("四、财政拨款收入支出决算总体情况说明", lambda: n.grand_total(doc, v, appropriation=True)),
        ("五、一般公共预算财政拨款支出决算情况说明", lambda: n.gpb_sections(doc, NAME)),
        ("六、一般公共预算财政拨款基本支出决算情况说明", lambda: n.basic(doc, v)),
        ("七、财政拨款“三公”经费支出决算情况说明", lambda: n.sangong(doc, v)),
        ("八、政府性基金预算支出决算情况说明", lambda: n.funds(doc, v)),
        ("九、其他重要事项的情况说明", lambda: _other(doc)),
    ]
    for title, body in sections:
        doc.heading(title, 2)
        body()
    doc.heading("第三部分 名词解释")
    n.glossary(doc)
    doc.heading("第四部分 附表")
    for spec in TableBuilder(doc, TableStyle(titles={**TableStyle().titles, **TITLES}, codeless=("T03",))).build():
        doc.table(spec)
    return doc


def _other(doc: Doc) -> None:
    for title, fn in (("（一）机关运行经费支出情况", n.admin_cost), ("（二）政府采购支出情况", n.procurement),
                      ("（三）国有资产占有使用情况", n.assets), ("（四）预算绩效管理情况", n.performance)):
        doc.heading(title, 3)
        fn(doc, NAME)

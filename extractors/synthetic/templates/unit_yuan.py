"""A 单位决算 (scope "unit") whose tables are in 元 with thousands separators while the narrative stays in 万元."""
from __future__ import annotations

from .. import narrative as n
from ..content import Doc
from ..model import UnitModel
from ..tables import TableBuilder, TableStyle

NAME = "unit_yuan"
TITLES = {"T01": "收支决算总表", "T02": "收入决算表", "T03": "支出决算表", "T04": "财政拨款收支决算总表",
          "T05": "一般公共预算支出决算表", "T06": "基本支出决算表", "T07": "三公经费支出决算表", "T08": "政府性基金决算表",
          "T09": "国有资本经营预算财政拨款支出决算表"}


def build(model: UnitModel) -> Doc:
    doc = Doc(model, unit="元")
    y, name, v = model.fiscal_year, model.unit_name, NAME
    doc.cover(name, f"{y}年度单位决算")
    doc.heading(f"第一部分 {name}单位概况")
    doc.heading("一、单位主要职责", 2)
    n.duties(doc)
    doc.heading("二、单位人员情况", 2)
    n.overview_staff(doc, v)
    doc.heading(f"第二部分 {name}{y}年度单位决算情况说明")
    doc.para("（本部分金额单位为万元，所附决算表金额单位为元。）")
    sections = [
        ("一、收入支出决算总体情况", lambda: n.grand_total(doc, v)),
        ("二、收入决算情况", lambda: n.income(doc, v)),
        ("三、支出决算情况", lambda: n.expenditure(doc, v)),
        ("四、财政拨款收入支出决算总体情况", lambda: n.grand_total(doc, v, appropriation=True)),
        ("五、一般公共预算财政拨款支出决算情况", lambda: (n.gpb_overall(doc, v), n.gpb_items(doc, v))),
        ("六、一般公共预算财政拨款基本支出决算情况", lambda: n.basic(doc, v)),
        ("七、“三公”经费支出决算情况", lambda: n.sangong(doc, v)),
        ("八、政府性基金和国有资本经营预算支出决算情况", lambda: n.funds(doc, v)),
        ("九、机关运行经费", lambda: n.admin_cost(doc, v)),
        ("十、政府采购情况", lambda: n.procurement(doc, v)),
        ("十一、国有资产占用情况", lambda: n.assets(doc, v)),
        ("十二、绩效自评情况", lambda: n.performance(doc, v)),
    ]
    for title, body in sections:
        doc.heading(title, 2)
        body()
    doc.heading("第三部分 名词解释")
    n.glossary(doc)
    doc.heading(f"第四部分 {name}{y}年度单位决算表")
    style = TableStyle(titles=TITLES, org_label="单位名称", unit="元", thousands=True, blank_zero=True, notes=False)
    for spec in TableBuilder(doc, style).build():
        doc.table(spec)
    return doc

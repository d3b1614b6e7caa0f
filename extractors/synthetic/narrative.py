"""Narrative sections of a 决算说明, with per-region phrasing variants (``v`` is the template name).

Derived numbers in a sentence (changes, shares) are computed from the numbers printed in that same sentence,
so a planted anomaly breaks exactly one check.
"""
from __future__ import annotations

from .codes import FUNCTION_NAMES
from .content import Doc, amt, change_clause, share

INCOME_PARTS = [("一般公共预算财政拨款收入", "income.gpb_appropriation"), ("政府性基金预算财政拨款收入", "income.gf_appropriation"),
                ("国有资本经营预算财政拨款收入", "income.soe_appropriation"), ("上级补助收入", "income.superior_subsidy"),
                ("事业收入", "income.business"), ("经营收入", "income.operating"),
                ("附属单位上缴收入", "income.affiliated"), ("其他收入", "income.other")]


def overview_staff(doc: Doc, v: str) -> None:
    authorized, actual = doc.narr("staff.authorized"), doc.narr("staff.actual")
    temporary, retired = doc.narr("staff.temporary"), doc.narr("staff.retired")
    year = doc.model.fiscal_year
    if v == "shanghai":
        doc.para(f"截至{year}年末，本部门编制{authorized}人，实有人数{actual}人，退休人员{retired}人，临聘人员{temporary}人。")
    elif v == "guangdong":
        doc.para(f"本部门核定编制{authorized}名，年末实有人员{actual}人；另有临聘人员{temporary}人，退休人员{retired}人。")
    elif v == "unit_yuan":
        doc.para(f"本单位编制人数{authorized}人，实有人数{actual}人，其中在职人员{actual}人、退休人员{retired}人；另有编外临聘人员{temporary}人。")
    else:
        doc.para(f"截至{year}年末，{doc.model.unit_name}总编制为{authorized}名，在编人员{actual}人，临聘人员{temporary}人，退休人员{retired}人。")


def grand_total(doc: Doc, v: str, appropriation: bool = False) -> None:
    y, p = doc.model.fiscal_year, doc.model.fiscal_year - 1
    metric = "appropriation.grand" if appropriation else "total.grand"
    cur, prev = doc.narr(metric), doc.narr(f"{metric}_prev")
    label = "财政拨款收、支总计" if appropriation else "收、支总计"
    clause, _, _ = change_clause(cur, prev)
    if v == "shanghai":
        label = "财政拨款收入支出总计" if appropriation else "收入支出总计"
        doc.para(f"{doc.model.unit_name}{y}年度{label}{amt(cur)}万元。与{p}年度决算数{amt(prev)}万元相比，{label}{clause}。主要原因是{_reason(doc)}。")
    elif v == "guangdong":
        doc.para(f"{y}年度{label}均为{amt(cur)}万元，上年{label}为{amt(prev)}万元，比上年{clause}。主要原因是{_reason(doc)}。")
    elif v == "unit_yuan":
        label = "财政拨款收入总计" if appropriation else "收入总计"
        doc.para(f"本单位{y}年度{label}{amt(cur)}万元，上年{label}{amt(prev)}万元，比上年{clause}。支出总计与收入总计相等。")
    else:
        doc.para(f"{y}年度{label}均为{amt(cur)}万元。{p}年度{label}{amt(prev)}万元，与{p}年度相比，{label}各{clause}，主要变动原因是{_reason(doc)}。")


def _reason(doc: Doc) -> str:
    return "人员变动及项目安排调整" if doc.model.fiscal_year % 2 else "本年度部分专项工作任务增加"


def income(doc: Doc, v: str) -> None:
    y = doc.model.fiscal_year
    total = doc.narr("income.total")
    parts = []
    for label, metric in INCOME_PARTS:
        value = doc.true(metric)
        if value or v == "sichuan":
            parts.append(f"{label}{amt(doc.narr(metric))}万元，占{share(value, total)}")
    lead = f"{y}年度本年收入合计" if v != "shanghai" else "本年收入合计"
    doc.para(f"{lead}{amt(total)}万元，其中：" + "；".join(parts) + "。")


def expenditure(doc: Doc, v: str) -> None:
    y = doc.model.fiscal_year
    total, basic, project = doc.narr("expenditure.total"), doc.narr("expenditure.basic"), doc.narr("expenditure.project")
    text = f"{y}年度本年支出合计{amt(total)}万元，其中：基本支出{amt(basic)}万元，占{share(basic, total)}；项目支出{amt(project)}万元，占{share(project, total)}"
    if v == "sichuan":
        for label, metric in (("上缴上级支出", "expenditure.remit_superior"), ("经营支出", "expenditure.operating"),
                              ("对附属单位补助支出", "expenditure.affiliated_subsidy")):
            value = doc.narr(metric)
            text += f"；{label}{amt(value)}万元，占{share(value, total)}"
    doc.para(text + "。")


def gpb_overall(doc: Doc, v: str) -> None:
    y, p = doc.model.fiscal_year, doc.model.fiscal_year - 1
    cur, prev = doc.narr("gpb.expenditure"), doc.narr("gpb.expenditure_prev")
    doc.derived("gpb.expenditure_prev")  # only the change is printed
    clause, _, _ = change_clause(cur, prev)
    exp_total = doc.true("expenditure.total")
    doc.para(f"{y}年度一般公共预算财政拨款支出{amt(cur)}万元，占本年支出合计的{share(cur, exp_total)}。与{p}年度相比，一般公共预算财政拨款支出{clause}，主要变动原因是{_reason(doc)}。")


def gpb_structure(doc: Doc, v: str) -> None:
    total = doc.true("gpb.expenditure")
    parts = [f"{FUNCTION_NAMES[code]}{'（类）' if v == 'shanghai' else ''}{amt(cols['gpb_total'])}万元，占{share(cols['gpb_total'], total)}"
             for code, cols in doc.model.rows(lambda r: r.gpb_total > 0) if len(code) == 3]
    doc.para(f"{doc.model.fiscal_year}年度一般公共预算财政拨款支出{amt(total)}万元，主要用于以下方面：" + "；".join(parts) + "。")


def gpb_items(doc: Doc, v: str) -> None:
    budget, completion = doc.narr("gpb.budget"), doc.narr("gpb.completion_pct")
    spent = doc.true("gpb.expenditure")
    if v == "sichuan":
        doc.para(f"{doc.model.fiscal_year}年一般公共预算支出年初预算为{amt(budget)}万元，决算数为{amt(spent)}万元，完成预算{completion:.2f}%。其中：")
    else:
        doc.para(f"一般公共预算财政拨款支出年初预算为{amt(budget)}万元，支出决算为{amt(spent)}万元，完成年初预算的{completion:.2f}%。其中：")
    for n, item in enumerate((i for i in doc.model.items if i.gpb_total > 0), start=1):
        cls, kuan = FUNCTION_NAMES[item.code[:3]], FUNCTION_NAMES[item.code[:5]]
        done = share(item.gpb_total, item.budget)
        why = "严格执行预算" if item.gpb_total == item.budget else "厉行节约，严格控制支出"
        relation = "等于" if item.gpb_total == item.budget else "小于"
        doc.para(f"{n}.{cls}（类）{kuan}（款）{item.name}（项）：年初预算为{amt(item.budget)}万元，支出决算为{amt(item.gpb_total)}万元，完成预算{done}，决算数{relation}预算数的主要原因是{why}。")


def basic(doc: Doc, v: str) -> None:
    total, personnel, public = doc.narr("gpb.basic"), doc.narr("gpb.personnel"), doc.narr("gpb.public")
    doc.para(f"{doc.model.fiscal_year}年度一般公共预算财政拨款基本支出{amt(total)}万元，其中：")
    doc.para(f"人员经费{amt(personnel)}万元，主要包括：基本工资、津贴补贴、奖金、绩效工资、机关事业单位基本养老保险缴费、职业年金缴费、职工基本医疗保险缴费、住房公积金、退休费等。")
    doc.para(f"公用经费{amt(public)}万元，主要包括：办公费、水费、电费、邮电费、物业管理费、差旅费、维修（护）费、会议费、培训费、公务接待费、劳务费、工会经费、福利费、公务用车运行维护费、其他交通费用、办公设备购置等。")


def sangong(doc: Doc, v: str) -> None:
    y, p = doc.model.fiscal_year, doc.model.fiscal_year - 1
    total, budget, done = doc.narr("sangong.total"), doc.narr("sangong.budget"), doc.narr("sangong.completion_pct")
    prev = doc.narr("sangong.total_prev")
    clause, _, _ = change_clause(total, prev)
    if v == "guangdong":
        doc.derived("sangong.total_prev")  # only the change is printed
        doc.para(f"{y}年度“三公”经费财政拨款支出决算为{amt(total)}万元，完成预算{done:.2f}%，比上年{clause}。")
    elif v == "unit_yuan":
        doc.para(f"本单位{y}年度三公经费支出{amt(total)}万元，年初预算{amt(budget)}万元，完成预算的{done:.2f}%。上年三公经费支出{amt(prev)}万元，{clause}。")
    else:
        relation = "小于" if total < budget else ("大于" if total > budget else "等于")
        doc.para(f"{y}年度“三公”经费财政拨款支出预算为{amt(budget)}万元，支出决算为{amt(total)}万元，完成预算的{done:.2f}%。决算数{relation}预算数的主要原因是厉行节约，严格控制“三公”经费支出。")
        doc.para(f"与{p}年度决算数相比，上年支出{amt(prev)}万元，{clause}。")
    abroad, vehicle, reception = doc.narr("sangong.abroad"), doc.narr("sangong.vehicle"), doc.narr("sangong.reception")
    doc.para(f"{y}年度“三公”经费财政拨款支出决算中，因公出国（境）费支出决算{amt(abroad)}万元，占{share(abroad, total)}；公务用车购置及运行维护费支出决算{amt(vehicle)}万元，占{share(vehicle, total)}；公务接待费支出决算{amt(reception)}万元，占{share(reception, total)}。具体情况如下：")
    groups, persons = doc.narr("sangong.abroad_groups"), doc.narr("sangong.abroad_persons")
    doc.para(f"1.因公出国（境）经费支出{amt(abroad)}万元，全年安排因公出国（境）团组{groups}个，出国（境）{persons}人次。")
    purchase, operation = doc.narr("sangong.vehicle_purchase"), doc.narr("sangong.vehicle_operation")
    bought, held = doc.narr("sangong.vehicles_purchased"), doc.narr("sangong.vehicles_held")
    held_text = f"公务用车保有量{held}辆" if v in ("guangdong", "shanghai") else f"单位共有公务用车{held}辆"
    doc.para(f"2.公务用车购置及运行维护费支出{amt(vehicle)}万元。其中：公务用车购置支出{amt(purchase)}万元，全年按规定更新购置公务用车{bought}辆；公务用车运行维护费支出{amt(operation)}万元，主要用于执行公务所需的燃料费、维修费、过路过桥费、保险费等支出。截至{y}年12月31日，{held_text}。")
    batches, rpersons = doc.narr("sangong.reception_batches"), doc.narr("sangong.reception_persons")
    fb, fp = doc.narr("sangong.foreign_reception_batches"), doc.narr("sangong.foreign_reception_persons")
    doc.para(f"3.公务接待费支出{amt(reception)}万元。其中：国内公务接待{batches}批次，{rpersons}人次；外事接待{fb}批次，{fp}人次。")


def funds(doc: Doc, v: str) -> None:
    """政府性基金 and 国有资本经营 sections (two paragraphs)."""
    y = doc.model.fiscal_year
    gf = doc.narr("gf.expenditure")
    total = doc.true("expenditure.total")
    if gf:
        doc.para(f"{y}年度政府性基金预算财政拨款支出{amt(gf)}万元，占本年支出合计的{share(gf, total)}，主要是{FUNCTION_NAMES[doc.model.profile.gf_code]}。")
    else:
        doc.para(f"{y}年度政府性基金预算财政拨款支出{amt(gf)}万元。本部门无政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出。")
    soe_value = doc.narr("soe.expenditure")
    doc.para(f"{y}年度国有资本经营预算财政拨款支出{amt(soe_value)}万元，占本年支出合计的0%。")



def admin_cost(doc: Doc, v: str) -> None:
    y = doc.model.fiscal_year
    if not doc.model.profile.admin:
        doc.narr("admin.operating_cost")
        if v == "sichuan":
            doc.para(f"{doc.model.unit_name}是事业单位，{y}年无机关运行经费。")
        else:
            doc.para(f"本单位为事业单位，{y}年度机关运行经费支出0万元。")
        return
    cost, prev = doc.narr("admin.operating_cost"), doc.narr("admin.operating_cost_prev")
    clause, _, _ = change_clause(cost, prev)
    doc.para(f"{y}年度{doc.model.unit_name}机关运行经费支出{amt(cost)}万元，比上年{clause}，主要原因是严格落实过紧日子要求。")


def procurement(doc: Doc, v: str) -> None:
    y = doc.model.fiscal_year
    total, goods = doc.narr("procurement.total"), doc.narr("procurement.goods")
    works, services = doc.narr("procurement.works"), doc.narr("procurement.services")
    sme, sme_pct = doc.narr("procurement.sme"), doc.narr("procurement.sme_pct")
    micro, micro_pct = doc.narr("procurement.micro"), doc.narr("procurement.micro_pct")
    doc.para(f"{y}年度，{doc.model.unit_name}政府采购支出总额{amt(total)}万元，其中：政府采购货物支出{amt(goods)}万元、政府采购工程支出{amt(works)}万元、政府采购服务支出{amt(services)}万元。授予中小企业合同金额{amt(sme)}万元，占政府采购支出总额的{sme_pct:.2f}%，其中：授予小微企业合同金额{amt(micro)}万元，占政府采购支出总额的{micro_pct:.2f}%。")


def assets(doc: Doc, v: str) -> None:
    y = doc.model.fiscal_year
    vehicles = doc.narr("assets.vehicles")
    kinds = "、".join(f"{k}{n}辆" for k, n in doc.model.vehicle_kinds.items())
    g50, s100 = doc.narr("assets.general_equipment_50w"), doc.narr("assets.special_equipment_100w")
    doc.para(f"截至{y}年12月31日，{doc.model.unit_name}共有车辆{vehicles}辆，其中：{kinds}。单价50万元（含）以上通用设备{g50}台（套），单价100万元（含）以上专用设备{s100}台（套）。")


def performance(doc: Doc, v: str) -> None:
    y = doc.model.fiscal_year
    n, dept = doc.narr("performance.projects_self_evaluated"), doc.narr("performance.dept_self_score")
    proj = doc.narr("performance.project_self_score")
    if v == "sichuan":
        budget, done = doc.narr("performance.annual_budget"), doc.narr("performance.budget_completion_pct")
        spent = doc.true("gpb.expenditure")
        doc.para(f"根据预算绩效管理要求，本部门组织对{y}年度{n}个项目开展了绩效自评。其中，{doc.model.unit_name}整体绩效自评得分为{dept}分，绩效自评综述：{y}年年初预算安排为{amt(budget)}万元，截至12月底，预算支出完成{amt(spent)}万元，预算支出完成率为{done:.2f}%。项目绩效自评得分为{proj}分。")
    elif v == "guangdong":
        doc.para(f"{y}年度本部门对{n}个项目开展了绩效自评，部门整体支出绩效自评综合得分为{dept}分，项目支出绩效自评得分为{proj}分，评价等级均为“优”。")
    else:
        doc.para(f"本部门组织对{y}年度{n}个一般公共预算项目开展了绩效自评，项目绩效自评得分为{proj}分；部门整体绩效自评得分{dept}分，自评结果为“优”。")


def glossary(doc: Doc) -> None:
    terms = ["财政拨款收入：指单位从同级财政部门取得的财政预算资金。", "事业收入：指事业单位开展专业业务活动及辅助活动取得的收入。",
             "年初结转和结余：指以前年度尚未完成、结转到本年按有关规定继续使用的资金。",
             "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
             "项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
             "“三公”经费：指部门用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
             "机关运行经费：指为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金。"]
    for i, t in enumerate(terms, start=1):
        doc.para(f"{i}.{t}")


def duties(doc: Doc) -> None:
    p = doc.model.profile
    for i, d in enumerate(p.duties, start=1):
        doc.para(f"{i}.{d}；")
    kind = "行政单位" if p.admin else "公益一类事业单位"
    doc.para(f"{doc.model.unit_name}为{kind}，内设机构包括：{p.sections}。")



def gpb_sections(doc, template: str) -> None:
    """The three numbered 一般公共预算财政拨款支出 sub-sections (总体 / 结构 / 具体) that narrative-first templates share."""
    doc.heading("（一）一般公共预算财政拨款支出决算总体情况", 3)
    gpb_overall(doc, template)
    doc.heading("（二）一般公共预算财政拨款支出决算结构情况", 3)
    gpb_structure(doc, template)
    doc.heading("（三）一般公共预算财政拨款支出决算具体情况", 3)
    gpb_items(doc, template)

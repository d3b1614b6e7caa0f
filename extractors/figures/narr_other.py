"""Narrative rules: 机关运行经费, 会议费/培训费, 政府采购, 国有资产, 预算绩效, 人员."""
from __future__ import annotations

from extractors.figures.narrative import Rule

_EQ = r"(?:各|均|分别)?(?:为|是|达|共计|合计|共)?"
_PCT_OF_PROC = r"[，,](?:占|占政府采购(?:支出|预算)?(?:总额|总金额|金额)?的?){PCT}"

RULES = [
    Rule("admin.operating_cost", r"机关运行经费(?:财政拨款)?(?:支出|预算|安排){0,2}(?:决算)?(?:数)?" + _EQ + r"{AMT}",
         prev="admin.operating_cost_prev"),
    # 重庆: （一）机关运行经费。2026年一般公共预算财政拨款运行经费137.15万元
    Rule("admin.operating_cost", r"(?:财政拨款|一般公共预算)(?:安排的)?运行经费(?:预算)?" + _EQ + r"{AMT}",
         sections=("admin",), prev="admin.operating_cost_prev", rank=1),
    Rule("admin.operating_cost", r"(?:无|没有|未发生|未安排|不涉及)机关运行经费", zero=True, rank=3),
    Rule("admin.operating_cost", r"机关运行经费(?:支出|预算)?(?:为)?(?:零|0)(?![\d.])(?!万元)", zero=True, rank=3),
    Rule("meeting.expenditure", r"(?<!其中[：:])会议费(?:支出)?(?:决算|预算)?(?:数)?" + _EQ + r"{AMT}"),
    Rule("meeting.expenditure", r"(?:无|没有|未发生|未安排|未开支)会议费", zero=True, rank=3),
    Rule("training.expenditure", r"(?:无|没有|未发生|未安排|未开支)培训费", zero=True, rank=3),
    Rule("training.expenditure", r"(?<!进修及)培训费(?:支出)?(?:决算|预算)?(?:数)?" + _EQ + r"{AMT}"),
    # 政府采购 -----------------------------------------------------------------------------------
    Rule("procurement.total", r"政府采购(?:支出|预算){0,2}(?:总额|总金额|金额)(?:（以合同签订为准）)?" + _EQ + r"{AMT}"),
    # 政府采购项目共有X万元 / 政府采购预算共X万元 / 政府采购安排X万元
    Rule("procurement.total", r"(?<!拨款)(?<!资金)政府采购(?:支出|预算|项目){0,2}(?:共有|共计|共|安排)" + r"{AMT}", rank=1),
    Rule("procurement.total", r"政府采购(?:支出|预算)" + _EQ + r"{AMT}", rank=1),
    Rule("procurement.goods", r"(?:政府采购)?货物(?:类)?(?:采购)?(?:支出|预算|金额|项目)?(?:金额)?" + _EQ + r"{AMT}",
         sections=("procurement", None)),
    Rule("procurement.works", r"(?:政府采购)?工程(?:类)?(?:采购)?(?:支出|预算|金额|项目)?(?:金额)?" + _EQ + r"{AMT}",
         sections=("procurement", None)),
    Rule("procurement.services", r"(?:政府采购)?服务(?:类)?(?:采购)?(?:支出|预算|金额|项目)?(?:金额)?" + _EQ + r"{AMT}",
         sections=("procurement", None)),
    Rule("procurement.sme", r"授予中小企业合同(?:金)?额" + _EQ + r"{AMT}"),
    Rule("procurement.sme_pct", r"授予中小企业合同(?:金)?额[\d.,]+万元" + _PCT_OF_PROC),
    Rule("procurement.micro", r"授予小微企业合同(?:金)?额" + _EQ + r"{AMT}"),
    Rule("procurement.micro_pct", r"授予小微企业合同(?:金)?额[\d.,]+万元" + _PCT_OF_PROC),
    Rule("procurement.sme", r"在面向中小企业预留的?政府采购项目中[，,]由中小企业供应商中标或成交的[，,]采购金额{AMT}", rank=1),
    Rule("procurement.micro", r"在面向小微企业预留的?政府采购项目中[，,]由小微企业供应商中标或成交的[，,]采购金额{AMT}", rank=1),
    # budgets: "面向中小企业预留采购份额X万元" / "预留中小企业份额X万元" / "面向中小企业预留政府采购项目预算金额X万元，
    # 其中，预留给小型和微型企业的政府采购项目预算为Y万元" (普陀)
    Rule("procurement.sme", r"(?:面向中小企业预留|预留(?:给)?中小企业)(?:的)?(?:采购|政府采购)?(?:项目)?(?:预算)?"
         r"(?:份额|金额|预算)(?:为|共)?{AMT}", kinds=("budget",), rank=1),
    Rule("procurement.micro", r"(?:面向|预留(?:给)?)(?:小型和微型|小型、微型|小微)企业(?:预留)?(?:的)?(?:采购|政府采购)?(?:项目)?"
         r"(?:预算)?(?:份额|金额|预算)(?:为|共)?{AMT}", kinds=("budget",), rank=1),
    Rule("procurement.sme", r"(?:面向|预留给?|授予)中小企业(?:的)?(?:采购)?(?:预算|合同)?(?:金额|额)?" + _EQ + r"{AMT}", rank=2),
    Rule("procurement.sme_pct", r"(?:面向|预留给?|授予)中小企业(?:的)?(?:采购)?(?:预算|合同)?(?:金额|额)?" + _EQ
         + r"[\d.,]+万元" + _PCT_OF_PROC, rank=2),
    Rule("procurement.micro", r"(?:面向|预留给?|授予)小微企业(?:的)?(?:采购)?(?:预算|合同)?(?:金额|额)?" + _EQ + r"{AMT}", rank=2),
    Rule("procurement.total", r"(?:无|没有|未发生|未安排|不涉及)政府采购", zero=True, rank=3),
    # 国有资产 -----------------------------------------------------------------------------------
    # vehicles held, never the ones to be bought ("2026年计划购置车辆0辆", "安排购置车辆1辆")
    Rule("assets.vehicles", r"(?<!购置|购买|更新|新增|处置|报废)(?:共有|共计|拥有|占有使用)?车辆(?:共)?{CNT}辆",
         sections=("assets", None)),
    # "共有车辆27台" (Beijing counts vehicles in 台)
    Rule("assets.vehicles", r"(?<!购置|购买|更新|新增|处置|报废)(?:共有|共计|拥有|占有使用)车辆(?:共)?{CNT}台",
         sections=("assets", None), rank=1),
    Rule("assets.general_equipment_50w", r"(?<!购置)(?<!购买)(?<!新增)(?:单价|单位价值)\s?50万元[（(]?含?[)）]?以上(?:的)?通用设备{CNT}台"),
    Rule("assets.special_equipment_100w", r"(?<!购置)(?<!购买)(?<!新增)(?:单价|单位价值)\s?100万元[（(]?含?[)）]?以上(?:的)?(?:专用)?设备(?:[（(]不含车辆[)）])?{CNT}台"),
    # 绩效 --------------------------------------------------------------------------------------
    Rule("performance.projects_self_evaluated", r"绩效自评的(?:\d{4}年度)?项目{CNT}个"),
    Rule("performance.projects_self_evaluated",
         r"(?:对|组织对)[^。；]{0,16}?{CNT}个[^。；，,\d]{0,12}?项目(?:支出)?(?:开展|进行|实施)了?(?:项目)?(?:支出)?(?:绩效)?自评"),
    # "开展了部门整体支出及7个项目绩效自评"
    Rule("performance.projects_self_evaluated", r"(?:部门|单位)整体支出(?:和|及|与){CNT}个项目(?:的)?绩效自评",
         sections=("performance",), rank=1),
    Rule("performance.projects_self_evaluated", r"(?:开展|完成)(?:项目)?(?:支出)?绩效自评(?:的)?项目(?:共)?{CNT}个", rank=1),
    Rule("performance.projects_self_evaluated", r"绩效自评(?:的)?项目(?:共|数)?(?:为)?{CNT}个", sections=("performance",), rank=1),
    # 项目绩效自评得分为95分，绩效自评综述：…共编制绩效目标1个，涉及财政资金293万元
    Rule("performance.projects_self_evaluated",
         r"项目(?:支出)?绩效自评[^。]{0,50}?(?:共编制绩效目标|项目总数|共涉及项目|共有项目)(?:为)?{CNT}个",
         sections=("performance",), rank=2),
    Rule("performance.self_evaluated_amount",
         r"(?:绩效自评|自评项目)[^。；]{0,60}?(?:涉及|覆盖)(?:财政)?(?:预算)?(?:资金|金额|预算)(?:共|合计|总额)?(?:为)?{AMT}",
         sections=("performance",)),
    Rule("performance.annual_budget", r"年初预算(?:资金)?总额(?:为)?{AMT}", sections=("performance",), rank=1),
    Rule("performance.dept_self_score", r"(?:部门|单位|中心|局|委)?整体(?:支出)?绩效自评(?:综合)?得分(?:为)?(?P<pct>\d+(?:\.\d+)?)分"),
    Rule("performance.project_self_score", r"项目(?:支出)?绩效自评(?:综合)?得分(?:为)?(?P<pct>\d+(?:\.\d+)?)分"),
    Rule("performance.project_self_score", r"绩效自评的(?:\d{4}年度)?项目[^。；]{0,40}?平均得分(?P<pct>\d+(?:\.\d+)?)分", rank=1),
    Rule("performance.annual_budget", r"年初预算(?:安排|总额)?(?:为)?{AMT}[，,][^。]{0,30}?预算支出完成", sections=("performance",)),
    Rule("performance.budget_completion_pct", r"预算(?:支出)?(?:执行|完成)率(?:为|达到?)?{PCT}", sections=("performance",)),
    # the self-evaluation's "全年预算数X万元，执行数Y万元，完成预算的Z%"
    Rule("performance.annual_budget", r"全年预算(?:数|金额)?(?:为)?{AMT}[，,]执行数", sections=("performance",), rank=2),
    Rule("performance.budget_completion_pct", r"全年预算(?:数|金额)?[\d,.]+万元[，,]执行数[\d,.]+万元[，,]完成(?:全年)?预算(?:数)?的{PCT}",
         sections=("performance",), rank=1),
    # 人员 --------------------------------------------------------------------------------------
    Rule("staff.authorized", r"(?:核定|总|行政|事业)?编制(?:数|人数)?(?:为|共)?{CNT}(?:名|人)"),
    Rule("staff.actual", r"(?:在编(?:人员|人数)?|实有(?:人员|人数)?|在职(?:人员|人数)?)(?:为|共)?{CNT}(?:名|人)(?!次)"),
    Rule("staff.temporary", r"(?:临聘|编外|聘用)(?:人员|人数)?(?:为|共)?{CNT}(?:名|人)"),
    Rule("staff.retired", r"(?<!离)退休(?:人员|人数)?(?:为|共)?{CNT}(?:名|人)"),
]

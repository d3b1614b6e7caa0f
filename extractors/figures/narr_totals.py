"""Narrative rules: 收支总计, 收入, 支出, 财政拨款收支, 一般公共预算 / 政府性基金 / 国有资本经营 支出."""
from __future__ import annotations

from extractors.figures.narrative import Rule

_NF = r"(?<!财政拨款)(?<!财政拨款收入、)"  # not the 财政拨款 grand total
_EQ = r"(?:各|均|分别)?(?:为|是|达|共计|合计)?(?:预算)?"
# 无政府性基金安排的支出 / 没有使用政府性基金预算拨款安排的支出 / 无当年政府性基金预算收支
_NO = r"(?:无|没有|未安排|不涉及)(?:当年)?(?:使用)?"
# "支出预算/预算收入 X万元" is the department's total only when nothing qualifies it: preceded by the year, the
# unit (…局/部门/本单位/（本级）), 安排 or punctuation — never by a sub-item (基本支出预算, 培训费预算支出,
# 一般公共预算收入, 政府采购支出预算, 国有资本经营预算支出 …)
_OWN = r"(?:(?<=^|[年度门位级）局委办室院心队会所站处厅；，,。：])|(?<=安排))"
_SUB_SECTIONS = ("appropriation", "gpb", "gf", "soe", "sangong", "basic", "admin", "procurement", "performance",
                 "assets")
_NO_TAIL = r"(?:安排的)?(?:收入)?(?:和|及|、)?(?:安排的)?(?:支出|收支)"

RULES = [
    # 收支总计 ------------------------------------------------------------------------------------
    Rule("total.grand", _NF + r"(?:收[、，,]?支|收入[、，,]?支出|收入和支出)(?:决算|预算)?(?:总计|总额|总预算)" + _EQ + r"{AMT}",
         prev="total.grand_prev", not_sections=("appropriation",)),
    Rule("appropriation.grand", r"(?:收[、，,]?支|收入[、，,]?支出|收入和支出)(?:决算|预算)?(?:总计|总额)" + _EQ + r"{AMT}",
         prev="appropriation.grand_prev", sections=("appropriation",), rank=1),
    Rule("total.grand", _NF + r"收入总计{AMT}[、，,]支出总计", prev="total.grand_prev"),
    Rule("total.grand", _NF + r"(?:部门)?收支总预算" + _EQ + r"{AMT}", prev="total.grand_prev"),
    # 烟台: "2026年收支预算9,069.47万元，比上年增加560.66万元" (the year or the unit right before it)
    Rule("total.grand", _OWN + r"收支预算" + _EQ + r"{AMT}", prev="total.grand_prev", kinds=("budget",), rank=1,
         not_sections=("appropriation",)),
    Rule("total.grand", r"(?<!财政拨款)(?:收入|支出)(?:预算)?总计" + _EQ + r"{AMT}", prev="total.grand_prev", rank=2,
         not_sections=("appropriation",)),
    # 收入 ---------------------------------------------------------------------------------------
    # under 政府性基金 / 国有资本经营 / 财政拨款 … headings "本年收入/支出决算X万元" are that kind's, not the department's
    Rule("income.total", r"本年收入(?:合计|总计)?(?:决算|预算)?" + _EQ + r"{AMT}", not_sections=_SUB_SECTIONS),
    Rule("income.total", r"收入(?:预算)?合计" + _EQ + r"{AMT}", rank=1),
    Rule("income.total", _OWN + r"(?:收入预算|预算收入)(?:总额|合计)?(?!总计)(?:为|是|共计)?{AMT}", kinds=("budget",),
         rank=2, not_sections=_SUB_SECTIONS),
    Rule("income.total", r"收入预算(?:共|总共)?安排[\p{Han}（）]{0,10}?{AMT}", kinds=("budget",), rank=3),
    Rule("income.gpb_appropriation", r"一般公共预算(?:财政)?拨款(?:收入)?" + _EQ + r"{AMT}",
         sections=("income", "totals", None)),
    Rule("income.gf_appropriation", r"政府性基金预算(?:财政)?拨款(?:收入)?" + _EQ + r"{AMT}",
         sections=("income", "totals", None)),
    Rule("income.soe_appropriation", r"国有资本经营预算(?:财政)?拨款(?:收入)?" + _EQ + r"{AMT}",
         sections=("income", "totals", None)),
    Rule("income.appropriation", r"(?<!一般公共预算|政府性基金预算|国有资本经营预算|年初|上年|结转|非)(?:本年)?财政拨款收入"
         + _EQ + r"{AMT}"),
    Rule("income.special_account", r"财政专户管理资金(?:收入)?" + _EQ + r"{AMT}"),
    Rule("income.superior_subsidy", r"上级补助收入" + _EQ + r"{AMT}"),
    Rule("income.business", r"(?<!非)事业收入(?:（不含教育收费收入）)?" + _EQ + r"{AMT}"),
    Rule("income.operating", r"(?<!事业单位)经营收入" + _EQ + r"{AMT}"),
    Rule("income.operating", r"事业单位经营收入" + _EQ + r"{AMT}", kinds=("budget",), sections=("income", "totals", None)),
    Rule("income.affiliated", r"附属单位上缴收入" + _EQ + r"{AMT}"),
    Rule("income.other", r"(?<![\p{Han}])其他收入" + _EQ + r"{AMT}|[，,：:；;]其他收入" + _EQ + r"{AMT}"),
    Rule("income.use_of_reserves", r"(?:使用非财政拨款结余(?:（含专用结余）)?|用事业基金弥补收支差额)" + _EQ + r"{AMT}"),
    Rule("income.carryover_begin", r"(?<!财政拨款)上年结转(?:和)?结余" + _EQ + r"{AMT}", kinds=("budget",),
         sections=("income", "totals", None)),
    Rule("income.carryover_begin", r"(?<!财政拨款)(?<!年初财政拨款)年初结转和结余" + _EQ + r"{AMT}",
         sections=("income", "totals", None)),
    # 支出 ---------------------------------------------------------------------------------------
    Rule("expenditure.total", r"本年支出(?:合计|总计)?(?:决算|预算)?" + _EQ + r"{AMT}", not_sections=_SUB_SECTIONS),
    # not "基本支出合计为…" / "项目支出合计为…" (吉林: the split of 本年支出, each 支出合计 of its own kind)
    Rule("expenditure.total", r"(?<!基本|项目|经营|人员|公用|其他)支出(?:预算)?合计" + _EQ + r"{AMT}", rank=1),
    Rule("expenditure.total", _OWN + r"(?:支出预算|预算支出)(?:总额|合计)?(?!总计)(?:为|是|共计)?{AMT}",
         kinds=("budget",), rank=2, not_sections=_SUB_SECTIONS),
    # the income side's "收入预算共安排…X万元" mirrored: "预算支出安排一般公共预算财政拨款支出X万元"
    Rule("expenditure.total", r"(?:预算支出|支出预算)(?:共|总共)?安排[\p{Han}（）]{0,14}?{AMT}", kinds=("budget",), rank=3,
         not_sections=_SUB_SECTIONS),
    # Beijing's "（一）基本支出。基本支出预算X万元，占本年支出预算…%" sits under a 基本支出 heading
    Rule("expenditure.basic", r"(?<!财政拨款)(?<!一般公共预算)基本支出预算{AMT}(?=[，,]占本年支出)", kinds=("budget",)),
    Rule("expenditure.basic", r"(?<!财政拨款)(?<!一般公共预算)基本支出" + _EQ + r"{AMT}",
         sections=("expenditure", "totals", None)),
    Rule("expenditure.project", r"(?<!财政拨款)(?<!一般公共预算)项目支出" + _EQ + r"{AMT}",
         sections=("expenditure", "totals", None)),
    Rule("expenditure.remit_superior", r"上缴上级支出" + _EQ + r"{AMT}"),
    Rule("expenditure.operating", r"(?<!事业单位)经营支出" + _EQ + r"{AMT}"),
    Rule("expenditure.operating", r"事业单位经营支出" + _EQ + r"{AMT}", kinds=("budget",),
         sections=("expenditure", "totals", None)),
    Rule("expenditure.affiliated_subsidy", r"对附属单位补助支出" + _EQ + r"{AMT}"),
    Rule("expenditure.surplus_distribution", r"结余分配" + _EQ + r"{AMT}"),
    Rule("expenditure.carryover_end", r"(?<!财政拨款)(?:年终结转结余(?:资金)?|结转下年)" + _EQ + r"{AMT}", kinds=("budget",),
         sections=("expenditure", "totals", None)),
    Rule("expenditure.carryover_end", r"(?<!财政拨款)年末结转和结余" + _EQ + r"{AMT}",
         sections=("expenditure", "totals", "income", None)),
    # 财政拨款收支总计 -----------------------------------------------------------------------------
    Rule("appropriation.grand", r"财政拨款(?:收[、，,]?支|收入[、，,]?支出|收入和支出)(?:决算|预算)?(?:总计|总额|总预算)" + _EQ + r"{AMT}",
         prev="appropriation.grand_prev"),
    Rule("appropriation.grand", r"财政拨款收支总预算" + _EQ + r"{AMT}", prev="appropriation.grand_prev"),
    # "财政拨款收入总计X万元，上年财政拨款收入总计Y万元": the 财政拨款收支总表's 收入总计 is its grand total
    Rule("appropriation.grand", r"财政拨款收入(?:决算|预算)?总计" + _EQ + r"{AMT}", prev="appropriation.grand_prev"),
    Rule("appropriation.carryover_begin", r"年初财政拨款结转和结余" + _EQ + r"{AMT}"),
    # a budget's "上年结转财政拨款16.49万元" (西安 综合预算说明): the 财政拨款 part of the carry-over into the year
    Rule("appropriation.carryover_begin", r"上年结转(?:的)?财政拨款(?:资金)?" + _EQ + r"{AMT}", kinds=("budget",), rank=1),
    Rule("appropriation.carryover_end", r"年末财政拨款结转和结余" + _EQ + r"{AMT}"),
    # 一般公共预算财政拨款支出 ----------------------------------------------------------------------
    Rule("gpb.expenditure", r"一般公共预算(?:财政)?拨款(?:支出|安排的支出)(?:决算|预算)?(?:数)?" + _EQ + r"{AMT}",
         prev="gpb.expenditure_prev"),
    Rule("gpb.expenditure", r"一般公共预算(?:支出)?决算数为{AMT}", prev="gpb.expenditure_prev", rank=1),
    Rule("gpb.expenditure", r"一般公共预算(?:财政)?拨款[^。；]{0,20}?支出决算为{AMT}", rank=2),
    Rule("gpb.budget", r"一般公共预算(?:财政)?(?:拨款)?(?:支出)?年初预算(?:数)?(?:为|是)?{AMT}"),
    Rule("gpb.budget", r"(?:年初预算|预算数)为{AMT}[，,](?:全年预算为[\d.]+万元[，,])?(?:实际)?支出决算(?:数)?为[\d.]+万元"
         r"[，,]完成(?:年初)?预算", sections=("gpb",), rank=1),
    Rule("gpb.completion_pct", r"一般公共预算(?:财政拨款)?(?:支出)?决算数为[\d.,]+万元[，,]完成(?:年初|全年|调整)?预算(?:数)?(?:的)?{PCT}"),
    Rule("gpb.completion_pct", r"一般公共预算(?:财政)?(?:拨款)?(?:支出)?年初预算(?:数)?(?:为|是)?[^。]{0,60}?完成(?:年初|全年|调整)?预算(?:数)?(?:的)?{PCT}",
         rank=1),
    Rule("gpb.basic", r"一般公共预算(?:财政)?拨款基本支出(?:决算|预算)?" + _EQ + r"{AMT}"),
    Rule("gpb.project", r"一般公共预算(?:财政)?拨款项目支出(?:决算|预算)?" + _EQ + r"{AMT}"),
    Rule("gpb.personnel", r"(?<!其中)人员经费(?:支出)?" + _EQ + r"{AMT}", sections=("basic", "gpb")),
    Rule("gpb.public", r"公用经费(?:支出)?" + _EQ + r"{AMT}", sections=("basic", "gpb")),
    # 政府性基金 / 国有资本经营 ---------------------------------------------------------------------
    # 普陀 budgets: "政府性基金拨款支出预算0.00万元" (no 预算 between 基金 and 拨款)
    Rule("gf.expenditure", r"政府性基金(?:预算)?(?:财政)?拨款(?:支出|安排的支出)(?:决算|预算)?" + _EQ + r"{AMT}"),
    Rule("soe.expenditure", r"国有资本经营(?:预算)?(?:财政)?拨款(?:支出|安排的支出)(?:决算|预算)?" + _EQ + r"{AMT}"),
    Rule("gf.expenditure", r"政府性基金预算支出(?:预算)?" + _EQ + r"{AMT}", rank=1),
    # 江苏 单位预算: "2026年政府性基金支出预算支出143,999万元" / "国有资本经营预算支出预算支出…"
    Rule("gf.expenditure", r"政府性基金(?:预算)?支出预算支出" + _EQ + r"{AMT}", rank=1),
    Rule("soe.expenditure", r"国有资本经营(?:预算)?支出预算支出" + _EQ + r"{AMT}", rank=1),
    Rule("gf.expenditure", _NO + r"政府性基金(?:预算)?(?:财政)?(?:拨款)?" + _NO_TAIL,
         zero=True, also_zero=("income.gf_appropriation",), rank=3),
    Rule("soe.expenditure", _NO + r"国有资本经营预算(?:财政)?(?:拨款)?" + _NO_TAIL,
         zero=True, also_zero=("income.soe_appropriation",), rank=3),
]

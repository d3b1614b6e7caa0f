"""Narrative rules: 财政拨款“三公”经费 (totals, components, budget figures, counts)."""
from __future__ import annotations

from extractors.figures.narrative import Rule

SG = r"[“\"”‘’']?三公[”\"“’‘']?经费[”\"’']?"  # “三公”经费 and “三公经费”
_FA = ("final_accounts",)
_BU = ("budget",)
_ACT = r"(?:财政拨款)?(?:支出)?(?:决算)?(?:数)?(?:支出)?(?:为|是|共计|合计)?"
_BUD = r"(?:财政拨款)?(?:支出)?(?:预算)?(?:数)?(?:安排)?(?:为|是|共计|合计)?"
ABROAD = r"因公出国[（(]境[)）](?:费用?|经费)"
_CAR = r"公务(?:用车|车辆)"  # 公务车辆运行维护费 (Henan) is the same item
VEH = _CAR + r"购置[及和]运行(?:维护|维修)?费"
VPUR = _CAR + r"购置(?:费)?"
VOPS = _CAR + r"运行(?:维护|维修)?费"
RECP = r"公务接待费"

_NO_ITEM = r"(?:无|没有|未发生|未安排|未开支|不涉及)(?:使用)?(?:财政拨款)?"
_COMPONENTS = ("sangong.abroad", "sangong.vehicle", "sangong.vehicle_purchase", "sangong.vehicle_operation",
               "sangong.reception")


def _pair(metric: str, label: str, extra: str = "") -> list[Rule]:
    return [
        Rule(metric, label + _ACT + r"{AMT}", kinds=_FA, prev=None),
        Rule(metric, label + _BUD + r"{AMT}", kinds=_BU),
        # a heading-like item then its figure: "（一）因公出国（境）费用。2026年预算数127.74万元"
        Rule(metric, label + r"[。：:]{Y}" + _BUD + r"{AMT}", kinds=_BU, rank=1),
        Rule(metric + "_budget", label + r"(?:财政拨款)?(?:支出)?(?:年初)?预算(?:数)?(?:为)?{AMT}", kinds=_FA),
    ]


RULES = [
    Rule("sangong.total", r"(?<!机关运行经费和)" + SG + r"(?:财政拨款)?(?:支出)?(?:决算)?(?:数)?(?:为|是|共计|合计)?{AMT}",
         kinds=_FA, prev="sangong.total_prev"),
    Rule("sangong.total", SG + r"(?:财政拨款)?(?:支出)?(?:年初)?(?:预算|预算数)(?:为|是|共计|合计)?{AMT}", kinds=_BU,
         prev="sangong.total_prev"),
    Rule("sangong.total", SG + r"(?:财政拨款)?(?:支出)?(?:合计|共计)?(?:为)?{AMT}", kinds=_BU, rank=1,
         prev="sangong.total_prev"),
    Rule("sangong.budget", SG + r"(?:财政拨款)?(?:支出)?(?:年初)?预算(?:数)?(?:为)?{AMT}", kinds=_FA),
    Rule("sangong.total", r"(?:无|没有|未发生|未安排)" + SG + r"(?:财政拨款)?(?:支出|预算)?", zero=True,
         also_zero=_COMPONENTS, rank=3),
    Rule("sangong.total", SG + r"(?:财政拨款)?(?:支出)?(?:决算数?|预算数?)?(?:为)?(?:零|0)(?!\.\d*[1-9])(?![\d.]*万元)",
         zero=True, rank=3),
    # "完成预算的99%" and "完成预算0万元的0%"
    Rule("sangong.completion_pct", SG + r"[^。；]{0,30}?完成(?:年初|全年|调整)?预算(?:数)?(?:\d[\d,]*(?:\.\d+)?万元)?(?:的)?{PCT}",
         kinds=_FA),
    Rule("sangong.total_prev", r"上年(?:度)?(?:支出|决算)(?:数)?(?:为)?{AMT}", sections=("sangong",),
         prev="sangong.total_prev"),
    *_pair("sangong.abroad", ABROAD),
    *_pair("sangong.vehicle", VEH),
    Rule("sangong.vehicle_purchase", r"(?<!及运行(?:维护)?费)(?<!车辆)" + VPUR + r"(?:支出|费用)?" + _ACT.replace("(?:支出)?", "", 1)
         + r"{AMT}", kinds=_FA),
    Rule("sangong.vehicle_purchase", VPUR + r"(?:支出|费用)?" + _BUD + r"{AMT}", kinds=_BU),
    Rule("sangong.vehicle_purchase_budget", VPUR + r"(?:费)?(?:年初)?预算(?:数)?(?:为)?{AMT}", kinds=_FA),
    *_pair("sangong.vehicle_operation", VOPS),
    *_pair("sangong.reception", RECP),
    Rule("sangong.reception", r"(?<!外事|国内)公务接待(?:支出|费用)" + _ACT + r"{AMT}", kinds=_FA, rank=1),
    # zero statements per item: "未发生公务接待费", "无因公出国（境）费用支出", "因公出国（境）费用为0"
    *[r for m, lab in (("sangong.abroad", ABROAD), ("sangong.vehicle", VEH), ("sangong.vehicle_purchase", VPUR),
                       ("sangong.vehicle_operation", VOPS), ("sangong.reception", RECP))
      for r in (Rule(m, _NO_ITEM + lab + r"(?:支出)?", zero=True, rank=3),
                Rule(m, lab + r"(?:支出)?(?:决算数?|预算数?)?(?:为)?(?:零|0)(?!\.\d*[1-9])(?![\d.]*万?元)", zero=True,
                     rank=3))],
    # counts -----------------------------------------------------------------------------------
    Rule("sangong.abroad_groups", r"(?:因公)?出国(?:[（(]境[)）])?团组{CNT}(?:个|次|批)"),  # （境） is often left out
    Rule("sangong.abroad_groups", r"安排(?:因公)?出国(?:[（(]境[)）])?团组{CNT}"),
    Rule("sangong.abroad_persons", r"团组[\d零一二三四五六七八九十]+(?:个|次|批)[，,、]?(?:累计)?(?:因公)?出国[（(]境[)）]{CNT}人"),
    Rule("sangong.abroad_persons", r"出国[（(]境[)）](?:人员|人数)?{CNT}人(?:次)?", rank=1),
    Rule("sangong.abroad_persons", r"出国(?:[（(]境[)）])?团组[\d零一二三四五六七八九十]+(?:个|次|批)[，,、]?(?:共|累计)?{CNT}人",
         rank=2),
    # the 三公 section's own count ("用于经批准购置的 5 辆公务用车") outranks the assets section's "购置车辆6辆",
    # which counts every vehicle class the budget buys (执法执勤, 特种专业技术 …)
    Rule("sangong.vehicles_purchased", r"购置(?:的)?{CNT}辆公务用车", sections=("sangong",), rank=-1),
    # "安排购置辆0辆" (车 dropped by the filer): the count's own 辆 still names vehicles
    Rule("sangong.vehicles_purchased", r"(?:更新)?购置(?:公务用)?(?:车)?(?:辆)?{CNT}辆"),
    Rule("sangong.vehicles_purchased", _CAR + r"购置(?:数|数量)(?:为)?{CNT}辆"),
    Rule("sangong.vehicles_purchased", r"(?:未安排|不安排|没有安排|无)购置(?:公务用)?车辆", zero=True, kinds=_BU, rank=3),
    Rule("sangong.vehicles_held", r"(?:共有|保有|实有|现有)公务用车{CNT}辆"),
    Rule("sangong.vehicles_held", r"公务用车保有量(?:为)?{CNT}辆"),
    # under the 三公 heading, the unit's vehicles are its 公务用车 ("截至2025年10月，本单位共有车辆3辆")
    Rule("sangong.vehicles_held", r"(?:共有|保有|实有|现有)车辆{CNT}辆", sections=("sangong",), rank=1),
    Rule("sangong.reception_batches", r"国内公务接待{CNT}批次"),
    Rule("sangong.reception_batches", r"(?<!外事)(?<!外宾)公务接待{CNT}批次", rank=1),
    Rule("sangong.reception_persons", r"国内公务接待[\d零一二三四五六七八九十]+批次[，,、]?(?:共)?(?:接待)?{CNT}人次?"),
    Rule("sangong.reception_persons", r"(?<!外事)(?<!外宾)公务接待[\d零一二三四五六七八九十]+批次[，,、]?(?:共)?(?:接待)?{CNT}人次?",
         rank=1),
    # 发生国内接待 1 次，接待人数共 13 人 / 共接待国内来访团组3个，来宾15人次
    Rule("sangong.reception_batches", r"(?:发生)?国内(?:公务)?接待{CNT}(?:次|批)(?!次)", rank=1),
    Rule("sangong.reception_persons", r"国内(?:公务)?接待\d+(?:次|批)[，,、]?(?:共)?接待(?:人数|人员)?(?:共)?{CNT}人", rank=1),
    Rule("sangong.reception_batches", r"接待国内来访团组{CNT}个", rank=2),
    Rule("sangong.reception_persons", r"接待国内来访团组\d+个[，,、]?来宾{CNT}人", rank=2),
    Rule("sangong.foreign_reception_batches", r"外事接待{CNT}批次"),
    # 普陀 决算: "列明公务接待2批次、26人次，其中：接待外宾0批次、0人次"
    Rule("sangong.foreign_reception_batches", r"接待外宾{CNT}批次", rank=1),
    Rule("sangong.foreign_reception_persons", r"接待外宾[\d零一二三四五六七八九十]+批次[，,、]?(?:共)?{CNT}人次?", rank=1),
    # 共接待国外来访团组0个，来访外宾0人次
    Rule("sangong.foreign_reception_batches", r"接待(?:国外|境外|外宾)来访团组{CNT}(?:个|批)", rank=1),
    Rule("sangong.foreign_reception_persons", r"(?:国外|境外)来访团组\d+(?:个|批)[，,、]?(?:来访)?外宾{CNT}人", rank=1),
    Rule("sangong.foreign_reception_persons", r"外事接待[\d零一二三四五六七八九十]+批次[，,、]?(?:共)?{CNT}人次?"),
]

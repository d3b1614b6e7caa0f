"""Fictional departments: what they spend on, how big they are, and the prose that describes them."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnitProfile:
    key: str  # ascii, used in file names
    dept: str  # 财政局 …
    admin: bool  # 行政单位 / 参公 (True) or 事业单位 (False): decides 机关运行经费, 医疗 codes, 行政运行 vs 事业运行
    operation_code: str  # the 行政运行/事业运行 项 that carries basic spending
    project_codes: tuple[str, ...]
    staff_range: tuple[int, int]
    gf_code: str | None = None  # 政府性基金 item, when the unit has one
    business_income: bool = False  # 事业收入 on the operation row
    duties: tuple[str, ...] = field(default_factory=tuple)
    sections: str = "办公室、财务科、业务科"


PROFILES: list[UnitProfile] = [
    UnitProfile("czj", "财政局", True, "2010601", ("2010602", "2010607", "2010699"), (55, 90),
                duties=("贯彻执行国家财政、税收方针政策，拟订全市财政发展规划和年度预算", "负责管理市级财政收支，编制年度预决算草案并组织执行",
                        "负责政府非税收入管理和政府性债务管理", "负责市级国有资产管理和政府采购监督管理"),
                sections="办公室、预算科、国库科、综合科、行政政法科、教科文科、经济建设科、政府采购监督管理科"),
    UnitProfile("jyj", "教育局", True, "2050101", ("2050102", "2050201", "2050202", "2050803"), (40, 70),
                duties=("贯彻执行国家教育方针政策，拟订全市教育发展规划", "统筹管理全市各级各类教育，推进义务教育均衡发展",
                        "负责教师队伍建设和教育督导工作", "管理教育经费，统筹安排学生资助工作"),
                sections="办公室、基础教育科、职业与成人教育科、教师工作科、计划财务科、督导室"),
    UnitProfile("wjw", "卫生健康委员会", True, "2100101", ("2100199", "2100408", "2100409"), (45, 80),
                duties=("组织拟订全市卫生健康事业发展规划和政策措施", "统筹规划卫生健康资源配置，指导区域卫生健康规划的编制和实施",
                        "负责疾病预防控制和卫生应急工作", "组织实施基本公共卫生服务项目"),
                sections="办公室、规划发展科、医政医管科、疾病预防控制科、基层卫生健康科、财务科"),
    UnitProfile("jtj", "交通运输局", True, "2140101", ("2140104", "2140106", "2140112"), (35, 60),
                duties=("贯彻执行交通运输法律法规，拟订全市交通运输发展规划", "负责公路、水路交通基础设施建设和养护管理",
                        "负责道路运输市场监督管理", "负责交通运输安全生产监督管理"),
                sections="办公室、规划建设科、运输管理科、安全监督科、财务审计科"),
    UnitProfile("sfj", "司法局", True, "2040601", ("2040604", "2040605", "2040610"), (30, 55),
                duties=("统筹全面依法治市工作，承担市委全面依法治市委员会办公室日常工作", "负责全市普法宣传和依法治理工作",
                        "指导管理人民调解、社区矫正和安置帮教工作", "负责公共法律服务体系建设"),
                sections="办公室、法治调研科、普法与依法治理科、人民参与和促进法治科、社区矫正科、公共法律服务科"),
    UnitProfile("gjj", "住房公积金管理中心", False, "2210302", ("2010607",), (25, 50),
                duties=("编制、执行住房公积金的归集、使用计划", "负责记载职工住房公积金的缴存、提取、使用等情况",
                        "负责住房公积金的核算，审批住房公积金提取、使用", "负责住房公积金的保值和归还"),
                sections="办公室、归集管理科、会计核算科、信息技术科、贷款管理科、稽核审计科"),
    UnitProfile("fly", "儿童福利院", False, "2081001", ("2081002",), (18, 35), gf_code="2296002",
                business_income=True,
                duties=("承担全市孤残儿童的养育、医疗、康复和特殊教育工作", "开展困境儿童临时监护和救助保护",
                        "协助开展家庭寄养和收养评估工作"),
                sections="办公室、保育部、医疗康复部、特教部、后勤保障部"),
]

# One fictional place per regional template, so a corpus looks like several provinces' portals.
REGIONS: dict[str, dict[str, str]] = {
    "sichuan": {"province": "四川省", "city": "青川市"},
    "shanghai": {"province": "上海市", "city": "上海市云浦区"},
    "guangdong": {"province": "广东省", "city": "岭安市"},
    "unit_yuan": {"province": "四川省", "city": "青川市"},
    "budget": {"province": "广东省", "city": "岭安市"},
}

# Places beyond the first one of each province, so large corpora look like a province's cities and counties:
# every place has its own 财政局, 教育局, 司法局 …, and county names repeat across cities (as 鼓楼区, 市中区 and
# 普陀区 do in reality), so a county department printed as "东城区财政局" has namesakes in other cities.
CITIES: dict[str, list[str]] = {
    "四川省": ["青川市", "岭江市", "云石市", "白河市"],
    "广东省": ["岭安市", "南屏市", "海澄市", "松岗市"],
    "上海市": ["上海市"],
}
_FIRST, _SECOND = "东西南北临桂白石云安清望龙金", "城山湖岸江溪塔门台宁河"
COUNTY_NAMES = [a + b + ("区" if k % 3 else "县") for k, (a, b) in
                enumerate((a, b) for b in _SECOND for a in _FIRST) if a != b]


def place(province: str, first_city: str, round_: int) -> tuple[str, str]:
    """(city, county) of the ``round_``-th place of a province: round 0 is the template's own city, the next rounds
    the province's other cities, then the counties of every city in turn (county "" = a city-level unit). A
    municipality's places are its districts."""
    if province in ("上海市", "北京市", "天津市", "重庆市"):
        first = first_city[len(province):]
        others = [c.replace("县", "区") for c in COUNTY_NAMES if c.replace("县", "区") != first]
        return province, first if round_ == 0 else others[(round_ - 1) % len(others)]
    cities = CITIES.get(province) or [first_city]
    city = cities[round_ % len(cities)]
    k = round_ // len(cities)
    return city, "" if k == 0 else COUNTY_NAMES[(k - 1) % len(COUNTY_NAMES)]

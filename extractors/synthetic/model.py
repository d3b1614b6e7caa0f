"""The financial model of one unit-year, generated before any rendering so every document is consistent.

All amounts are ``Decimal`` 万元 with two decimals. Only 项-level rows are stored; 类/款 rows and every total
are derived, so the accounting identities hold by construction (``check_identities`` proves it).
"""
from __future__ import annotations

import random
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .codes import FUNCTION_NAMES, parent_of
from .profiles import UnitProfile

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
SOURCES = ("appropriation", "superior_subsidy", "business", "operating", "affiliated", "other")


# Models of documents whose tables are in 元 carry 元-and-fen precision (0.000001 万元); everything else is 万元
# to the cent. Generation sets the quantum for the model it is drawing.
QUANTUM: ContextVar[Decimal] = ContextVar("QUANTUM", default=CENT)
YUAN_QUANTUM = Decimal("0.000001")


@contextmanager
def amounts_in(quantum: Decimal):
    token = QUANTUM.set(quantum)
    try:
        yield
    finally:
        QUANTUM.reset(token)


def money(x) -> Decimal:
    return Decimal(str(x)).quantize(QUANTUM.get(), rounding=ROUND_HALF_UP)


def wan(x) -> Decimal:
    """A 万元 amount as printed: two decimals, half up (what an extractor gets after converting 元)."""
    return Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP)


def pct(part: Decimal, whole: Decimal) -> Decimal:
    return wan(part * 100 / whole) if whole else ZERO


def split(rng: random.Random, total: Decimal, weights: list[float]) -> list[Decimal]:
    """Split ``total`` into 2-dp parts proportional to ``weights`` that add up exactly."""
    s = sum(weights)
    parts = [money(total * Decimal(str(w / s))) for w in weights[:-1]]
    return parts + [total - sum(parts, ZERO)]


@dataclass
class ItemRow:
    """One 功能分类 项 row: expenditure by fund and kind, income by source."""

    code: str
    gpb_basic: Decimal = ZERO
    gpb_project: Decimal = ZERO
    gf_project: Decimal = ZERO
    other_basic: Decimal = ZERO  # funded by non-appropriation income (事业收入, 其他收入, 上级补助)
    other_project: Decimal = ZERO
    income: dict[str, Decimal] = field(default_factory=lambda: {s: ZERO for s in SOURCES})
    budget: Decimal = ZERO  # 一般公共预算 年初预算 for this item

    @property
    def name(self) -> str:
        return FUNCTION_NAMES[self.code]

    @property
    def basic(self) -> Decimal:
        return self.gpb_basic + self.other_basic

    @property
    def project(self) -> Decimal:
        return self.gpb_project + self.gf_project + self.other_project

    @property
    def total(self) -> Decimal:
        return self.basic + self.project

    @property
    def gpb_total(self) -> Decimal:
        return self.gpb_basic + self.gpb_project

    @property
    def income_total(self) -> Decimal:
        return sum(self.income.values(), ZERO)


@dataclass
class UnitModel:
    profile: UnitProfile
    unit_name: str
    province: str
    city: str
    fiscal_year: int
    template: str
    scope: str = "department"
    county: str = ""  # "" for a city-level unit; a municipality's units have city == province
    items: list[ItemRow] = field(default_factory=list)
    econ: dict[str, Decimal] = field(default_factory=dict)  # 一般公共预算基本支出 by 经济分类 款
    carry_begin_appr: Decimal = ZERO
    carry_end_appr: Decimal = ZERO
    carry_begin_other: Decimal = ZERO
    carry_end_other: Decimal = ZERO
    sangong: dict[str, Decimal | int] = field(default_factory=dict)
    procurement: dict[str, Decimal] = field(default_factory=dict)
    assets: dict[str, int] = field(default_factory=dict)
    vehicle_kinds: dict[str, int] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)
    performance: dict[str, Decimal | int] = field(default_factory=dict)
    prev: dict[str, Decimal] = field(default_factory=dict)  # prior-year figures quoted by the narrative
    overrides: dict[str, Decimal] = field(default_factory=dict)  # "narrative:metric"/"table:metric" → printed
    anomalies: list[dict] = field(default_factory=list)

    @property
    def region_name(self) -> str:
        """The unit's region as an analyst names it: 四川省青川市东城区, 上海市云浦区."""
        return self.province + ("" if self.city == self.province else self.city) + self.county

    @property
    def full_name(self) -> str:
        """The name with the city (and county) before it, as the 编制单位 line of the tables prints it."""
        return self.unit_name if self.unit_name.startswith(self.city) else self.city + self.unit_name

    # -- derived rows -------------------------------------------------------------------------------------
    @property
    def key(self) -> str:
        return self.profile.key

    def rows(self, predicate=lambda r: True) -> list[tuple[str, dict[str, Decimal]]]:
        """类/款/项 rows in code order with rolled-up columns, for the items selected by ``predicate``."""
        agg: dict[str, dict[str, Decimal]] = {}
        for item in self.items:
            if not predicate(item):
                continue
            cols = self.item_columns(item)
            code = item.code
            while code:
                acc = agg.setdefault(code, {k: ZERO for k in cols})
                for k, v in cols.items():
                    acc[k] += v
                code = parent_of(code)
        return sorted(agg.items())

    @staticmethod
    def item_columns(item: ItemRow) -> dict[str, Decimal]:
        cols = {"total": item.total, "basic": item.basic, "project": item.project,
                "gpb_total": item.gpb_total, "gpb_basic": item.gpb_basic, "gpb_project": item.gpb_project,
                "gf_total": item.gf_project, "gf_basic": ZERO, "gf_project": item.gf_project,
                "income_total": item.income_total, "zero": ZERO}
        cols.update({f"income_{k}": v for k, v in item.income.items()})
        return cols

    def total(self, column: str, predicate=lambda r: True) -> Decimal:
        return sum((self.item_columns(i)[column] for i in self.items if predicate(i)), ZERO)

    # -- every metric the model knows (true values, before anomalies) -------------------------------------
    def metrics(self) -> dict[str, Decimal | int]:
        inc = {s: self.total(f"income_{s}") for s in SOURCES}
        gf_income = self.total("gf_total")
        gpb_income = inc["appropriation"] - gf_income
        income_total = self.total("income_total")
        exp_total = self.total("total")
        carry_begin = self.carry_begin_appr + self.carry_begin_other
        carry_end = self.carry_end_appr + self.carry_end_other
        personnel = sum((self.econ[c] for c in self.econ if c[:3] in ("301", "303")), ZERO)
        public = sum((self.econ[c] for c in self.econ if c[:3] in ("302", "310")), ZERO)
        gpb_exp = self.total("gpb_total")
        m: dict[str, Decimal | int] = {
            "total.grand": income_total + carry_begin,
            "income.total": income_total,
            "income.gpb_appropriation": gpb_income,
            "income.gf_appropriation": gf_income,
            "income.soe_appropriation": ZERO,
            "income.superior_subsidy": inc["superior_subsidy"],
            "income.business": inc["business"],
            "income.operating": inc["operating"],
            "income.affiliated": inc["affiliated"],
            "income.other": inc["other"],
            "income.use_of_reserves": ZERO,
            "income.carryover_begin": carry_begin,
            "expenditure.total": exp_total,
            "expenditure.basic": self.total("basic"),
            "expenditure.project": self.total("project"),
            "expenditure.remit_superior": ZERO,
            "expenditure.operating": ZERO,
            "expenditure.affiliated_subsidy": ZERO,
            "expenditure.surplus_distribution": ZERO,
            "expenditure.carryover_end": carry_end,
            "appropriation.grand": inc["appropriation"] + self.carry_begin_appr,
            "appropriation.carryover_begin": self.carry_begin_appr,
            "appropriation.carryover_end": self.carry_end_appr,
            "gpb.expenditure": gpb_exp,
            "gpb.basic": self.total("gpb_basic"),
            "gpb.project": self.total("gpb_project"),
            "gpb.budget": self.performance["gpb_budget"],
            "gpb.completion_pct": pct(gpb_exp, self.performance["gpb_budget"]),
            "gpb.personnel": personnel,
            "gpb.public": public,
            "gf.expenditure": gf_income,
            "soe.expenditure": ZERO,
            "meeting.expenditure": self.econ.get("30215", ZERO),
            "training.expenditure": self.econ.get("30216", ZERO),
            "admin.operating_cost": public if self.profile.admin else ZERO,
        }
        m.update({f"sangong.{k}": v for k, v in self.sangong.items()})
        m["sangong.completion_pct"] = pct(self.sangong["total"], self.sangong["budget"])
        m.update({f"procurement.{k}": v for k, v in self.procurement.items()})
        m.update({f"assets.{k}": v for k, v in self.assets.items()})
        m.update({f"staff.{k}": v for k, v in self.staff.items()})
        perf = self.performance
        m.update({"performance.projects_self_evaluated": perf["projects_self_evaluated"],
                  "performance.dept_self_score": perf["dept_self_score"],
                  "performance.project_self_score": perf["project_self_score"],
                  "performance.annual_budget": perf["gpb_budget"],
                  "performance.budget_completion_pct": m["gpb.completion_pct"]})
        m.update({f"{k}_prev" if not k.endswith("_prev") else k: v for k, v in self.prev.items()})
        return m


def check_identities(model: UnitModel) -> list[str]:
    """Every accounting identity of section B.7 that the model must satisfy; returns the violated ones."""
    m = model.metrics()
    problems: list[str] = []

    def eq(name: str, a, b) -> None:
        if a != b:
            problems.append(f"{name}: {a} != {b}")

    sources = ["income.gpb_appropriation", "income.gf_appropriation", "income.soe_appropriation",
               "income.superior_subsidy", "income.business", "income.operating", "income.affiliated", "income.other"]
    eq("I1 本年收入合计", m["income.total"], sum((m[s] for s in sources), ZERO))
    grand_in = m["income.total"] + m["income.use_of_reserves"] + m["income.carryover_begin"]
    grand_out = m["expenditure.total"] + m["expenditure.surplus_distribution"] + m["expenditure.carryover_end"]
    eq("I4 收入总计=支出总计", grand_in, grand_out)
    eq("I7 合计=基本+项目", m["expenditure.total"], m["expenditure.basic"] + m["expenditure.project"])
    rows = dict(model.rows())
    for code, cols in rows.items():
        children = [c for c in rows if len(c) == len(code) + 2 and c.startswith(code) and len(code) < 7]
        if children:
            for col in ("total", "basic", "project", "income_total"):
                eq(f"I8 {code} {col}", cols[col], sum((rows[c][col] for c in children), ZERO))
        eq(f"I7 {code}", cols["total"], cols["basic"] + cols["project"])
        eq(f"I6 {code}", cols["income_total"], sum((cols[f"income_{s}"] for s in SOURCES), ZERO))
    eq("X5 基本=人员+公用", m["gpb.basic"], m["gpb.personnel"] + m["gpb.public"])
    eq("X7 财政拨款", m["appropriation.grand"],
       m["gpb.expenditure"] + m["gf.expenditure"] + m["appropriation.carryover_end"])
    eq("gpb 合计=基本+项目", m["gpb.expenditure"], m["gpb.basic"] + m["gpb.project"])
    s = model.sangong
    eq("S1 三公合计", s["total"], s["abroad"] + s["vehicle"] + s["reception"])
    eq("S2 用车", s["vehicle"], s["vehicle_purchase"] + s["vehicle_operation"])
    eq("S1 三公预算", s["budget"], s["abroad_budget"] + s["vehicle_budget"] + s["reception_budget"])
    eq("S2 用车预算", s["vehicle_budget"], s["vehicle_purchase_budget"] + s["vehicle_operation_budget"])
    for econ, comp in (("30212", "abroad"), ("30231", "vehicle_operation"), ("30217", "reception")):
        if model.econ.get(econ, ZERO) > s[comp]:
            problems.append(f"S3 {econ} > 三公 {comp}")
    p = model.procurement
    eq("P1 采购", p["total"], p["goods"] + p["works"] + p["services"])
    if not (p["micro"] <= p["sme"] <= p["total"]):
        problems.append("P1 小微 ≤ 中小 ≤ 总额")
    eq("P2 车辆", model.assets["vehicles"], sum(model.vehicle_kinds.values()))
    if any(v < 0 for cols in rows.values() for v in cols.values()):
        problems.append("negative amount in a classification row")
    return problems

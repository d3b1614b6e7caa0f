"""Draw consistent unit-year models: staff → 经济分类 → 功能分类 rows → income, carryover, 三公, 采购, assets.

Randomness comes only from ``random.Random`` seeded with strings (sha512-based, stable across processes), so
the same seed always yields the same corpus.
"""
from __future__ import annotations

import copy
import random
from decimal import Decimal

from .model import CENT, YUAN_QUANTUM, ZERO, ItemRow, UnitModel, amounts_in, money, pct, split
from .profiles import PROFILES, REGIONS, UnitProfile, place

PROFILE_ORDER = ["czj", "jyj", "wjw", "fly", "sfj", "gjj", "jtj"]  # index 3 lands on the 单位决算 template
TEMPLATE_ORDER = ["sichuan", "shanghai", "guangdong", "unit_yuan"]
VEHICLE_KINDS = ["主要负责人用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车", "其他用车"]


def unit_plan(units: int, templates: list[str]) -> list[tuple[UnitProfile, str, str, str, str, str]]:
    """(profile, template, unit_name, province, city, county) per unit index. Every round of departments moves to
    the next place of each template's province (``profiles.place``): (place, department) stays unique, while
    department names repeat across cities and county names across cities."""
    by_key = {p.key: p for p in PROFILES}
    plan = []
    for i in range(units):
        profile = by_key[PROFILE_ORDER[i % len(PROFILE_ORDER)]]
        template = templates[i % len(templates)]
        region = REGIONS[template]
        city, county = place(region["province"], region["city"], i // len(PROFILE_ORDER))
        # a county's department calls itself by the county ("东城区财政局"); a municipality's district by both
        name = (city + county if city == region["province"] else county or city) + profile.dept
        plan.append((profile, template, name, region["province"], city, county))
    return plan


def build_unit_models(units: int = 6, years=(2023, 2024), templates=None, seed: int = 7, *,
                      budget: bool = False) -> list[list[UnitModel]]:
    """One list of year-ordered models per unit; each year's ``prev`` quotes the preceding model.

    ``budget``: the same units' 部门预算 for those years instead (``budget_model``). Units whose 决算 is a 单位决算
    publish no 部门预算 and are left out."""
    templates = list(templates or TEMPLATE_ORDER)
    out = []
    for i, (profile, template, name, province, city, county) in enumerate(unit_plan(units, templates)):
        base = random.Random(f"{seed}:unit:{i}")
        traits = {"pay": base.uniform(11.0, 16.0), "staff": base.randint(*profile.staff_range),
                  "project_scale": base.uniform(0.15, 0.9), "vehicles": base.randint(0, 4 if profile.admin else 2),
                  "retired": base.randint(3, 25), "abroad": base.random() < 0.25}
        series: list[UnitModel] = []
        for year in sorted(years):
            rng = random.Random(f"{seed}:unit:{i}:year:{year}")
            with amounts_in(YUAN_QUANTUM if template == "unit_yuan" else CENT):
                model = _one_year(rng, profile, traits, name, (province, city, county), year, template)
            model.prev = _prev_figures(series[-1] if series else None, model, rng)
            series.append(model)
        out.append(series)
    if budget:
        return [_budget_series(s, seed) for s in out if s[0].scope == "department"]
    return out


def _budget_series(actuals: list[UnitModel], seed: int) -> list[UnitModel]:
    series: list[UnitModel] = []
    for actual in actuals:
        rng = random.Random(f"{seed}:budget:{actual.unit_name}:{actual.fiscal_year}")
        series.append(budget_model(actual, series[-1] if series else None, rng))
    return series


def budget_model(actual: UnitModel, prior_budget: UnitModel | None, rng) -> UnitModel:
    """The 部门预算 of ``actual``'s unit and year, consistent with the 预算数 its 决算 quotes: the 三公 at the
    决算's 预算数, each 项's 一般公共预算 at its 年初预算 (the difference planned as appropriation-funded 项目支出,
    so every table still balances). What the 决算 then reports is the plan's execution (83–100 %, 三公 67–100 %)."""
    m = copy.deepcopy(actual)
    m.template, m.anomalies, m.overrides = "budget", [], {}
    s = m.sangong
    for k in ("abroad", "vehicle_purchase", "vehicle_operation", "reception", "vehicle"):
        s[k] = s[f"{k}_budget"]
    s["total"] = s["budget"]
    for item in m.items:
        delta = item.budget - item.gpb_total  # >= 0: a 年初预算 is drawn at 1–1.2 × the outcome
        item.gpb_project += delta
        item.income["appropriation"] += delta
    m.prev = _prev_figures(prior_budget, m, rng)  # 比上年: against last year's budget
    return m


def _one_year(rng, profile, traits, name, where, year, template) -> UnitModel:
    province, city, county = where
    model = UnitModel(profile=profile, unit_name=name, province=province, city=city, county=county,
                      fiscal_year=year, template=template, scope="unit" if template == "unit_yuan" else "department")
    actual = max(5, traits["staff"] + rng.randint(-3, 3))
    model.staff = {"authorized": actual + rng.randint(0, 6), "actual": actual,
                   "temporary": rng.randint(0, actual // 3), "retired": traits["retired"] + rng.randint(0, 2)}
    _sangong(rng, model, traits)
    _econ(rng, model, traits)
    _items(rng, model, traits)
    _income_and_carry(rng, model)
    _procurement_assets_performance(rng, model)
    return model


def _sangong(rng, model, traits) -> None:
    held = max(0, traits["vehicles"] + rng.choice([0, 0, 0, -1, 1]))
    abroad = money(rng.uniform(2, 12)) if traits["abroad"] and rng.random() < 0.7 else ZERO
    operation = money(held * rng.uniform(1.2, 3.2))
    purchased = 1 if held and rng.random() < 0.15 else 0
    purchase = money(rng.uniform(14, 26)) if purchased else ZERO
    reception = money(rng.uniform(0.15, 3.5))
    s: dict = {"abroad": abroad, "vehicle_purchase": purchase, "vehicle_operation": operation, "reception": reception}
    for k in list(s):
        s[f"{k}_budget"] = money(s[k] * Decimal(str(rng.uniform(1.0, 1.5)))) if s[k] else ZERO
    s["vehicle"] = purchase + operation
    s["vehicle_budget"] = s["vehicle_purchase_budget"] + s["vehicle_operation_budget"]
    s["total"] = abroad + s["vehicle"] + reception
    s["budget"] = s["abroad_budget"] + s["vehicle_budget"] + s["reception_budget"]
    groups = rng.randint(1, 2) if abroad else 0
    s.update({"abroad_groups": groups, "abroad_persons": groups * rng.randint(2, 5), "vehicles_purchased": purchased,
              "vehicles_held": held, "reception_batches": max(1, int(float(reception) * rng.uniform(6, 14))),
              "foreign_reception_batches": 0, "foreign_reception_persons": 0})
    s["reception_persons"] = s["reception_batches"] * rng.randint(3, 9)
    model.sangong = s
    model.vehicle_kinds = {k: 0 for k in VEHICLE_KINDS}
    if held:
        model.vehicle_kinds["机要通信用车"] = min(held, 1)
        model.vehicle_kinds["其他用车"] = held - min(held, 1)
    model.assets = {"vehicles": held}


def _econ(rng, model, traits) -> None:
    """一般公共预算基本支出 by economic code; 三公-related codes stay below the 三公 table amounts (S3)."""
    staff = model.staff["actual"]
    wage_base = money(staff * traits["pay"] * rng.uniform(0.97, 1.05) * 0.75)
    e = dict(zip(["30101", "30102", "30103", "30107"], split(rng, wage_base, [22, 31, 9, 38])))
    for code, rate in (("30108", 0.16), ("30109", 0.08), ("30110", 0.075), ("30112", 0.006), ("30113", 0.12)):
        e[code] = money(wage_base * Decimal(str(rate)))
    e["30111"] = money(wage_base * Decimal("0.03")) if model.profile.admin else ZERO
    e["30199"] = money(rng.uniform(0.5, 6))
    e["30302"] = money(model.staff["retired"] * rng.uniform(0.3, 1.2))
    e["30309"] = money(rng.uniform(0, 2))
    s = model.sangong
    fixed = {"30212": s["abroad"], "30231": money(s["vehicle_operation"] * Decimal(str(rng.uniform(0.6, 1)))),
             "30217": money(s["reception"] * Decimal(str(rng.uniform(0.5, 1))))}
    rest = money(staff * rng.uniform(1.8, 4.2))
    names = ["30201", "30205", "30206", "30207", "30209", "30211", "30213", "30215", "30216", "30226", "30228",
             "30229", "30239", "30299", "31002", "31007"]
    weights = [14, 2, 5, 3, 9, 10, 6, 3, 4, 8, 4, 5, 9, 8, 4, 6]
    e.update(dict(zip(names, split(rng, rest, weights))))
    e.update(fixed)
    model.econ = {k: e[k] for k in sorted(e)}


def _items(rng, model, traits) -> None:
    p, e = model.profile, model.econ
    medical = "2101101" if p.admin else "2101102"
    retire = "2080501" if p.admin else "2080502"
    linked = {"2080505": e["30108"], "2080506": e["30109"], medical: e["30110"], "2101103": e["30111"],
              "2210201": e["30113"], retire: e["30302"]}
    basic_total = sum(e.values(), ZERO)
    op = ItemRow(p.operation_code, gpb_basic=basic_total - sum(linked.values(), ZERO))
    items = [op] + [ItemRow(code, gpb_basic=v) for code, v in linked.items() if v]
    project_total = money(float(basic_total) * traits["project_scale"] * rng.uniform(0.8, 1.25))
    project_total += model.sangong["vehicle_purchase"]
    weights = [rng.uniform(0.5, 3) for _ in p.project_codes]
    for code, amount in zip(p.project_codes, split(rng, project_total, weights)):
        items.append(ItemRow(code, gpb_project=amount))
    if p.business_income:
        op.other_basic = money(basic_total * Decimal(str(rng.uniform(0.05, 0.2))))
    if p.gf_code:
        items.append(ItemRow(p.gf_code, gf_project=money(rng.uniform(15, 90))))
    if rng.random() < 0.4:  # a little 其他收入-funded project work
        items[-1].other_project = money(rng.uniform(1, 20))
    for item in items:
        item.budget = money(item.gpb_total * Decimal(str(rng.choice([1, 1, 1.02, 1.05, 1.1, 1.2]))))
    model.items = sorted(items, key=lambda r: r.code)


def _income_and_carry(rng, model) -> None:
    """Income mirrors spending per row by source; carryover moves sit on the largest row so rows stay ≥ 0."""
    for item in model.items:
        item.income["appropriation"] = item.gpb_total + item.gf_project
        if item.other_basic:
            item.income["business"] = item.other_basic
        if item.other_project:
            item.income["other"] = item.other_project
    biggest = max(model.items, key=lambda r: r.gpb_total)
    if rng.random() < 0.5:
        model.carry_begin_appr = money(float(biggest.gpb_total) * rng.uniform(0.0, 0.08))
        model.carry_end_appr = money(float(biggest.gpb_total) * rng.uniform(0.0, 0.08))
        biggest.income["appropriation"] += model.carry_end_appr - model.carry_begin_appr
    business_rows = [r for r in model.items if r.other_basic]
    if business_rows and rng.random() < 0.7:
        model.carry_begin_other = money(rng.uniform(1, 30))
        model.carry_end_other = money(rng.uniform(1, 30))
        row = business_rows[0]
        row.income["business"] += model.carry_end_other - model.carry_begin_other
        if row.income["business"] < 0:
            model.carry_end_other -= row.income["business"]
            row.income["business"] = ZERO


def _procurement_assets_performance(rng, model) -> None:
    exp_total = sum((i.total for i in model.items), ZERO)
    total = money(float(exp_total) * rng.uniform(0.03, 0.2))
    works_share = rng.choice([0, 0, 0.2])
    goods, works, services = split(rng, total, [rng.uniform(1, 4), works_share, rng.uniform(2, 6)])
    sme = money(float(total) * rng.uniform(0.45, 1.0))
    micro = money(float(sme) * rng.uniform(0.5, 1.0))
    model.procurement = {"total": total, "goods": goods, "works": works, "services": services, "sme": sme,
                         "sme_pct": pct(sme, total), "micro": micro, "micro_pct": pct(micro, total)}
    model.assets.update({"general_equipment_50w": rng.choice([0, 0, 0, 1, 2]),
                         "special_equipment_100w": rng.choice([0, 0, 0, 0, 1])})
    gpb_exp = sum((i.gpb_total for i in model.items), ZERO)
    n_projects = sum(1 for i in model.items if i.gpb_project or i.gf_project)
    model.performance = {"gpb_budget": sum((i.budget for i in model.items), ZERO),
                         "projects_self_evaluated": n_projects,
                         "dept_self_score": Decimal(str(round(rng.uniform(86, 98.5), 1))),
                         "project_self_score": Decimal(str(round(rng.uniform(84, 99), 1)))}
    assert gpb_exp >= 0


def _prev_figures(prior: UnitModel | None, model: UnitModel, rng) -> dict[str, Decimal]:
    """Prior-year figures; from last year's model when there is one, otherwise a plausible invented year."""
    keys = ["total.grand", "appropriation.grand", "gpb.expenditure", "sangong.total", "admin.operating_cost"]
    if prior is not None:
        m = prior.metrics()
        return {f"{k}_prev": m[k] for k in keys}
    m = model.metrics()
    out = {f"{k}_prev": money(float(m[k]) * rng.uniform(0.85, 1.15)) for k in keys}
    if not model.profile.admin:
        out["admin.operating_cost_prev"] = ZERO
    return out

"""Planted anomalies: deterministic, always in the last year, each described for the truth file.

Each kind changes what is printed (``model.overrides``) or, for the cross-unit outlier, the model itself.
Rule ids are the factory's own vocabulary; the descriptions say which identity is broken.
"""
from __future__ import annotations

import random
import statistics
from decimal import Decimal

from .model import UnitModel, money, pct, wan

KINDS = ["narrative_vs_table", "sangong_sum", "pct_recompute", "prior_year_mismatch", "outlier_sangong_per_staff",
         "procurement_sme_share"]


# Kinds that rewrite the same 三公 figures never share a document, so each one stays exactly as described.
CONFLICTS = {"sangong_sum": "sangong", "pct_recompute": "sangong", "outlier_sangong_per_staff": "sangong"}


def plant(series: list[list[UnitModel]], seed: int) -> list[dict]:
    """Plant each kind in max(1, units // 20) units' last-year models (distinct units while there are enough).

    Returns every description; a kind is skipped when no unit can take it (e.g. one year only for
    prior_year_mismatch, or too few units for the 三公 kinds)."""
    rng = random.Random(f"{seed}:anomalies")
    order = list(range(len(series)))
    rng.shuffle(order)
    per_kind = max(1, len(series) // 20)
    planted, cursor = [], 0
    peer_median = statistics.median(u[-1].sangong["total"] / u[-1].staff["actual"] for u in series)
    for kind in KINDS:
        for _ in range(per_kind):
            for attempt in range(len(order)):
                unit = series[order[(cursor + attempt) % len(order)]]
                model = unit[-1]
                kinds_here = {a["kind"] for a in model.anomalies}
                clash = kind in kinds_here or (CONFLICTS.get(kind) and any(
                    CONFLICTS.get(k) == CONFLICTS[kind] for k in kinds_here))
                if clash or (kind == "prior_year_mismatch" and len(unit) < 2):
                    continue
                if kind == "outlier_sangong_per_staff":
                    description = _outlier(model, rng, peer_median)
                else:
                    description = PLANTERS[kind](model, rng)
                description.update({"kind": kind, "unit_name": model.unit_name, "fiscal_year": model.fiscal_year})
                model.anomalies.append(description)
                planted.append(description)
                cursor += attempt + 1
                break
    return planted


def _narrative_vs_table(model: UnitModel, rng) -> dict:
    true = model.metrics()["total.grand"]
    printed = true + money(rng.choice([-1, 1]) * rng.uniform(5, 60))
    model.overrides["narrative:total.grand"] = printed
    return {"rule": "narrative_vs_table", "metrics": ["total.grand"], "source": "narrative", "table": "T01",
            "expected": float(wan(true)), "printed": float(wan(printed)),
            "description": "收、支总计 in the narrative differs from the 收入支出决算总表 总计"}


def _sangong_sum(model: UnitModel, rng) -> dict:
    s = model.sangong
    printed = s["total"] + money(rng.uniform(0.5, 3))
    model.overrides["table:sangong.total"] = printed
    model.overrides["narrative:sangong.total"] = printed  # the mis-added 合计 is quoted in the text as well
    model.overrides["narrative:sangong.completion_pct"] = pct(printed, s["budget"])  # …and its 完成率
    return {"rule": "sangong_sum", "metrics": ["sangong.total"], "source": "table", "table": "T07",
            "expected": float(wan(s["total"])), "printed": float(wan(printed)),
            "description": "三公 决算 合计 ≠ 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费"}


def _pct_recompute(model: UnitModel, rng) -> dict:
    true = pct(model.sangong["total"], model.sangong["budget"])
    printed = true + money(rng.choice([-1, 1]) * rng.uniform(4, 15))
    model.overrides["narrative:sangong.completion_pct"] = printed
    return {"rule": "pct_recompute", "metrics": ["sangong.completion_pct"], "source": "narrative",
            "expected": float(wan(true)), "printed": float(wan(printed)),
            "description": "stated 三公 完成预算% does not recompute from 决算数/预算数"}


def _prior_year_mismatch(model: UnitModel, rng) -> dict:
    true = model.prev["total.grand_prev"]
    printed = true + money(rng.choice([-1, 1]) * rng.uniform(20, 150))
    model.overrides["narrative:total.grand_prev"] = printed
    return {"rule": "prior_year_mismatch", "metrics": ["total.grand_prev"], "source": "narrative",
            "expected": float(wan(true)), "printed": float(wan(printed)),
            "description": "上年收、支总计 quoted this year differs from last year's document"}


def _outlier(model: UnitModel, rng, peer_per_staff: Decimal) -> dict:
    """Raise 三公 (budget and actual, consistently) to 6–10× the peers' median per staff."""
    s = model.sangong
    factor = Decimal(str(round(rng.uniform(6, 10), 1)))
    extra = max(peer_per_staff * factor * model.staff["actual"] - s["total"], Decimal(20))
    reception_extra = money(extra * Decimal("0.6"))
    s["reception"] += reception_extra
    s["vehicle_operation"] += money(extra) - reception_extra
    for key in ("reception", "vehicle_operation"):
        s[f"{key}_budget"] = money(s[key] * Decimal("1.05"))
    s["vehicle"] = s["vehicle_purchase"] + s["vehicle_operation"]
    s["vehicle_budget"] = s["vehicle_purchase_budget"] + s["vehicle_operation_budget"]
    s["total"] = s["abroad"] + s["vehicle"] + s["reception"]
    s["budget"] = s["abroad_budget"] + s["vehicle_budget"] + s["reception_budget"]
    s["reception_batches"] = max(s["reception_batches"], int(s["reception"] * 4))
    s["reception_persons"] = s["reception_batches"] * 6
    if not s["vehicles_held"]:  # running costs need a car to run
        s["vehicles_held"] = 1
        model.assets["vehicles"] += 1
        model.vehicle_kinds["其他用车"] += 1
    per_staff = wan(s["total"] / model.staff["actual"])
    return {"rule": "outlier_sangong_per_staff", "metrics": ["sangong.total", "staff.actual"], "source": "narrative",
            "expected": float(wan(peer_per_staff)), "printed": float(per_staff),
            "description": f"三公 per staff {per_staff} 万元 vs peer median {wan(peer_per_staff)} 万元 (cross-unit outlier)"}


def _sme_share(model: UnitModel, rng) -> dict:
    p = model.procurement
    printed = min(Decimal("100.00"), p["sme_pct"] + money(rng.uniform(8, 25)))
    if printed == p["sme_pct"]:
        printed = p["sme_pct"] - money(rng.uniform(8, 25))
    model.overrides["narrative:procurement.sme_pct"] = printed
    return {"rule": "procurement_sme_share", "metrics": ["procurement.sme_pct"], "source": "narrative",
            "expected": float(wan(p["sme_pct"])), "printed": float(wan(printed)),
            "description": "授予中小企业合同金额占比 does not match 中小企业金额 / 政府采购支出总额"}


PLANTERS = {"narrative_vs_table": _narrative_vs_table, "sangong_sum": _sangong_sum, "pct_recompute": _pct_recompute,
            "prior_year_mismatch": _prior_year_mismatch, "outlier_sangong_per_staff": _outlier,
            "procurement_sme_share": _sme_share}

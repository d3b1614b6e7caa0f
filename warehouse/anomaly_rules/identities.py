"""Accounting identities on a document's adopted values (research B.7 I1–I3, I7, S1, S2, P1) and stated percentages."""
from __future__ import annotations

import regex

from warehouse.anomaly_rules.base import RULES, DocContext, finding, pct_tol, tol

SUM_RULES = [
    ("sum.income_sources", "income.total",
     ["income.gpb_appropriation", "income.gf_appropriation", "income.soe_appropriation", "income.special_account",
      "income.superior_subsidy", "income.business", "income.operating", "income.affiliated", "income.other"]),
    ("sum.grand_total", "total.grand", ["income.total", "income.use_of_reserves", "income.carryover_begin"]),
    ("sum.grand_total_expenditure", "total.grand",
     ["expenditure.total", "expenditure.surplus_distribution", "expenditure.carryover_end"]),
    ("sum.expenditure_split", "expenditure.total",
     ["expenditure.basic", "expenditure.project", "expenditure.remit_superior", "expenditure.operating",
      "expenditure.affiliated_subsidy"]),
    ("sum.gpb_basic_project", "gpb.expenditure", ["gpb.basic", "gpb.project"]),
    ("sum.basic_personnel_public", "gpb.basic", ["gpb.personnel", "gpb.public"]),
    ("sum.sangong_components", "sangong.total", ["sangong.abroad", "sangong.vehicle", "sangong.reception"]),
    ("sum.sangong_budget_components", "sangong.budget",
     ["sangong.abroad_budget", "sangong.vehicle_budget", "sangong.reception_budget"]),
    ("sum.vehicle_components", "sangong.vehicle", ["sangong.vehicle_purchase", "sangong.vehicle_operation"]),
    ("sum.procurement_components", "procurement.total", ["procurement.goods", "procurement.works",
                                                         "procurement.services"]),
]
# A sum is checked only when the total and at least these parts are disclosed (blank is not zero). A budget
# document's 收入总计 has no 年末结转 on the other side, so I3 needs 年末结转和结余 itself to be printed.
_MIN_PARTS = {"sum.grand_total": 3, "sum.basic_personnel_public": 2, "sum.vehicle_components": 2,
              "sum.gpb_basic_project": 2, "sum.sangong_components": 3, "sum.sangong_budget_components": 3}
_REQUIRED = {"sum.grand_total_expenditure": {"expenditure.total", "expenditure.carryover_end"}}


def _sub_column(ctx: DocContext, metric: str) -> bool:
    """A 预算 table splits 基本支出 into 人员经费 | 公用经费; a 基本支出 figure read under 人员经费 is a sub-column."""
    return metric == "gpb.basic" and "人员经费" in ctx.where(metric, "table")[1]


_APPROPRIATION_KINDS = ("income.gpb_appropriation", "income.gf_appropriation", "income.soe_appropriation")


def _parts(rule_id: str, parts: list[str], vals: dict) -> list[str]:
    """A 预算 收支总表 may print 财政拨款 as one line instead of its three kinds: then that line is the part."""
    if rule_id == "sum.income_sources" and "income.appropriation" in vals \
            and not any(k in vals for k in _APPROPRIATION_KINDS):
        return ["income.appropriation", *(p for p in parts if p not in _APPROPRIATION_KINDS)]
    return parts


def value_identities(ctx: DocContext) -> list[dict]:
    out = []
    vals, doc = ctx.vals, ctx.doc
    for rule_id, total_metric, all_parts in SUM_RULES:
        parts = _parts(rule_id, all_parts, vals)
        if _sub_column(ctx, total_metric) or any(_sub_column(ctx, p) for p in parts):
            continue
        total = vals.get(total_metric)
        present = [p for p in parts if p in vals]
        if total is None or len(present) < _MIN_PARTS.get(rule_id, max(2, len(parts) // 2)):
            continue
        if not _REQUIRED.get(rule_id, set()) <= set(present):
            continue
        if total > 0 and all(vals[p] == 0 for p in present):
            continue  # only zero parts against a total: blank cells of rows whose parts were not read (陕西 收支总表)
        s = round(sum(vals[p] for p in present), 2)
        if abs(s - total) > tol(len(present)):
            page, text = ctx.where(total_metric, "table")
            if page is None:
                page, text = ctx.where(total_metric)
            out.append(finding(rule_id, doc, total_metric, s, total,
                               f"{RULES[rule_id].description}：合计 {total:.2f}，各项之和 {s:.2f}",
                               " + ".join(f"{p}={vals[p]:.2f}" for p in present) + (f"；原文：{text}" if text else ""),
                               page))
    out += _procurement(ctx)
    out += _completion(ctx)
    return out


def _procurement(ctx: DocContext) -> list[dict]:
    out, vals, doc = [], ctx.vals, ctx.doc
    total, sme, micro = vals.get("procurement.total"), vals.get("procurement.sme"), vals.get("procurement.micro")
    if total is not None and sme is not None and sme > total + 0.01:
        page, text = ctx.where("procurement.sme")
        out.append(finding("bound.procurement_sme", doc, "procurement.sme", total, sme,
                           f"授予中小企业 {sme:.2f} 万元 > 政府采购总额 {total:.2f} 万元", text, page))
    if sme is not None and micro is not None and micro > sme + 0.01:
        page, text = ctx.where("procurement.micro")
        out.append(finding("bound.procurement_sme", doc, "procurement.micro", sme, micro,
                           f"授予小微企业 {micro:.2f} 万元 > 中小企业 {sme:.2f} 万元", text, page, subject="micro"))
    pct = vals.get("procurement.sme_pct")
    if pct is not None and total is not None and sme is not None:
        page, text = ctx.where("procurement.sme_pct", "narrative")
        if total == 0:
            if pct != 0 and sme != 0:
                out.append(finding("pct.zero_denominator", doc, "procurement.sme_pct", None, pct,
                                   f"政府采购支出总额为 0，却表述中小企业占比 {pct}%", text, page))
        else:
            computed = round(100 * sme / total, 2)
            if abs(computed - pct) > pct_tol(pct, sme, total):
                out.append(finding("pct.procurement_sme", doc, "procurement.sme_pct", computed, pct,
                                   f"中小企业占比表述为 {pct}%，按 {sme:.2f} / {total:.2f} 计算为 {computed}%", text,
                                   page))
    return out


_PCT = regex.compile(r"(\d+(?:\.\d+)?)[%％]")
_COMPONENT = regex.compile(r"出国|公务用车|接待")


def binds_to_total(text: str, pct: float) -> bool:
    """Whether the stated percentage belongs to the 三公 total's own clause: the text from the last clause break
    (；。 or 其中) before the percentage names no single component. Unknown text (no match) binds."""
    for m in _PCT.finditer(text or ""):
        if abs(float(m.group(1)) - pct) > 1e-6:
            continue
        head = text[:m.start()]
        cut = max(head.rfind("；"), head.rfind(";"), head.rfind("。"), head.rfind("其中"))
        clause = head[cut + 1:] if cut >= 0 else head
        return not (_COMPONENT.search(clause) and "三公" not in clause)
    return True


_COMPLETION = [("sangong.completion_pct", "sangong.total", "sangong.budget", "“三公”经费"),
               ("gpb.completion_pct", "gpb.expenditure", "gpb.budget", "一般公共预算财政拨款支出")]


def _completion(ctx: DocContext) -> list[dict]:
    out, vals, doc = [], ctx.vals, ctx.doc
    for pct_metric, actual_metric, budget_metric, label in _COMPLETION:
        pct, actual, budget = vals.get(pct_metric), vals.get(actual_metric), vals.get(budget_metric)
        if pct is None or budget is None:
            continue
        page, text = ctx.where(pct_metric, "narrative")
        if budget == 0:
            if pct != 0:
                out.append(finding("pct.zero_denominator", doc, pct_metric, None, pct,
                                   f"{label}预算数为 0，却表述完成预算 {pct}%", text, page))
            continue
        if actual is None or pct_metric != "sangong.completion_pct":
            continue  # gpb completion sentences are recomputed from their own numbers by claim.completion
        if not binds_to_total(text, pct):
            continue  # the stated percentage is a component's (出国/公务用车/接待), not the 三公 total's
        computed = round(100 * actual / budget, 2)
        if abs(computed - pct) > pct_tol(pct, actual, budget):
            out.append(finding("pct.sangong_completion", doc, pct_metric, computed, pct,
                               f"{label}完成预算表述为 {pct}%，决算 {actual:.2f} / 预算 {budget:.2f} = {computed}%",
                               text, page))
    return out

"""Anomaly rules over the loaded warehouse: inside a document, across years, across units, completeness.

Each rule returns rows with a stable fingerprint (rule + document + subject, never the values), so a reviewer's
verdict in ``anomaly_reviews`` stays attached when documents are reloaded. Tolerances follow the rounding of
printed 2-dp 万元 values: each term is ±0.005, so a sum of n terms may be off by 0.005 × (n + 1).
Blank is not zero: a rule whose inputs are missing says nothing rather than guessing.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timezone

import pandas as pd

from warehouse.db import Warehouse, migrate_connection


@dataclass(frozen=True)
class Rule:
    rule_id: str
    description: str


RULES = {r.rule_id: r for r in [
    Rule("sum.income_sources", "本年收入合计 ≠ 各项收入之和"),
    Rule("sum.grand_total", "收入总计 ≠ 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余"),
    Rule("sum.expenditure_split", "本年支出合计 ≠ 基本支出 + 项目支出 + 上缴上级 + 经营 + 对附属单位补助"),
    Rule("sum.basic_personnel_public", "一般公共预算基本支出 ≠ 人员经费 + 公用经费"),
    Rule("sum.sangong_components", "“三公”经费合计 ≠ 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费"),
    Rule("sum.vehicle_components", "公务用车购置及运行费 ≠ 购置费 + 运行费"),
    Rule("sum.procurement_components", "政府采购支出总额 ≠ 货物 + 工程 + 服务"),
    Rule("bound.procurement_sme", "授予中小企业合同金额超过政府采购总额，或小微企业超过中小企业"),
    Rule("pct.procurement_sme", "中小企业占比与金额不符"),
    Rule("pct.sangong_completion", "“三公”经费完成预算百分比与决算数/预算数不符"),
    Rule("narrative_vs_table", "文字说明的数值与表格不一致"),
    Rule("claim.yoy", "文字说明的增减额或增减率与所比较的数字不符"),
    Rule("claim.share", "文字说明的占比与数字不符"),
    Rule("cross_year.prior_quote", "本年文件引用的上年数与上年文件不一致"),
    Rule("cross_unit.sangong_per_staff", "人均“三公”经费在同组单位中显著偏离"),
    Rule("completeness.tables", "决算公开表不全"),
]}


def fingerprint(rule_id: str, doc_id: str | None, subject: str) -> str:
    return hashlib.sha1(f"{rule_id}|{doc_id}|{subject}".encode()).hexdigest()[:16]


def _tol(n_terms: int) -> float:
    return 0.005 * (n_terms + 1) + 1e-9


def _row(rule_id, severity, doc, metric, expected, actual, message, evidence="", page=None, subject=None):
    diff = None if expected is None or actual is None else round(actual - expected, 4)
    return {"fingerprint": fingerprint(rule_id, doc.get("doc_id"), subject or metric or ""), "rule_id": rule_id,
            "severity": severity, "doc_id": doc.get("doc_id"), "unit_name": doc.get("unit_name"),
            "fiscal_year": doc.get("fiscal_year"), "metric_id": metric, "expected_value": expected,
            "actual_value": actual, "difference": diff, "message": message, "evidence": evidence, "page": page}


SUM_RULES = [
    ("sum.income_sources", "income.total",
     ["income.gpb_appropriation", "income.gf_appropriation", "income.soe_appropriation", "income.superior_subsidy",
      "income.business", "income.operating", "income.affiliated", "income.other"]),
    ("sum.grand_total", "total.grand", ["income.total", "income.use_of_reserves", "income.carryover_begin"]),
    ("sum.expenditure_split", "expenditure.total",
     ["expenditure.basic", "expenditure.project", "expenditure.remit_superior", "expenditure.operating",
      "expenditure.affiliated_subsidy"]),
    ("sum.basic_personnel_public", "gpb.basic", ["gpb.personnel", "gpb.public"]),
    ("sum.sangong_components", "sangong.total", ["sangong.abroad", "sangong.vehicle", "sangong.reception"]),
    ("sum.vehicle_components", "sangong.vehicle", ["sangong.vehicle_purchase", "sangong.vehicle_operation"]),
    ("sum.procurement_components", "procurement.total", ["procurement.goods", "procurement.works",
                                                         "procurement.services"]),
]
# A sum is checked only when the total and at least these many parts are disclosed (blank is not zero).
_MIN_PARTS = {"sum.grand_total": 3, "sum.basic_personnel_public": 2, "sum.vehicle_components": 2}


def _doc_rules(doc: dict, vals: dict[str, float], kind_budget: bool) -> list[dict]:
    out = []
    for rule_id, total_metric, parts in SUM_RULES:
        total = vals.get(total_metric)
        present = [p for p in parts if p in vals]
        if total is None or len(present) < _MIN_PARTS.get(rule_id, max(2, len(parts) // 2)):
            continue
        s = round(sum(vals[p] for p in present), 2)
        if abs(s - total) > _tol(len(present)):
            out.append(_row(rule_id, "error", doc, total_metric, s, total,
                            f"{RULES[rule_id].description}：合计 {total:.2f}，各项之和 {s:.2f}",
                            " + ".join(f"{p}={vals[p]:.2f}" for p in present)))
    total, sme, micro = vals.get("procurement.total"), vals.get("procurement.sme"), vals.get("procurement.micro")
    if total is not None and sme is not None and sme > total + 0.01:
        out.append(_row("bound.procurement_sme", "error", doc, "procurement.sme", total, sme,
                        f"授予中小企业 {sme:.2f} 万元 > 政府采购总额 {total:.2f} 万元"))
    if sme is not None and micro is not None and micro > sme + 0.01:
        out.append(_row("bound.procurement_sme", "error", doc, "procurement.micro", sme, micro,
                        f"授予小微企业 {micro:.2f} 万元 > 中小企业 {sme:.2f} 万元", subject="micro"))
    pct = vals.get("procurement.sme_pct")
    if pct is not None and total and sme is not None:
        computed = round(100 * sme / total, 2)
        if abs(computed - pct) > 0.1:
            out.append(_row("pct.procurement_sme", "warning", doc, "procurement.sme_pct", computed, pct,
                            f"中小企业占比表述为 {pct}%，按金额计算为 {computed}%"))
    pct, actual, budget = vals.get("sangong.completion_pct"), vals.get("sangong.total"), vals.get("sangong.budget")
    if pct is not None and actual is not None and budget:
        computed = round(100 * actual / budget, 2)
        if abs(computed - pct) > 0.1:
            out.append(_row("pct.sangong_completion", "warning", doc, "sangong.completion_pct", computed, pct,
                            f"“三公”经费完成预算表述为 {pct}%，决算 {actual:.2f} / 预算 {budget:.2f} = {computed}%"))
    return out


def _narrative_vs_table(doc: dict, figs: pd.DataFrame) -> list[dict]:
    out = []
    if figs.empty:
        return out
    for metric, g in figs.groupby("metric_id"):
        table = g[(g.source == "table") & g.amount_wan.notna()]
        narr = g[(g.source == "narrative") & g.amount_wan.notna()]
        if table.empty or narr.empty:
            continue
        tval = float(table.iloc[0].amount_wan)
        for _, n in narr.iterrows():
            if abs(float(n.amount_wan) - tval) > 0.011:
                out.append(_row("narrative_vs_table", "error", doc, metric, tval, float(n.amount_wan),
                                f"文字说明 {float(n.amount_wan):.2f} 万元，表格 {tval:.2f} 万元（第{int(table.iloc[0].page or 0)}页）",
                                str(n.raw_text or ""), int(n.page) if pd.notna(n.page) else None,
                                subject=f"{metric}|{int(n.figure_seq)}"))
    return out


def _claim_rules(doc: dict, claims: pd.DataFrame) -> list[dict]:
    out = []
    for _, c in claims.iterrows():
        amt, ref = c.amount_wan, c.reference_amount_wan
        if pd.isna(amt) or pd.isna(ref):
            continue
        amt, ref = float(amt), float(ref)
        page = int(c.page) if pd.notna(c.page) else None
        subject = f"{c.claim_type}|{c.metric_id or c.subject}|{c.claim_seq}"
        if c.claim_type == "yoy":
            change = round(amt - ref, 2)
            if pd.notna(c.stated_change_wan) and abs(abs(float(c.stated_change_wan)) - abs(change)) > 0.02:
                out.append(_row("claim.yoy", "warning", doc, c.metric_id, abs(change), abs(float(c.stated_change_wan)),
                                f"表述增减 {abs(float(c.stated_change_wan)):.2f} 万元，按 {amt:.2f} 与 {ref:.2f} 计算为 {abs(change):.2f} 万元",
                                str(c.raw_text or ""), page, subject=subject + "|amount"))
            if pd.notna(c.stated_pct) and ref:
                pct = round(abs(100 * change / ref), 2)
                if abs(abs(float(c.stated_pct)) - pct) > 0.1:
                    out.append(_row("claim.yoy", "warning", doc, c.metric_id, pct, abs(float(c.stated_pct)),
                                    f"表述增减 {abs(float(c.stated_pct))}%，按 {amt:.2f} 与 {ref:.2f} 计算为 {pct}%",
                                    str(c.raw_text or ""), page, subject=subject + "|pct"))
        elif c.claim_type == "share" and pd.notna(c.stated_pct) and ref:
            pct = round(100 * amt / ref, 2)
            if abs(float(c.stated_pct) - pct) > 0.1:
                out.append(_row("claim.share", "warning", doc, c.metric_id, pct, float(c.stated_pct),
                                f"表述占比 {float(c.stated_pct)}%，按 {amt:.2f} / {ref:.2f} 计算为 {pct}%",
                                str(c.raw_text or ""), page, subject=subject))
    return out


PRIOR_QUOTES = {"total.grand_prev": "total.grand", "gpb.expenditure_prev": "gpb.expenditure",
                "sangong.total_prev": "sangong.total", "admin.operating_cost_prev": "admin.operating_cost",
                "appropriation.grand_prev": "appropriation.grand"}


def _cross_year(docs: pd.DataFrame, values: pd.DataFrame) -> list[dict]:
    out = []
    amounts = values.dropna(subset=["amount_wan"]).set_index(["doc_id", "metric_id"]).amount_wan.astype(float)
    by_key = {(r.unit_id, int(r.fiscal_year), r.kind, r.scope): r.doc_id for r in docs.itertuples()
              if r.unit_id and pd.notna(r.fiscal_year)}
    for r in docs.itertuples():
        if not r.unit_id or pd.isna(r.fiscal_year):
            continue
        prev_doc = by_key.get((r.unit_id, int(r.fiscal_year) - 1, r.kind, r.scope))
        if not prev_doc:
            continue
        for quoted, current in PRIOR_QUOTES.items():
            q, p = amounts.get((r.doc_id, quoted)), amounts.get((prev_doc, current))
            if q is None or p is None:
                continue
            if abs(q - p) > 0.011:
                out.append(_row("cross_year.prior_quote", "warning", r._asdict(), quoted, p, q,
                                f"{int(r.fiscal_year)}年文件引用上年数 {q:.2f} 万元，{int(r.fiscal_year) - 1}年文件为 {p:.2f} 万元",
                                f"上年文件 {prev_doc}"))
    return out


def _cross_unit(docs: pd.DataFrame, values: pd.DataFrame, min_group: int = 5, threshold: float = 3.5) -> list[dict]:
    """Robust z-score (median/MAD of log ratio) of 三公 per staff within fiscal year × kind."""
    out = []
    piv = values.pivot_table(index="doc_id", columns="metric_id", values="value_num", aggfunc="first")
    if "sangong.total" not in piv or "staff.actual" not in piv:
        return out
    df = docs.set_index("doc_id").join(piv[["sangong.total", "staff.actual"]], how="inner")
    df = df[(df["sangong.total"] > 0) & (df["staff.actual"] > 0)]
    df["log_ratio"] = (df["sangong.total"] / df["staff.actual"]).map(math.log)
    for (_, _), g in df.groupby(["fiscal_year", "kind"]):
        if len(g) < min_group:
            continue
        med = g.log_ratio.median()
        mad = (g.log_ratio - med).abs().median() * 1.4826
        if mad <= 0:
            continue
        for doc_id, r in g.iterrows():
            z = (r.log_ratio - med) / mad
            if abs(z) > threshold:
                doc = {"doc_id": doc_id, "unit_name": r.unit_name, "fiscal_year": r.fiscal_year}
                per_staff = r["sangong.total"] / r["staff.actual"]
                out.append(_row("cross_unit.sangong_per_staff", "info", doc, "sangong.total",
                                round(math.exp(med), 4), round(per_staff, 4),
                                f"人均“三公”经费 {per_staff * 10000:.0f} 元，同组中位数 {math.exp(med) * 10000:.0f} 元（稳健z={z:.1f}，n={len(g)}）"))
    return out


EXPECTED_FINAL_TABLES = {"T01", "T02", "T03", "T04", "T05", "T06", "T07"}


def _completeness(doc: dict, table_ids: set[str]) -> list[dict]:
    if doc.get("kind") != "final_accounts" or not table_ids:
        return []  # narrative-only packages are a different product; no tables at all is reported by status
    missing = sorted(EXPECTED_FINAL_TABLES - table_ids)
    if not missing:
        return []
    return [_row("completeness.tables", "warning", doc, None, len(EXPECTED_FINAL_TABLES),
                 len(EXPECTED_FINAL_TABLES) - len(missing), f"未找到决算公开表：{'、'.join(missing)}",
                 subject="tables")]


def detect_anomalies(warehouse: Warehouse) -> pd.DataFrame:
    """Run every rule and replace the anomalies table; returns the new anomalies."""
    with warehouse.write() as con:
        migrate_connection(con)
        docs = con.execute("SELECT doc_id, unit_id, unit_name, fiscal_year, kind, scope FROM documents").df()
        values = con.execute("SELECT doc_id, metric_id, CAST(amount_wan AS DOUBLE) AS amount_wan, value_num "
                             "FROM metric_values").df()
        figs = con.execute("SELECT doc_id, figure_seq, metric_id, CAST(amount_wan AS DOUBLE) AS amount_wan, source, "
                           "page, raw_text FROM figures").df()
        claims = con.execute("SELECT doc_id, claim_seq, claim_type, metric_id, subject, page, raw_text, "
                             "CAST(amount_wan AS DOUBLE) AS amount_wan, CAST(reference_amount_wan AS DOUBLE) AS "
                             "reference_amount_wan, CAST(stated_change_wan AS DOUBLE) AS stated_change_wan, stated_pct "
                             "FROM claims").df()
        tables = con.execute("SELECT doc_id, list(table_id) AS ids FROM doc_tables GROUP BY doc_id").df()
        rows: list[dict] = []
        vals_by_doc = {d: dict(zip(g.metric_id, g.value_num)) for d, g in values.groupby("doc_id")}
        figs_by_doc = dict(list(figs.groupby("doc_id")))
        claims_by_doc = dict(list(claims.groupby("doc_id")))
        tables_by_doc = {r.doc_id: set(r.ids) for r in tables.itertuples()}
        for doc in docs.to_dict("records"):
            d = doc["doc_id"]
            vals = {k: float(v) for k, v in vals_by_doc.get(d, {}).items() if pd.notna(v)}
            rows += _doc_rules(doc, vals, doc.get("kind") == "budget")
            rows += _narrative_vs_table(doc, figs_by_doc.get(d, pd.DataFrame()))
            if d in claims_by_doc:
                rows += _claim_rules(doc, claims_by_doc[d])
            rows += _completeness(doc, tables_by_doc.get(d, set()))
        rows += _cross_year(docs, values)
        rows += _cross_unit(docs, values)
        result = pd.DataFrame(rows, columns=["fingerprint", "rule_id", "severity", "doc_id", "unit_name",
                                             "fiscal_year", "metric_id", "expected_value", "actual_value",
                                             "difference", "message", "evidence", "page"])
        result = result.drop_duplicates("fingerprint")
        result["detected_at"] = datetime.now(timezone.utc).replace(tzinfo=None)
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM anomalies")
        if len(result):
            con.register("new_anomalies", result)
            con.execute("INSERT INTO anomalies BY NAME SELECT * FROM new_anomalies")
            con.unregister("new_anomalies")
        con.execute("COMMIT")
    return result


def set_review(warehouse: Warehouse, fingerprint_: str, status: str, reviewer: str = "", note: str = "") -> None:
    if status not in ("open", "confirmed", "dismissed"):
        raise ValueError(f"review status must be open, confirmed or dismissed, not {status!r}")
    with warehouse.write() as con:
        migrate_connection(con)
        con.execute("INSERT OR REPLACE INTO anomaly_reviews VALUES (?, ?, ?, ?, now())",
                    [fingerprint_, status, reviewer, note])


def identity_failures(warehouse: Warehouse) -> tuple[int, list[dict]]:
    """The accounting-identity rules alone, for the blocking asset check: (documents checked, failures)."""
    with warehouse.read() as con:
        docs = con.execute("SELECT doc_id, unit_name, fiscal_year, kind FROM documents WHERE status <> 'failed'").df()
        values = con.execute("SELECT doc_id, metric_id, value_num FROM metric_values").df()
    by_doc = {d: dict(zip(g.metric_id, g.value_num)) for d, g in values.groupby("doc_id")}
    failures = []
    for doc in docs.to_dict("records"):
        vals = {k: float(v) for k, v in by_doc.get(doc["doc_id"], {}).items() if pd.notna(v)}
        failures += [r for r in _doc_rules(doc, vals, doc.get("kind") == "budget") if r["rule_id"].startswith("sum.")]
    return len(docs), failures

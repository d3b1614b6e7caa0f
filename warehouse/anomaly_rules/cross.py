"""Rules across documents: prior-year quotes and jumps within one unit, robust outliers across units."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import regex

from warehouse.anomaly_rules.base import finding

PRIOR_QUOTES = {"total.grand_prev": "total.grand", "gpb.expenditure_prev": "gpb.expenditure",
                "sangong.total_prev": "sangong.total", "admin.operating_cost_prev": "admin.operating_cost",
                "appropriation.grand_prev": "appropriation.grand"}


def _unit_docs(docs: pd.DataFrame) -> dict:
    # unit_id is NULL for an unresolved unit (no region): it has no previous year, so cross-year rules abstain
    return {(r.unit_id, int(r.fiscal_year), r.kind, r.scope): r.doc_id for r in docs.itertuples()
            if r.unit_id and pd.notna(r.fiscal_year)}


def quote_gaps(doc_id: str, other_doc: str, pairs: dict[str, str], amounts: pd.Series, where) -> list[tuple]:
    """(quoted metric, this document's figure, the other document's, page, text, other page) where a figure one
    document quotes differs from the other document's own (by more than a rounding step)."""
    out = []
    for quoted, own in pairs.items():
        q, p = amounts.get((doc_id, quoted)), amounts.get((other_doc, own))
        if q is None or p is None or abs(q - p) <= 0.011:
            continue
        page, text = where(doc_id, quoted)
        out.append((quoted, q, p, page, text, where(other_doc, own)[0]))
    return out


def prior_quotes(docs: pd.DataFrame, amounts: pd.Series, where) -> list[dict]:
    out = []
    by_key = _unit_docs(docs)
    for r in docs.itertuples():
        if not r.unit_id or pd.isna(r.fiscal_year):
            continue
        prev_doc = by_key.get((r.unit_id, int(r.fiscal_year) - 1, r.kind, r.scope))
        if not prev_doc:
            continue
        for quoted, q, p, page, text, ppage in quote_gaps(r.doc_id, prev_doc, PRIOR_QUOTES, amounts, where):
            out.append(finding("cross_year.prior_quote", r._asdict(), quoted, p, q,
                               f"{int(r.fiscal_year)}年文件引用上年数 {q:.2f} 万元，{int(r.fiscal_year) - 1}年文件为 "
                               f"{p:.2f} 万元（第{ppage or '?'}页）", f"{text}（上年文件 {prev_doc}）", page))
    return out


# Key totals whose year-on-year change beyond the threshold (and above a floor in 万元) is worth a look.
JUMP_METRICS = {"expenditure.total": (0.5, 50.0), "income.total": (0.5, 50.0), "gpb.expenditure": (0.5, 50.0),
                "sangong.total": (1.0, 5.0), "admin.operating_cost": (1.0, 20.0)}
_REASON = regex.compile(r"原因|主要是|主要用于|由于|因为|系")


def jumps(docs: pd.DataFrame, amounts: pd.Series, claims: pd.DataFrame, where) -> list[dict]:
    """YoY change of key totals beyond a threshold, against last year's document or the quoted prior-year
    figure, unless the document's own sentence about that change gives a reason (info only)."""
    out = []
    by_key = _unit_docs(docs)
    prev_of = {v: k for k, v in PRIOR_QUOTES.items()}
    # the document's own sentences about a change, looked up per (document, metric) rather than filtered each time
    yoy = claims[claims.claim_type == "yoy"] if len(claims) else claims
    reasons: dict[tuple, list] = {}
    for doc_id, metric, text in zip(yoy.get("doc_id", []), yoy.get("metric_id", []), yoy.get("raw_text", [])):
        reasons.setdefault((doc_id, metric), []).append(text)
    for r in docs.itertuples():
        if pd.isna(r.fiscal_year):
            continue
        prev_doc = by_key.get((r.unit_id, int(r.fiscal_year) - 1, r.kind, r.scope)) if r.unit_id else None
        for metric, (rel, floor) in JUMP_METRICS.items():
            cur = amounts.get((r.doc_id, metric))
            prev, source = (amounts.get((prev_doc, metric)), "上年文件") if prev_doc else (None, "")
            if prev is None and metric in prev_of:
                prev, source = amounts.get((r.doc_id, prev_of[metric])), "本文件所引上年数"
            if cur is None or prev is None or prev <= 0 or abs(cur - prev) < floor:
                continue
            change = (cur - prev) / prev
            if abs(change) <= rel:
                continue
            if any(_REASON.search(str(t or "")) for t in reasons.get((r.doc_id, metric), ())):
                continue
            page, text = where(r.doc_id, metric)
            out.append(finding("cross_year.jump", r._asdict(), metric, round(prev, 2), round(cur, 2),
                               f"{metric} 由 {prev:.2f} 万元变为 {cur:.2f} 万元（{change:+.0%}，比较{source}），"
                               f"未见说明原因", text, page))
    return out


# cross-unit intensity ratios: rule → (numerator, denominator, label, unit factor, unit label)
RATIOS = {
    "cross_unit.sangong_per_staff": ("sangong.total", "staff.actual", "人均“三公”经费", 10000, "元"),
    "cross_unit.vehicle_cost_per_vehicle": ("sangong.vehicle_operation", "sangong.vehicles_held", "单车运行费", 1,
                                            "万元"),
    "cross_unit.public_per_staff": ("gpb.public", "staff.actual", "人均公用经费", 1, "万元"),
}


def outliers(docs: pd.DataFrame, values: pd.DataFrame, where, min_peers: int = 5, threshold: float = 3.5,
             min_scale: float = 0.2, ratios: dict | None = None) -> list[dict]:
    """Robust z of log(ratio) against the unit's peers (same fiscal year × kind, the unit itself left
    out): median and MAD·1.4826 of the peers, the scale never below ``min_scale`` (log units) so a tight group
    does not turn ordinary differences into outliers. Fewer than ``min_peers`` peers: insufficient data, no
    finding."""
    out = []
    piv = values.pivot_table(index="doc_id", columns="metric_id", values="value_num", aggfunc="first")
    base = docs.set_index("doc_id")
    for rule_id, (num, den, label, factor, unit) in (ratios or RATIOS).items():
        if num not in piv or den not in piv:
            continue
        df = base.join(piv[[num, den]].rename(columns={num: "num_value", den: "den_value"}), how="inner")
        df = df[(df["num_value"] > 0) & (df["den_value"] > 0)].copy()
        df["log_ratio"] = np.log(df["num_value"] / df["den_value"])
        if "unit_id" in df:  # an unresolved unit (no region) is nobody's peer and has none (issue 18)
            df = df[df["unit_id"].notna()]
        # peer groups, finest first: year × kind × region level × unit type, then × unit type, then year × kind;
        # a document takes the finest one where it has enough peers (issue 18)
        extra = [c for c in ("region_level", "unit_type") if c in df]
        levels = [["fiscal_year", "kind"] + extra[:n] for n in range(len(extra), -1, -1)]
        units_all = df["unit_id"].to_numpy() if "unit_id" in df else np.arange(len(df))
        logs_all = df.log_ratio.to_numpy(dtype=float)
        groups = [df.groupby(keys, dropna=False).indices for keys in levels]
        member = [{j: idx for idx in g.values() for j in idx} for g in groups]
        for i, (doc_id, r) in enumerate(zip(df.index, df.itertuples(index=False))):
            peers = None
            for m in member:
                idx = m[i]
                mask = units_all[idx] != units_all[i]  # leave-one-out: the unit (and its twin files) is no peer
                if len(set(units_all[idx][mask])) >= min_peers:
                    peers = logs_all[idx][mask]
                    break
            if peers is None:  # fewer than min_peers peers at every level: insufficient data, no finding
                continue
            med = float(np.median(peers))
            scale = max(float(np.median(np.abs(peers - med))) * 1.4826, min_scale)
            z = (logs_all[i] - med) / scale
            if abs(z) <= threshold:
                continue
            n_val, d_val = r.num_value, r.den_value
            ratio = n_val / d_val
            page, text = where(doc_id, num)
            doc = {"doc_id": doc_id, "unit_name": r.unit_name, "fiscal_year": r.fiscal_year}
            out.append(finding(rule_id, doc, num, round(math.exp(med), 4), round(ratio, 4),
                               f"{label} {ratio * factor:,.2f} {unit}（{n_val:.2f} / {d_val:g}），"
                               f"同组中位数 {math.exp(med) * factor:,.2f} {unit}（稳健z={z:.1f}，同组 {len(peers)} 家，"
                               f"{'偏高' if z > 0 else '偏低'}）", text, page))
    return out

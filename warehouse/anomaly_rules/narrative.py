"""Narrative against tables (N1) and the narrative's own stated changes, shares and completion rates (N2, N3)."""
from __future__ import annotations

import pandas as pd
import regex

from warehouse.anomaly_rules.base import DocContext, finding, numbers_in, pct_tol
from warehouse.anomaly_rules.completeness import contradicted_pages

_TOKEN = regex.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")

_UNIT_TO_WAN = {"元": 0.0001, "万元": 1.0, "亿元": 10000.0}


def _narrative_tol(raw_text: str | None, value: float, unit: str | None) -> float:
    """How far a narrative amount may be from the table and still be the same figure: the half-unit of its
    printed precision ("17,192万元" is ±0.5 万元; "1.2亿元" is ±500 万元) plus the table's own ±0.005."""
    factor = _UNIT_TO_WAN.get(unit or "万元", 1.0)
    for token in _TOKEN.findall(raw_text or ""):
        n = float(token.replace(",", ""))
        if abs(n * factor - value) < 0.006 + 0.5 * factor:
            decimals = len(token.split(".")[1]) if "." in token else 0
            return max(0.011, 0.5 * 10 ** -decimals * factor + 0.005 + 1e-9)
    return 0.011


# table figures that are only the basic-spending part of the metric (T06 基本支出表's 30215 会议费 / 30216 培训费)
BASIC_ONLY = {("meeting.expenditure", "T06"), ("training.expenditure", "T06")}


# a narrative 基本支出/项目支出 may be the department's (every source) or its 一般公共预算财政拨款 part, by section
COUNTERPARTS = {"expenditure.basic": ("gpb.basic",), "expenditure.project": ("gpb.project",),
                "gpb.basic": ("expenditure.basic",), "gpb.project": ("expenditure.project",)}
_QUALIFIED = regex.compile(r"一般公共预算|财政拨款")


def narrative_vs_table(ctx: DocContext) -> list[dict]:
    """Each distinct narrative amount (per metric and page) that matches none of the metric's table values."""
    out, figs = [], ctx.figs
    if figs.empty:
        return out
    # plain records: this runs for every document, and per-metric pandas filtering dominated ingest time
    table_vals: dict[str, list[tuple[float, int | None]]] = {}
    basic_part: dict[str, list[tuple[float, int | None]]] = {}
    narrative: dict[str, list[dict]] = {}
    slipped_notes = contradicted_pages(ctx)
    for f in ctx.fig_records():
        v = f["amount_wan"]
        if v is None or v != v:  # NaN
            continue
        if v == 0 and f["source"] == "narrative" and f["page"] == f["page"] and f["page"] is not None \
                and int(f["page"]) in slipped_notes:
            continue  # "本表为空表" under a table with figures: completeness.note_contradicts_table says it once
        if f["source"] == "table" and (f["metric_id"], f.get("table_id")) in BASIC_ONLY:
            basic_part.setdefault(f["metric_id"], []).append((round(float(v), 2), f["page"]))
        elif f["source"] == "table":
            table_vals.setdefault(f["metric_id"], []).append((round(float(v), 2), f["page"]))
        elif f["source"] == "narrative":
            narrative.setdefault(f["metric_id"], []).append(f)
    # the 基本支出 table's 会议费/培训费 is the basic-spending part: a narrative total may add project spending to it
    # but cannot be smaller, so when no table gives the whole, only a narrative figure below the part is reported
    lower_bounds = {m: parts for m, parts in basic_part.items() if m not in table_vals}
    table_vals.update(lower_bounds)
    for metric in sorted(set(table_vals) & set(narrative)):
        tvals = sorted({v for v, _ in table_vals[metric]})
        # "其中：基本支出X" under the 财政拨款 section is the 财政拨款 figure: its counterpart's table value matches
        also = [v for m in COUNTERPARTS.get(metric, ()) for v, _ in table_vals.get(m, ())]
        tpage = table_vals[metric][0][1]
        tpage = int(tpage) if tpage is not None and tpage == tpage else None
        seen: dict[int | None, set[float]] = {}
        for n in sorted(narrative[metric], key=lambda f: f["figure_seq"]):
            v = round(float(n["amount_wan"]), 2)
            page = int(n["page"]) if n["page"] is not None and n["page"] == n["page"] else None
            tolerance = _narrative_tol(n["raw_text"], v, n.get("unit_as_printed"))
            # only a bare "基本支出X": a sentence that names 一般公共预算/财政拨款 itself is held to that figure
            bare = not _QUALIFIED.search(str(n["raw_text"] or ""))
            if min(abs(v - t) for t in tvals + (also if bare else [])) <= tolerance \
                    or v in seen.setdefault(page, set()):
                continue
            if metric in lower_bounds and v >= max(tvals) - tolerance:
                continue
            seen[page].add(v)
            tval = min(tvals, key=lambda t: abs(v - t))
            what = "表格中仅基本支出部分即为" if metric in lower_bounds else "表格"
            out.append(finding("narrative_vs_table", ctx.doc, metric, tval, v,
                               f"文字说明 {v:.2f} 万元，{what} {tval:.2f} 万元（第{tpage or '?'}页）",
                               str(n["raw_text"] or ""), page, subject=f"{metric}|p{page}|{len(seen[page])}"))
    return out


def _printed(x: float, nums: list[float], times: int = 1) -> bool:
    return sum(abs(n - x) < 0.006 for n in nums) >= times


def _pct_reconciles(nums: list[float], stated: float | None, pct: float, ref: float | None) -> bool:
    """Whether some amount printed in the sentence, taken as this year's figure, gives the stated percentage —
    against the stated change (previous = X − change) or against a printed reference."""
    for x in nums:
        if x in (abs(pct), abs(stated or 0)):
            continue
        if stated is not None and x != stated and \
                abs(abs(100 * stated / (x - stated)) - abs(pct)) <= pct_tol(abs(pct), abs(stated), x - stated):
            return True
        if ref and abs(abs(100 * (x - ref) / ref) - abs(pct)) <= pct_tol(abs(pct), abs(x - ref), ref):
            return True
    return False


# totals a stated share may be taken of: the extractor names one reference, the publisher may have used another
SHARE_BASES = ("total.grand", "income.total", "expenditure.total", "gpb.expenditure", "appropriation.grand",
               "sangong.total", "procurement.total", "gpb.basic")
# completion sentences whose zero budget the value rule (pct.zero_denominator on adopted values) reports
_VALUE_COMPLETION = {"sangong.total": ("sangong.budget", "sangong.completion_pct"),
                     "gpb.expenditure": ("gpb.budget", "gpb.completion_pct")}


# "…占（部门预算）项目支出总额的X%" (performance evaluation coverage) is a share of project spending
_PROJECT_BASES = ("expenditure.project", "gpb.project")


def _share_reconciles(ctx: DocContext, amt: float, pct: float, ref: float, text: str = "") -> bool:
    names = SHARE_BASES + (_PROJECT_BASES if "项目支出" in text else ())
    bases = {ref} | {ctx.vals[m] for m in names if ctx.vals.get(m)}
    return any(b and abs(100 * amt / b - pct) <= pct_tol(pct, amt, b) for b in bases)


def claim_rules(ctx: DocContext, suppress_sme_share: bool = False) -> list[dict]:
    out, doc = [], ctx.doc
    for c in ctx.claims.itertuples():
        page = int(c.page) if pd.notna(c.page) else None
        text = str(c.raw_text or "")
        subject = f"{c.claim_type}|{c.metric_id or c.subject}|{c.claim_seq}"
        pct = float(c.stated_pct) if pd.notna(c.stated_pct) else None
        if pd.isna(c.reference_amount_wan):
            continue
        ref = float(c.reference_amount_wan)
        covered = _VALUE_COMPLETION.get(c.metric_id)
        if covered and ctx.vals.get(covered[0]) == 0 and covered[1] in ctx.vals:
            continue  # reported once, from the adopted values
        if ref == 0 and pct and c.claim_type in ("completion", "share"):
            word = "完成预算" if c.claim_type == "completion" else "占比"
            out.append(finding("pct.zero_denominator", doc, c.metric_id, None, pct,
                               f"分母为 0，却表述{word} {pct}%", text, page, subject=subject))
            continue
        if pd.isna(c.amount_wan) or ref == 0:
            continue
        amt = float(c.amount_wan)
        if c.claim_type == "yoy":
            out += _yoy(ctx, c, amt, ref, pct, text, page, subject)
        elif c.claim_type == "share" and pct is not None:
            if suppress_sme_share and "中小企业" in str(c.subject or ""):
                continue  # the same stated share is checked against the adopted values by pct.procurement_sme
            if "项目支出" in text:  # the base the sentence names, not the extractor's default reference
                ref = next((ctx.vals[m] for m in _PROJECT_BASES if ctx.vals.get(m)), ref)
            computed = round(100 * amt / ref, 2)
            if not _share_reconciles(ctx, amt, pct, ref, text):
                out.append(finding("claim.share", doc, c.metric_id, computed, pct,
                                   f"表述占比 {pct}%，按 {amt:.2f} / {ref:.2f} 计算为 {computed}%", text, page,
                                   subject=subject))
        elif c.claim_type == "completion" and pct is not None and c.metric_id != "sangong.completion_pct":
            if c.metric_id == "sangong.total" and "sangong.completion_pct" in ctx.vals:
                continue  # checked against the 三公 table by pct.sangong_completion
            computed = round(100 * amt / ref, 2)
            if abs(pct - computed) > pct_tol(pct, amt, ref):
                out.append(finding("claim.completion", doc, c.metric_id, computed, pct,
                                   f"表述完成预算 {pct}%，按 {amt:.2f} / {ref:.2f} 计算为 {computed}%", text, page,
                                   subject=subject))
    return out


def _yoy(ctx, c, amt, ref, pct, text, page, subject) -> list[dict]:
    """A yoy sentence is checked only against figures it prints itself.

    The extract record may fill a claim's amount from the table (the sentence may quote another figure, or be
    about a sub-item the extractor attached to a total) and derive the reference as amount − stated change;
    such numbers say nothing about the sentence. So: the change is recomputed only when both amounts are printed
    in the sentence, the percentage only when one of them is and no printed figure reconciles it."""
    out, doc = [], ctx.doc
    nums = numbers_in(text)
    amt_p = _printed(amt, nums)
    ref_p = _printed(ref, nums, 2 if abs(amt - ref) < 0.006 else 1)
    if not (amt_p or ref_p):
        return out
    change = round(amt - ref, 2)
    stated = float(c.stated_change_wan) if pd.notna(c.stated_change_wan) else None
    if stated is not None and amt_p and ref_p:
        if abs(abs(stated) - abs(change)) > 0.02:
            out.append(finding("claim.yoy", doc, c.metric_id, abs(change), abs(stated),
                               f"表述增减 {abs(stated):.2f} 万元，按 {amt:.2f} 与 {ref:.2f} 计算为 {abs(change):.2f} 万元",
                               text, page, subject=subject + "|amount"))
        elif abs(change) > 0.02 and stated * change < 0:
            word, actual = ("增加", "减少") if stated > 0 else ("减少", "增加")
            out.append(finding("claim.yoy", doc, c.metric_id, change, stated,
                               f"表述为{word}，按 {amt:.2f} 与 {ref:.2f} 实为{actual} {abs(change):.2f} 万元", text,
                               page, subject=subject + "|direction"))
    if pct is not None and ref:
        computed = round(abs(100 * change / ref), 2)
        if abs(abs(pct) - computed) > pct_tol(abs(pct), abs(change), ref) and \
                not _pct_reconciles(nums, stated, pct, ref if ref_p else None):
            out.append(finding("claim.yoy", doc, c.metric_id, computed, abs(pct),
                               f"表述增减 {abs(pct)}%，按 {amt:.2f} 与 {ref:.2f} 计算为 {computed}%", text, page,
                               subject=subject + "|pct"))
    return out

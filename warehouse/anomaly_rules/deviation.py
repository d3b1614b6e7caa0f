"""决算 against 预算 inside one document, and the publisher's rounding note.

- A large deviation of 决算数 from 预算数 (三公 and its items, 一般公共预算财政拨款) is something reviewers expect
  the document to explain; where the sentence stating the figure and the few lines after it give no reason, the
  rule says so (info: a missing explanation is a disclosure gap, not an inconsistency).
- A publisher who notes that totals differ from the sum of their parts by rounding (尾差, 四舍五入) has told the
  reader so: an arithmetic gap of rounding size in that document is info, never an error.
"""
from __future__ import annotations

import regex

from warehouse.anomaly_rules.base import DocContext, finding

# 决算 metric → (预算 metric, subject as printed)
BUDGET_PAIRS = {"sangong.total": ("sangong.budget", "“三公”经费"),
                "sangong.abroad": ("sangong.abroad_budget", "因公出国（境）费"),
                "sangong.vehicle": ("sangong.vehicle_budget", "公务用车购置及运行费"),
                "sangong.reception": ("sangong.reception_budget", "公务接待费"),
                "gpb.expenditure": ("gpb.budget", "一般公共预算财政拨款支出")}
# the reason given for the 三公 total covers its items (publishers explain the section once)
SANGONG_ITEMS = ("sangong.abroad", "sangong.vehicle", "sangong.reception")
DEVIATION = 0.2  # |决算/预算 − 1| beyond this asks for a reason
FLOOR_WAN = 1.0  # and at least this much in 万元 (a 0.3 万元 接待费 against 0.2 is not worth a question)
WINDOW = 4  # lines after the stating line that still belong to its explanation
# 因 alone also starts 因公出国: only a 因 not followed by 公 counts
REASON = regex.compile(r"原因|主要是|主要用于|由于|因为|因(?!公)|系|得益于|严格|厉行节约|压减|压缩|节约|调整|增加了|减少了"
                       r"|新增|追加|未发生|未开展|未安排|疫情|按照")
ROUNDING_NOTE = regex.compile(r"尾差|四舍五入")
ROUNDING_GAP = 0.05  # the largest gap a rounding note explains (万元, 2 decimals: a few 0.01 steps)
ARITHMETIC = ("sum.", "items.hierarchy", "items.row_total", "cross_table.")


def _window(ctx: DocContext, page: int | None, text: str) -> str | None:
    """The stating line and the lines after it (same page), or None when the line is not found."""
    key = regex.sub(r"\s+", "", text or "")[:24]
    if not key:
        return None
    lines = [ln for ln in ctx.lines if page is None or ln.get("page") == page]
    flat = [regex.sub(r"\s+", "", str(ln.get("text") or "")) for ln in lines]
    for i, t in enumerate(flat):
        if key in t or (len(t) >= 12 and t in key):
            return "".join(flat[i:i + 1 + WINDOW])
    return None


def _reason_given(ctx: DocContext, metric: str) -> tuple[bool | None, int | None, str]:
    """(a reason follows the sentence stating ``metric``, its page, its text); None: no such sentence."""
    page, text = ctx.where(metric, "narrative")
    window = _window(ctx, page, text) if page is not None else None
    return (None if window is None else bool(REASON.search(window))), page, text


def unexplained_deviations(ctx: DocContext) -> list[dict]:
    if ctx.doc.get("kind") != "final_accounts" or not ctx.lines:
        return []
    out = []
    total_explained = _reason_given(ctx, "sangong.total")[0]
    if total_explained is None:  # the total read from its table only: any 三公-against-预算 sentence with a reason
        flat = [regex.sub(r"\s+", "", str(ln.get("text") or "")) for ln in ctx.lines]
        total_explained = any("三公" in t and "预算" in t and REASON.search("".join(flat[i:i + 1 + WINDOW]))
                              for i, t in enumerate(flat))
    for actual_m, (budget_m, subject) in BUDGET_PAIRS.items():
        actual, budget = ctx.vals.get(actual_m), ctx.vals.get(budget_m)
        if actual is None or budget is None or budget <= 0 or abs(actual - budget) < FLOOR_WAN \
                or abs(actual / budget - 1) <= DEVIATION or (actual_m in SANGONG_ITEMS and total_explained):
            continue
        given, page, text = _reason_given(ctx, actual_m)
        if given is not False:
            continue  # explained, or no sentence (tables only) to carry a reason
        dev = actual / budget - 1
        out.append(finding("deviation.no_reason", ctx.doc, actual_m, budget, actual,
                           f"{subject}决算 {actual:.2f} 万元较预算 {budget:.2f} 万元{'超出' if dev > 0 else '减少'}"
                           f"{abs(dev):.0%}，文字说明未见原因", text, page, subject=f"deviation|{actual_m}"))
    return out


def rounding_note_gate(ctx: DocContext, rows: list[dict]) -> list[dict]:
    """Arithmetic findings of rounding size become info in a document that notes its 尾差."""
    note = next(((ln.get("page"), str(ln.get("text") or "")) for ln in ctx.lines
                 if ROUNDING_NOTE.search(str(ln.get("text") or ""))), None)
    if note is None:
        return rows
    out = []
    for f in rows:
        gap = f.get("difference")
        if f["severity"] != "info" and f["rule_id"].startswith(ARITHMETIC) and gap is not None \
                and abs(gap) <= ROUNDING_GAP:
            f = {**f, "severity": "info",
                 "message": f"{f['message']}（文件第{note[0] or '?'}页注明尾差/四舍五入，差额在尾差范围内，仅提示）",
                 "evidence": f"{f.get('evidence') or ''}；{note[1][:60]}"}
        out.append(f)
    return out

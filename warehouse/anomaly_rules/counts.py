"""Counts that contradict amounts (research B.7 P2): cars without running costs and the reverse, receptions
without cost and the reverse. Both sides must be disclosed; a blank is never read as zero."""
from __future__ import annotations

from warehouse.anomaly_rules.base import DocContext, finding


def _cite(ctx: DocContext, *metrics: str) -> tuple[int | None, str]:
    for m in metrics:
        page, text = ctx.where(m, "narrative")
        if page is not None:
            return page, text
    for m in metrics:
        page, text = ctx.where(m)
        if page is not None:
            return page, text
    return None, ""


def count_rules(ctx: DocContext) -> list[dict]:
    out, v, doc = [], ctx.vals, ctx.doc
    cost, held = v.get("sangong.vehicle_operation"), v.get("sangong.vehicles_held")
    if cost is not None and held is not None:
        page, text = _cite(ctx, "sangong.vehicles_held", "sangong.vehicle_operation")
        if cost > 0.005 and held == 0:
            out.append(finding("count.vehicles", doc, "sangong.vehicle_operation", 0, cost,
                               f"公务用车保有量为 0 辆，公务用车运行费却为 {cost:.2f} 万元", text, page,
                               subject="cost_without_vehicles"))
        elif held > 0 and cost == 0:
            out.append(finding("count.vehicles", doc, "sangong.vehicles_held", 0, held,
                               f"公务用车保有量 {int(held)} 辆，公务用车运行费为 0", text, page,
                               subject="vehicles_without_cost", severity="info"))
    cost, batches = v.get("sangong.reception"), v.get("sangong.reception_batches")
    if batches is not None and "sangong.foreign_reception_batches" in v:
        batches += v["sangong.foreign_reception_batches"]
    if cost is not None and batches is not None:
        page, text = _cite(ctx, "sangong.reception_batches", "sangong.reception")
        if batches > 0 and cost == 0:
            out.append(finding("count.reception", doc, "sangong.reception_batches", 0, batches,
                               f"公务接待 {int(batches)} 批次，公务接待费却为 0", text, page,
                               subject="batches_without_cost"))
        elif cost > 0.005 and batches == 0:
            out.append(finding("count.reception", doc, "sangong.reception", 0, cost,
                               f"公务接待费 {cost:.2f} 万元，公务接待批次却为 0", text, page,
                               subject="cost_without_batches"))
    return out

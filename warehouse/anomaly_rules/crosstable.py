"""The same 功能分类 科目 across tables (B.7 X1–X3): T05 (一般公共预算财政拨款支出) is part of T03 (支出, every source),
so each 项 T05 prints with an amount must be in T03, and never larger there than T03's 合计 for it. A difference
of at most 0.01 per level is the publishers' rounding (尾差) and reported as info, not as an error."""
from __future__ import annotations

from warehouse.anomaly_rules.base import DocContext, finding
from warehouse.anomaly_rules.items import cells_of, mapped_tables

_MIN_ITEMS = 3  # a T03 with fewer coded 项 rows was not read row by row: nothing to compare


def item_rows_across_tables(ctx: DocContext, misread: frozenset = frozenset()) -> list[dict]:
    if "T03" in misread or "T05" in misread:
        return []
    t03, t05 = cells_of(ctx, "T03"), cells_of(ctx, "T05")
    all_codes = {c for _, c in t03.cells}
    if len(t03.codes("total", 7)) < _MIN_ITEMS or not t05.codes("total", 7):
        return []
    # a code-less T03 got its codes from the 科目 list by name: where the list's code for a name differs from the
    # one T05 prints (a 项 renumbered across years), the same name is the same row
    by_name = {name: code for (column, code), (_, _, name) in t03.cells.items()
               if column == "total" and len(code) == 7 and name} if "T03" in mapped_tables(ctx) else {}
    out = []
    for code in t05.codes("total", 7):
        part = t05.get("total", code)
        if part is None or part[0] <= 0.005:
            continue
        t03_code = code if code in all_codes else by_name.get(part[2], code)
        whole = t03.get("total", t03_code)
        if t03_code not in all_codes:
            out.append(finding("cross_table.item_missing", ctx.doc, None, part[0], None,
                               f"T05 列有 {code} {part[2]} {part[0]:.2f} 万元，T03 支出决算表中未见该科目",
                               f"T05 第{part[1] or '?'}页：{code} {part[2]} {part[0]:.2f}", part[1],
                               subject=f"missing|{code}"))
        elif whole is not None and part[0] > whole[0] + 0.005:
            gap = round(part[0] - whole[0], 2)
            rounding = gap <= 0.011
            out.append(finding("cross_table.item_exceeds", ctx.doc, None, whole[0], part[0],
                               f"{code} {part[2]}：T05 一般公共预算财政拨款支出 {part[0]:.2f} > T03 合计 {whole[0]:.2f}"
                               + ("（差 0.01，尾差）" if rounding else ""),
                               f"T05 第{part[1] or '?'}页 {part[0]:.2f}；T03 第{whole[1] or '?'}页 {whole[0]:.2f}",
                               part[1], subject=f"exceeds|{code}", severity="info" if rounding else None))
    return out

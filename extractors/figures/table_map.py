"""Dispatch the recognised tables (T01…T09) to their mappers; collect figures, line items, table summaries."""
from __future__ import annotations

from pathlib import Path

from extractors.figures import table_class, table_t06, table_t07, table_totals
from extractors.figures.tables import build_views
from schemas.document import Document


def map_tables(doc: Document, kind: str | None, errors: list[str]) -> dict:
    views = build_views(doc)
    figs, items, summaries = [], [], []
    seen: set[str] = set()
    for v in views:
        if not v.tid:
            continue
        rows = max(0, len(v.grid) - v.header_rows)
        same = next((s for s in summaries if s["table"] == v.tid and set(s["pages"]) & set(v.pages)), None)
        if same:  # the other panel of a split two-panel table
            same["rows"] = max(same["rows"], rows)
            same["pages"] = sorted(set(same["pages"]) | set(v.pages))
        else:
            summaries.append({"table": v.tid, "title": v.title, "pages": v.pages, "unit_as_printed": v.unit,
                              "rows": rows})
        first = same is not None or v.tid not in seen  # a second copy of a table (an annex) ranks lower
        seen.add(v.tid)
        try:
            if v.tid in ("T01", "T04"):
                f = table_totals.read_panel_table(v)
                li = []
            elif v.tid in ("T02", "T03", "T05", "T08", "T09"):
                f, li = table_class.read_class_table(v)
            elif v.tid == "T06":
                f, li = table_t06.read_t06(v)
            else:
                f, li = table_t07.read_t07(v, kind), []
        except Exception as e:  # noqa: BLE001 — one table must not sink the document
            errors.append(f"table {v.tid} p{v.pages[0]}: {type(e).__name__}: {e} "
                          f"({Path(e.__traceback__.tb_frame.f_code.co_filename).name})")
            continue
        if not first:
            for x in f:
                x["_rank"] = x.get("_rank", 0) + 5
        figs += f
        items += li
    return {"figures": figs, "line_items": items, "tables": summaries}

"""Dispatch the recognised tables (T01…T10) to their mappers; collect figures, line items, table summaries."""
from __future__ import annotations

from pathlib import Path

import regex

from extractors.figures import table_blank_total, table_class, table_procurement, table_t06, table_t07, table_totals
from extractors.figures.numbers import parse_number
from extractors.figures.tables import build_views, is_amount_row, is_column_number_row
from schemas.document import Document

_IN_TABLE_NOTE = regex.compile(r"^(?:注|说明|备注)[：:]|无数据|空表|不涉及|无发生额|未发生|本表为空")


def _notes(v) -> list[str]:
    """Notes printed under the table, plus note rows printed inside its frame (a merged "本表无数据" row)."""
    out: list[str] = []
    candidates = [n for t in v.tables for n in (getattr(t, "notes", None) or [])]
    candidates += [x for row in v.grid[v.header_rows:] for x in row if x and len(x) >= 4 and _IN_TABLE_NOTE.search(x)]
    for n in candidates:
        n = " ".join((n or "").split())
        if n and n not in out:
            out.append(n)
    return out


def _empty(v) -> bool:
    """No non-zero amount in the body (栏次 rows and codes are not amounts)."""
    for row in v.grid[v.header_rows:]:
        if is_column_number_row(row):
            continue
        for x in row:
            if x and is_amount_row([x]) and parse_number(x):  # "12.50", "1,234": never a bare code
                return False
    return True


def map_tables(doc: Document, kind: str | None, errors: list[str], fiscal_year: int | None = None) -> dict:
    views = build_views(doc)
    figs, items, summaries, conditional = [], [], [], []
    seen: set[str] = set()
    for v in views:
        if table_procurement.is_procurement_budget(v, kind):
            figs += table_procurement.read_procurement(v)
        if not v.tid:
            continue
        rows = max(0, len(v.grid) - v.header_rows)
        same = next((s for s in summaries if s["table"] == v.tid and set(s["pages"]) & set(v.pages)), None)
        if same:  # the other panel of a split two-panel table
            same["rows"] = max(same["rows"], rows)
            same["pages"] = sorted(set(same["pages"]) | set(v.pages))
            same["notes"] += [n for n in _notes(v) if n not in same["notes"]]
            same["empty"] = same["empty"] and _empty(v)
        else:
            summaries.append({"table": v.tid, "title": v.title, "pages": v.pages, "unit_as_printed": v.unit,
                              "rows": rows, "notes": _notes(v), "empty": _empty(v)})
        first = same is not None or v.tid not in seen  # a second copy of a table (an annex) ranks lower
        seen.add(v.tid)
        if first:
            conditional += table_blank_total.blank_total_parts(v)
        try:
            if v.tid in ("T01", "T04"):
                f = table_totals.read_panel_table(v)
                li = []
            elif v.tid in ("T02", "T03", "T05", "T08", "T09"):
                f, li = table_class.read_class_table(v, fiscal_year)
            elif v.tid in ("T06", "T10"):
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
    from extractors.figures.table_empty import empty_table_zeros

    figs += empty_table_zeros(doc, summaries)
    return {"figures": figs, "line_items": items, "tables": summaries, "conditional": conditional}

"""Disclosure completeness: the tables a 部门决算 must publish (research C.5 item 7).

Empty tables must carry a note (本表无数据/空表说明). When the extractor did not report a table's notes (NULL),
that half of the rule cannot be decided and says nothing rather than guessing.
"""
from __future__ import annotations

import regex

from warehouse.anomaly_rules.base import DocContext, finding

# what publishers write under an empty table: 本表无数据 / 本部门不涉及…故公开空表 / 本单位无政府性基金…收入，也没有…支出
_EMPTY_NOTE = regex.compile(r"无数据|空表|不涉及|没有|无[^，。；]{0,30}(?:收入|支出|安排|经费|发生额|数据)|为空|未发生|无此"
                         r"|无发生额|本年无|无相关")

EXPECTED_FINAL_TABLES = {"T01", "T02", "T03", "T04", "T05", "T06", "T07"}


# an empty table is also explained when the narrative states its subject as zero ("本单位无政府性基金…支出")
_EXPLAINED_BY = {"T07": "sangong.total", "T08": "gf.expenditure", "T09": "soe.expenditure"}


# ... or when the text states the table's subject as absent or zero in one clause ("本单位无政府性基金预算" in a
# 目录 with 公开空表理由; "政府性基金拨款支出预算为0"); the figure itself may not be a catalogued metric
_SUBJECTS = {"T05": "一般公共预算", "T06": "一般公共预算", "T07": "三公", "T08": "政府性基金", "T09": "国有资本经营"}
_ABSENT_BEFORE = regex.compile(r"(?:无|没有|未安排|未发生|不涉及)[^，。；]{0,12}$")
_ZERO_AFTER = regex.compile(r"^[^，。；]{0,24}?(?:为|均为|是)(?:0(?:\.0+)?|零)(?:万?元)?$")
_CLAUSE = regex.compile(r"[，。；,;]")


def _stated_absent(ctx: DocContext, table_id: str) -> bool:
    subject = _SUBJECTS.get(table_id)
    if not subject or not ctx.lines:
        return False
    if "clauses" not in ctx.cache:
        text = "".join(regex.sub(r"\s+", "", str(ln.get("text") or "")) for ln in ctx.lines)
        ctx.cache["clauses"] = [c for c in _CLAUSE.split(text) if c]
    return any(_ABSENT_BEFORE.search(clause[:m.start()]) or _ZERO_AFTER.match(clause[m.end():])
               for clause in ctx.cache["clauses"] if subject in clause for m in regex.finditer(subject, clause))


_UNREAD = regex.compile(r"were not read: \[([\d, ]*)")


def unread_pages(ctx: DocContext) -> set[int]:
    """Pages the reader could not read (no text layer, OCR not run or out of time), from the document's errors."""
    errors = ctx.doc.get("errors")
    pages: set[int] = set()
    for e in (list(errors) if errors is not None and not isinstance(errors, str) else [errors or ""]):
        for m in _UNREAD.finditer(str(e)):
            pages |= {int(p) for p in m.group(1).replace(" ", "").split(",") if p}
    return pages


def empty_without_note(ctx: DocContext) -> list[dict]:
    out = []
    if ctx.tables and all(t.get("is_empty") is True for t in ctx.tables.values()):
        return out  # every table blank: a template or unread numbers, not a missing note (status says which)
    unread = unread_pages(ctx)
    for table_id, t in sorted(ctx.tables.items()):
        if ctx.vals.get(_EXPLAINED_BY.get(table_id, "")) == 0:
            continue
        notes = t.get("notes")
        pages = t.get("pages")
        pages = [int(p) for p in pages] if pages is not None else []
        if t.get("is_empty") is True and (t.get("n_rows") == 0 or set(pages) & unread):
            # a table that was not read says nothing about whether it is empty: insufficient data, not a finding
            out.append(finding("completeness.table_unread", ctx.doc, None, None, None,
                               f"{table_id} 未能读取（{'所在页未识别' if set(pages) & unread else '未读出表格行'}），"
                               "数据不足，不判断是否为空表", "", pages[0] if pages else None, subject=table_id))
            continue
        if notes is None or t.get("is_empty") is not True:
            continue
        if any(_EMPTY_NOTE.search(n or "") for n in notes) or _stated_absent(ctx, table_id):
            continue
        pages = t.get("pages")
        page = int(pages[0]) if pages is not None and len(pages) else None
        out.append(finding("completeness.empty_table_note", ctx.doc, None, None, None,
                           f"{table_id} 为空表，但表下没有说明（如“本表无数据”“本部门不涉及…”）",
                           "；".join(notes) or "（表下无文字）", page, subject=table_id))
    return out


# a note that says outright the table has no data (not "不涉及…" about one of its rows)
_SAYS_EMPTY = regex.compile(r"本表为空表|故本表为空|公开空表|本表无数据|本表无发生额")


def _contradicted(ctx: DocContext) -> list[tuple[str, dict, str]]:
    """Tables with figures whose own note says they are empty: (table id, table, the note)."""
    out = []
    for table_id, t in sorted(ctx.tables.items()):
        if t.get("is_empty") is not False:
            continue
        notes = t.get("notes")
        note = next((n for n in (list(notes) if notes is not None else []) if _SAYS_EMPTY.search(n or "")), None)
        if note:
            out.append((table_id, t, note))
    return out


def contradicted_pages(ctx: DocContext) -> set[int]:
    """Pages of such tables: a zero read from their note is the note's slip, reported once here, not per figure."""
    return {int(p) for _, t, _ in _contradicted(ctx) for p in (t.get("pages") if t.get("pages") is not None else [])}


def note_contradicts_table(ctx: DocContext) -> list[dict]:
    out = []
    for table_id, t, note in _contradicted(ctx):
        pages = t.get("pages")
        page = int(pages[0]) if pages is not None and len(pages) else None
        out.append(finding("completeness.note_contradicts_table", ctx.doc, None, None, None,
                           f"{table_id} 表下注明为空表，但表中有数据（可能沿用了模板或上年的说明）", note, page,
                           subject=table_id))
    return out


def completeness(ctx: DocContext) -> list[dict]:
    out = empty_without_note(ctx) + note_contradicts_table(ctx)
    doc = ctx.doc
    if doc.get("kind") != "final_accounts" or not ctx.tables:
        return out  # narrative-only packages are a different product; no tables at all is reported by status
    missing = sorted(EXPECTED_FINAL_TABLES - set(ctx.tables))
    if not missing:
        return out
    return out + [finding("completeness.tables", doc, None, len(EXPECTED_FINAL_TABLES),
                    len(EXPECTED_FINAL_TABLES) - len(missing), f"未找到决算公开表：{'、'.join(missing)}",
                    f"识别到：{'、'.join(sorted(ctx.tables))}", subject="tables")]

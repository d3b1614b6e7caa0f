"""Empty fund tables explained as such: the subject they would show is 0.

A 政府性基金 (T08) or 国有资本经营 (T09) table published empty, with the reason printed under it ("本单位无政府性基金
预算安排的支出，故此表无数据") or in the 目录's 是否空表 | 公开空表理由 columns (陕西: "表9 … | 是 | 本单位无政府性基金预算"),
states that the department has no such spending: the extract contract's explicit zero. A reason that does not
name the fund ("本表无数据") states nothing, and a table with amounts is read as a table.
"""
from __future__ import annotations

import regex

from extractors.figures.records import figure
from extractors.figures.textstream import clean
from schemas.catalog import identify_table_title
from schemas.document import Document

_FUND = {"T08": ("政府性基金", "gf.expenditure"), "T09": ("国有资本经营", "soe.expenditure")}
_NONE = r"(?:无|没有|未安排|不涉及|未使用)"


# the template's instruction to the filer ("无政府性基金预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明")
# is a condition, not a statement about this unit
_INSTRUCTION = regex.compile(r"的[，,]|仍保留|下述说明|如无|若无|如没有|若没有")


def _states_none(reason: str, fund: str) -> bool:
    reason = clean(reason)
    return bool(regex.search(_NONE + r"[^。；，,]{0,8}?" + fund, reason)) and not _INSTRUCTION.search(reason)


def _catalogue_reasons(doc: Document) -> list[tuple[str, str, int, tuple | None]]:
    """(table id, reason, page, bbox) of the 目录 rows marked 是 (empty) with a reason."""
    out = []
    for t in doc.tables:
        if t.table_id is not None:
            continue
        grid = t.grid()
        if not any("空表" in (c or "") for row in grid[:3] for c in row):
            continue
        for r, row in enumerate(grid):
            cells = [clean(c or "") for c in row]
            if "是" not in cells:
                continue
            tid = next((x for c in cells if (x := identify_table_title(c))), None)
            reason = cells[-1] if cells[-1] != "是" else ""
            if tid and reason:
                cell = t.cell_at(r, len(row) - 1)
                out.append((tid, reason, (cell.page if cell else None) or t.page,
                            (cell.bbox if cell else None) or t.bbox))
    return out


def empty_table_zeros(doc: Document, summaries: list[dict]) -> list[dict]:
    figs: list[dict] = []
    printed = {s["table"]: s for s in summaries}
    frame = {t.table_id: t.bbox for t in doc.tables if t.table_id}  # the empty table's frame for a note under it
    reasons = [(s["table"], n, s["pages"][0], frame.get(s["table"])) for s in summaries if s.get("empty")
               for n in s.get("notes") or []]
    reasons += [x for x in _catalogue_reasons(doc) if x[0] not in printed or printed[x[0]].get("empty")]
    done: set[str] = set()
    for tid, reason, page, bbox in reasons:
        if tid not in _FUND or tid in done:
            continue
        fund, metric = _FUND[tid]
        if _states_none(reason, fund):
            done.add(tid)
            figs.append(figure(metric, 0.0, source="table", table=tid, page=page, bbox=bbox, text=reason, rank=2))
    return figs

"""Disclosure completeness: the tables a 部门决算 must publish (research C.5 item 7).

Empty tables must carry a note (本表无数据/空表说明); the extract record does not expose table notes yet, so
that half of the rule cannot be decided and says nothing rather than guessing.
"""
from __future__ import annotations

from warehouse.anomaly_rules.base import DocContext, finding

EXPECTED_FINAL_TABLES = {"T01", "T02", "T03", "T04", "T05", "T06", "T07"}


def completeness(ctx: DocContext) -> list[dict]:
    doc = ctx.doc
    if doc.get("kind") != "final_accounts" or not ctx.tables:
        return []  # narrative-only packages are a different product; no tables at all is reported by status
    missing = sorted(EXPECTED_FINAL_TABLES - set(ctx.tables))
    if not missing:
        return []
    return [finding("completeness.tables", doc, None, len(EXPECTED_FINAL_TABLES),
                    len(EXPECTED_FINAL_TABLES) - len(missing), f"未找到决算公开表：{'、'.join(missing)}",
                    f"识别到：{'、'.join(sorted(ctx.tables))}", subject="tables")]

"""Figures: turn a ``schemas.document.Document`` into the extract record (``shared/spec/extract-output.md``).

    extract_document(doc) -> dict   # {"document", "values", "figures", "line_items", "tables", "claims"}
    extract_file(path) -> dict      # read_document + extract_document; DocumentError propagates

Pure Python, no dagster. Each rule family (identity, tables, narrative sections, line items, claims) runs
inside its own guard: an exception there is recorded in ``document.errors`` and the status becomes
``partial`` instead of failing the whole document.

Claims (``record["claims"]``, for the anomaly rules) are narrative numeric statements:

    {"claim_type": "yoy" | "share" | "completion",
     "metric": metric id or None, "subject": label as printed,
     "page": int, "text": the clause,
     "amount": the current amount (万元) the statement is about, or None,
     "reference_amount": the comparison amount (prior year / denominator / budget) in 万元, or None,
     "stated_change": signed change in 万元 (yoy), or None,
     "stated_pct": signed percentage as printed (yoy growth, share, completion rate), or None,
     "direction": "increase" | "decrease" | "flat" | None,
     "reference": "prior_year" | "total" | "年初预算" | "全年预算" | "调整预算" | "预算" | …}
"""
from __future__ import annotations

from extractors.figures.extract import extract_document, extract_file

__all__ = ["extract_document", "extract_file"]

"""Synthetic corpus factory: realistic fictional 部门决算 documents (PDF, DOCX) with exact known values.

Used by ``make demo``, by every package's tests and by benchmarks. Pure Python (reportlab, python-docx).

    build_corpus(out_dir, units=6, years=(2023, 2024), formats=("pdf", "docx"), templates=None, seed=7)
    build_unit_models(units, years, templates, seed) -> [[UnitModel per year] per unit]
    generate_document(unit_model, template, fmt, path) -> truth dict
"""
from __future__ import annotations

from .corpus import build_corpus, generate_document
from .generator import TEMPLATE_ORDER, build_unit_models
from .model import UnitModel, check_identities
from .templates import TEMPLATES

__all__ = ["TEMPLATES", "TEMPLATE_ORDER", "UnitModel", "build_corpus", "build_unit_models", "check_identities",
           "generate_document"]

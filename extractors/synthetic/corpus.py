"""Build a whole synthetic corpus: models → planted anomalies → documents (PDF/DOCX) + truth files + manifest."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .anomalies import plant
from .generator import TEMPLATE_ORDER, build_unit_models
from .model import UnitModel
from .render_docx import render_docx
from .render_pdf import render_pdf
from .templates import TEMPLATES
from .truth import truth_record

RENDERERS = {"pdf": render_pdf, "docx": render_docx}


def generate_document(unit_model: UnitModel, template: str | None, fmt: str, path) -> dict:
    """Render one unit-year with a template to ``path`` and write ``<stem>.truth.json`` beside it."""
    path = Path(path)
    template = template or unit_model.template
    doc = TEMPLATES[template].build(unit_model)
    layout = RENDERERS[fmt](doc, path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    truth = truth_record(doc, fmt, template, layout, path.name, digest)
    truth_path = path.with_name(f"{path.stem}.truth.json")
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truth


def build_corpus(out_dir, *, units: int = 6, years=(2023, 2024), formats=("pdf", "docx"), templates=None,
                 seed: int = 7, anomalies: bool = True) -> list[dict]:
    """Generate ``units`` × ``years`` × ``formats`` documents; returns one manifest record per file."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = list(templates or TEMPLATE_ORDER)
    unknown = [t for t in names if t not in TEMPLATES]
    if unknown:
        raise ValueError(f"unknown templates {unknown}; available: {sorted(TEMPLATES)}")
    series = build_unit_models(units=units, years=years, templates=names, seed=seed)
    if anomalies:
        plant(series, seed)
    manifest = []
    for index, unit_series in enumerate(series):
        for model in unit_series:
            for fmt in formats:
                # the format is part of the stem so the PDF and DOCX twins each get their own truth file
                stem = f"u{index:03d}_{model.key}_{model.fiscal_year}_{model.template}_{fmt}"
                path = out / f"{stem}.{fmt}"
                truth = generate_document(model, model.template, fmt, path)
                manifest.append({"path": str(path), "truth_path": str(path.with_name(f"{stem}.truth.json")),
                                 "unit_name": model.unit_name, "fiscal_year": model.fiscal_year,
                                 "template": model.template, "format": fmt, "scope": model.scope,
                                 "anomalies": [a["rule"] for a in truth["anomalies"]]})
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest

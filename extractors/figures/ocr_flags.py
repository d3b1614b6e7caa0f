"""Figures and line items read from OCR'd pages carry ``ocr: true`` and a ``confidence`` in [0, 1].

A table figure takes its cell's confidence, set by the reader's arithmetic check (``ocr_check``): at least
``OCR_CONFIDENT`` when an identity of its table confirmed the reading. Beyond one table, two independent
readings that agree confirm each other: the same amount for the same metric in another table or page (T01's
totals against T02/T03's, a narrative sentence against its table), or a narrative figure that equals a
confirmed table figure. A figure nothing confirms keeps a low confidence; anomaly rules read it as
insufficient evidence for an error-level finding.
"""
from __future__ import annotations

from schemas.document import OCR_CONFIDENT, Document

_UNCONFIRMED = 0.5


def _cell_confidences(doc: Document) -> dict:
    from extractors.documents.ocr_check import cell_key

    out = {}
    for t in doc.tables:
        if t.ocr:
            for c in t.cells:
                if c.bbox is not None and c.conf is not None:
                    out[cell_key(c.page or t.page, c.bbox)] = c.conf
    return out


def _line_confidence(doc: Document, page: int, bbox) -> float | None:
    if bbox is None:
        return None
    vals = [ln.conf for ln in doc.lines if ln.page == page and ln.ocr and ln.conf is not None and ln.bbox
            and ln.bbox[1] < bbox[3] and bbox[1] < ln.bbox[3]]
    return min(vals) if vals else None


def _own_confidence(item: dict, doc: Document, cells: dict) -> float:
    from extractors.documents.ocr_check import lookup

    page, bbox = item.get("page"), item.get("bbox")
    if item.get("derived"):
        return _UNCONFIRMED
    if item.get("source", "table") == "table" and item.get("table") != "narrative":
        conf = lookup(cells, page, bbox) if bbox else None
    else:
        conf = _line_confidence(doc, page, bbox)
        conf = None if conf is None else min(conf, _UNCONFIRMED)  # no identity checks a sentence's numbers
    return round(conf, 4) if conf is not None else _UNCONFIRMED


def annotate(doc: Document, figures: list[dict], line_items: list[dict]) -> None:
    """Set ``ocr``/``confidence`` on every figure and line item whose page was OCR'd (in place)."""
    ocr_pages = {p.number for p in doc.pages if p.ocr}
    if not ocr_pages:
        return
    cells = _cell_confidences(doc)
    items = [x for x in (*figures, *line_items) if x.get("page") in ocr_pages]
    for x in items:
        x["ocr"] = True
        x["confidence"] = _own_confidence(x, doc, cells)
    _agreement([f for f in figures if f.get("ocr") and isinstance(f.get("value"), (int, float))])


def _agreement(figs: list[dict]) -> None:
    """Independent readings of one metric that agree confirm each other; a narrative figure equal to a
    confirmed table figure of the same metric is confirmed."""
    by_metric: dict[str, list[dict]] = {}
    for f in figs:
        if not f.get("derived"):
            by_metric.setdefault(f["metric"], []).append(f)
    for group in by_metric.values():
        for f in group:
            if f["confidence"] >= OCR_CONFIDENT:
                continue
            agree = [g for g in group if g is not f and abs(g["value"] - f["value"]) < 0.005
                     and (g.get("page"), g.get("bbox")) != (f.get("page"), f.get("bbox"))]
            confirmed = [g for g in agree if g["confidence"] >= OCR_CONFIDENT]
            if confirmed or any(g.get("page") != f.get("page") or g.get("source") != f.get("source") for g in agree):
                f["confidence"] = round(max(OCR_CONFIDENT, f["confidence"]), 4)

"""Evidence quality gates: how far a finding can be trusted given how its operands were read.

A figure read by OCR (a scanned page) may be a misread digit (244.60 read as 4244.60): an arithmetic
inconsistency computed from it is a reason to look at the page, not an error of the publisher. So a finding
whose metric was adopted from an OCR reading, or that cites an OCR'd page, is at most a warning and says so;
below the confirmation threshold (schemas.document.OCR_CONFIDENT) it also says the reading is uncertain.
"""
from __future__ import annotations

from schemas.document import OCR_CONFIDENT
from warehouse.anomaly_rules.base import DocContext


def _page(v) -> int | None:
    return int(v) if v is not None and v == v else None


def _true(v) -> bool:
    return v is not None and v == v and bool(v)  # DuckDB frames give numpy bools and NaN for NULL


def _conf(v) -> float | None:
    return float(v) if v is not None and v == v else None


def ocr_pages(ctx: DocContext) -> dict[int, float | None]:
    """Pages with OCR'd figures, line items or lines → the lowest confidence seen there (None: not given)."""
    if "ocr_pages" in ctx.cache:
        return ctx.cache["ocr_pages"]
    pages: dict[int, float | None] = {}

    def add(page, conf):
        p = _page(page)
        if p is None:
            return
        c = _conf(conf)
        if p not in pages:
            pages[p] = c
        elif c is not None:
            pages[p] = c if pages[p] is None else min(pages[p], c)

    for f in ctx.fig_records():
        if _true(f.get("ocr")):
            add(f.get("page"), f.get("confidence"))
    if len(ctx.items) and "ocr" in ctx.items:
        for page, ocr, conf in zip(ctx.items["page"], ctx.items["ocr"], ctx.items.get("confidence", [])):
            if _true(ocr):
                add(page, conf)
    for ln in ctx.lines:
        if _true(ln.get("ocr")):
            add(ln.get("page"), ln.get("confidence"))
    ctx.cache["ocr_pages"] = pages
    return pages


def _reading(ctx: DocContext, f: dict) -> tuple[bool, float | None]:
    """(read by OCR, lowest confidence) of the finding's operands: its metric's adopted value and its page."""
    ocr, conf = ctx.value_reading.get(f.get("metric_id") or "", (False, None))
    pages = ocr_pages(ctx)
    page = _page(f.get("page"))
    if page in pages:
        ocr = True
        pc = pages[page]
        conf = pc if conf is None else (min(conf, pc) if pc is not None else conf)
    return ocr, conf


def evidence_gate(ctx: DocContext, rows: list[dict]) -> list[dict]:
    """Cap findings on OCR'd operands at warning, with the reason in the message."""
    if not ctx.value_reading and not ocr_pages(ctx):
        return rows
    out = []
    for f in rows:
        ocr, conf = _reading(ctx, f)
        if not ocr:
            out.append(f)
            continue
        low = conf is None or conf < OCR_CONFIDENT
        why = "所涉数值来自OCR识别" + ("且置信度低" if low else "") + "，仅作警告，请对照原件核实"
        severity = "warning" if f["severity"] == "error" else f["severity"]
        out.append({**f, "severity": severity, "message": f"{f['message']}（{why}）"})
    return out

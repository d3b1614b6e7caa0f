"""The ``<stem>.truth.json`` record: what ``juesuan extract FILE --json`` must produce for a generated file."""
from __future__ import annotations

from .content import Doc
from .model import wan

COUNT_PREFIXES = ("sangong.abroad_groups", "sangong.abroad_persons", "sangong.vehicles_", "sangong.reception_batches",
                  "sangong.reception_persons", "sangong.foreign_", "assets.", "staff.",
                  "performance.projects_self_evaluated")


def json_number(metric: str, value) -> float | int:
    if isinstance(value, int) or metric.startswith(COUNT_PREFIXES):
        return int(value)
    return float(wan(value))


def resolved_values(doc: Doc) -> dict:
    """Table value when a table shows the metric (contract rule), otherwise the narrative value as printed."""
    out = {}
    for metric, seen in sorted(doc.observed.items()):
        value = seen["table"] if "table" in seen else seen["narrative"]
        out[metric] = json_number(metric, value)
    return out


def truth_record(doc: Doc, fmt: str, template: str, layout: dict, file_name: str, sha256: str) -> dict:
    m = doc.model
    is_pdf = fmt == "pdf"
    tables = []
    for block in doc.blocks:
        if block.kind != "table":
            continue
        spec = block.table
        pages = layout["tables"].get(spec.id, []) if is_pdf else [1]
        tables.append({"table": spec.id, "title": spec.title, "code": spec.code, "pages": pages,
                       "unit_as_printed": spec.unit_caption.split("：")[-1], "caption": spec.unit_caption})
    values = resolved_values(doc)
    anomalies = [dict(a, page=_anomaly_page(doc, a, layout, is_pdf)) for a in m.anomalies]
    figures = []
    for f in doc.figures:
        if f["source"] == "table":
            pages = layout["tables"].get(f["table"], []) if is_pdf else [1]
            page = pages[0] if pages else None
        else:
            page = layout["blocks"].get(f["block"]) if is_pdf else 1
        item = {"metric": f["metric"], "value": json_number(f["metric"], f["value"]), "source": f["source"],
                "page": page}
        if f["source"] == "table":
            item["table"] = f["table"]
        for flag in ("blank", "derived"):
            if f.get(flag):
                item[flag] = True
        figures.append(item)
    return {
        "file": file_name,
        "format": fmt,
        "template": template,
        "document": {"sha256": sha256, "format": fmt, "pages": layout.get("pages"), "unit_name": m.unit_name,
                     "fiscal_year": m.fiscal_year, "kind": doc.kind, "scope": m.scope, "status": "ok",
                     "errors": []},
        "values": values,
        "figures": figures,
        "line_items": doc.line_items,
        "tables": tables,
        "anomalies": anomalies,
    }


def _anomaly_page(doc: Doc, anomaly: dict, layout: dict, is_pdf: bool) -> int | None:
    if not is_pdf:
        return 1
    if anomaly.get("source") == "table":
        pages = layout["tables"].get(anomaly.get("table", ""), [])
        return pages[0] if pages else None
    metric = anomaly["metrics"][0]
    for index, block in enumerate(doc.blocks):
        if metric in block.tags and index in layout["blocks"]:
            return layout["blocks"][index]
    return None

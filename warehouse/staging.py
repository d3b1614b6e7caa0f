"""Per-document staging: the extract record as Parquet files, written atomically, read by the single loader.

Layout: ``<staging>/<doc_id>/`` holds ``record.json`` (the full `juesuan extract` record), one Parquet file per
warehouse table (documents, metric_values, figures, line_items, claims, doc_tables) and ``stamp.json`` (sha256,
extractor version, time). The directory is built under a temporary name and renamed into place, so the loader
never sees half a document.
"""
from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import regex

TABLES = ("documents", "metric_values", "figures", "line_items", "claims", "doc_tables")

_SCOPE_SUFFIX = regex.compile(r"[（(](?:本级|部门|单位|汇总|机关|本部|部门汇总)[）)]$")


def unit_id_for(unit_name: str | None) -> str | None:
    """A unit's key across years and name variants: the name without 口径 suffixes, spaces or brackets' width."""
    if not unit_name:
        return None
    name = regex.sub(r"\s+", "", unit_name)
    name = _SCOPE_SUFFIX.sub("", name)
    return name or None


def _num(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def record_frames(doc_id: str, record: dict, source: dict | None = None,
                  value_types: dict[str, str] | None = None, extractor_version: str = "") -> dict[str, pd.DataFrame]:
    """Turn one extract record into one DataFrame per warehouse table (column names = DuckDB columns)."""
    source = source or {}
    value_types = value_types or {}
    d = record.get("document", {})
    unit_name = d.get("unit_name")
    now = datetime.now(UTC).replace(tzinfo=None)
    documents = pd.DataFrame([{
        "doc_id": doc_id, "sha256": d.get("sha256"), "format": d.get("format"), "n_pages": d.get("pages"),
        "unit_name": unit_name, "unit_id": unit_id_for(unit_name), "fiscal_year": d.get("fiscal_year"),
        "kind": d.get("kind"), "scope": d.get("scope"), "source_name": source.get("source_name"),
        "source_url": source.get("url"), "original_name": source.get("original_name"), "title": source.get("title"),
        "status": d.get("status"), "errors": list(d.get("errors") or []),
        "n_figures": len(record.get("figures", [])), "n_line_items": len(record.get("line_items", [])),
        "extractor_version": extractor_version, "stage_token": None, "staged_at": now,
    }])

    def page_of(metric: str) -> tuple[str | None, int | None]:
        for f in record.get("figures", []):
            if f.get("metric") == metric and _num(f.get("value")) == _num(record["values"].get(metric)):
                return f.get("source"), f.get("page")
        return None, None

    mv = []
    for metric, value in (record.get("values") or {}).items():
        vt = value_types.get(metric, "amount" if isinstance(value, float) else "text")
        src, page = page_of(metric)
        num = _num(value)
        mv.append({"doc_id": doc_id, "metric_id": metric, "value_type": vt,
                   "amount_wan": num if vt == "amount" else None, "value_num": num,
                   "value_text": None if num is not None else str(value), "source": src, "page": page})
    figs = []
    for i, f in enumerate(record.get("figures", [])):
        bbox = f.get("bbox") or [None] * 4
        vt = value_types.get(f.get("metric"), "amount")
        num = _num(f.get("value"))
        figs.append({"doc_id": doc_id, "figure_seq": i, "metric_id": f.get("metric"),
                     "amount_wan": num if vt == "amount" else None, "value_num": num,
                     "value_text": None if num is not None else str(f.get("value")), "source": f.get("source"),
                     "table_id": f.get("table"), "page": f.get("page"), "raw_text": f.get("text"),
                     "unit_as_printed": f.get("unit_as_printed"), "bbox_x0": bbox[0], "bbox_top": bbox[1],
                     "bbox_x1": bbox[2], "bbox_bottom": bbox[3]})
    items = [{"doc_id": doc_id, "item_seq": i, "table_id": li.get("table"), "item_code": li.get("code"),
              "item_name": li.get("name"), "column_name": li.get("column"), "amount_wan": _num(li.get("value")),
              "page": li.get("page")} for i, li in enumerate(record.get("line_items", []))]
    claims = [{"doc_id": doc_id, "claim_seq": i, "claim_type": c.get("claim_type"), "metric_id": c.get("metric"),
               "subject": c.get("subject"), "page": c.get("page"), "raw_text": c.get("text"),
               "amount_wan": _num(c.get("amount")), "reference_amount_wan": _num(c.get("reference_amount")),
               "stated_change_wan": _num(c.get("stated_change")), "stated_pct": _num(c.get("stated_pct"))}
              for i, c in enumerate(record.get("claims", []))]
    seen_tables = set()
    tables = []
    for t in record.get("tables", []):
        if t.get("table") in seen_tables:
            continue  # one row per table id; the record lists a table once, but be defensive
        seen_tables.add(t.get("table"))
        tables.append({"doc_id": doc_id, "table_id": t.get("table"), "title": t.get("title"),
                       "pages": [int(p) for p in t.get("pages") or []], "unit_as_printed": t.get("unit_as_printed"),
                       "n_rows": t.get("rows"),
                       # None (not []) when the extractor did not report notes: unknown, not "no note"
                       "notes": list(t["notes"]) if t.get("notes") is not None else None,
                       "is_empty": t.get("empty")})
    cols = {
        "metric_values": ["doc_id", "metric_id", "value_type", "amount_wan", "value_num", "value_text", "source", "page"],
        "figures": ["doc_id", "figure_seq", "metric_id", "amount_wan", "value_num", "value_text", "source", "table_id",
                    "page", "raw_text", "unit_as_printed", "bbox_x0", "bbox_top", "bbox_x1", "bbox_bottom"],
        "line_items": ["doc_id", "item_seq", "table_id", "item_code", "item_name", "column_name", "amount_wan", "page"],
        "claims": ["doc_id", "claim_seq", "claim_type", "metric_id", "subject", "page", "raw_text", "amount_wan",
                   "reference_amount_wan", "stated_change_wan", "stated_pct"],
        "doc_tables": ["doc_id", "table_id", "title", "pages", "unit_as_printed", "n_rows", "notes", "is_empty"],
    }
    frames = {"documents": documents}
    for name, rows in (("metric_values", mv), ("figures", figs), ("line_items", items), ("claims", claims),
                       ("doc_tables", tables)):
        frames[name] = pd.DataFrame(rows, columns=cols[name])
    return frames


@dataclass
class StagedDocument:
    doc_id: str
    path: Path
    stamp: dict

    def parquet(self, table: str) -> Path:
        return self.path / f"{table}.parquet"

    def record(self) -> dict:
        return json.loads((self.path / "record.json").read_text(encoding="utf-8"))


class Staging:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def dir_for(self, doc_id: str) -> Path:
        return self.root / doc_id

    def get(self, doc_id: str) -> StagedDocument | None:
        d = self.dir_for(doc_id)
        stamp = d / "stamp.json"
        if not stamp.exists():
            return None
        return StagedDocument(doc_id, d, json.loads(stamp.read_text()))

    def is_current(self, doc_id: str, sha256: str, extractor_version: str) -> bool:
        s = self.get(doc_id)
        return bool(s and s.stamp.get("sha256") == sha256 and s.stamp.get("extractor_version") == extractor_version)

    def write(self, doc_id: str, record: dict, frames: dict[str, pd.DataFrame], *, sha256: str,
              extractor_version: str, document_json: str | None = None) -> StagedDocument:
        self.root.mkdir(parents=True, exist_ok=True)
        final = self.dir_for(doc_id)
        tmp = self.root / f".{doc_id}.tmp{os.getpid()}"
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
        token = uuid.uuid4().hex
        frames = {**frames, "documents": frames["documents"].assign(stage_token=token)}
        (tmp / "record.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        if document_json is not None:
            (tmp / "document.json").write_text(document_json, encoding="utf-8")
        for name in TABLES:
            frames[name].to_parquet(tmp / f"{name}.parquet", index=False)
        stamp = {"doc_id": doc_id, "sha256": sha256, "extractor_version": extractor_version, "staged_at": time.time(), "stage_token": token,
                 "status": record.get("document", {}).get("status")}
        (tmp / "stamp.json").write_text(json.dumps(stamp))
        old = None
        if final.exists():
            old = self.root / f".{doc_id}.old{os.getpid()}"
            os.replace(final, old)
        os.replace(tmp, final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return StagedDocument(doc_id, final, stamp)

    def all(self) -> list[StagedDocument]:
        if not self.root.exists():
            return []
        out = []
        for d in sorted(self.root.iterdir()):
            if d.is_dir() and not d.name.startswith(".") and (d / "stamp.json").exists():
                out.append(StagedDocument(d.name, d, json.loads((d / "stamp.json").read_text())))
        return out

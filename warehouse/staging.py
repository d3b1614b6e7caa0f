"""Per-document staging: the extract record as Parquet files, written atomically, read by the single loader.

Layout: ``<staging>/<doc_id>/`` holds ``record.json`` (the full `juesuan extract` record), one Parquet file per
warehouse table (documents, metric_values, figures, line_items, claims, doc_tables, document_findings — the
in-document anomaly findings, computed here so they run in parallel — and document_lines, the running text) and ``stamp.json`` (sha256, extractor
version, time). The directory is built under a temporary name and renamed into place, so the loader
never sees half a document.
"""
from __future__ import annotations

import functools
import json
import math
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import regex

from schemas.columns import staged_columns
from schemas.document import json_default

TABLES = ("documents", "metric_values", "figures", "line_items", "claims", "doc_tables", "document_findings",
          "document_lines")

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


# Arrow types of the declared DuckDB types (schemas/columns.py). Explicit types: a column that is all-null in one
# document must not come out as Parquet's null type. Amounts are staged as doubles already rounded to the
# DECIMAL's cents (dec2); the load's INSERT BY NAME casts them.
_ARROW = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
          "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us")}


def _arrow_type(data_type: str) -> pa.DataType:
    if data_type.endswith("[]"):
        return pa.list_(_arrow_type(data_type[:-2]))
    if data_type.startswith("DECIMAL"):
        return pa.float64()
    try:
        return _ARROW[data_type]
    except KeyError:
        raise TypeError(f"no staging type for DuckDB {data_type} (add it to warehouse/staging.py _ARROW)") from None


@functools.cache
def arrow_schema(table: str) -> pa.Schema:
    """The staged Parquet schema of ``table``: its declared columns less those the load fills."""
    return pa.schema([(c.name, _arrow_type(c.data_type)) for c in staged_columns(table)])


def dec2(v: float | None) -> float | None:
    """An amount as DuckDB stores it in DECIMAL(18, 2): x·100 rounded half away from zero, in double arithmetic
    (checked against DuckDB's cast on 120,000 values), so staged rows and rules see exactly the warehouse's value."""
    if v is None or v != v:
        return None
    return math.copysign(math.floor(abs(v) * 100 + 0.5), v) / 100


def _date(v: Any) -> date | None:
    """A publish date as sources give it ('2025-06-30', '2025-06-30 10:00'); anything else is unknown."""
    try:
        return date.fromisoformat(str(v)[:10]) if v else None
    except ValueError:
        return None


def _utc(epoch: Any) -> datetime | None:
    """A registry time (seconds since the epoch) as a naive UTC timestamp, like staged_at."""
    return datetime.fromtimestamp(float(epoch), UTC).replace(tzinfo=None) if epoch else None


def _int(v: Any) -> int | None:
    num = _num(v)
    return None if num is None or num != num else int(num)


def record_rows(doc_id: str, record: dict, source: dict | None = None,
                value_types: dict[str, str] | None = None, extractor_version: str = "") -> dict[str, list[dict]]:
    """Turn one extract record into rows per warehouse table (keys = DuckDB columns)."""
    source = source or {}
    value_types = value_types or {}
    d = record.get("document", {})
    unit_name = d.get("unit_name")
    documents = [{
        "doc_id": doc_id, "sha256": d.get("sha256"), "format": d.get("format"), "n_pages": _int(d.get("pages")),
        "unit_name": unit_name, "unit_id": unit_id_for(unit_name), "fiscal_year": _int(d.get("fiscal_year")),
        "kind": d.get("kind"), "scope": d.get("scope"), "source_name": source.get("source_name"),
        "source_url": source.get("url"), "original_name": source.get("original_name"), "title": source.get("title"),
        "status": d.get("status"), "errors": [str(e) for e in d.get("errors") or []],
        "n_figures": len(record.get("figures", [])), "n_line_items": len(record.get("line_items", [])),
        "extractor_version": extractor_version, "stage_token": None,
        "staged_at": datetime.now(UTC).replace(tzinfo=None), "rules_version": None,
        "publish_date": _date(source.get("publish_date")), "registered_at": _utc(source.get("registered_at")),
        # the region as the document states it; warehouse.identity makes it the unit's region and key
        "document_region": (d.get("region") or {}).get("name"),
        "document_region_source": (d.get("region") or {}).get("source"),
        "legacy_unit_id": unit_id_for(unit_name),  # the name-only key, kept beside the (region, name) one
    }]
    values = record.get("values") or {}
    # the page a value was taken from: its first figure with the same value (table before narrative, as chosen)
    first_at: dict[str, tuple] = {}
    for f in record.get("figures", []):
        metric = f.get("metric")
        if metric not in first_at and metric in values and _num(f.get("value")) == _num(values[metric]):
            first_at[metric] = (f.get("source"), _int(f.get("page")), bool(f.get("ocr")), _num(f.get("confidence")),
                                bool(f.get("blank")), bool(f.get("derived")))
    mv = []
    for metric, value in values.items():
        vt = value_types.get(metric, "amount" if isinstance(value, float) else "text")
        src, page, ocr, conf, blank, derived = first_at.get(metric, (None, None, False, None, False, False))
        num = _num(value)
        mv.append({"doc_id": doc_id, "metric_id": metric, "value_type": vt,
                   "amount_wan": dec2(num) if vt == "amount" else None, "value_num": num,
                   "value_text": None if num is not None else str(value), "source": src, "page": page,
                   "ocr": ocr, "confidence": conf, "is_blank": blank, "is_derived": derived})
    figs = []
    for i, f in enumerate(record.get("figures", [])):
        bbox = f.get("bbox") or [None] * 4
        vt = value_types.get(f.get("metric"), "amount")
        num = _num(f.get("value"))
        figs.append({"doc_id": doc_id, "figure_seq": i, "metric_id": f.get("metric"),
                     "amount_wan": dec2(num) if vt == "amount" else None, "value_num": num,
                     "value_text": None if num is not None else str(f.get("value")), "source": f.get("source"),
                     "table_id": f.get("table"), "page": _int(f.get("page")), "raw_text": f.get("text"),
                     "unit_as_printed": f.get("unit_as_printed"), "bbox_x0": _num(bbox[0]),
                     "bbox_top": _num(bbox[1]), "bbox_x1": _num(bbox[2]), "bbox_bottom": _num(bbox[3]),
                     "ocr": bool(f.get("ocr")), "confidence": _num(f.get("confidence")),
                     "is_blank": bool(f.get("blank")), "is_derived": bool(f.get("derived"))})
    items = [{"doc_id": doc_id, "item_seq": i, "table_id": li.get("table"), "item_code": li.get("code"),
              "item_name": li.get("name"), "column_name": li.get("column"), "amount_wan": dec2(_num(li.get("value"))),
              "page": _int(li.get("page")), "ocr": bool(li.get("ocr")), "confidence": _num(li.get("confidence")),
              "is_blank": bool(li.get("blank")), "code_mapped": bool(li.get("code_mapped"))}
             for i, li in enumerate(record.get("line_items", []))]
    claims = [{"doc_id": doc_id, "claim_seq": i, "claim_type": c.get("claim_type"), "metric_id": c.get("metric"),
               "subject": c.get("subject"), "page": _int(c.get("page")), "raw_text": c.get("text"),
               "amount_wan": dec2(_num(c.get("amount"))), "reference_amount_wan": dec2(_num(c.get("reference_amount"))),
               "stated_change_wan": dec2(_num(c.get("stated_change"))), "stated_pct": _num(c.get("stated_pct"))}
              for i, c in enumerate(record.get("claims", []))]
    seen_tables = set()
    tables = []
    for t in record.get("tables", []):
        if t.get("table") in seen_tables:
            continue  # one row per table id; the record lists a table once, but be defensive
        seen_tables.add(t.get("table"))
        tables.append({"doc_id": doc_id, "table_id": t.get("table"), "title": t.get("title"),
                       "pages": [int(p) for p in t.get("pages") or []], "unit_as_printed": t.get("unit_as_printed"),
                       "n_rows": _int(t.get("rows")),
                       # None (not []) when the extractor did not report notes: unknown, not "no note"
                       "notes": list(t["notes"]) if t.get("notes") is not None else None,
                       "is_empty": t.get("empty")})
    lines = [{"doc_id": doc_id, "line_seq": i, "page": _int(ln.get("page")), "text": ln.get("text"),
              "ocr": bool(ln.get("ocr")), "confidence": _num(ln.get("conf"))}
             for i, ln in enumerate(record.get("lines") or [])]
    return {"documents": documents, "metric_values": mv, "figures": figs, "line_items": items, "claims": claims,
            "doc_tables": tables, "document_findings": [], "document_lines": lines}


@dataclass
class StagedDocument:
    doc_id: str
    path: Path
    stamp: dict

    def parquet(self, table: str) -> Path:
        return self.path / f"{table}.parquet"

    def record(self) -> dict:
        return orjson.loads((self.path / "record.json").read_bytes())


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

    def discard_partial(self, doc_id: str, pid: int) -> None:
        """Clean up after process ``pid`` was killed inside :meth:`write`: drop its half-built folder, and put
        the previous staging back if it died between moving that aside and renaming the new one into place."""
        shutil.rmtree(self.root / f".{doc_id}.tmp{pid}", ignore_errors=True)
        old, final = self.root / f".{doc_id}.old{pid}", self.dir_for(doc_id)
        if old.exists():
            if final.exists():
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(old, final)

    def write(self, doc_id: str, record: dict, rows: dict[str, list[dict]], *, sha256: str,
              extractor_version: str) -> StagedDocument:
        """Stage one document: ``rows`` as from :func:`record_rows`; the folder appears whole or not at all."""
        self.root.mkdir(parents=True, exist_ok=True)
        final = self.dir_for(doc_id)
        tmp = self.root / f".{doc_id}.tmp{os.getpid()}"
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
        token = uuid.uuid4().hex
        rows = {**rows, "documents": [{**r, "stage_token": token} for r in rows["documents"]]}
        (tmp / "record.json").write_bytes(orjson.dumps(record, default=json_default,
                                                        option=orjson.OPT_SERIALIZE_NUMPY))
        for name in TABLES:
            table = pa.Table.from_pylist(rows.get(name, []), schema=arrow_schema(name))
            # staging files live minutes: no compression, dictionaries or statistics (half the write time)
            pq.write_table(table, tmp / f"{name}.parquet", compression="none", use_dictionary=False,
                           write_statistics=False)
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

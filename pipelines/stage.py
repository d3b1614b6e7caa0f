"""Per-document work without Dagster: registry entry → Document → extract record → staged Parquet.

The Dagster per-document asset and the tests both call ``stage_document``; it never touches DuckDB, so any
number of processes can run it side by side. A document that cannot be read is staged too, with status
``failed`` and the reason, so it shows up in the warehouse instead of disappearing.
"""
from __future__ import annotations

import json
import os
import time
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import orjson

from extractors.documents import read_document
from extractors.figures import extract_document
from extractors.registry import RawStore, RawStoreError, RegistryEntry
from extractors.version import extractor_version, reader_version
from schemas.catalog import metrics
from schemas.document import Document, DocumentError
from warehouse.anomaly_rules.engine import findings_from_rows, rules_version
from warehouse.staging import Staging, record_rows

KEY_METRICS = ("income.total", "expenditure.total", "sangong.total", "procurement.total")


@lru_cache(maxsize=1)
def metric_value_types() -> dict[str, str]:
    return {m.id: m.value_type for m in metrics().values()}


@dataclass
class StageOutcome:
    doc_id: str
    status: str  # ok | partial | failed | current (already staged with this extractor version)
    seconds: float = 0.0
    unit_name: str | None = None
    fiscal_year: int | None = None
    kind: str | None = None
    n_pages: int | None = None
    n_values: int = 0
    n_figures: int = 0
    n_line_items: int = 0
    n_tables: int = 0
    errors: list[str] = field(default_factory=list)
    key_values: dict[str, float] = field(default_factory=dict)
    scope: str | None = None
    record_status: str | None = None  # ok | partial | failed as staged, also when ``status`` is current


def failed_record(entry: RegistryEntry, problem: str) -> dict:
    return {"document": {"sha256": entry.sha256, "format": None, "pages": None, "unit_name": None,
                         "fiscal_year": None, "kind": None, "scope": None, "status": "failed", "errors": [problem]},
            "values": {}, "figures": [], "line_items": [], "tables": [], "claims": []}


def parsed_path(parsed_dir: Path, doc_id: str) -> Path:
    return Path(parsed_dir) / f"{doc_id}.json"


@dataclass
class ParseOutcome:
    status: str  # parsed | current (same bytes, same reader) | failed (unreadable; problem says why)
    seconds: float = 0.0
    problem: str | None = None
    document: Document | None = None  # the parsed model, kept in memory when it was just read


def parse_stage(entry: RegistryEntry, parsed_dir: Path, *, force: bool = False) -> ParseOutcome:
    """Read one document into ``<parsed_dir>/<doc_id>.json`` (skipped when already current)."""
    out = parsed_path(parsed_dir, entry.doc_id)
    version = reader_version()
    stamp = out.with_suffix(".stamp")
    if not force and out.exists() and stamp.exists() and stamp.read_text() == f"{entry.sha256}:{version}":
        return ParseOutcome("current")
    t0 = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    doc, problem = None, None
    try:
        if entry.sha256:  # the bytes must still be the ones registered: never read another file under this id
            RawStore.verify(entry.raw_path, entry.sha256, entry.original_name)
        doc = read_document(entry.raw_path)
    except RawStoreError as e:
        problem = str(e)
    except DocumentError as e:
        problem = f"{entry.original_name or entry.raw_path}: {e.problem}"
    except Exception as e:  # a reader bug must not take the batch down
        problem = f"{entry.original_name or entry.raw_path}: internal error {type(e).__name__}: {e}"
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(doc.to_json() if doc is not None else json.dumps({"failed": problem}, ensure_ascii=False),
                   encoding="utf-8")
    os.replace(tmp, out)
    stamp.write_text(f"{entry.sha256}:{version}")
    return ParseOutcome("parsed" if doc is not None else "failed", time.perf_counter() - t0, problem, doc)


def extract_stage(entry: RegistryEntry, parsed_dir: Path, staging: Staging, *, force: bool = False,
                  parsed: ParseOutcome | None = None) -> StageOutcome:
    """Parsed Document → extract record → staged Parquet (skipped when already current).

    ``parsed`` is the outcome of :func:`parse_stage` in this process, when there is one: its Document is used
    directly instead of being read back from the JSON just written."""
    version = extractor_version()
    if not force and staging.is_current(entry.doc_id, entry.sha256, version):
        return _outcome(entry.doc_id, "current", staging.get(entry.doc_id).record(), 0.0)
    t0 = time.perf_counter()
    if parsed is None or parsed.status == "current":
        src = parsed_path(parsed_dir, entry.doc_id)
        if not src.exists():
            parsed = parse_stage(entry, parsed_dir)
        else:
            payload = orjson.loads(src.read_bytes())
            parsed = ParseOutcome("failed", problem=payload["failed"]) if "failed" in payload else \
                ParseOutcome("current", document=Document.from_dict(payload))
    if parsed.document is None:
        record = failed_record(entry, parsed.problem or "document could not be read")
    else:
        try:
            record = extract_document(parsed.document)
        except Exception as e:  # keep the document visible with the reason rather than losing it
            record = failed_record(entry, f"{entry.original_name or entry.raw_path}: extraction error "
                                          f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}")
    rows = record_rows(entry.doc_id, record, source={
        "source_name": entry.source_name, "url": entry.url, "original_name": entry.original_name,
        "title": entry.title, "publish_date": entry.publish_date, "registered_at": entry.first_seen},
        value_types=metric_value_types(), extractor_version=version)
    # in-document anomaly rules run here, per document and in parallel, instead of over the whole warehouse
    rows["document_findings"] = findings_from_rows(rows)
    rows["documents"][0]["rules_version"] = rules_version()
    staging.write(entry.doc_id, record, rows, sha256=entry.sha256, extractor_version=version)
    return _outcome(entry.doc_id, record["document"].get("status") or "ok", record, time.perf_counter() - t0)


def stage_document(entry: RegistryEntry, parsed_dir: Path, staging: Staging, *, force: bool = False) -> StageOutcome:
    """Both per-document stages in one call (the CLI and tests use this)."""
    parsed = parse_stage(entry, parsed_dir, force=force)
    return extract_stage(entry, parsed_dir, staging, force=force, parsed=parsed)


def _outcome(doc_id: str, status: str, record: dict, seconds: float) -> StageOutcome:
    d = record.get("document", {})
    vals = record.get("values", {})
    return StageOutcome(
        doc_id=doc_id, status=status, seconds=seconds, unit_name=d.get("unit_name"), fiscal_year=d.get("fiscal_year"),
        kind=d.get("kind"), n_pages=d.get("pages"), n_values=len(vals), n_figures=len(record.get("figures", [])),
        n_line_items=len(record.get("line_items", [])), n_tables=len(record.get("tables", [])),
        errors=list(d.get("errors") or []),
        key_values={k: vals[k] for k in KEY_METRICS if isinstance(vals.get(k), (int, float))},
        scope=d.get("scope"), record_status=d.get("status") or "ok",
    )

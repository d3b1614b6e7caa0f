"""Unit identity (issue 18): every document's region and unit key, recomputed over the whole warehouse.

Region, strongest first: the units register (a unit the published name matches, by name or alias valid that
year, in a region compatible with what the document says), the source's ``region:`` in sources.yaml (the
operator's word beats the document's; a finer document region inside it refines it), then the document's own
region (staged as ``document_region``; rows loaded before migration 008 have only their unit name). A wrong
region is fixed by a register entry or a source field and the next load, never by editing the warehouse.

Key: ``unit_id = <region code or full region name>/<canonical name>`` (…委员会 and …委 fold together). No
region → ``unit_status = 'unresolved'`` and ``unit_id`` NULL: cross-year and cross-unit rules abstain and the
views keep one row per document, so a bare "财政局" is never merged with a namesake.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from schemas.regions import (
    Region,
    canonical_name,
    name_key,
    parse_region,
    region_from_name,
    unit_type,
    with_level_codes,
)
from schemas.units import UnitsRegister

_OUT = ["doc_id", "province_name", "province_code", "city_name", "city_code", "county_name", "county_code",
        "region_name", "region_code", "region_level", "region_source", "canonical_name", "unit_type", "unit_status",
        "unit_id"]


@dataclass
class IdentityInputs:
    register: UnitsRegister | None = None
    source_regions: dict[str, str] = field(default_factory=dict)  # source name -> region as configured


def _register_match(reg: UnitsRegister, name: str, year, region: Region):
    hits = []
    for reg_region in reg.regions():
        parsed = region_from_name(reg_region)
        if region.empty or parsed.compatible(region):
            unit = reg.match(name, year, region=reg_region)
            if unit:
                hits.append((unit, parsed))
    return hits[0] if len(hits) == 1 else None  # a name several regions register: ambiguous, no guess


def identify_row(unit_name, year, source_name, doc_region, doc_source, inputs: IdentityInputs) -> dict:
    """Region, canonical name, type, status and key of one document."""
    name = unit_name or ""
    if doc_region:
        region, source = region_from_name(doc_region), f"document:{doc_source or '?'}"
    else:  # loaded before migration 008: the printed name is all there is
        region, source = (parse_region(name)[0], "unit_name") if name else (Region(), None)
    configured = inputs.source_regions.get(source_name or "")
    if configured:
        src = region_from_name(configured)
        if not src.empty:
            region, source = (src.merge(region), source + "+source") if src.compatible(region) else (src, "source")
    canonical = canonical_name(name) if name else None
    if inputs.register and name:
        hit = _register_match(inputs.register, name, year, region)
        if hit:
            unit, reg_region = hit
            region = reg_region.merge(region) if reg_region.compatible(region) else reg_region
            canonical, source = canonical_name(unit.name), "register"
    region = with_level_codes(region)
    resolved = bool(canonical) and not region.empty
    return {"province_name": region.province_name, "province_code": region.province_code,
            "city_name": region.city_name, "city_code": region.city_code, "county_name": region.county_name,
            "county_code": region.county_code, "region_name": region.name, "region_code": region.code,
            "region_level": region.level, "region_source": source if not region.empty else None,
            "canonical_name": canonical, "unit_type": unit_type(canonical) if canonical else None,
            "unit_status": "resolved" if resolved else "unresolved",
            "unit_id": f"{region.key}/{name_key(canonical)}" if resolved else None}


def resolve_identity(con, inputs: IdentityInputs | None = None) -> dict[str, int]:
    """Recompute region and unit key of every document (cheap: one pass over ``documents``). Returns counts."""
    inputs = inputs or IdentityInputs()
    rows = con.execute("SELECT doc_id, unit_name, fiscal_year, source_name, document_region, document_region_source "
                       "FROM documents").fetchall()
    out = [{"doc_id": d, **identify_row(n, y, s, r, rs, inputs)} for d, n, y, s, r, rs in rows]
    if not out:
        return {"resolved": 0, "unresolved": 0}
    frame = pd.DataFrame(out, columns=_OUT).astype(object)
    frame = frame.where(frame.notna(), None)
    con.register("resolved_identity", frame)
    try:
        sets = ", ".join(f"{c} = i.{c}" for c in _OUT[1:])
        con.execute(f"UPDATE documents SET {sets} FROM resolved_identity i WHERE documents.doc_id = i.doc_id")
    finally:
        con.unregister("resolved_identity")
    n = sum(1 for r in out if r["unit_status"] == "resolved")
    return {"resolved": n, "unresolved": len(out) - n}

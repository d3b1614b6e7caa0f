"""The orchestration of one document's extraction (see the package docstring for the record)."""
from __future__ import annotations

import traceback
from pathlib import Path

from extractors.figures import identity, narrative, resolve
from extractors.figures.region import document_region
from extractors.figures.textstream import TextStream
from schemas.document import Document


def _guard(errors: list[str], family: str, fn, *args, default=None):
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001 — one rule family must not sink the document
        tb = traceback.extract_tb(e.__traceback__)[-1]
        errors.append(f"{family}: {type(e).__name__}: {e} ({Path(tb.filename).name}:{tb.lineno})")
        return default


def _narrative_rules():
    from extractors.figures import narr_other, narr_sangong, narr_totals

    return narr_totals.RULES + narr_sangong.RULES + narr_other.RULES


def _tables(doc: Document, kind: str | None, errors: list[str], fiscal_year: int | None = None):
    from extractors.figures.table_map import map_tables

    return map_tables(doc, kind, errors, fiscal_year)


# a budget's narrative total → (its parts, the carry-over that makes it the grand total instead)
_BUDGET_TOTALS = {
    "income.total": (("income.appropriation", "income.special_account", "income.superior_subsidy", "income.business",
                      "income.operating", "income.affiliated", "income.other"), "income.carryover_begin", 3),
    "expenditure.total": (("expenditure.basic", "expenditure.project"), "expenditure.carryover_end", 2),
}


def _budget_grand_totals(figs: list[dict], kind: str | None) -> None:
    """A budget's "收入预算X万元" / "支出预算X万元" is 本年收入/本年支出 in most templates but 收入/支出总计 in others
    (Beijing lists 上年结转结余 or 年终结转结余 as one of its parts). When the narrative's own parts plus that
    carry-over add up to X, X is relabelled 收支总计."""
    if kind != "budget":
        return
    narrative = [f for f in figs if f["source"] == "narrative" and isinstance(f.get("value"), (int, float))]
    first: dict[str, float] = {}
    for f in narrative:
        first.setdefault(f["metric"], f["value"])
    for total, (part_metrics, carry_metric, min_parts) in _BUDGET_TOTALS.items():
        if any(f["metric"] == total and f["source"] == "table" for f in figs):
            continue
        carry = first.get(carry_metric)
        parts = [first[m] for m in part_metrics if m in first]
        if not carry or len(parts) < min_parts:
            continue
        for f in narrative:
            if f["metric"] == total and abs(f["value"] - (sum(parts) + carry)) <= 0.01 * (len(parts) + 2):
                f["metric"] = "total.grand"


def extract_document(doc: Document) -> dict:
    errors: list[str] = []
    ident = _guard(errors, "identity", identity.identify, doc,
                   default={"unit_name": None, "fiscal_year": None, "kind": None, "scope": "department"})
    region = _guard(errors, "region", document_region, doc, ident.get("unit_name"), default=None)
    ts = TextStream(doc)
    secs = _guard(errors, "sections", narrative.sections, ts, default=[])
    fy, kind = ident.get("fiscal_year"), ident.get("kind")

    figs: list[dict] = []
    line_items: list[dict] = []
    tables_out: list[dict] = []
    res = _guard(errors, "tables", _tables, doc, kind, errors, fy, default=None)
    if res:
        figs += res["figures"]
        line_items += res["line_items"]
        tables_out = res["tables"]
    figs += _guard(errors, "narrative", narrative.run_rules, ts, _narrative_rules(), fy, kind, secs,
                   ident.get("unit_name"), default=[])

    from extractors.figures import claims as claims_mod
    from extractors.figures.table_t07 import fix_yuan_tables

    _guard(errors, "三公 unit", fix_yuan_tables, figs)
    from extractors.figures import narr_items

    code_names = {(li["name"], len(li["code"])): li["code"] for li in line_items}
    line_items += _guard(errors, "narrative line items", narr_items.extract_items, ts, secs, code_names, kind,
                         default=[])
    _guard(errors, "budget totals", _budget_grand_totals, figs, kind)
    from extractors.figures.table_blank_total import admit

    _guard(errors, "blank totals", admit, (res or {}).get("conditional") or [], figs)
    values = resolve.resolve(figs)
    cl, derived = _guard(errors, "claims", claims_mod.extract_claims, ts, secs, figs, values, fy,
                         default=([], []))
    if derived:
        figs += derived
        values = resolve.resolve(figs)

    from extractors.figures import ocr_flags

    _guard(errors, "ocr flags", ocr_flags.annotate, doc, figs, line_items)
    status = "partial" if errors else "ok"
    unread = [p.number for p in doc.pages if p.read_by.startswith("not read")]
    if unread:
        status = "partial"
        errors.append(f"{len(unread)} page(s) without a text layer were not read: {unread[:20]}")
    if not doc.lines and not doc.tables:
        status = "partial"
        errors.append("no text layer: nothing to extract (scanned or empty document)")
    elif not values:
        status = "partial"
        errors.append("no catalogued figure found (not a 部门决算/预算 disclosure, or a template)")
    return {
        "document": {
            "sha256": doc.sha256, "format": doc.format, "pages": doc.n_pages or None,
            "unit_name": ident.get("unit_name"), "fiscal_year": fy, "kind": kind,
            "scope": ident.get("scope") or "department", "status": status, "errors": errors,
            "region": region,  # the region as the document states it (extractors/figures/region.py); None: silent
        },
        "values": values,
        "figures": resolve.public_figures(figs),
        "line_items": line_items,
        "tables": tables_out,
        "claims": cl,
        "lines": text_lines(doc),
    }


def text_lines(doc: Document) -> list[dict]:
    """The running text line by line (page, text, how it was read): the text-consistency and comparison rules of
    the warehouse read it, so they can be recomputed without the parsed document."""
    lines = [{"page": ln.page, "text": ln.text, "ocr": bool(ln.ocr), "conf": ln.conf}
             for ln in doc.lines if (ln.text or "").strip()]
    # a 目录 printed as a table with 是否空表 | 公开空表理由 columns (陕西's template) gives the reasons for empty
    # tables there, not under them: its rows are text the completeness rule must see
    for t in doc.tables:
        grid = t.grid()
        if t.table_id is None and any("空表" in c for row in grid[:3] for c in row):
            lines += [{"page": t.page, "text": " ".join(c for c in row if c), "ocr": bool(t.ocr), "conf": None}
                      for row in grid if any(row)]
    return lines


def extract_file(path) -> dict:
    from extractors.documents import read_document

    doc = read_document(path)  # DocumentError propagates: the CLI maps it to a non-zero exit
    return extract_document(doc)

"""Run every rule over the warehouse and replace the anomalies table; reviews; the blocking identity check."""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd

from warehouse.anomaly_rules.base import COLUMNS, DocContext
from warehouse.anomaly_rules.compare import comparison_rules, narrative_vs_blank
from warehouse.anomaly_rules.completeness import completeness
from warehouse.anomaly_rules.counts import count_rules
from warehouse.anomaly_rules.cross import jumps, outliers, prior_quotes
from warehouse.anomaly_rules.cross_units import budget_against_final, stated_trends, unit_outliers
from warehouse.anomaly_rules.deviation import rounding_note_gate, unexplained_deviations
from warehouse.anomaly_rules.gates import evidence_gate
from warehouse.anomaly_rules.identities import value_identities
from warehouse.anomaly_rules.items import line_item_rules
from warehouse.anomaly_rules.narrative import claim_rules, narrative_vs_table
from warehouse.anomaly_rules.text import text_rules
from warehouse.db import Warehouse, migrate_connection

# ORDER BY: "first observation" rules must see rows in printed order whichever way the frames are built
_FIG_COLS = ["doc_id", "figure_seq", "metric_id", "amount_wan", "value_num", "source", "table_id", "page", "raw_text",
             "unit_as_printed", "ocr", "confidence"]
_CLAIM_COLS = ["doc_id", "claim_seq", "claim_type", "metric_id", "subject", "page", "raw_text", "amount_wan",
               "reference_amount_wan", "stated_change_wan", "stated_pct"]
_ITEM_COLS = ["doc_id", "item_seq", "table_id", "item_code", "item_name", "column_name", "amount_wan", "page", "ocr",
              "confidence", "code_mapped"]
_LINE_COLS = ["doc_id", "line_seq", "page", "text", "ocr", "confidence"]
# region_level and unit_type: cross-unit peer groups (issue 18); unit_id is NULL for an unresolved unit
_DOC_COLS = ["doc_id", "unit_id", "unit_name", "fiscal_year", "kind", "scope", "status", "errors", "region_level",
             "unit_type"]
_DECIMALS = {"amount_wan", "reference_amount_wan", "stated_change_wan"}  # DECIMAL(18,2) → double for pandas


def _select(table: str, cols: list[str], seq: str) -> str:
    """The rules' view of a table: these columns, amounts as DOUBLE, in printed order ({where} filled in later)."""
    fields = ", ".join(f"CAST({c} AS DOUBLE) AS {c}" if c in _DECIMALS else c for c in cols)
    return f"SELECT {fields} FROM {table} {{where}} ORDER BY doc_id, {seq}"


_CLAIMS_SQL = _select("claims", _CLAIM_COLS, "claim_seq")
_FIGS_SQL = _select("figures", _FIG_COLS, "figure_seq")
_ITEMS_SQL = _select("line_items", _ITEM_COLS, "item_seq")
_LINES_SQL = _select("document_lines", _LINE_COLS, "line_seq")


@lru_cache(maxsize=1)
def rules_version() -> str:
    """Hash of the rule code: findings computed by other code are recomputed (never silently kept)."""
    h = hashlib.sha256()
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def document_rules(ctx: DocContext) -> list[dict]:
    rows = value_identities(ctx)
    fired = {r["rule_id"] for r in rows}
    rows += line_item_rules(ctx)
    rows += narrative_vs_table(ctx)
    rows += claim_rules(ctx, suppress_sme_share="pct.procurement_sme" in fired)
    rows += count_rules(ctx)
    rows += completeness(ctx)
    rows += text_rules(ctx)
    rows += comparison_rules(ctx)
    rows += narrative_vs_blank(ctx)
    rows += unexplained_deviations(ctx)
    return evidence_gate(ctx, rounding_note_gate(ctx, rows))


def _unique(rows: list[dict]) -> list[dict]:
    seen, out = set(), []
    for r in rows:
        if r["fingerprint"] not in seen:
            seen.add(r["fingerprint"])
            out.append(r)
    return out


def _attach(ctx: DocContext, figs, claims, items, tables, lines=None, values=None) -> DocContext:
    if figs is not None and len(figs):
        ctx.figs = figs
    if claims is not None and len(claims):
        ctx.claims = claims
    if items is not None and len(items):
        ctx.items = items
    if tables is not None and len(tables):
        ctx.tables = {r.table_id: {"pages": r.pages, "n_rows": r.n_rows, "notes": r.notes, "is_empty": r.is_empty}
                      for r in tables.itertuples()}
    if lines is not None and len(lines):
        ctx.lines = lines.to_dict("records") if isinstance(lines, pd.DataFrame) else list(lines)
    if values is not None and len(values):
        ctx.value_reading = {m: (bool(o) if o == o and o is not None else False,
                                 None if c is None or c != c else float(c))
                             for m, o, c in zip(values["metric_id"], values["ocr"], values["confidence"])}
    return ctx


def findings_from_rows(rows: dict[str, list[dict]]) -> list[dict]:
    """The in-document rules on one document's staged rows (as from ``warehouse.staging.record_rows``).

    Gives exactly what the same rules give on the loaded warehouse (tested): amounts are already rounded as
    DECIMAL(18,2), rows are in printed order, and a failed document has no findings."""
    doc = rows["documents"][0]
    if (doc.get("status") or "") == "failed":
        return []
    vals = {r["metric_id"]: float(r["value_num"]) for r in rows["metric_values"]
            if r["value_num"] is not None and r["value_num"] == r["value_num"]}

    def frame(name, cols):
        return pd.DataFrame(rows[name], columns=cols) if rows[name] else None

    ctx = _attach(DocContext({k: doc.get(k) for k in _DOC_COLS}, vals), frame("figures", _FIG_COLS),
                  frame("claims", _CLAIM_COLS), frame("line_items", _ITEM_COLS),
                  frame("doc_tables", ["doc_id", "table_id", "pages", "n_rows", "notes", "is_empty"]),
                  rows.get("document_lines") or None, frame("metric_values", ["metric_id", "ocr", "confidence"]))
    ctx.cache["fig_records"] = rows["figures"]  # the same records the frame was built from
    return _unique(document_rules(ctx))


def _doc_filter(doc_ids: list[str] | None) -> tuple[str, list]:
    return ("WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [doc_ids]) if doc_ids is not None else ("", [])


def _contexts(con, doc_ids: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame,
                                                                dict[str, DocContext]]:
    where, params = _doc_filter(doc_ids)
    docs = con.execute(f"SELECT {', '.join(_DOC_COLS)} FROM documents {where} "
                       f"{'AND' if where else 'WHERE'} coalesce(status, '') <> 'failed' ORDER BY doc_id", params).df()
    values = con.execute("SELECT doc_id, metric_id, CAST(amount_wan AS DOUBLE) AS amount_wan, value_num, ocr, confidence "
                         f"FROM metric_values {where} ORDER BY doc_id, metric_id", params).df()
    figs = con.execute(_FIGS_SQL.format(where=where), params).df()
    claims = con.execute(_CLAIMS_SQL.format(where=where), params).df()
    items = con.execute(_ITEMS_SQL.format(where=where), params).df()
    tables = con.execute(f"SELECT doc_id, table_id, pages, n_rows, notes, is_empty FROM doc_tables {where} "
                         "ORDER BY doc_id, table_id", params).df()
    lines = con.execute(_LINES_SQL.format(where=where), params).df()
    groups = {name: dict(list(df.groupby("doc_id"))) for name, df in
              (("figs", figs), ("claims", claims), ("items", items), ("tables", tables), ("lines", lines),
               ("values", values))}
    vals_by_doc = {d: {k: float(v) for k, v in zip(g.metric_id, g.value_num) if pd.notna(v)}
                   for d, g in values.groupby("doc_id")}
    ctxs = {}
    for doc in docs.to_dict("records"):
        d = doc["doc_id"]
        ctxs[d] = _attach(DocContext(doc, vals_by_doc.get(d, {})), *(groups[g].get(d) for g in
                                                                      ("figs", "claims", "items", "tables", "lines",
                                                                       "values")))
    return docs, values, claims, ctxs


class _Where:
    """(page, text) of a metric in a document for cross-document findings, built lazily per document: the rules
    need it only for the few documents that have a finding."""

    def __init__(self, con):
        self.figs = con.execute(_FIGS_SQL.format(where="")).df()
        self.rows_of = self.figs.groupby("doc_id").indices if len(self.figs) else {}
        self.ctxs: dict[str, DocContext] = {}

    def __call__(self, doc_id, metric):
        if doc_id not in self.rows_of:
            return None, ""
        if doc_id not in self.ctxs:
            self.ctxs[doc_id] = _attach(DocContext({"doc_id": doc_id}), self.figs.iloc[self.rows_of[doc_id]],
                                        None, None, None)
        ctx = self.ctxs[doc_id]
        page, text = ctx.where(metric, "narrative")
        return (page, text) if page is not None else ctx.where(metric)


def cross_document_rules(con) -> list[dict]:
    """Prior-year quotes and jumps within a unit, outliers across units: over the whole warehouse."""
    docs = con.execute(f"SELECT {', '.join(_DOC_COLS)} FROM documents WHERE coalesce(status, '') <> 'failed' "
                       "ORDER BY doc_id").df()
    values = con.execute("SELECT m.doc_id, m.metric_id, CAST(m.amount_wan AS DOUBLE) AS amount_wan, m.value_num "
                         "FROM metric_values m JOIN documents d USING (doc_id) "
                         "WHERE coalesce(d.status, '') <> 'failed' ORDER BY m.doc_id, m.metric_id").df()
    claims = con.execute("SELECT doc_id, metric_id, claim_type, raw_text, CAST(stated_change_wan AS DOUBLE) AS "
                         "stated_change_wan FROM claims WHERE claim_type = 'yoy' ORDER BY doc_id, claim_seq").df()
    where = _Where(con)
    amounts = values.dropna(subset=["amount_wan"]).set_index(["doc_id", "metric_id"]).amount_wan.astype(float)
    return prior_quotes(docs, amounts, where) + jumps(docs, amounts, claims, where) + outliers(docs, values, where) \
        + unit_outliers(docs, values, where) + stated_trends(docs, amounts, claims, where) \
        + budget_against_final(docs, amounts, where)


def run_rules(con) -> pd.DataFrame:
    """Every rule recomputed from the warehouse tables (the reference the incremental path is tested against)."""
    _, _, _, ctxs = _contexts(con)
    rows: list[dict] = []
    for ctx in ctxs.values():
        rows += document_rules(ctx)
    rows += cross_document_rules(con)
    result = pd.DataFrame(rows, columns=COLUMNS)
    return result.drop_duplicates("fingerprint").reset_index(drop=True)


def refresh_document_findings(con, doc_ids: list[str] | None = None) -> int:
    """Recompute in-document findings from the warehouse for documents whose findings came from other rule code
    (or were never computed: rows loaded before findings were staged). Returns how many documents."""
    version = rules_version()
    stale = [r[0] for r in con.execute(
        "SELECT doc_id FROM documents WHERE rules_version IS DISTINCT FROM ?" +
        (" AND doc_id IN (SELECT unnest(?::VARCHAR[]))" if doc_ids is not None else ""),
        [version, doc_ids] if doc_ids is not None else [version]).fetchall()]
    if not stale:
        return 0
    _, _, _, ctxs = _contexts(con, stale)
    rows: list[dict] = []
    for ctx in ctxs.values():
        rows += _unique(document_rules(ctx))
    found = pd.DataFrame(rows, columns=COLUMNS)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM document_findings WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [stale])
        if len(found):
            con.register("refreshed_findings", found)
            con.execute("INSERT INTO document_findings BY NAME SELECT * FROM refreshed_findings")
            con.unregister("refreshed_findings")
        con.execute("UPDATE documents SET rules_version = ? WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
                    [version, stale])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(stale)


def detect_anomalies(warehouse: Warehouse) -> pd.DataFrame:
    """Replace the anomalies table: every document's in-document findings (staged with the document, recomputed
    here only when the rule code changed) plus the cross-document rules run over the whole warehouse."""
    with warehouse.write() as con:
        migrate_connection(con)
        refresh_document_findings(con)
        inside = con.execute(f"SELECT {', '.join('f.' + c for c in COLUMNS)} FROM document_findings f "
                             "JOIN documents d ON d.doc_id = f.doc_id WHERE coalesce(d.status, '') <> 'failed' "
                             "ORDER BY f.doc_id, f.rowid").df()
        rows = _unique(inside.astype(object).where(inside.notna(), None).to_dict("records") +
                       cross_document_rules(con))
        result = pd.DataFrame(rows, columns=COLUMNS)
        result["detected_at"] = datetime.now(UTC).replace(tzinfo=None)
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM anomalies")
        if len(result):
            con.register("new_anomalies", result)
            con.execute("INSERT INTO anomalies BY NAME SELECT * FROM new_anomalies")
            con.unregister("new_anomalies")
        con.execute("COMMIT")
    return result


def set_review(warehouse: Warehouse, fingerprint_: str, status: str, reviewer: str = "", note: str = "") -> None:
    if status not in ("open", "confirmed", "dismissed"):
        raise ValueError(f"review status must be open, confirmed or dismissed, not {status!r}")
    with warehouse.write() as con:
        migrate_connection(con)
        con.execute("INSERT OR REPLACE INTO anomaly_reviews VALUES (?, ?, ?, ?, now())",
                    [fingerprint_, status, reviewer, note])


def identity_failures(warehouse: Warehouse) -> tuple[int, list[dict]]:
    """The value-identity rules alone (``sum.*``), for the blocking asset check: (documents checked, failures).

    Line-item and cross-table identities are left out on purpose: they depend on every row of a table being
    read, so a table-extraction gap would block the snapshot for a reason that is not the publisher's."""
    with warehouse.read() as con:
        docs = con.execute("SELECT doc_id, unit_name, fiscal_year, kind FROM documents WHERE status <> 'failed'").df()
        values = con.execute("SELECT doc_id, metric_id, value_num FROM metric_values").df()
    by_doc = {d: dict(zip(g.metric_id, g.value_num)) for d, g in values.groupby("doc_id")}
    failures = []
    for doc in docs.to_dict("records"):
        vals = {k: float(v) for k, v in by_doc.get(doc["doc_id"], {}).items() if pd.notna(v)}
        failures += [r for r in value_identities(DocContext(doc, vals)) if r["rule_id"].startswith("sum.")]
    return len(docs), failures

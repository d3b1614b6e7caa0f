"""Run every rule over the warehouse and replace the anomalies table; reviews; the blocking identity check."""
from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from warehouse.anomaly_rules.base import COLUMNS, DocContext
from warehouse.anomaly_rules.completeness import completeness
from warehouse.anomaly_rules.counts import count_rules
from warehouse.anomaly_rules.cross import jumps, outliers, prior_quotes
from warehouse.anomaly_rules.identities import value_identities
from warehouse.anomaly_rules.items import line_item_rules
from warehouse.anomaly_rules.narrative import claim_rules, narrative_vs_table
from warehouse.db import Warehouse, migrate_connection

_CLAIMS_SQL = ("SELECT doc_id, claim_seq, claim_type, metric_id, subject, page, raw_text, "
               "CAST(amount_wan AS DOUBLE) AS amount_wan, CAST(reference_amount_wan AS DOUBLE) AS reference_amount_wan, "
               "CAST(stated_change_wan AS DOUBLE) AS stated_change_wan, stated_pct FROM claims")
_FIGS_SQL = ("SELECT doc_id, figure_seq, metric_id, CAST(amount_wan AS DOUBLE) AS amount_wan, value_num, source, "
             "table_id, page, raw_text, unit_as_printed FROM figures")
_ITEMS_SQL = ("SELECT doc_id, item_seq, table_id, item_code, item_name, column_name, "
              "CAST(amount_wan AS DOUBLE) AS amount_wan, page FROM line_items")


def document_rules(ctx: DocContext) -> list[dict]:
    rows = value_identities(ctx)
    fired = {r["rule_id"] for r in rows}
    rows += line_item_rules(ctx)
    rows += narrative_vs_table(ctx)
    rows += claim_rules(ctx, suppress_sme_share="pct.procurement_sme" in fired)
    rows += count_rules(ctx)
    rows += completeness(ctx)
    return rows


def _contexts(con) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, DocContext]]:
    docs = con.execute("SELECT doc_id, unit_id, unit_name, fiscal_year, kind, scope FROM documents "
                       "WHERE coalesce(status, '') <> 'failed'").df()
    values = con.execute("SELECT doc_id, metric_id, CAST(amount_wan AS DOUBLE) AS amount_wan, value_num "
                         "FROM metric_values").df()
    figs = con.execute(_FIGS_SQL).df()
    claims = con.execute(_CLAIMS_SQL).df()
    items = con.execute(_ITEMS_SQL).df()
    tables = con.execute("SELECT doc_id, table_id, pages, n_rows, notes, is_empty FROM doc_tables").df()
    groups = {name: dict(list(df.groupby("doc_id"))) for name, df in
              (("figs", figs), ("claims", claims), ("items", items), ("tables", tables))}
    vals_by_doc = {d: {k: float(v) for k, v in zip(g.metric_id, g.value_num) if pd.notna(v)}
                   for d, g in values.groupby("doc_id")}
    ctxs = {}
    for doc in docs.to_dict("records"):
        d = doc["doc_id"]
        ctx = DocContext(doc, vals_by_doc.get(d, {}))
        if d in groups["figs"]:
            ctx.figs = groups["figs"][d]
        if d in groups["claims"]:
            ctx.claims = groups["claims"][d]
        if d in groups["items"]:
            ctx.items = groups["items"][d]
        if d in groups["tables"]:
            ctx.tables = {r.table_id: {"pages": r.pages, "n_rows": r.n_rows, "notes": r.notes, "is_empty": r.is_empty}
                          for r in groups["tables"][d].itertuples()}
        ctxs[d] = ctx
    return docs, values, claims, ctxs


def run_rules(con) -> pd.DataFrame:
    docs, values, claims, ctxs = _contexts(con)

    def where(doc_id, metric):
        ctx = ctxs.get(doc_id)
        if ctx is None:
            return None, ""
        page, text = ctx.where(metric, "narrative")
        return (page, text) if page is not None else ctx.where(metric)

    rows: list[dict] = []
    for ctx in ctxs.values():
        rows += document_rules(ctx)
    amounts = values[values.doc_id.isin(ctxs)].dropna(subset=["amount_wan"]) \
        .set_index(["doc_id", "metric_id"]).amount_wan.astype(float)
    rows += prior_quotes(docs, amounts, where)
    rows += jumps(docs, amounts, claims, where)
    rows += outliers(docs, values[values.doc_id.isin(ctxs)], where)
    result = pd.DataFrame(rows, columns=COLUMNS)
    return result.drop_duplicates("fingerprint").reset_index(drop=True)


def detect_anomalies(warehouse: Warehouse) -> pd.DataFrame:
    """Run every rule and replace the anomalies table; returns the new anomalies."""
    with warehouse.write() as con:
        migrate_connection(con)
        result = run_rules(con)
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

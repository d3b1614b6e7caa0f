"""What the HTML report shows, read from the snapshot: one disclosure per unit × year × kind × scope (PDF/DOCX twins
once, through ``current_documents``), rows without a unit name (blank templates) left out while a unit whose
region is unknown keeps a section of its own, anomalies of those
disclosures with their source file, and the cross-unit ratios with their peer groups."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

try:  # the cross-unit rules' ratios: numerator, denominator, label, factor, unit
    from warehouse.anomaly_rules.cross import RATIOS
except ImportError:  # pragma: no cover - rules reorganised; the report then skips the peer charts
    RATIOS = {}

KEY_FIGURES = [("income_total_wan", "本年收入合计"), ("expenditure_total_wan", "本年支出合计"),
               ("expenditure_basic_wan", "基本支出"), ("expenditure_project_wan", "项目支出"),
               ("gpb_expenditure_wan", "一般公共预算财政拨款支出"), ("admin_operating_cost_wan", "机关运行经费")]
SANGONG = [("abroad_wan", "因公出国（境）费"), ("vehicle_purchase_wan", "公务用车购置费"),
           ("vehicle_operation_wan", "公务用车运行维护费"), ("reception_wan", "公务接待费")]


@dataclass
class Unit:
    unit_id: str
    unit_name: str
    docs: list[dict] = field(default_factory=list)
    finance: list[dict] = field(default_factory=list)
    sangong: list[dict] = field(default_factory=list)
    procurement: list[dict] = field(default_factory=list)
    anomalies: list[dict] = field(default_factory=list)
    resolved: bool = True  # False: the region is unknown (documents.unit_status 'unresolved')

    @property
    def anchor(self) -> str:
        return "u-" + "".join(f"{ord(c):x}" for c in self.unit_id)[:48]


@dataclass
class ReportData:
    n_documents: int
    n_files: int
    n_failed: int
    years: list[int]
    units: list[Unit]
    by_rule: list[tuple]
    failed: list[tuple]
    ratios: dict[str, list[dict]]  # rule → rows (unit_id, unit_name, fiscal_year, kind, value)
    flagged: set[tuple]  # (rule_id, doc_id)


def _rows(con, sql: str, params=None) -> list[dict]:
    cur = con.execute(sql, params or [])
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _has(con, relation: str, column: str | None = None) -> bool:
    q = "SELECT count(*) FROM duckdb_columns() WHERE table_name = ?" + (" AND column_name = ?" if column else "")
    return con.execute(q, [relation, column] if column else [relation]).fetchone()[0] > 0


# a unit's section: its unit_id; a document whose region nobody states (unit_id NULL, issue 18) is a section of its
# own, never merged with a namesake and never left out. Only rows without any unit name (blank templates) are.
_KEY = "coalesce(unit_id, 'unresolved:' || doc_id) AS report_key"


def load_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    named = "unit_name IS NOT NULL"
    n_files, n_failed = con.execute("SELECT count(*), count(*) FILTER (WHERE status = 'failed') FROM documents").fetchone()
    docs = _rows(con, f"SELECT doc_id, unit_id, {_KEY}, unit_name, fiscal_year, kind, scope, format, n_pages, status, "
                      "original_name, source_url, n_versions FROM current_documents "
                      f"WHERE {named} ORDER BY unit_name, fiscal_year, kind, scope")
    units: dict[str, Unit] = {}
    for d in docs:
        units.setdefault(d["report_key"], Unit(d["report_key"], d["unit_name"], resolved=d["unit_id"] is not None)
                         ).docs.append(d)
    for view, attr in (("unit_year_finance", "finance"), ("unit_year_sangong", "sangong"),
                       ("unit_year_procurement", "procurement")):
        for r in _rows(con, f"SELECT *, {_KEY} FROM {view} WHERE {named} ORDER BY fiscal_year, kind, scope"):
            if r["report_key"] in units:
                getattr(units[r["report_key"]], attr).append(r)
    current = {d["doc_id"]: d for d in docs}
    review_note = "review_note" if _has(con, "anomaly_list", "review_note") else "NULL AS review_note"
    anomalies = _rows(con, "SELECT rule_id, severity, doc_id, unit_name, fiscal_year, metric_id, message, evidence, "
                           f"page, review_status, {review_note}, fingerprint FROM anomaly_list "
                           "ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, fiscal_year, "
                           "rule_id")
    kept = []
    for a in anomalies:  # findings on a twin that is not the current version are the same finding again
        d = current.get(a["doc_id"])
        if d is None:
            continue
        a["source_url"], a["format"], a["original_name"] = d["source_url"], d["format"], d["original_name"]
        units[d["report_key"]].anomalies.append(a)
        kept.append(a)
    by_rule: dict[tuple, int] = defaultdict(int)
    for a in kept:
        by_rule[(a["rule_id"], a["severity"])] += 1
    failed = con.execute("SELECT coalesce(original_name, doc_id), status, errors[1] FROM documents "
                         "WHERE status IN ('failed', 'partial') ORDER BY status, 1").fetchall()
    return ReportData(
        n_documents=len(docs), n_files=n_files, n_failed=n_failed,
        years=sorted({d["fiscal_year"] for d in docs if d["fiscal_year"]}),
        units=sorted(units.values(), key=lambda u: u.unit_name), failed=failed,
        by_rule=sorted(((r, s, n) for (r, s), n in by_rule.items()), key=lambda t: -t[2]),
        ratios=_ratios(con, f"{named} AND unit_id IS NOT NULL"), flagged={(a["rule_id"], a["doc_id"]) for a in kept})


def _ratios(con, unit_of: str) -> dict[str, list[dict]]:
    out = {}
    for rule_id, (num, den, _label, factor, _unit) in RATIOS.items():
        out[rule_id] = _rows(con, f"""
            SELECT d.doc_id, d.unit_id, d.unit_name, d.fiscal_year, d.kind,
                   n.value_num / d2.value_num * {float(factor)} AS value
            FROM current_documents d
            JOIN metric_values n ON n.doc_id = d.doc_id AND n.metric_id = ?
            JOIN metric_values d2 ON d2.doc_id = d.doc_id AND d2.metric_id = ?
            WHERE {unit_of.replace('unit_', 'd.unit_')} AND n.value_num > 0 AND d2.value_num > 0
            ORDER BY d.fiscal_year, d.kind, d.unit_name""", [num, den])
    return out

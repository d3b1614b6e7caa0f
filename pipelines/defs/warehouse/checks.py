"""Blocking checks on the loaded warehouse: a snapshot is never published from a badly broken load."""

import dagster as dg

from pipelines.defs.resources import WarehouseResource
from pipelines.defs.warehouse.assets import core_tables
from schemas.labels import code_label
from warehouse.anomalies import identity_failures

# Real disclosures do contain arithmetic slips (that is what the anomaly rules are for); a load only "fails
# badly" when identities break in a large share of documents, which points at extraction, not at publishers.
# The floor keeps one slip in a three-document batch from blocking the snapshot.
MAX_IDENTITY_FAILURE_SHARE = 0.25
MIN_FAILING_DOCUMENTS_TO_BLOCK = 3
MAX_FAILED_DOCUMENT_SHARE = 0.5


@dg.asset_check(asset=core_tables, blocking=True, description="Accounting identities (收入=Σ来源, 支出=基本+项目, "
                "三公=出国+用车+接待, 基本=人员+公用, 采购=货物+工程+服务) hold in most documents.")
def accounting_identities(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    checked, failures = identity_failures(warehouse.warehouse())
    docs_failing = sorted({f["doc_id"] for f in failures})
    share = len(docs_failing) / checked if checked else 0.0
    passed = share <= MAX_IDENTITY_FAILURE_SHARE or len(docs_failing) < MIN_FAILING_DOCUMENTS_TO_BLOCK
    md = "\n".join(f"- {f['unit_name']} {f['fiscal_year']}: {f['message']}" for f in failures[:30]) or "all hold"
    cols = ("单位", "年度", "说明")
    table = dg.TableMetadataValue(
        records=[dg.TableRecord(dict(zip(cols, (f["unit_name"] or "（未识别）", str(f["fiscal_year"] or "—"),
                                                str(f["message"])[:300]), strict=True))) for f in failures[:200]],
        schema=dg.TableSchema(columns=[dg.TableColumn(c, "string") for c in cols]))
    reason = (f"identities break in {len(docs_failing)} of {checked} documents ({share:.0%}): extraction is "
              "suspect, the snapshot is not published" if not passed else
              f"identities hold in {checked - len(docs_failing)} of {checked} documents")
    return dg.AssetCheckResult(
        passed=passed,
        severity=dg.AssetCheckSeverity.ERROR if not passed else dg.AssetCheckSeverity.WARN,
        metadata={"reason": reason, "documents_checked": checked, "documents_failing": len(docs_failing),
                  "failing_share": round(share, 3), "failing_documents": table, "failures": dg.MetadataValue.md(md)},
    )


def _batch_start(context) -> float | None:
    """When this run started (epoch seconds): documents loaded since are this batch's (the load sets loaded_at)."""
    try:
        return context.instance.get_run_stats(context.run_id).start_time
    except Exception:  # noqa: BLE001 - without run stats the check falls back to the whole warehouse
        return None


def _document_table(rows) -> dg.TableMetadataValue:
    cols = ("单位", "年度", "类型", "文件", "状态", "问题")
    return dg.TableMetadataValue(
        records=[dg.TableRecord(dict(zip(cols, (u or "（未识别）", str(y or "—"), code_label("kind", k) or "—",
                                                 n or d, code_label("status", st), _first(e)), strict=True)))
                 for d, u, y, k, n, st, e in rows],
        schema=dg.TableSchema(columns=[dg.TableColumn(c, "string") for c in cols]))


def _first(errors) -> str:
    return next((str(e).splitlines()[0][:300] for e in errors or [] if str(e).strip()), "")


@dg.asset_check(asset=core_tables, blocking=True, description=(
    "Documents of this load could be read and hold figures: failed and partial documents are listed by unit, "
    "year and file name (a warning); more than half of the warehouse unreadable blocks the snapshot."))
def documents_readable(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    since = _batch_start(context)
    with warehouse.warehouse().read() as con:
        total, n_failed = con.execute("SELECT count(*), count(*) FILTER (WHERE status = 'failed') "
                                      "FROM documents").fetchone()
        batch = con.execute(
            "SELECT doc_id, unit_name, fiscal_year, kind, original_name, status, errors FROM documents "
            "WHERE status IN ('failed', 'partial') AND (?::DOUBLE IS NULL OR loaded_at >= to_timestamp(?)::TIMESTAMP) "
            "ORDER BY status, unit_name, fiscal_year, original_name", [since, since]).fetchall()
    share = n_failed / total if total else 0.0
    blocked = share > MAX_FAILED_DOCUMENT_SHARE
    b_failed = sum(r[5] == "failed" for r in batch)
    if blocked:
        reason = (f"{n_failed} of {total} documents in the warehouse could not be read ({share:.0%}, more than "
                  f"{MAX_FAILED_DOCUMENT_SHARE:.0%}): the snapshot is not published")
    elif batch:
        reason = (f"{b_failed} documents of this load could not be read and {len(batch) - b_failed} were read "
                  "without figures (listed); the others were loaded")
    else:
        reason = "every document of this load was read with figures"
    return dg.AssetCheckResult(
        passed=not blocked and not batch,
        severity=dg.AssetCheckSeverity.ERROR if blocked else dg.AssetCheckSeverity.WARN,
        metadata={"reason": reason, "documents": total, "failed": n_failed,
                  "batch_failed": b_failed, "batch_partial": len(batch) - b_failed,
                  "problem_documents": _document_table(batch[:200])},
    )

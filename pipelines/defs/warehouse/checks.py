"""Blocking checks on the loaded warehouse: a snapshot is never published from a badly broken load."""

import dagster as dg

from pipelines.defs.resources import WarehouseResource
from pipelines.defs.warehouse.assets import core_tables
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
    return dg.AssetCheckResult(
        passed=passed,
        severity=dg.AssetCheckSeverity.ERROR if not passed else dg.AssetCheckSeverity.WARN,
        metadata={"documents_checked": checked, "documents_failing": len(docs_failing),
                  "failing_share": round(share, 3), "failures": dg.MetadataValue.md(md)},
    )


@dg.asset_check(asset=core_tables, blocking=True,
                description="Most registered documents could be read (failed documents are listed with reasons).")
def documents_readable(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.warehouse().read() as con:
        total = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        failed = con.execute("SELECT doc_id, original_name, errors FROM documents WHERE status = 'failed'").fetchall()
    share = len(failed) / total if total else 0.0
    md = "\n".join(f"- {d} {n or ''}: {(e or [''])[0][:200]}" for d, n, e in failed[:30]) or "none failed"
    return dg.AssetCheckResult(
        passed=share <= MAX_FAILED_DOCUMENT_SHARE,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"documents": total, "failed": len(failed), "failed_documents": dg.MetadataValue.md(md)},
    )

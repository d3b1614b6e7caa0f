"""Jobs besides the full ingest: the two halves, so parallel workers can stage while one process loads."""
import dagster as dg

stage_job = dg.define_asset_job(
    "stage_documents", selection=dg.AssetSelection.groups("ingest"),
    description="Per-document work only (read + extract to staging); safe to run in many processes at once.",
)
load_job = dg.define_asset_job(
    "load_warehouse", selection=dg.AssetSelection.groups("warehouse"),
    description="Single-writer load of everything staged, anomaly rules, blocking checks, analyst snapshot.",
)

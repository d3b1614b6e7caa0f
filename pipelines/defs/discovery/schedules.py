"""Re-crawl every enabled source weekly; conditional requests make an unchanged portal cost almost nothing."""
import dagster as dg

from pipelines.defs.discovery.assets import document_registry

# coverage follows every crawl: new publish dates and newly found documents change who is missing or late
discovery_job = dg.define_asset_job("discover_documents",
                                    selection=dg.AssetSelection.assets(document_registry)
                                    | dg.AssetSelection.assets(dg.AssetKey(["warehouse", "disclosure_coverage"])),
                                    description="Crawl sources.yaml into the registry and raw store, then refresh "
                                                "disclosure coverage.")

weekly_recrawl = dg.ScheduleDefinition(
    name="weekly_recrawl",
    job=discovery_job,
    cron_schedule="0 3 * * 1",  # Monday 03:00, outside office hours of the portals' owners
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Weekly re-crawl of every enabled source in sources.yaml.",
)

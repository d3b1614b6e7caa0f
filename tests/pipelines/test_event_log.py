"""The batching SQLite event log stores a batch run's materialisations exactly as stock Dagster does."""

import shutil
from pathlib import Path

import dagster as dg
import pytest

from pipelines.event_log import BatchingSqliteEventLogStorage

REPO = Path(__file__).resolve().parents[2]
KEYS = [f"doc{i:03d}" for i in range(30)]
parts = dg.DynamicPartitionsDefinition(name="docs")


@dg.asset(partitions_def=parts, backfill_policy=dg.BackfillPolicy.single_run())
def per_document(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"documents": len(context.partition_keys)},
                                data_version=dg.DataVersion("v1"))


def _run(home: Path, monkeypatch, batch_size: str) -> dict:
    home.mkdir()
    shutil.copyfile(REPO / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", batch_size)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, BatchingSqliteEventLogStorage)
        instance.add_dynamic_partitions("docs", KEYS)
        job = dg.Definitions(assets=[per_document]).resolve_implicit_global_asset_job_def()
        result = job.execute_in_process(instance=instance, tags={
            "dagster/asset_partition_range_start": KEYS[0], "dagster/asset_partition_range_end": KEYS[-1]})
        assert result.success
        key = per_document.key
        records = instance.fetch_materializations(key, limit=1000).records
        run_events = [e for e in instance.all_logs(result.run_id) if e.dagster_event
                      and e.dagster_event.event_type_value == "ASSET_MATERIALIZATION"]
        latest = instance.get_latest_materialization_event(key)
        # what the index shard's other tables hold: the asset-key row, and the indexed tags of each event
        entry = instance.get_asset_records([key])[0].asset_entry
        tags = instance.event_log_storage.get_event_tags_for_asset(key)
        return {
            "asset_row": (entry.last_materialization_record.storage_id == max(r.storage_id for r in records),
                          entry.last_materialization_record.partition_key, entry.last_run_id == result.run_id),
            "tags": sorted(tuple(sorted(t.items())) for t in tags),
            "index": sorted((r.partition_key, r.asset_materialization.metadata["documents"].value,
                             r.asset_materialization.tags.get("dagster/data_version")) for r in records),
            "run_shard": sorted(e.dagster_event.partition for e in run_events),
            "materialized": sorted(instance.get_materialized_partitions(key)),
            "latest_partition": latest.dagster_event.partition if latest else None,
        }


def test_batched_writes_store_what_single_writes_store(tmp_path, monkeypatch):
    single = _run(tmp_path / "single", monkeypatch, "0")
    batched = _run(tmp_path / "batched", monkeypatch, "1000")
    assert batched == single
    assert len(batched["index"]) == len(batched["run_shard"]) == len(KEYS) and batched["materialized"] == KEYS
    assert batched["index"][0] == ("doc000", 30, "v1")
    assert batched["asset_row"][0] and batched["asset_row"][2] and len(batched["tags"]) == len(KEYS)


def test_an_index_failure_mid_batch_stores_every_event_once(tmp_path, monkeypatch):
    real = BatchingSqliteEventLogStorage._index
    calls = []

    def flaky(self, conn, events, statements):
        calls.append(len(events))
        if len(events) > 1:  # the whole-batch transaction fails half way; the retry is event by event
            real(self, conn, events[:3], statements[:3])
            raise RuntimeError("disk I/O error")
        return real(self, conn, events, statements)

    monkeypatch.setattr(BatchingSqliteEventLogStorage, "_index", flaky)
    got = _run(tmp_path / "flaky", monkeypatch, "1000")
    assert calls[0] == len(KEYS) and calls.count(1) >= len(KEYS)
    assert got["materialized"] == KEYS and len(got["index"]) == len(got["run_shard"]) == len(KEYS)


def test_default_folder_is_stock_dagsters(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    storage = BatchingSqliteEventLogStorage()
    assert Path(storage._base_dir) == tmp_path / "history" / "runs"
    with pytest.raises(RuntimeError, match="DAGSTER_HOME is not set"):
        monkeypatch.delenv("DAGSTER_HOME")
        BatchingSqliteEventLogStorage()

import json

import dagster as dg

from extractors.registry import RawStore, Registry, register_files
from pipelines.definitions import defs
from pipelines.defs.ingest.sensors import BATCH_SIZE, new_documents_sensor
from pipelines.defs.resources import DocumentStore


def test_definitions_load():
    d = defs()
    dg.Definitions.validate_loadable(d)
    repo = d.get_repository_def()
    jobs = {j.name for j in repo.get_all_jobs()}
    assert {"ingest_documents", "stage_documents", "load_warehouse"} <= jobs
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    assert {"staging/parsed_documents", "staging/extracted_documents", "warehouse/core_tables",
            "warehouse/anomalies", "warehouse/analyst_snapshot"} <= keys
    assert "new_documents_sensor" in {s.name for s in repo.sensor_defs}


def test_sensor_adds_partitions_and_batches_runs(tmp_path):
    files = []
    for i in range(BATCH_SIZE + 5):
        f = tmp_path / "in" / f"doc{i}.txt"
        f.parent.mkdir(exist_ok=True)
        f.write_text(f"document {i}")
        files.append(f)
    data = tmp_path / "data"
    with Registry(data / "registry.sqlite") as reg:
        register_files(reg, RawStore(data / "raw"), files)
    store = DocumentStore(data_dir=str(data))
    with dg.instance_for_test() as instance:
        ctx = dg.build_sensor_context(instance=instance, resources={"documents": store})
        result = new_documents_sensor(ctx)
        assert len(result.dynamic_partitions_requests[0].partition_keys) == BATCH_SIZE + 5
        assert len(result.run_requests) == 2  # batched: not one run per document
        sizes = [int(r.tags["juesuan/batch_size"]) for r in result.run_requests]
        assert sizes == [BATCH_SIZE, 5]
        cursor = json.loads(result.cursor)
        instance.add_dynamic_partitions("documents", list(result.dynamic_partitions_requests[0].partition_keys))
        again = new_documents_sensor(dg.build_sensor_context(instance=instance, cursor=result.cursor,
                                                             resources={"documents": store}))
        assert not again.run_requests and cursor["ticks"] == 1

"""The Dagster side of discovery: the document_registry asset crawls the fixture portal, the sensor turns what it
registered into dynamic partitions and batched ingest runs."""
from __future__ import annotations

import json

import dagster as dg
import pytest

from extractors.registry import Registry
from pipelines.defs.discovery.assets import document_registry
from pipelines.defs.ingest import sensors
from pipelines.defs.ingest.sensors import new_documents_sensor
from pipelines.defs.resources import DocumentStore, SourcesResource

SOURCES = """\
sources:
  - name: fixture_portal
    kind: portal
    start_urls: ["{start}"]
    allowed_hosts: ["127.0.0.1"]
    allow_private: true          # the fixture portal is on loopback
    title_exclude: "工作动态"
    years: 2020-2026
    rate_limit: 500
    timeout: 0.4
    retries: 1
    backoff: 0.01
    max_bytes: 60000
  - name: inbox
    kind: folder
    paths: [inbox]               # absent: reported as a skipped page, not an error
"""


@pytest.fixture
def resources(tmp_path, portal):
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(SOURCES.format(start=portal.start_url), encoding="utf-8")
    return {"documents": DocumentStore(data_dir=str(tmp_path / "data")),
            "sources": SourcesResource(sources_path=str(cfg))}


def materialize(resources) -> dict:
    result = dg.materialize([document_registry], resources=resources)
    assert result.success
    [mat] = result.asset_materializations_for_node("discovery__document_registry")
    assert mat.asset_key == dg.AssetKey(["discovery", "document_registry"])
    return {k: v.value for k, v in mat.metadata.items()}


def test_document_registry_asset_and_sensor(resources, portal, server, monkeypatch):
    del server.resources[portal.BASE + "202406/t20240601_1009.html"]  # the slow page: a 404 costs no waiting
    first = materialize(resources)
    with resources["documents"].registry() as reg:
        doc_ids = reg.doc_ids()
    # the fixture portal: 2024/2022 finance bureau, 2025 budget, GBK page, transport bureau (via a redirect)
    assert first["documents_in_registry"] == len(doc_ids) == 5
    assert first["new_documents"] == 5
    # documents only; pages that failed (two 404s) are listed under problems instead
    assert first["by_status"] == {"fetched": 5, "skipped": 7}
    assert "| fixture_portal | 5 | 7 |" in first["by_source"]
    assert first["new"].count("\n- ") == 4 and "2024年度长沙市财政局部门决算" in first["new"]
    for why in ("disallowed by robots.txt", "HTTP 404", "not in allowed_hosts", "duplicate content"):
        assert why in first["problems"], why

    second = materialize(resources)
    assert second["new_documents"] == 0 and second["documents_in_registry"] == 5
    assert second["by_status"].get("fetched", 0) == 0 and second["by_status"]["unchanged"] == 5
    assert second["new"] == "none"

    store = resources["documents"]
    monkeypatch.setattr(sensors.batched_run_requests, "__defaults__", (2,))  # small batches for 5 documents
    with dg.instance_for_test() as instance:
        result = new_documents_sensor(dg.build_sensor_context(instance=instance, resources={"documents": store}))
        [add] = result.dynamic_partitions_requests
        assert add.partitions_def_name == "documents" and list(add.partition_keys) == doc_ids
        runs = result.run_requests
        assert [int(r.tags["juesuan/batch_size"]) for r in runs] == [2, 2, 1]
        assert [(r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
                for r in runs] == [(doc_ids[0], doc_ids[1]), (doc_ids[2], doc_ids[3]), (doc_ids[4], doc_ids[4])]
        assert all(r.job_name == "ingest_documents" for r in runs) and len({r.run_key for r in runs}) == 3
        instance.add_dynamic_partitions("documents", list(add.partition_keys))

        # nothing new: the next tick skips
        idle = new_documents_sensor(dg.build_sensor_context(instance=instance, cursor=result.cursor,
                                                            resources={"documents": store}))
        assert not idle.run_requests and not idle.dynamic_partitions_requests

        # the portal publishes one more disclosure: discovery finds exactly it, the sensor asks for one run
        portal.publish_new_document()
        third = materialize(resources)
        assert third["new_documents"] == 1 and third["documents_in_registry"] == 6
        tick = new_documents_sensor(dg.build_sensor_context(instance=instance, cursor=idle.cursor,
                                                            resources={"documents": store}))
        with Registry(store.root / "registry.sqlite") as reg:
            newest = [d for d in reg.doc_ids() if d not in doc_ids]
        assert list(tick.dynamic_partitions_requests[0].partition_keys) == newest
        assert len(tick.run_requests) == 1 and json.loads(tick.cursor)["ticks"] == 3


def test_coverage_is_refreshed_by_every_crawl_and_every_load():
    from pipelines.definitions import defs

    d = defs()
    cov = dg.AssetKey(["warehouse", "disclosure_coverage"])
    crawl = d.resolve_job_def("discover_documents").asset_layer.executable_asset_keys
    assert {cov, dg.AssetKey(["discovery", "document_registry"])} <= set(crawl)
    assert cov in d.resolve_job_def("ingest_documents").asset_layer.executable_asset_keys
    # downstream of both, so in either job it runs after the crawl or the load
    assert {p.to_user_string() for p in d.resolve_asset_graph().get(cov).parent_keys} == \
        {"discovery/document_registry", "warehouse/core_tables"}

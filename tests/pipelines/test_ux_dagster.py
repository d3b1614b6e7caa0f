"""What an operator sees in the Dagster UI, read over GraphQL as the UI reads it: failed and partial documents in
check tables on the staging asset and on core_tables, partition pages that lead with the document, and a
re-ingest that changes nothing keeping both."""
from __future__ import annotations

import json
import shutil

import pytest

from extractors.synthetic import build_corpus
from pipelines import progress
from pipelines.runner import ingest
from pipelines.settings import Settings
from tests.pipelines.test_webserver import REPO, _post, start_webserver
from warehouse.db import Warehouse

CHECKS = """query($path: [String!]!) { assetNodeOrError(assetKey: {path: $path}) { ... on AssetNode {
  partitionStats { numMaterialized numPartitions }
  assetChecksOrError { ... on AssetChecks { checks { name executionForLatestMaterialization {
    evaluation { success severity metadataEntries { label
      ... on TableMetadataEntry { table { records } }
      ... on TextMetadataEntry { text } } } } } } } } } }"""
MATERIALIZATIONS = """query($path: [String!]!, $partitions: [String!]) { assetOrError(assetKey: {path: $path}) {
  ... on Asset { assetMaterializations(partitions: $partitions, limit: 1) { partition metadataEntries { label
    ... on TextMetadataEntry { text } ... on IntMetadataEntry { intValue } ... on PathMetadataEntry { path }
    ... on MarkdownMetadataEntry { mdStr } ... on TableMetadataEntry { table { records } } } } } } }"""


def _checks(base: str, path: list[str]) -> dict:
    node = _post(base + "/graphql", CHECKS, {"path": path})["data"]["assetNodeOrError"]
    out = {}
    for c in node["assetChecksOrError"]["checks"]:
        ev = (c["executionForLatestMaterialization"] or {}).get("evaluation") or {}
        tables = {e["label"]: [json.loads(r) for r in e["table"]["records"]] for e in ev.get("metadataEntries", [])
                  if "table" in e}
        out[c["name"]] = {"success": ev.get("success"), "severity": ev.get("severity"), "tables": tables}
    return {"checks": out, "stats": node["partitionStats"]}


def _entries(base: str, path: list[str], partition: str | None = None) -> list[dict]:
    res = _post(base + "/graphql", MATERIALIZATIONS, {"path": path, "partitions": [partition] if partition else None})
    return res["data"]["assetOrError"]["assetMaterializations"][0]["metadataEntries"]


def _value(entry: dict):
    if "table" in entry:
        return [json.loads(r) for r in entry["table"]["records"]]
    return next((entry[k] for k in ("text", "intValue", "path", "mdStr") if k in entry), None)


def _partial_docx(path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("青川市统计局2024年部门决算", 0)
    d.add_paragraph("青川市统计局主要职责是组织全市统计工作。本部门2024年度决算公开如下，详见附表。")
    d.save(path)


@pytest.mark.slow
def test_operator_sees_failed_and_partial_documents_and_a_rerun_keeps_what_was_shown(tmp_path, clean_env):
    corpus = build_corpus(tmp_path / "corpus", units=2, years=(2024,), formats=("pdf",))
    folder = tmp_path / "收件箱"
    folder.mkdir()
    for m in corpus:
        shutil.copy(m["path"], folder)
    (folder / "损坏的文件.pdf").write_bytes(b"<html><body>404 Not Found</body></html>")
    (folder / "notes.xlsx").write_bytes((REPO / "pyproject.toml").read_bytes())  # not a workbook at all
    _partial_docx(folder / "统计局决算说明.docx")  # read, but holds no figure: partial, never a silent pass
    settings = Settings.resolve(data_dir=str(tmp_path / "data"))
    with progress.listening(progress.IngestProgress(live=False)):
        first = ingest([folder], settings)
        again = ingest([folder], settings)  # nothing changed
    assert first.success and again.success and again.new == 0
    env = {"DAGSTER_HOME": str(settings.dagster_home), "JUESUAN_DATA_DIR": str(settings.data_dir),
           "JUESUAN_WAREHOUSE": str(settings.warehouse), "JUESUAN_SNAPSHOT": str(settings.snapshot)}
    with start_webserver(env) as base:
        staging = _checks(base, ["staging", "extracted_documents"])
        read = staging["checks"]["documents_read"]
        core = _checks(base, ["warehouse", "core_tables"])["checks"]["documents_readable"]
        with Warehouse(settings.warehouse).read() as con:
            good = con.execute("SELECT doc_id FROM documents WHERE status = 'ok' ORDER BY doc_id LIMIT 1").fetchone()[0]
        partition = _entries(base, ["staging", "extracted_documents"], good)
        loaded = {e["label"]: _value(e) for e in _entries(base, ["warehouse", "core_tables"])}
    # the rerun's check ran on the same batch: the two bad files are still listed, by file name
    assert read["success"] is False and read["severity"] == "WARN"
    listed = {r["文件"]: r for r in read["tables"]["problem_documents"]}
    assert {"损坏的文件.pdf", "notes.xlsx"} <= set(listed)
    assert listed["损坏的文件.pdf"]["状态"].startswith("失败") and listed["损坏的文件.pdf"]["问题"]
    partial = listed["统计局决算说明.docx"]
    assert partial["状态"].startswith("部分") and (partial["单位"], partial["年度"]) == ("青川市统计局", "2024")
    assert "no catalogued figure" in partial["问题"]
    assert staging["stats"]["numMaterialized"] == staging["stats"]["numPartitions"] == 5
    # core_tables: the first load listed them (the rerun loaded nothing, so its check lists none)
    assert core["severity"] in ("WARN", "ERROR") and "problem_documents" in core["tables"]
    core_listed = {r["文件"]: r["状态"] for r in core["tables"]["problem_documents"]}
    assert core["success"] is False and core_listed["统计局决算说明.docx"].startswith("部分"), core
    # a partition page leads with the document, and the unchanged rerun did not blank it
    labels = [e["label"] for e in partition]
    assert labels[:5] == ["unit_name", "fiscal_year", "kind", "scope", "file_name"], labels
    values = {e["label"]: _value(e) for e in partition}
    assert values["unit_name"] in {m["unit_name"] for m in corpus} and values["kind"] == "决算 (final_accounts)"
    assert values["document_status"] == "ok" and values["staging"].startswith("unchanged")
    assert "本年收入合计" in values["document_key_figures"]
    assert "收件箱" in values["source_path"]  # decoded, not %E6%94%B6…
    # the load that changed nothing kept the previous key-figure table
    assert "本年收入合计" in loaded["loaded_key_figures"] and "nothing was reloaded" in loaded["loaded_key_figures_since"]
    # and an operator finds a document's partition from its unit or file name
    index = {r["文件"]: r for r in loaded["document_index"]}
    assert index["损坏的文件.pdf"]["分区"].startswith("d") and index["损坏的文件.pdf"]["状态"].startswith("失败")
    assert {r["单位"] for r in loaded["document_index"]} >= {m["unit_name"] for m in corpus}

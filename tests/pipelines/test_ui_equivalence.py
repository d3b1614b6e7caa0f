"""Launching the ingest job from the UI (GraphQL, as the Launchpad does) and running `juesuan ingest` give the
same warehouse."""
import os
import time

import dagster as dg
import pytest

from extractors.registry import RawStore, Registry, register_files
from extractors.synthetic import build_corpus
from pipelines.defs.ingest.sensors import range_tags
from pipelines.runner import ingest
from pipelines.settings import Settings
from tests.pipelines.test_webserver import REPO, _post, start_webserver
from tests.warehouse.records import warehouse_rows

LAUNCH = """
mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename
  ... on LaunchRunSuccess { run { runId } }
  ... on PythonError { message }
  ... on InvalidSubsetError { message }
  ... on RunConfigValidationInvalid { errors { message } }
} }
"""
STATUS = "query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"
LOCATION = "{ repositoriesOrError { ... on RepositoryConnection { nodes { name location { name } } } } }"


@pytest.mark.slow
def test_ui_launch_equals_cli_ingest(tmp_path, clean_env, monkeypatch):
    corpus = build_corpus(tmp_path / "corpus", units=2, years=(2024,), formats=("pdf",))
    files = [m["path"] for m in corpus]
    ui = tmp_path / "ui"
    home = ui / "home"
    home.mkdir(parents=True)
    # launch straight away (no daemon in a test): the default run coordinator
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text() + "\nrun_coordinator:\n"
                                       "  module: dagster._core.run_coordinator\n  class: DefaultRunCoordinator\n")
    with Registry(ui / "data" / "registry.sqlite") as reg:
        keys = [e.doc_id for e, _ in register_files(reg, RawStore(ui / "data" / "raw"), files)]
    monkeypatch.setenv("DAGSTER_HOME", str(home))  # the instance is always opened through its DAGSTER_HOME
    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.add_dynamic_partitions("documents", keys)
    env = {"DAGSTER_HOME": str(home), "JUESUAN_DATA_DIR": str(ui / "data"),
           "JUESUAN_WAREHOUSE": str(ui / "w.duckdb"), "JUESUAN_SNAPSHOT": str(ui / "snap.duckdb"),
           # the UI's run stages in two processes, the CLI's below in one: the warehouse must not differ
           "JUESUAN_WORKERS": "2"}
    with start_webserver(env) as base:
        loc = _post(base + "/graphql", LOCATION)["data"]["repositoriesOrError"]["nodes"][0]
        params = {"selector": {"repositoryLocationName": loc["location"]["name"], "repositoryName": loc["name"],
                               "jobName": "ingest_documents"},
                  "executionMetadata": {"tags": [{"key": k, "value": v} for k, v in range_tags(keys[0], keys[-1]).items()]}}
        res = _post(base + "/graphql", LAUNCH, {"params": params})["data"]["launchRun"]
        assert res["__typename"] == "LaunchRunSuccess", res
        run_id = res["run"]["runId"]
        deadline = time.time() + 900
        status = None
        while time.time() < deadline:
            status = _post(base + "/graphql", STATUS, {"id": run_id})["data"]["runOrError"]["status"]
            if status in ("SUCCESS", "FAILURE", "CANCELED"):
                break
            time.sleep(2)
        assert status == "SUCCESS"

    cli = tmp_path / "cli"
    settings = Settings.resolve(data_dir=str(cli / "data"), warehouse=str(cli / "w.duckdb"),
                                dagster_home=str(cli / "home"))
    assert ingest(files, settings).success
    assert warehouse_rows(ui / "w.duckdb") == warehouse_rows(cli / "w.duckdb")
    assert os.path.exists(ui / "snap.duckdb")

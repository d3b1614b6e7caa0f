"""Start dagster-webserver against the project and check, over GraphQL, that everything is served."""
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

QUERY = """
{ repositoriesOrError { ... on RepositoryConnection { nodes {
    name
    jobs { name }
    sensors { name sensorState { status } }
    schedules { name cronSchedule }
    assetNodes { assetKey { path } groupName isPartitioned
                 assetChecksOrError { ... on AssetChecks { checks { name blocking } } } }
} } } }
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, query: str, variables: dict | None = None) -> dict:
    req = urllib.request.Request(url, data=json.dumps({"query": query, "variables": variables or {}}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


@contextlib.contextmanager
def start_webserver(env_overrides: dict):
    port = _free_port()
    env = {**os.environ, "JUESUAN_SOURCES": str(REPO / "sources.yaml"), **env_overrides}
    exe = Path(sys.executable).parent / "dagster-webserver"
    proc = subprocess.Popen([str(exe), "-m", "pipelines.definitions", "-h", "127.0.0.1", "-p", str(port)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    try:
        while time.time() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"dagster-webserver exited: {proc.stdout.read().decode()[-2000:]}")
            try:
                urllib.request.urlopen(base + "/server_info", timeout=2)
                break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("dagster-webserver did not answer within 120 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def webserver(tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    with start_webserver({"DAGSTER_HOME": str(tmp_path / "home"), "JUESUAN_DATA_DIR": str(tmp_path / "data"),
                          "JUESUAN_WAREHOUSE": str(tmp_path / "w.duckdb"),
                          "JUESUAN_SNAPSHOT": str(tmp_path / "snap.duckdb")}) as base:
        yield base


def test_webserver_serves_assets_checks_sensor_schedule(webserver):
    data = _post(webserver + "/graphql", QUERY)
    assert "errors" not in data, data.get("errors")
    repos = data["data"]["repositoriesOrError"]["nodes"]
    nodes = [n for r in repos for n in r["assetNodes"]]
    keys = {"/".join(n["assetKey"]["path"]) for n in nodes}
    assert {"discovery/document_registry", "staging/parsed_documents", "staging/extracted_documents",
            "warehouse/core_tables", "warehouse/anomalies", "warehouse/analyst_snapshot"} <= keys
    partitioned = {"/".join(n["assetKey"]["path"]) for n in nodes if n["isPartitioned"]}
    assert partitioned == {"staging/parsed_documents", "staging/extracted_documents"}
    checks = {c["name"]: c["blocking"] for n in nodes for c in (n["assetChecksOrError"].get("checks") or [])}
    assert checks.get("accounting_identities") is True and checks.get("documents_readable") is True
    sensors = {s["name"]: s["sensorState"]["status"] for r in repos for s in r["sensors"]}
    assert sensors.get("new_documents_sensor") == "RUNNING"
    assert "weekly_recrawl" in {s["name"] for r in repos for s in r["schedules"]}
    assert {"ingest_documents", "discover_documents"} <= {j["name"] for r in repos for j in r["jobs"]}

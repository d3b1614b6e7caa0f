"""Registry → partitions → batched runs.

Discovery (crawler, folder scans, `juesuan ingest`) writes the registry. This sensor only diffs the registry
against the instance's partitions: it adds the new documents as partitions and requests runs over contiguous
ranges of them (dynamic partitions are ordered by insertion), so 1,000 new documents become 1,000/batch_size
runs. Each tick is capped; the rest waits for the next tick. The cursor remembers the registry position so a
tick reads only new rows, and a full reconcile every few ticks heals an instance that lost partitions.
"""

import json

import dagster as dg

from pipelines.defs.ingest.assets import NO_DEFER_TAG
from pipelines.defs.partitions import documents_partitions
from pipelines.defs.resources import DocumentStore
from pipelines.stage_watch import deferred_doc_ids

BATCH_SIZE = 50  # documents per run: amortises run start-up (~seconds) over many documents
MAX_DOCUMENTS_PER_TICK = 500  # keeps a tick far below the 60 s sensor timeout
FULL_RECONCILE_EVERY = 20  # ticks


def range_tags(first: str, last: str) -> dict[str, str]:
    return {"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}


def deferred_run_requests(deferred: dict[str, float], existing: set[str]) -> list[dg.RunRequest]:
    """A run of its own for each document a batch deferred (it ran long after the rest finished), never deferred
    again; the run key carries when it was deferred, so each deferral is run once."""
    return [dg.RunRequest(run_key=f"deferred-{key}-{int(when)}", job_name="ingest_documents",
                          tags={**range_tags(key, key), NO_DEFER_TAG: "1"})
            for key, when in sorted(deferred.items()) if key in existing]


def batched_run_requests(keys: list[str], batch_size: int = BATCH_SIZE) -> list[dg.RunRequest]:
    out = []
    for i in range(0, len(keys), batch_size):
        chunk = keys[i:i + batch_size]
        out.append(dg.RunRequest(run_key=f"docs-{chunk[0]}-{chunk[-1]}-{len(chunk)}", job_name="ingest_documents",
                                 tags={**range_tags(chunk[0], chunk[-1]), "juesuan/batch_size": str(len(chunk))}))
    return out


@dg.sensor(
    name="new_documents_sensor",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Turns newly registered documents into partitions and batched ingest runs.",
    job_name="ingest_documents",
)
def new_documents_sensor(context: dg.SensorEvaluationContext, documents: DocumentStore) -> dg.SensorResult:
    cursor = json.loads(context.cursor) if context.cursor else {"first_seen": 0.0, "ticks": 0}
    ticks = cursor.get("ticks", 0) + 1
    existing = set(context.instance.get_dynamic_partitions(documents_partitions.name))
    since = 0.0 if ticks % FULL_RECONCILE_EVERY == 1 else cursor.get("first_seen", 0.0)
    with documents.registry() as reg:
        entries = reg.all(since=since)  # only rows new since the cursor, except on reconcile ticks
    new = [e for e in entries if e.doc_id not in existing][:MAX_DOCUMENTS_PER_TICK]
    retries = deferred_run_requests(deferred_doc_ids(documents.parsed_dir), existing)
    if not new:
        if retries:
            return dg.SensorResult(run_requests=retries, cursor=json.dumps({**cursor, "ticks": ticks}))
        return dg.SensorResult(cursor=json.dumps({**cursor, "ticks": ticks}),
                               skip_reason=dg.SkipReason(f"no new documents ({len(existing)} known)"))
    keys = [e.doc_id for e in new]
    context.log.info(f"{len(keys)} new documents → {len(range(0, len(keys), BATCH_SIZE))} runs")
    return dg.SensorResult(
        dynamic_partitions_requests=[documents_partitions.build_add_request(keys)],
        run_requests=batched_run_requests(keys) + retries,
        cursor=json.dumps({"first_seen": max(e.first_seen for e in new), "ticks": ticks}),
    )

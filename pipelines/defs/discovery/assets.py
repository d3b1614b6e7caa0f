"""Discovery: crawl the sources in sources.yaml into the registry and the raw store.

Crawling happens here, in an asset run, never inside a sensor tick (ticks have a 60 s budget). The
``new_documents_sensor`` then turns whatever this added to the registry into partitions and ingest runs.
"""
from collections import Counter, defaultdict

import dagster as dg

from extractors.crawl.runner import crawl_sources
from pipelines.defs.resources import DocumentStore, SourcesResource


@dg.asset(
    key=["discovery", "document_registry"],
    group_name="discovery",
    kinds={"http", "sqlite"},
    description="Every document found on the configured portals, folders and URL lists: one registry row per "
                "document (URL, title, publish date, column, unit/year/kind guesses), bytes in the raw store.",
)
def document_registry(context: dg.AssetExecutionContext, documents: DocumentStore,
                      sources: SourcesResource) -> dg.MaterializeResult:
    by_status: Counter[str] = Counter()
    by_source: dict[str, Counter] = defaultdict(Counter)
    problems: list[str] = []
    new_docs: list[str] = []
    not_disclosures: list[str] = []  # the classifier's skips, with its reasons
    with documents.registry() as registry:
        for rec in crawl_sources(sources.sources_path, registry, documents.raw_store()):
            if rec.get("role", "document") != "document":
                if rec["status"] == "error":
                    problems.append(f"{rec['url']}: {rec.get('reason')}")
                continue
            by_status[rec["status"]] += 1
            by_source[rec["source"]][rec["status"]] += 1
            if rec["status"] == "error" or (rec["status"] == "skipped" and len(problems) < 200):
                problems.append(f"{rec['status']} {rec['url']}: {rec.get('reason')}")
            if rec["status"] == "skipped" and str(rec.get("reason", "")).startswith(
                    ("not a disclosure", "article page is not itself")):
                not_disclosures.append(f"| {rec.get('title') or rec['url']} | {rec.get('reason')} |")
            if rec.get("new"):
                new_docs.append(f"{rec.get('doc_id')} {rec.get('title') or rec['url']}")
        total = len(registry.doc_ids())
    table = "| source | " + " | ".join(sorted(by_status)) + " |\n|---|" + "---|" * len(by_status) + "\n"
    table += "\n".join(f"| {s} | " + " | ".join(str(c[k]) for k in sorted(by_status)) + " |"
                       for s, c in sorted(by_source.items()))
    context.log.info(f"crawl: {dict(by_status)}; registry holds {total} documents")
    return dg.MaterializeResult(metadata={
        "documents_in_registry": dg.MetadataValue.int(total),
        "new_documents": dg.MetadataValue.int(len(new_docs)),
        "by_status": dg.MetadataValue.json(dict(by_status)),
        "by_source": dg.MetadataValue.md(table if by_source else "no sources enabled"),
        "new": dg.MetadataValue.md("\n".join(f"- {d}" for d in new_docs[:100]) or "none"),
        "not_disclosures": dg.MetadataValue.int(len(not_disclosures)),
        "not_disclosures_skipped": dg.MetadataValue.md(
            "| title | why |\n|---|---|\n" + "\n".join(not_disclosures[:100]) if not_disclosures else "none"),
        "problems": dg.MetadataValue.md("\n".join(f"- {p}" for p in problems[:100]) or "none"),
    })

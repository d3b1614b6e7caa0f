"""Entry point shared by the CLI and the Dagster discovery asset: run the sources of a sources.yaml."""
from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..registry import RawStore, Registry, register_files
from .config import ConfigError, Source, SourcesFile, json_urls, load_sources
from .crawler import SourceCrawler
from .guess import guess_kind, guess_unit, guess_year
from .http import HttpClient
from .jsoncrawl import crawl_json_api
from .links import Link, is_attachment
from .safety import HostPolicy, host_of, url_port

log = logging.getLogger(__name__)


def _default_hosts(src: Source, extra_urls: list[str]) -> list[str]:
    """Without allowed_hosts, a source may fetch only from the hosts its own configured URLs name."""
    urls = src.start_urls + src.urls + extra_urls + json_urls(src)
    return sorted({host_of(u) for u in urls if host_of(u)})


def _default_ports(src: Source, extra_urls: list[str]) -> set[int]:
    """Without allowed_ports: 80, 443 and the ports the source's own URLs name (a portal on :8080 says so)."""
    urls = src.start_urls + src.urls + extra_urls + json_urls(src)
    return {80, 443} | {p for p in map(url_port, urls) if p}


def make_client(src: Source, extra_urls: list[str] = ()) -> HttpClient:
    policy = HostPolicy(src.allowed_hosts or _default_hosts(src, list(extra_urls)), allow_private=src.allow_private,
                        allowed_ips=src.allowed_ips,
                        allowed_ports=src.allowed_ports or _default_ports(src, list(extra_urls)))
    return HttpClient(policy, user_agent=src.user_agent, timeout=src.timeout, retries=src.retries,
                      backoff=src.backoff, max_retry_after=src.max_retry_after, max_bytes=src.max_bytes,
                      max_redirects=src.max_redirects, rate=src.rate_limit, concurrency=src.concurrency,
                      download_deadline=src.download_deadline)


def _read_url_file(path: str) -> list[str]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise ConfigError(f"urls_file {path}: {e.strerror or e}") from None
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def crawl_folder(src: Source, registry: Registry, store: RawStore) -> Iterator[dict]:
    present = [p for p in src.paths if Path(p).exists()]
    for p in src.paths:
        if p not in present:
            # not an error: an empty inbox that was never created is the normal first-run state
            yield {"url": Path(p).as_uri(), "status": "skipped", "reason": "no such file or folder", "sha256": "",
                   "doc_id": "", "title": "", "role": "page"}
    for entry, is_new in register_files(registry, store, present, source_name=src.name, source_kind="folder"):
        # titles of local files are their names: the same guesses as for links
        entry.year_guess = guess_year(entry.original_name)
        entry.kind_guess = guess_kind(entry.original_name)
        entry.unit_guess = guess_unit(entry.original_name, [src.unit]) or src.unit
        registry.upsert(entry)  # fills the guesses in, keeps first-seen provenance
        yield {"url": entry.url, "status": "fetched" if is_new else "unchanged", "reason": "", "sha256": entry.sha256,
               "doc_id": entry.doc_id, "title": entry.title, "publish_date": "", "column": src.column,
               "unit_guess": entry.unit_guess, "year_guess": entry.year_guess, "kind_guess": entry.kind_guess,
               "role": "document", "bytes": entry.bytes, "original_name": entry.original_name, "new": is_new}


def crawl_url_list(crawler: SourceCrawler, urls: list[str]) -> Iterator[dict]:
    """Each URL is a document, or (when it is not a document link) a detail page to read attachments from."""
    src = crawler.src
    docs = []
    for u in urls:
        link = Link(url=u, text="")
        if is_attachment(u, src.attachment_extensions, src.attachment_pattern):
            docs.append(crawler.candidate(link, None, None))
        elif u not in crawler.seen_pages:
            crawler.seen_pages.add(u)
            yield from crawler.crawl_detail(link, None)
    yield from crawler.fetch_documents(docs)


def crawl_source(src: Source, registry: Registry, store: RawStore) -> Iterator[dict]:
    if src.kind == "folder":
        yield from crawl_folder(src, registry, store)
        return
    listed = list(src.urls) + (_read_url_file(src.urls_file) if src.urls_file else [])
    with make_client(src, listed) as client:
        crawler = SourceCrawler(src, registry, store, client)
        if src.kind == "portal":
            yield from crawler.crawl_portal(src.start_urls)
        elif src.kind == "url_list":
            yield from crawl_url_list(crawler, listed)
        elif src.kind == "json_api":
            yield from crawl_json_api(crawler)


def crawl_sources(sources_path: str | os.PathLike | SourcesFile, registry: Registry, store: RawStore,
                  source_name: str | None = None) -> Iterator[dict]:
    """Crawl the enabled sources (or the one named, even when disabled) and yield one record per document.

    Each record carries ``source`` plus the fields described in ``crawler.py``. Registry and raw store are
    updated as records are produced, so a consumer that stops early leaves a consistent state.
    """
    sources = sources_path if isinstance(sources_path, SourcesFile) else load_sources(sources_path)
    chosen = [sources.get(source_name)] if source_name else [s for s in sources.sources if s.enabled]
    for src in chosen:
        log.info("crawling source %s (%s)", src.name, src.kind)
        for rec in crawl_source(src, registry, store):
            yield {"source": src.name, **rec}


def summarize(records: Iterable[dict]) -> Counter:
    """Counts by status (documents only) — e.g. Counter({'unchanged': 12, 'fetched': 1})."""
    return Counter(r["status"] for r in records if r.get("role", "document") == "document")

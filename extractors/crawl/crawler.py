"""Crawl one source: list pages → detail pages → attachments, into the registry and the raw store.

Every candidate document yields one record ``{url, status, reason, sha256, doc_id, title, ...}`` with status
``fetched`` (new bytes stored), ``unchanged`` (304, or the same bytes as last time), ``skipped`` (with the reason:
host, robots, filter, duplicate, not a document, too large) or ``error`` (with the reason). Pages that fail are
reported too (``role: "page"``). Pages themselves are cached in the raw store by hash, so a re-crawl can send
conditional requests for them as well and an unchanged portal costs only 304s.
"""
from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..classify import Verdict
from ..leadtext import classify_file
from ..registry import RawStore, Registry, RegistryEntry, doc_id_for
from .config import Source
from .guess import guess_kind, guess_unit, guess_year
from .http import FetchResult, HttpClient
from .links import (
    Link,
    PageInfo,
    date_from_url,
    download_query_name,
    filename_from_url,
    is_attachment,
    is_detail,
    parse_page,
)
from .robots import RobotsCache
from .sniff import CONTENT_TYPES, check_document
from .textcodec import content_disposition_filename, decode_html
from .verdict import is_generic, judge_page, prefetch_reason


@dataclass
class Candidate:
    """A document we may download, with what the pages told us about it."""

    url: str
    title: str
    publish_date: str = ""
    column: str = ""
    unit: str = ""
    year: int | None = None
    kind: str = ""
    found_on: str = ""
    accept_html: bool = False  # a detail page registered as the document itself
    link_text: str = ""  # the link's own text ('点击下载附件'), beside the title built from it
    verdict: Verdict | None = None  # decided before the download (article pages judged by their body)


@dataclass
class PageFetch:
    result: FetchResult
    data: bytes = b""
    state: dict | None = None
    info: PageInfo | None = None


def _record(c: Candidate, status: str, reason: str = "", **kw) -> dict:
    rec = {"url": c.url, "status": status, "reason": reason, "sha256": "", "doc_id": "", "title": c.title,
           "publish_date": c.publish_date, "column": c.column, "unit_guess": c.unit, "year_guess": c.year,
           "kind_guess": c.kind, "role": "document", "found_on": c.found_on, "new": False, "disclosure": ""}
    rec.update(kw)
    return rec


def candidate_title(link: Link, parent_title: str = "") -> tuple[str, str]:
    """(title the classifier and registry get, the text naming the document) for a link on a page titled
    ``parent_title`` (an article's attachments; '' for links on a list page)."""
    text = link.text or download_query_name(link.url) or filename_from_url(link.url)
    if parent_title and is_generic(link.text):
        return parent_title, parent_title  # '点击下载附件' names nothing; the article's title names the file
    if parent_title and not (guess_kind(text) and guess_year(text)):
        return f"{parent_title}：{text}", text  # '…2026年预算公开：重庆市综合经济研究院'
    return text, text


class SourceCrawler:
    def __init__(self, source: Source, registry: Registry, store: RawStore, client: HttpClient):
        self.src = source
        self.registry = registry
        self.store = store
        self.client = client
        self.robots = RobotsCache(client) if source.respect_robots else None
        self.seen_urls: set[str] = set()
        self.seen_pages: set[str] = set()
        self.run_shas: dict[str, str] = {}  # sha256 -> first URL this run
        self.documents = 0
        self._include = re.compile(source.title_include) if source.title_include else None
        self._exclude = re.compile(source.title_exclude) if source.title_exclude else None

    # --- checks -------------------------------------------------------------------------------------------
    def blocked(self, url: str) -> str | None:
        return self.client.policy.check(url) or (self.robots.check(url) if self.robots else None)

    def _robots_hop(self, url: str) -> str | None:
        return self.robots.check(url) if self.robots else None

    def title_wanted(self, text: str) -> bool:
        return bool((self._include is None or self._include.search(text))
                    and not (self._exclude and self._exclude.search(text)))

    def filter_reason(self, c: Candidate) -> str | None:
        if self._exclude and self._exclude.search(c.title):
            return f"title matches title_exclude ({self.src.title_exclude})"
        if self.src.years and c.year is not None and c.year not in self.src.years:
            return f"year {c.year} not in years filter ({self.src.years[0]}–{self.src.years[-1]})"
        if self.src.kinds and c.kind and c.kind not in self.src.kinds:
            return f"kind {c.kind} not in kinds filter {self.src.kinds}"
        if self.src.classify and not c.accept_html:
            return prefetch_reason(c.link_text, c.title)
        return None

    # --- pages ---------------------------------------------------------------------------------------------
    def get_page(self, url: str, method: str = "GET", params=None, data=None) -> PageFetch:
        """Fetch a list/detail page conditionally; on 304 the bytes come from the raw store."""
        cacheable = method == "GET"
        state = self.registry.url_state(url) if cacheable else None
        cached = self.store.path_for(state["sha256"]) if state and state.get("sha256") else None
        usable = cached is not None and cached.exists()
        res = self.client.fetch(url, method=method, params=params, data=data, hop_check=self._robots_hop,
                                etag=state["etag"] if usable else "",
                                last_modified=state["last_modified"] if usable else "")
        pf = PageFetch(result=res, state=state)
        if not res.ok:
            return pf
        if res.not_modified:
            pf.data = cached.read_bytes()
        else:
            pf.data = res.content
            if cacheable:
                sha, _ = self.store.put_bytes(pf.data)
                keep = state["status"] if state and state.get("sha256") == sha else "page"
                self.registry.set_url_state(url, sha256=sha, etag=res.headers.get("etag", ""),
                                            last_modified=res.headers.get("last-modified", ""), status=keep)
        return pf

    def parse(self, pf: PageFetch, url: str) -> PageInfo:
        text, _enc = decode_html(pf.data, pf.result.headers.get("content-type"))
        return parse_page(text, pf.result.final_url or url)

    def page_error(self, url: str, res: FetchResult, title: str = "") -> dict:
        status = "skipped" if res.refused else "error"
        return {"url": url, "status": status, "reason": res.error, "sha256": "", "doc_id": "", "title": title,
                "role": "page"}

    # --- portal --------------------------------------------------------------------------------------------
    def crawl_portal(self, start_urls: list[str]) -> Iterator[dict]:
        queue = deque((u, 0) for u in start_urls)
        self.seen_pages.update(start_urls)
        pages = 0
        while queue and pages < self.src.max_list_pages:
            url, depth = queue.popleft()
            pages += 1
            pf = self.get_page(url)
            if not pf.result.ok:
                yield self.page_error(url, pf.result)
                continue
            info = self.parse(pf, url)
            for p in info.pagination:
                if p not in self.seen_pages:
                    self.seen_pages.add(p)
                    queue.append((p, depth))
            direct: list[Candidate] = []
            for link in info.links:
                if is_attachment(link.url, self.src.attachment_extensions, self.src.attachment_pattern, link.text):
                    if self.title_wanted(link.text or filename_from_url(link.url)):
                        direct.append(self.candidate(link, info, None))
                elif is_detail(link.url, self.src.detail_pattern):
                    if self.title_wanted(link.text) and link.url not in self.seen_pages:
                        self.seen_pages.add(link.url)
                        yield from self.crawl_detail(link, info)
                elif self.src.list_pattern and depth < self.src.max_depth and link.url not in self.seen_pages \
                        and re.search(self.src.list_pattern, link.url):
                    self.seen_pages.add(link.url)
                    queue.append((link.url, depth + 1))
            yield from self.fetch_documents(direct)

    def candidate(self, link: Link, listing: PageInfo | None, detail: PageInfo | None, parent_title: str = "") -> Candidate:
        title, text = candidate_title(link, parent_title)
        known = [self.src.unit]
        column = (detail.column if detail else "") or (listing.column if listing else "") or self.src.column
        date = (detail.publish_date if detail else "") or link.date or date_from_url(link.url)
        return Candidate(
            url=link.url, title=title, publish_date=date, column=column.strip(),
            unit=guess_unit(text, known) or guess_unit(parent_title, known) or self.src.unit,
            year=guess_year(text) or guess_year(parent_title), kind=guess_kind(text) or guess_kind(parent_title),
            found_on=(detail or listing).url if (detail or listing) else "", link_text=link.text)

    def crawl_detail(self, link: Link, listing: PageInfo | None) -> Iterator[dict]:
        probe = self.candidate(link, listing, None)
        reason = self.filter_reason(probe) or self.blocked(link.url)
        if reason:
            yield _record(probe, "skipped", reason)
            return
        pf = self.get_page(link.url)
        if not pf.result.ok:
            yield self.page_error(link.url, pf.result, title=link.text)
            return
        info = self.parse(pf, link.url)
        page_title = info.title or link.text
        if not info.publish_date:
            info.publish_date = link.date or date_from_url(link.url)
        cands = [self.candidate(lk, listing, info, page_title) for lk in info.links
                 if is_attachment(lk.url, self.src.attachment_extensions, self.src.attachment_pattern, lk.text)]
        yield from self.fetch_documents(cands)
        mode = self.src.register_detail_pages
        if mode == "always" or (mode == "when_no_attachments" and not cands):
            page_doc = self.candidate(Link(link.url, page_title, link.date), listing, info)
            page_doc.accept_html = True
            if link.url in self.seen_urls:
                return
            self.seen_urls.add(link.url)
            if self.src.classify:  # the page is the document only when its own body holds the disclosure
                html, _enc = decode_html(pf.data, pf.result.headers.get("content-type"))
                page_doc.verdict, why = judge_page(html, page_title, link.text)
                if page_doc.verdict is None:
                    self.registry.set_url_state(link.url, sha256=hashlib.sha256(pf.data).hexdigest(), status="page",
                                                etag=pf.result.headers.get("etag", "") or (pf.state or {}).get("etag", ""),
                                                last_modified=pf.result.headers.get("last-modified", "")
                                                or (pf.state or {}).get("last_modified", ""), note=why)
                    yield _record(page_doc, "skipped", why)
                    return
            yield self.accept(page_doc, pf.state, pf.result, pf.data)

    # --- documents ------------------------------------------------------------------------------------------
    def fetch_documents(self, cands: list[Candidate]) -> Iterator[dict]:
        ready: list[tuple[Candidate, dict | None]] = []
        for c in cands:
            if c.url in self.seen_urls:
                continue  # dedupe by URL within the run
            self.seen_urls.add(c.url)
            reason = self.filter_reason(c) or self.blocked(c.url)
            if reason:
                yield _record(c, "skipped", reason)
                continue
            state = self.registry.url_state(c.url)
            if state_known_without_validators(state) and not self.src.refetch_unvalidated:
                yield self.remembered(c, state, "known URL without ETag/Last-Modified: not downloaded again"
                                                " (refetch_unvalidated: false)")
                continue
            if self.documents >= self.src.max_documents:
                yield _record(c, "skipped", f"max_documents ({self.src.max_documents}) reached for this source")
                continue
            self.documents += 1
            ready.append((c, state))

        def fetch(item):
            c, state = item
            remembered = state and state.get("status") in ("registered", "duplicate", "rejected")
            return self.client.fetch(c.url, hop_check=self._robots_hop,
                                     etag=(state or {}).get("etag", "") if remembered else "",
                                     last_modified=(state or {}).get("last_modified", "") if remembered else "")

        workers = max(1, min(self.src.concurrency, len(ready)))
        with ThreadPoolExecutor(max_workers=workers) as pool:  # SQLite stays on this thread
            for (c, state), res in zip(ready, pool.map(fetch, ready)):
                yield self.handle(c, state, res)

    def handle(self, c: Candidate, state: dict | None, res: FetchResult) -> dict:
        if res.error:
            if res.refused and res.headers:  # e.g. too large: remember validators so we don't retry each crawl
                self.registry.set_url_state(c.url, etag=res.headers.get("etag", ""), status="rejected",
                                            last_modified=res.headers.get("last-modified", ""), note=res.error)
            return _record(c, "skipped" if res.refused else "error", res.error, final_url=res.final_url)
        if res.not_modified:
            return self.remembered(c, state, "not modified (304)", res.final_url)
        return self.accept(c, state, res, res.content)

    def remembered(self, c: Candidate, state: dict | None, why: str, final_url: str = "") -> dict:
        """A URL whose bytes we already have: unchanged when it was registered, else the remembered skip."""
        st = state or {}
        if st.get("status") == "registered" and st.get("sha256"):
            doc_id = doc_id_for(st["sha256"])
            self.registry.touch(doc_id)
            entry = self.registry.get(doc_id)
            known = {"bytes": entry.bytes, "original_name": entry.original_name, "content_type": entry.content_type,
                     "disclosure": entry.disclosure} if entry else {}
            return _record(c, "unchanged", why, sha256=st["sha256"], doc_id=doc_id, final_url=final_url or c.url,
                           **known)
        short = "unchanged, 304" if "304" in why else "unchanged, not downloaded again"
        return _record(c, "skipped", f"{st.get('note') or st.get('status')} ({short})",
                       sha256=st.get("sha256", ""), final_url=final_url or c.url)

    def accept(self, c: Candidate, state: dict | None, res: FetchResult, data: bytes) -> dict:
        """Validate fetched bytes, dedupe by content hash, store and register."""
        headers = res.headers
        disposition = content_disposition_filename(headers.get("content-disposition"))
        name = disposition or download_query_name(res.final_url or c.url) or filename_from_url(res.final_url or c.url)
        if disposition:  # the real name ('2024年度市民政局部门决算.pdf') fills what the link text did not say
            c.year = c.year or guess_year(disposition)
            c.kind = c.kind or guess_kind(disposition)
            c.unit = c.unit if c.unit and c.unit != self.src.unit else (guess_unit(disposition) or c.unit)
        kind, reason = check_document(data, res.final_url or c.url, name, accept_html=c.accept_html)
        sha = hashlib.sha256(data).hexdigest()
        if res.not_modified and state:  # bytes came from the page cache: keep the validators we had
            validators = {"etag": state.get("etag", ""), "last_modified": state.get("last_modified", "")}
        else:
            validators = {"etag": headers.get("etag", ""), "last_modified": headers.get("last-modified", "")}
        common = {"sha256": sha, "bytes": len(data), "final_url": res.final_url, "original_name": name,
                  "content_type": CONTENT_TYPES.get(kind, "")}
        if reason:
            self.registry.set_url_state(c.url, sha256=sha, status="rejected", note=reason, **validators)
            return _record(c, "skipped", reason, **common)
        doc_id = doc_id_for(sha)
        existing = self.registry.get(doc_id)
        same_as_before = bool(state and state.get("sha256") == sha and state.get("status") == "registered") or \
            bool(existing and existing.url == c.url)
        other_url = self.run_shas.get(sha) or (existing.url if existing and existing.url != c.url else "")
        _, path = self.store.put_bytes(data)
        verdict = c.verdict or (classify_file(path, c.title, name if is_generic(c.link_text) else c.link_text)
                                if self.src.classify else None)
        if verdict is not None and not verdict.is_disclosure:
            return self.reject(c, sha, path, verdict, validators, common)
        entry = RegistryEntry(
            doc_id=doc_id, sha256=sha, raw_path=str(path), bytes=len(data), source_name=self.src.name,
            source_kind=self.src.kind, url=c.url, original_name=name, title=c.title, publish_date=c.publish_date,
            column_name=c.column, unit_guess=c.unit, year_guess=c.year, kind_guess=c.kind,
            content_type=common["content_type"], etag=validators["etag"], last_modified=validators["last_modified"],
            disclosure=verdict.label if verdict else "", disclosure_reason=verdict.reason if verdict else "")
        common["disclosure"] = entry.disclosure
        is_new = self.registry.upsert(entry)  # fills gaps on a known document, never overwrites provenance
        if same_as_before:
            self.registry.set_url_state(c.url, sha256=sha, status="registered", **validators)
            return _record(c, "unchanged", "same content as last crawl", doc_id=doc_id, **common)
        if other_url and not is_new:
            note = f"duplicate content of {doc_id} ({other_url})"
            self.registry.set_url_state(c.url, sha256=sha, status="duplicate", note=note, **validators)
            return _record(c, "skipped", note, doc_id=doc_id, **common)
        self.run_shas.setdefault(sha, c.url)
        self.registry.set_url_state(c.url, sha256=sha, status="registered", **validators)
        return _record(c, "fetched", "" if is_new else "content changed; matches a known document", doc_id=doc_id,
                       new=is_new, **common)

    def reject(self, c: Candidate, sha: str, path, verdict: Verdict, validators: dict, common: dict) -> dict:
        """Not a disclosure: the registry keeps the bytes' verdict (status rejected), ingest never sees it."""
        note = f"not a disclosure: {verdict.describe()}"
        doc_id = doc_id_for(sha)
        self.registry.upsert(RegistryEntry(
            doc_id=doc_id, sha256=sha, raw_path=str(path), bytes=common["bytes"], source_name=self.src.name,
            source_kind=self.src.kind, url=c.url, original_name=common["original_name"], title=c.title,
            publish_date=c.publish_date, column_name=c.column, unit_guess=c.unit, year_guess=c.year,
            kind_guess=c.kind, content_type=common["content_type"], status="rejected", note=note, **validators))
        self.registry.set_verdict(doc_id, verdict.label, verdict.reason, status="rejected", note=note)
        self.registry.set_url_state(c.url, sha256=sha, status="rejected", note=note, **validators)
        return _record(c, "skipped", note, doc_id=doc_id, **{**common, "disclosure": verdict.label})


def state_known_without_validators(state: dict | None) -> bool:
    """A document URL fetched before whose server sent neither ETag nor Last-Modified (TRS downfile.jsp)."""
    return bool(state and state.get("sha256") and state.get("status") in ("registered", "duplicate", "rejected")
                and not state.get("etag") and not state.get("last_modified"))

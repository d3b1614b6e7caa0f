"""Crawl a ``json_api`` source: optional chained steps, then the listing whose items are documents or pages.

Jiangsu 预决算公开 platform, declaratively (see sources.yaml ``jiangsu_wuxi_2024``)::

    steps:
      - {name: dept, url: …/getdepartmentname.do, method: POST, data: {pid: "122", date: "2024", typeid: "2"}}
      - {name: template, url: …/itemsandpag.do, method: POST, items: budgetTemplates,
         data: {page_num: "1", groupid: "{dept.iid}", typeid: "2", date: "2024"}}
    url: …/getTemporaryFiles.do            # the listing: one request per template
    data: {uuid: "'{template.uuid}'"}
    url_template: …/download.do?iid={iid}

Each step runs once per item of the step before it (depth first, ``max_items`` per response), so a department
whose request fails is reported and the others still crawled. Paging (``{page}``) stops at an empty page, at a
page identical to the previous one (servers that ignore the page parameter) or at ``max_pages``.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from .config import JsonListing, JsonStep
from .crawler import Candidate, SourceCrawler
from .jsonapi import JsonListingError, links_from_items, parse_items, render, render_value, uses_page
from .links import is_attachment, link_extension


def _page_record(url: str, status: str, reason: str, label: str) -> dict:
    return {"url": url, "status": status, "reason": reason, "sha256": "", "doc_id": "", "role": "page",
            "title": label}


def request_pages(crawler: SourceCrawler, req: JsonListing | JsonStep, bound: dict, label: str
                  ) -> Iterator[tuple[dict | None, list, str]]:
    """(problem record, items, response URL) per page of one configured request."""
    last = req.first_page + (req.max_pages if uses_page(req) else 1)
    previous = None
    for page in range(req.first_page, last):
        variables = {**bound, "page": page}
        where = f"{label} page {page}" if uses_page(req) else label
        try:
            url = render(req.url, variables)
            params = render_value(req.params, variables) or None
            data = render_value(req.data, variables) or None
        except JsonListingError as e:
            yield _page_record(req.url, "error", str(e), where), [], ""
            return
        blocked = crawler.blocked(url)
        if blocked:
            yield _page_record(url, "skipped", blocked, where), [], ""
            return
        pf = crawler.get_page(url, method=req.method, params=params, data=data)
        if not pf.result.ok:
            yield _page_record(url, "error", pf.result.error, where), [], ""
            return
        digest = hashlib.sha256(pf.data).digest()
        if digest == previous:
            return  # the server ignores the page parameter: the next pages would repeat too
        previous = digest
        try:
            items = parse_items(pf.data, req.items)
        except JsonListingError as e:
            yield _page_record(url, "error", str(e), where), [], ""
            return
        if not items:
            return
        yield None, items, pf.result.final_url or url


def crawl_json_api(crawler: SourceCrawler) -> Iterator[dict]:
    yield from _walk(crawler, crawler.src.json, 0, {})


def _describe(bound: dict[str, Any]) -> str:
    """'dept=无锡市财政局, template=…' — which chain item a listing request belongs to, for records."""
    parts = []
    for name, item in bound.items():
        label = next((item.get(k) for k in ("name", "title", "uuid", "iid", "id") if isinstance(item, dict)
                      and item.get(k) not in (None, "")), "")
        parts.append(f"{name}={label}" if label != "" else name)
    return ", ".join(parts)


def _walk(crawler: SourceCrawler, listing: JsonListing, depth: int, bound: dict) -> Iterator[dict]:
    if depth == len(listing.steps):
        yield from _listing(crawler, listing, bound)
        return
    step = listing.steps[depth]
    label = f"JSON step {step.name}" + (f" ({_describe(bound)})" if bound else "")
    used = 0
    for problem, items, _url in request_pages(crawler, step, bound, label):
        if problem:
            yield problem
            continue
        for item in items:
            if used >= step.max_items:
                return
            if isinstance(item, dict):
                used += 1
                yield from _walk(crawler, listing, depth + 1, {**bound, step.name: item})


def _listing(crawler: SourceCrawler, listing: JsonListing, bound: dict) -> Iterator[dict]:
    src = crawler.src
    label = "JSON listing" + (f" ({_describe(bound)})" if bound else "")
    for problem, items, base_url in request_pages(crawler, listing, bound, label):
        if problem:
            yield problem
            continue
        docs: list[Candidate] = []
        for link, unit in links_from_items(items, listing, base_url, bound):
            if not crawler.title_wanted(link.text):
                continue
            as_document = listing.follow == "document" or (
                listing.follow == "auto" and (is_attachment(link.url, src.attachment_extensions, src.attachment_pattern)
                                              or link_extension(link.url) in (".do", ".ashx", ".jsp")))
            if as_document:
                cand = crawler.candidate(link, None, None)
                cand.unit = unit or cand.unit
                docs.append(cand)
            elif link.url not in crawler.seen_pages:
                crawler.seen_pages.add(link.url)
                yield from crawler.crawl_detail(link, None)
        yield from crawler.fetch_documents(docs)

"""The held-out-style TRS portal (trs_portal_fixture.py), crawled as a new user configures it from docs/sources.md:
every disclosure stored once, every look-alike skipped with the classifier's reason, a second crawl a no-op."""
from __future__ import annotations

import hashlib

import pytest
from trs_portal_fixture import SOURCES, TrsPortal

from extractors.crawl import crawl_sources


@pytest.fixture
def trs(server, tmp_path):
    portal = TrsPortal(server)
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(SOURCES.format(start=portal.start_url), encoding="utf-8")
    return portal, cfg


def _one(records, fragment):
    hits = [r for r in records if fragment in r["url"]]
    assert len(hits) == 1, f"{fragment}: {[(r['url'], r['status']) for r in hits]}"
    return hits[0]


def test_every_disclosure_stored_once_and_lookalikes_skipped_with_reasons(trs, data, server):
    portal, cfg = trs
    reg, store = data
    recs = list(crawl_sources(cfg, reg, store))

    entries = reg.all()
    want = {hashlib.sha256(b).hexdigest() for b in portal.disclosures.values()}
    stored = {e.sha256 for e in entries}
    page = [e for e in entries if e.url.endswith(portal.body_page)]
    assert len(entries) == portal.disclosure_count == len(want) + 1  # the 12th is the article page itself
    assert want <= stored and len(page) == 1 and page[0].content_type == "text/html"
    assert all(e.disclosure == "disclosure" and e.disclosure_reason for e in entries)
    assert all(e.kind_guess == "final_accounts" and e.year_guess == 2024 for e in entries)

    # 点击下载附件 → downfile.jsp: the real name is the Content-Disposition one, the title the article's
    df = _one(recs, "filename=161234500.pdf")
    assert df["status"] == "fetched" and df["original_name"] == "2024年度长沙市交通局部门决算.pdf"
    assert df["title"] == "2024年度长沙市交通局部门决算" and df["unit_guess"] == "长沙市交通局"
    assert _one(recs, "filename=161234599.pdf")["status"] == "fetched"  # linked straight from the list page
    assert _one(recs, "download.do?iid=33")["content_type"].endswith("wordprocessingml.document")
    assert _one(recs, "getFile.action?id=77")["status"] == "fetched"
    twice = _one(recs, "filename=161234509.pdf")
    assert twice["status"] == "skipped" and twice["reason"].startswith("duplicate content of")
    # an article whose attachments are the documents is never registered as a document itself
    assert not [r for r in recs if r["url"].endswith("t20250928_200.html")]

    reasons = {key: _one(recs, key)["reason"] for key in portal.negatives}
    for key, label in portal.negatives.items():
        assert _one(recs, key)["status"] == "skipped"
        if label == "news":
            assert reasons[key].startswith("article page is not itself a disclosure")
        else:
            assert reasons[key].startswith(f"not a disclosure: {label}"), (key, reasons[key])
    # the decision under a neutral title was downloaded and judged by its text; the registry keeps the verdict
    hidden = reg.non_disclosures()
    assert [e.disclosure for e in hidden] == ["decision"] and "的决议" in hidden[0].disclosure_reason
    assert "[text layer]" in reasons["161230001.pdf"]
    # the ones whose titles already said so were never downloaded
    assert not [x for x in server.log if x[1].endswith(("P020250901000001.pdf", "P020250903000001.pdf"))]


def test_second_crawl_downloads_and_stores_nothing(trs, data, server):
    portal, cfg = trs
    reg, store = data
    first = list(crawl_sources(cfg, reg, store))
    mark = len(server.log)
    second = list(crawl_sources(cfg, reg, store))
    assert not [r for r in second if r["status"] == "fetched"]
    assert {r["url"] for r in second if r["status"] == "unchanged"} == \
        {r["url"] for r in first if r["status"] == "fetched"}
    bodies = [path for _m, path, status, n in server.requests(mark) if n and status == 200 and path != "/robots.txt"]
    assert bodies == []  # pages and files answer 304; downfile.jsp (no validators) is not asked again
    assert len(reg.all()) == portal.disclosure_count
    # skips keep their reasons on the second crawl
    assert _one(second, "161230001.pdf")["reason"].startswith("not a disclosure: decision")


def test_classifier_can_be_switched_off(trs, data, tmp_path):
    portal, cfg = trs
    reg, store = data
    cfg.write_text(cfg.read_text(encoding="utf-8") + "    classify: false\n", encoding="utf-8")
    recs = list(crawl_sources(cfg, reg, store))
    # without it, the look-alikes are kept as before (the operator asked for everything)
    assert _one(recs, "t20250601_903.html")["status"] == "fetched"
    assert _one(recs, "P020250901000001.pdf")["status"] == "fetched"  # the decision (its twin is a duplicate)

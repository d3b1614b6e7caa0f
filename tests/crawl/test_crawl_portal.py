"""End to end against the fixture portal: what is fetched, skipped and why; re-crawls are incremental."""
from __future__ import annotations

import json

from extractors.crawl import crawl_sources, summarize
from extractors.crawl.cli import main as crawl_main
from extractors.registry import doc_id_for

DOC_SUFFIXES = (".pdf",)


def by_path(records):
    return {r["url"].split("127.0.0.1:", 1)[-1].split("/", 1)[-1] if "127.0.0.1" in r["url"] else r["url"]: r
            for r in records}


def find(records, fragment):
    hits = [r for r in records if fragment in r["url"]]
    assert len(hits) == 1, f"{fragment}: {hits}"
    return hits[0]


def test_first_crawl_fetches_documents_and_explains_skips(portal, sources_file, data, server):
    reg, store = data
    recs = list(crawl_sources(sources_file, reg, store))

    a = find(recs, "P020250929000001.pdf")
    assert a["status"] == "fetched" and a["new"] is True
    assert a["sha256"] and a["doc_id"] == doc_id_for(a["sha256"])
    assert (a["year_guess"], a["kind_guess"], a["unit_guess"]) == (2024, "final_accounts", "长沙市财政局")
    assert a["publish_date"] == "2025-09-29" and a["column"] == "部门预决算和三公经费"
    assert store.path_for(a["sha256"]).read_bytes() == portal.pdf_a

    # Zhengzhou-style /attachment/<url-encoded 中文>.pdf?<token>, RFC 5987 Content-Disposition name
    b = find(recs, "?bLBEXqtC_FBJtxVR==")
    assert b["status"] == "fetched" and b["original_name"] == portal.name_b
    assert (b["year_guess"], b["kind_guess"]) == (2025, "budget")

    # GBK detail page without attachments: the page itself is the document, decoded correctly
    gbk = find(recs, "t20241010_1003.html")
    assert gbk["status"] == "fetched" and gbk["title"] == "2023年度市教育局部门决算"
    assert "王喆".encode("gb18030") in store.path_for(gbk["sha256"]).read_bytes()

    # redirect followed on the same host; 503 then success (Retry-After honoured)
    assert find(recs, "P020240801000001.pdf")["status"] == "fetched"
    assert find(recs, "P020230731000001.pdf")["status"] == "fetched"
    assert [x[2] for x in server.log if x[1].endswith("P020230731000001.pdf")] == [503, 200]

    skipped = {k: r["reason"] for k, r in by_path(recs).items() if r["status"] == "skipped"}
    assert "not in allowed_hosts" in skipped["http://external.example.com/202401/t20240101_1.html"]
    assert skipped["private/202401/t20240101_1006.html"] == "disallowed by robots.txt"
    assert "year 2018" in skipped["czyjs/bmyjs/201909/t20190927_1007.html"]
    assert "redirect to http://evil.example.com/x.pdf refused" in skipped["go/outside.pdf"]
    assert "HTML page served as .pdf" in skipped["czyjs/bmyjs/202306/P020230601000001.pdf"]
    assert "too large" in skipped["czyjs/bmyjs/202305/P020230501000001.pdf"]
    dup = find(recs, "?iYriZUEa")
    assert dup["status"] == "skipped" and dup["reason"].startswith(f"duplicate content of {a['doc_id']}")

    errors = {r["url"].rsplit("/", 1)[-1]: r["reason"] for r in recs if r["status"] == "error"}
    assert errors == {"t20240901_1004.html": "HTTP 404", "t20240601_1009.html": "timeout (ReadTimeout)"}
    assert all(r["role"] == "page" for r in recs if r["status"] == "error")
    assert "工作动态" not in json.dumps(recs, ensure_ascii=False)  # not a candidate: no record at all

    # the crawler never asked for the robots-disallowed folder, and registered exactly the 5 documents
    assert not [x for x in server.log if x[1].startswith("/private/")]
    assert summarize(recs) == {"fetched": 5, "skipped": 7}
    entries = reg.all()
    assert len(entries) == 5
    e = reg.get(a["doc_id"])
    assert e.url == a["url"] and e.title and e.year_guess == 2024 and e.source_name == "fixture_portal"


def test_second_crawl_is_a_no_op_and_third_picks_up_exactly_the_new_document(portal, sources_file, data, server):
    reg, store = data
    first = list(crawl_sources(sources_file, reg, store))
    fetched_first = {r["url"] for r in first if r["status"] == "fetched"}

    mark = len(server.log)
    second = list(crawl_sources(sources_file, reg, store))
    assert not [r for r in second if r["status"] == "fetched"]
    assert {r["url"] for r in second if r["status"] == "unchanged"} == fetched_first
    # nothing but robots.txt was transferred with a body (the slow page never completes within the timeout)
    slow = "/czyjs/bmyjs/202406/t20240601_1009.html"
    bodies = [(path, status) for _m, path, status, n in server.requests(mark) if n and path not in ("/robots.txt", slow)]
    assert bodies == []
    assert {status for _m, path, status, _n in server.requests(mark) if path.endswith(".pdf") and "go/" not in path} == {304}
    assert len(reg.all()) == 5
    # the skips are remembered with their reasons
    assert "HTML page served as .pdf" in find(second, "202306/P020230601000001.pdf")["reason"]
    assert find(second, "?iYriZUEa")["reason"].startswith("duplicate content of")

    portal.publish_new_document()
    third = list(crawl_sources(sources_file, reg, store))
    new = [r for r in third if r["status"] == "fetched"]
    assert [r["url"] for r in new] == [portal.u("202603/P020260301000001.pdf")]
    assert (new[0]["year_guess"], new[0]["kind_guess"], new[0]["new"]) == (2026, "budget", True)
    assert len(reg.all()) == 6


def test_cli_prints_one_json_line_per_document(portal, sources_file, tmp_path, capsys):
    code = crawl_main(["--sources", str(sources_file), "--source", "fixture_portal", "--json",
                       "--data-dir", str(tmp_path / "cli-data")])
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1  # the 404 and the slow page are errors
    assert {"url", "sha256", "status", "reason", "source"} <= set(lines[0])
    assert sum(1 for r in lines if r["status"] == "fetched") == 5
    assert "crawl: 5 fetched, 7 skipped; 2 page error(s)" in err
    assert (tmp_path / "cli-data" / "registry.sqlite").exists()


def test_cli_reports_config_errors(tmp_path, capsys):
    bad = tmp_path / "s.yaml"
    bad.write_text("sources:\n  - name: x\n    kind: portal\n", encoding="utf-8")
    assert crawl_main(["--sources", str(bad), "--data-dir", str(tmp_path / "d")]) == 2
    assert "start_urls" in capsys.readouterr().err


def test_url_list_and_folder_sources(portal, tmp_path, data):
    reg, store = data
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "2023年度市环保局部门决算.pdf").write_bytes(portal.pdf_c)
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# detail page, then a direct PDF\n{portal.u('202509/t20250929_1001.html')}\n"
                    f"{portal.u('202408/P020240801000001.pdf')}\n", encoding="utf-8")
    cfg = tmp_path / "sources.yaml"
    cfg.write_text("""
defaults: {allowed_ips: ["127.0.0.1"], rate_limit: 500, timeout: 2, retries: 0}
sources:
  - {name: local, kind: folder, paths: [docs]}
  - {name: list, kind: url_list, urls_file: urls.txt}
""", encoding="utf-8")
    recs = list(crawl_sources(cfg, reg, store))
    assert [(r["source"], r["status"]) for r in recs] == [("local", "fetched"), ("list", "fetched"), ("list", "skipped")]
    assert recs[0]["year_guess"] == 2023 and recs[0]["unit_guess"] == "市环保局"
    assert recs[2]["reason"].startswith("duplicate content of")  # same bytes as the folder file
    again = list(crawl_sources(cfg, reg, store))
    assert [r["status"] for r in again] == ["unchanged", "unchanged", "skipped"]


def test_json_listing_source(server, tmp_path, data):
    """A gkmlpt-style JSON list API: items point at detail pages or straight at files."""
    from crawl_portal_fixture import detail_page, make_pdf

    reg, store = data
    pdf = make_pdf("gkmlpt budget")
    server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    server.add("/gkmlpt/api/all/613", json.dumps({"articles": [
        {"title": "广州市财政局2026年部门预算", "url": "/gkmlpt/content/10/1001/post_1001.html",
         "first_publish_time": 1767225600},
        {"title": "广州市财政局2024年度部门决算", "url": server.url("/attachment/0/1/1/2.pdf")},
        {"title": "广州市财政局2025年政府采购意向", "url": "/gkmlpt/content/10/1002/post_1002.html"},
    ]}), content_type="application/json")
    server.add("/gkmlpt/content/10/1001/post_1001.html",
               detail_page("广州市财政局2026年部门预算", "2026-01-01", [("/attachment/0/1/1/1.pdf", "附件1")]))
    server.add("/attachment/0/1/1/1.pdf", pdf, content_type="application/pdf")
    server.add("/attachment/0/1/1/2.pdf", make_pdf("gkmlpt final"), content_type="application/pdf")
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(f"""
sources:
  - name: gkmlpt
    kind: json_api
    allowed_ips: ["127.0.0.1"]
    rate_limit: 500
    json:
      url: "{server.url('/gkmlpt/api/all/613')}"
      params: {{page: "{{page}}", sid: "200001"}}
      max_pages: 3
      items: articles
      url_field: url
      title_field: title
      date_field: first_publish_time
""", encoding="utf-8")
    recs = list(crawl_sources(cfg, reg, store))
    fetched = {r["url"].rsplit("/", 1)[-1]: r for r in recs if r["status"] == "fetched"}
    assert set(fetched) == {"1.pdf", "2.pdf"}
    assert fetched["1.pdf"]["title"] == "广州市财政局2026年部门预算：附件1"
    assert (fetched["1.pdf"]["year_guess"], fetched["1.pdf"]["kind_guess"]) == (2026, "budget")
    assert fetched["2.pdf"]["kind_guess"] == "final_accounts"
    # the server ignores ?page=, so every page repeats: URL dedupe keeps one record per document
    assert len([r for r in recs if r["role"] == "document"]) == 2

"""Chained JSON listings: the Jiangsu 预决算公开 platform shape (hdong526/wuxiyujuesuan, docs/research).

POST getdepartmentname.do (pid, date, typeid) → departments {iid, name, pid, dtype};
POST itemsandpag.do (page_num, groupid=<dept iid>) → {budgetTemplates: [{uuid}]};
POST getTemporaryFiles.do (uuid='<uuid>') → files {t_oldname, iid, t_uploaddate};
GET download.do?iid=<file iid>.
The department list is served as "localhost" and the rest as 127.0.0.1, like the two real hosts.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs, quote

import pytest
from crawl_portal_fixture import Resource, make_pdf

from extractors.crawl import crawl_sources, load_sources
from extractors.crawl.config import ConfigError

DEPTS = [
    {"iid": "5001", "name": "无锡市财政局", "pid": "122", "dtype": "1"},
    {"iid": "5002", "name": "无锡市教育局", "pid": "122", "dtype": "1"},
    {"iid": "5003", "name": "无锡市统计局", "pid": "122", "dtype": "1"},  # no template published
    {"iid": "5004", "name": "无锡市审计局", "pid": "122", "dtype": "1"},  # its template request fails
]
FILES = {
    "u-5001": [{"t_oldname": "2024年无锡市财政局部门预算.pdf", "iid": "9001", "t_uploaddate": "2024-02-10 10:00:00"}],
    "u-5002": [{"t_oldname": "部门预算公开.pdf", "iid": "9002", "t_uploaddate": 1707530400000},
               {"t_oldname": "预算绩效目标申请表.pdf", "iid": "9003", "t_uploaddate": "2024-02-10"}],
}
PDFS = {"9001": make_pdf("2024 budget: wuxi finance"), "9002": make_pdf("2024 budget: wuxi education"),
        "9003": make_pdf("form")}


def form(body: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def jiangsu_platform(server) -> None:
    j = "application/json;charset=UTF-8"

    def departments(body):
        f = form(body)
        ok = f.get("pid") == "122" and f.get("date") == "2024" and f.get("typeid") == "2"
        return Resource(json.dumps(DEPTS if ok else [], ensure_ascii=False).encode(), content_type=j)

    def templates(body):
        f = form(body)
        if f["groupid"] == "5004":
            return Resource(b"", status=500)
        uuid = f"u-{f['groupid']}"
        tpl = [{"uuid": uuid, "name": "2024年部门预算"}] if uuid in FILES and f["page_num"] == "1" else []
        return Resource(json.dumps({"budgetTemplates": tpl, "total": len(tpl)}).encode(), content_type=j)

    def files(body):
        uuid = form(body)["uuid"].strip("'")  # the platform wants the quotes
        return Resource(json.dumps(FILES.get(uuid, []), ensure_ascii=False).encode(), content_type=j)

    cache: dict[str, Resource] = {}

    def download(query):
        iid = form(query).get("iid", "")
        if iid not in PDFS:
            return Resource(status=404)
        name = next(f["t_oldname"] for fs in FILES.values() for f in fs if f["iid"] == iid)
        return cache.setdefault(iid, Resource(PDFS[iid], content_type="application/octet-stream", headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}))

    server.add("/yjsgk/front/department/getdepartmentname.do", handler=departments)
    server.add("/front/budgetfinal/itemsandpag.do", handler=templates)
    server.add("/front/budgetfinal/getTemporaryFiles.do", handler=files)
    server.add("/front/budgetfinal/download.do", handler=download)


SOURCES = """
sources:
  - name: jiangsu_wuxi_2024
    kind: json_api
    allow_private: true          # fixture on localhost/127.0.0.1
    rate_limit: 500
    retries: 0
    title_exclude: "申请表"
    json:
      steps:
        - name: dept
          url: "http://localhost:{port}/yjsgk/front/department/getdepartmentname.do"
          method: POST
          data: {{pid: "122", departmentName: "", date: "2024", typeid: "2"}}
        - name: template
          url: "http://127.0.0.1:{port}/front/budgetfinal/itemsandpag.do"
          method: POST
          data: {{page_num: "1", groupid: "{{dept.iid}}", typeid: "2", date: "2024"}}
          items: budgetTemplates
      url: "http://127.0.0.1:{port}/front/budgetfinal/getTemporaryFiles.do"
      method: POST
      data: {{uuid: "'{{template.uuid}}'"}}
      url_template: "http://127.0.0.1:{port}/front/budgetfinal/download.do?iid={{iid}}"
      title_template: "{{dept.name}}：{{t_oldname}}"
      unit_template: "{{dept.name}}"
      date_field: t_uploaddate
      follow: document
"""


@pytest.fixture
def jiangsu(server, tmp_path):
    jiangsu_platform(server)
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(SOURCES.format(port=server.port), encoding="utf-8")
    return cfg


def test_chain_walks_departments_templates_files(jiangsu, server, data):
    reg, store = data
    recs = list(crawl_sources(jiangsu, reg, store))
    docs = {r["url"].rsplit("=", 1)[-1]: r for r in recs if r["role"] == "document"}
    assert set(docs) == {"9001", "9002"}  # 9003 (申请表) is excluded by title before it is a candidate
    a, b = docs["9001"], docs["9002"]
    assert a["status"] == b["status"] == "fetched" and a["new"] and b["new"]
    assert a["title"] == "无锡市财政局：2024年无锡市财政局部门预算.pdf"
    assert (a["unit_guess"], a["year_guess"], a["kind_guess"], a["publish_date"]) == \
        ("无锡市财政局", 2024, "budget", "2024-02-10")
    assert a["original_name"] == "2024年无锡市财政局部门预算.pdf"
    assert store.path_for(a["sha256"]).read_bytes() == PDFS["9001"]
    # a file named only '部门预算公开.pdf': the unit comes from the department item; epoch-ms date
    assert (b["unit_guess"], b["kind_guess"], b["publish_date"]) == ("无锡市教育局", "budget", "2024-02-10")
    assert not [x for x in server.log if x[1].endswith("download.do") and x[2] == 200][2:]
    # the failing department is reported, the others crawled
    pages = [r for r in recs if r["role"] == "page"]
    assert len(pages) == 1 and pages[0]["status"] == "error" and "HTTP 500" in pages[0]["reason"]
    assert "dept=无锡市审计局" in pages[0]["title"]

    # the requests the platform saw: form bodies with the chained values
    bodies = [(p, form(b)) for p, b in server.bodies]
    assert bodies[0] == ("/yjsgk/front/department/getdepartmentname.do",
                         {"pid": "122", "departmentName": "", "date": "2024", "typeid": "2"})
    assert [b["groupid"] for p, b in bodies if p.endswith("itemsandpag.do")] == ["5001", "5002", "5003", "5004"]
    assert [b["uuid"] for p, b in bodies if p.endswith("getTemporaryFiles.do")] == ["'u-5001'", "'u-5002'"]
    assert f"localhost:{server.port}" in server.hosts  # the department API lives on its own host

    # a second crawl downloads nothing new (conditional GETs on download.do)
    again = list(crawl_sources(jiangsu, reg, store))
    assert {r["url"].rsplit("=", 1)[-1]: r["status"] for r in again if r["role"] == "document"} == \
        {"9001": "unchanged", "9002": "unchanged"}
    assert not [r for r in again if r.get("new")]


def test_chain_config_is_validated(tmp_path):
    def load(json_block: str):
        p = tmp_path / "s.yaml"
        p.write_text("sources:\n  - name: x\n    kind: json_api\n    json:\n" + json_block, encoding="utf-8")
        return load_sources(p)

    src = load("      url: http://h/files\n      steps: [{name: dept, url: 'http://h/depts', method: post}]\n")
    src = src.sources[0]
    assert src.json.steps[0].method == "POST" and src.json.steps[0].max_items == 200
    for block, message in [
        ("      url: http://h/f\n      steps: [{url: 'http://h/d'}]\n", "steps[0].name: required"),
        ("      url: http://h/f\n      steps: [{name: page, url: 'http://h/d'}]\n", "other than 'page'"),
        ("      url: http://h/f\n      steps: [{name: a, url: 'http://h/d', bogus: 1}]\n", "unknown field(s) ['bogus']"),
        ("      url: http://h/f\n      steps: [{name: a, url: 'ftp://h/d'}]\n", "not an http(s) URL"),
        ("      url: http://h/f\n      steps: [{name: a, url: 'http://h/d'}, {name: a, url: 'http://h/e'}]\n",
         "must be unique"),
        ("      url: http://h/f\n      steps: [{name: a, url: 'http://h/d', method: PUT}]\n", "GET or POST"),
    ]:
        with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")
                           .replace("[", r"\[").replace("]", r"\]")):
            load(block)


def test_missing_chain_variable_is_reported(server, tmp_path, data):
    server.add("/depts", json.dumps([{"iid": "1"}]), content_type="application/json")
    cfg = tmp_path / "s.yaml"
    cfg.write_text(f"""
sources:
  - name: x
    kind: json_api
    allowed_ips: ["127.0.0.1"]
    rate_limit: 500
    json:
      steps: [{{name: dept, url: "{server.url('/depts')}"}}]
      url: "{server.url('/files')}"
      params: {{group: "{{dept.uuid}}"}}
""", encoding="utf-8")
    recs = list(crawl_sources(cfg, *data))
    assert [(r["status"], r["role"]) for r in recs] == [("error", "page")]
    assert "no value for {dept.uuid}" in recs[0]["reason"]

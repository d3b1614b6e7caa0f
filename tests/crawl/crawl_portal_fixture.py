"""A fixture portal on 127.0.0.1 built from the real page structures in ../shared/corpus/portals/.

TRS list pages (index.html + index_1.html via createPageHTML), ./YYYYMM/tYYYYMMDD_<id>.html detail pages with
ArticleTitle/PubDate/ColumnName meta tags, Zhengzhou-style /attachment/<url-encoded 中文>.pdf?<token> links,
TRS ./P0….pdf attachments, a GBK list page and a GBK detail page, redirects, a 404, a 503-then-success, a slow
page, external-host links, a robots.txt-disallowed folder, an HTML page named .pdf, an oversize file and one PDF
under two URLs. The server honours ETag / If-Modified-Since and logs every request so tests can count them.
"""
from __future__ import annotations

import email.utils
import hashlib
import io
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

SHARED_PORTALS = Path("/work/shared/corpus/portals")


def make_pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)  # invariant: same text → same bytes → stable hashes
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


@dataclass
class Resource:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict = field(default_factory=dict)
    validators: str = "both"  # both | etag | last_modified | none
    delay: float = 0.0
    fail_first: int = 0  # answer 503 (Retry-After: 0) this many times first
    send_length: bool = True
    handler: object = None  # callable(request body or query) -> Resource: answers that depend on the request
    mtime: float = field(default_factory=lambda: time.time() - 86400)


class PortalServer:
    def __init__(self, ssl_context=None):
        self.resources: dict[str, Resource] = {}
        self.log: list[tuple[str, str, int, int]] = []  # (method, path, status, body bytes sent)
        self.hosts: list[str] = []  # Host header of every request
        self.bodies: list[tuple[str, str]] = []  # (path, request body) of every POST
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                server._serve(self)

            do_POST = do_GET

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.scheme = "http"
        if ssl_context is not None:
            self.httpd.socket = ssl_context.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: bytes | str = b"", **kw) -> Resource:
        if isinstance(body, str):
            body = body.encode("utf-8")
        res = Resource(body=body, **kw)
        self.resources[path] = res
        return res

    def requests(self, since: int = 0) -> list[tuple[str, str, int, int]]:
        with self._lock:
            return list(self.log[since:])

    def _record(self, method, path, status, n):
        with self._lock:
            self.log.append((method, path, status, n))

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        path = unquote(urlsplit(h.path).path)
        res = self.resources.get(path)
        body = ""
        if h.command == "POST":
            body = h.rfile.read(int(h.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
        with self._lock:
            self.hosts.append(h.headers.get("Host", ""))
            if h.command == "POST":
                self.bodies.append((path, body))
        if res is not None and res.handler is not None:
            res = res.handler(body if h.command == "POST" else urlsplit(h.path).query)
        try:
            if res is None:
                self._record(h.command, path, 404, 0)
                h.send_response(404)
                h.send_header("Content-Length", "0")
                h.end_headers()
                return
            if res.fail_first > 0:
                res.fail_first -= 1
                self._record(h.command, path, 503, 0)
                h.send_response(503)
                h.send_header("Retry-After", "0")
                h.send_header("Content-Length", "0")
                h.end_headers()
                return
            if res.delay:
                time.sleep(res.delay)
            etag = '"' + hashlib.sha1(res.body).hexdigest()[:16] + '"'
            lm = email.utils.formatdate(res.mtime, usegmt=True)
            validators = {}
            if res.validators in ("both", "etag"):
                validators["ETag"] = etag
            if res.validators in ("both", "last_modified"):
                validators["Last-Modified"] = lm
            inm, ims = h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")
            fresh = False
            if res.status == 200 and "ETag" in validators and inm:
                fresh = inm == etag
            elif res.status == 200 and "Last-Modified" in validators and ims:
                fresh = email.utils.parsedate_to_datetime(ims).timestamp() >= int(res.mtime)
            if fresh:
                self._record(h.command, path, 304, 0)
                h.send_response(304)
                for k, v in validators.items():
                    h.send_header(k, v)
                h.end_headers()
                return
            self._record(h.command, path, res.status, len(res.body))
            h.send_response(res.status)
            h.send_header("Content-Type", res.content_type)
            if res.send_length:
                h.send_header("Content-Length", str(len(res.body)))
            for k, v in {**validators, **res.headers}.items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(res.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (slow page): expected

    def touch(self, path: str, body: bytes | str) -> None:
        """Change a resource: new bytes and a newer Last-Modified."""
        res = self.resources[path]
        res.body = body.encode("utf-8") if isinstance(body, str) else body
        res.mtime = time.time() + 5

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --- page templates (structure from changsha_czj_dept-yjs-list.html and chongqing/zhengzhou detail pages) ---

def list_page(items: list[tuple[str, str, str]], page_count: int, current: int, charset: str = "utf-8") -> str:
    lis = "\n".join(f'<li><span class="date">{d}</span><a href="{href}">{title}</a></li>' for href, title, d in items)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<meta name=" ColumnName " content="长沙市财政局 "><title>长沙市财政预算公开</title>
<script>function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){{ if(_nPageCount == null || _nPageCount<=1){{return;}} }}</script>
</head><body>
<div class="nav"><a href="../../">长沙市财政预决算公开专栏</a> &gt; <a href="../">部门预决算和三公经费</a>
<a href="../../ysjsbg/">预决算报告</a></div>
<ul class="list">
{lis}
</ul>
<script>createPageHTML({page_count}, {current}, "index", "html");</script>
</body></html>"""


def detail_page(title: str, pubdate: str, attachments: list[tuple[str, str]], charset: str = "utf-8",
                body: str = "") -> str:
    links = "\n".join(f'<p><a href="{href}">{text}</a></p>' for href, text in attachments)
    return f"""<!DOCTYPE html><html lang="zh"><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="SiteName" content="长沙市人民政府"><meta name="ColumnName" content="部门预决算和三公经费">
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{pubdate} 09:36">
<title>{title}-长沙市人民政府</title></head><body>
<div class="content-title">{title}</div><div class="TRS_Editor">{body or '<p>根据预决算公开有关规定，现将有关情况公开如下。</p>'}</div>
<div class="fj">附件：{links}</div>
<script>var x = "<a href='./P0999.pdf'>not a link</a>";</script>
</body></html>"""


def enc_attachment(name: str, token: str) -> str:
    return f"/attachment/{quote(name)}?{token}"


class FixturePortal:
    """Builds the portal on a PortalServer and knows which URL is which."""

    BASE = "/czyjs/bmyjs/"

    def __init__(self, server: PortalServer):
        self.s = server
        self.pdf_a = make_pdf("2024 final accounts: finance bureau")
        self.pdf_b = make_pdf("2025 budget: finance bureau")
        self.pdf_c = make_pdf("2023 final accounts: transport bureau")
        self.pdf_d = make_pdf("2022 final accounts: finance bureau")
        self.pdf_new = make_pdf("2026 budget: finance bureau")
        b = self.BASE
        self.name_b = "长沙市财政局2025年部门预算公开.pdf"
        self.path_b = "/attachment/" + self.name_b
        s = server
        s.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        self.page1_items = [
            ("./202509/t20250929_1001.html", "2024年度长沙市财政局部门决算", "2025-09-29"),
            ("./202502/t20250213_1002.html", "长沙市财政局2025年部门预算公开", "2025-02-13"),
            ("./202410/t20241010_1003.html", "2023年度市教育局部门决算", "2024-10-10"),
            ("./202409/t20240901_1004.html", "2023年度市卫健委部门决算", "2024-09-01"),
            ("./202408/t20240801_1005.html", "2023年度市交通局部门决算", "2024-08-01"),
            ("http://external.example.com/202401/t20240101_1.html", "2024年度外部单位部门决算", "2024-01-01"),
            ("/private/202401/t20240101_1006.html", "2023年度保密单位部门决算", "2024-01-01"),
            ("./201909/t20190927_1007.html", "2018年度长沙市财政局部门决算", "2019-09-27"),
            ("./202405/t20240501_1008.html", "市财政局工作动态", "2024-05-01"),
            ("./202406/t20240601_1009.html", "2023年度市水务局部门决算", "2024-06-01"),
        ]
        s.add(b + "index.html", list_page(self.page1_items, 2, 0))
        page2 = [
            ("./202307/t20230731_2001.html", "2022年度长沙市财政局部门决算", "2023-07-31"),
            ("./202306/t20230601_2002.html", "2022年度市审计局部门决算", "2023-06-01"),
            ("./202305/t20230501_2003.html", "2022年度市统计局部门决算", "2023-05-01"),
            (enc_attachment("2024年度长沙市财政局部门决算（重发）.pdf", "iYriZUEa-d2b0jITaxZW3Y2B=="),
             "2024年度长沙市财政局部门决算（重发）.pdf", "2025-10-01"),
        ]
        s.add(b + "index_1.html", list_page(page2, 2, 1, charset="gbk").encode("gbk"),
              content_type="text/html; charset=GBK")
        s.add(b + "202509/t20250929_1001.html", detail_page(
            "2024年度长沙市财政局部门决算", "2025-09-29", [("./P020250929000001.pdf", "2024年度长沙市财政局部门决算.pdf")]))
        s.add(b + "202509/P020250929000001.pdf", self.pdf_a, content_type="application/pdf")
        s.add(b + "202502/t20250213_1002.html", detail_page(
            "长沙市财政局2025年部门预算公开", "2025-02-13", [(enc_attachment(self.name_b, "bLBEXqtC_FBJtxVR=="), self.name_b)]))
        s.add(self.path_b, self.pdf_b, content_type="application/octet-stream", validators="last_modified",
              headers={"Content-Disposition": f"attachment; filename=\"download.pdf\"; filename*=UTF-8''{quote(self.name_b)}"})
        # GBK detail page with no attachment: the page itself is the disclosure (喆 is outside GB2312)
        s.add(b + "202410/t20241010_1003.html", detail_page(
            "2023年度市教育局部门决算", "2024-10-10", [], charset="gb2312",
            body="<p>局长王喆：2023年度一般公共预算财政拨款支出决算数为1234.56万元。</p>").encode("gb18030"),
            content_type="text/html")
        # 1004 is missing (404); 1005 redirects to its new address
        s.add(b + "202408/t20240801_1005.html", status=302,
              headers={"Location": "t20240801_1005_new.html"}, validators="none")
        s.add(b + "202408/t20240801_1005_new.html", detail_page(
            "2023年度市交通局部门决算", "2024-08-01", [("./P020240801000001.pdf", "2023年度市交通局部门决算")]))
        s.add(b + "202408/P020240801000001.pdf", self.pdf_c, content_type="application/pdf", validators="etag")
        s.add("/private/202401/t20240101_1006.html", detail_page("2023年度保密单位部门决算", "2024-01-01", []))
        s.add(b + "202406/t20240601_1009.html", detail_page("2023年度市水务局部门决算", "2024-06-01", []), delay=1.2)
        # page 2
        s.add(b + "202307/t20230731_2001.html", detail_page(
            "2022年度长沙市财政局部门决算", "2023-07-31",
            [("./P020230731000001.pdf", "2022年度长沙市财政局部门决算"), ("/go/outside.pdf", "附件2：2022年度明细.pdf")]))
        self.flaky = s.add(b + "202307/P020230731000001.pdf", self.pdf_d, content_type="application/pdf", fail_first=1)
        s.add("/go/outside.pdf", status=302, headers={"Location": "http://evil.example.com/x.pdf"}, validators="none")
        s.add(b + "202306/t20230601_2002.html", detail_page(
            "2022年度市审计局部门决算", "2023-06-01", [("./P020230601000001.pdf", "2022年度市审计局部门决算.pdf")]))
        s.add(b + "202306/P020230601000001.pdf", detail_page("这不是PDF", "2023-06-01", []),
              content_type="application/pdf")
        s.add(b + "202305/t20230501_2003.html", detail_page(
            "2022年度市统计局部门决算", "2023-05-01", [("./P020230501000001.pdf", "2022年度市统计局部门决算.pdf")]))
        s.add(b + "202305/P020230501000001.pdf", b"%PDF-1.4\n" + b"0" * 120_000, content_type="application/pdf",
              send_length=False)
        s.add("/attachment/2024年度长沙市财政局部门决算（重发）.pdf", self.pdf_a, content_type="application/pdf")

    @property
    def start_url(self) -> str:
        return self.s.url(self.BASE + "index.html")

    def u(self, rel: str) -> str:
        return self.s.url(self.BASE + rel)

    def publish_new_document(self) -> None:
        """A new disclosure appears at the top of the first list page."""
        b = self.BASE
        self.page1_items.insert(0, ("./202603/t20260301_3001.html", "长沙市财政局2026年部门预算公开", "2026-03-01"))
        self.s.touch(b + "index.html", list_page(self.page1_items, 2, 0))
        self.s.add(b + "202603/t20260301_3001.html", detail_page(
            "长沙市财政局2026年部门预算公开", "2026-03-01", [("./P020260301000001.pdf", "长沙市财政局2026年部门预算.pdf")]))
        self.s.add(b + "202603/P020260301000001.pdf", self.pdf_new, content_type="application/pdf")


SOURCES_TEMPLATE = """\
sources:
  - name: fixture_portal
    kind: portal
    start_urls: ["{start}"]
    allowed_hosts: ["127.0.0.1"]
    allowed_ips: ["127.0.0.1/32"]   # loopback is refused unless a source names it
    title_exclude: "工作动态"
    years: 2020-2026
    rate_limit: 500
    concurrency: 2
    timeout: 0.4
    retries: 1
    backoff: 0.01
    max_bytes: 60000
"""



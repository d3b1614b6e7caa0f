"""Crawler limits (issue 17, item 7): a download that drips is cut at its total deadline, and a request never
connects to a port the source did not name (an allowed host's port 22, say)."""
from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from extractors.crawl.config import ConfigError, load_sources
from extractors.crawl.http import HttpClient
from extractors.crawl.runner import make_client
from extractors.crawl.safety import HostPolicy


class _Drip(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(2 * 1024 * 1024))
        self.end_headers()
        try:
            for _ in range(2048):  # 2 MB at ~1 KB per 20 ms: about 40 s if nobody stops it
                self.wfile.write(b"%" * 1024)
                self.wfile.flush()
                time.sleep(0.02)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def drip_server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/doc.pdf", srv.server_address[1]
    srv.shutdown()


def test_a_dripping_download_stops_at_its_deadline(drip_server):
    url, port = drip_server
    policy = HostPolicy(["127.0.0.1"], allow_private=True, allowed_ports=[port])
    with HttpClient(policy, user_agent="t", timeout=10, retries=2, download_deadline=1.5) as client:
        t = time.monotonic()
        r = client.fetch(url)
        took = time.monotonic() - t
    assert "download deadline of 1.5s exceeded" in r.error and not r.content
    assert took < 5, took  # not 40 s of dripping, and not retried three times over
    assert r.attempts == 1


def test_an_allowed_host_is_never_connected_to_on_another_port(drip_server):
    url, port = drip_server
    trap = socket.socket()  # a listener on a port the source never named ("port 22")
    trap.bind(("127.0.0.1", 0))
    trap.listen(1)
    trap.settimeout(0.5)
    other = trap.getsockname()[1]
    policy = HostPolicy(["127.0.0.1"], allow_private=True, allowed_ports=[80, 443, port])
    with HttpClient(policy, user_agent="t", timeout=2, retries=0) as client:
        r = client.fetch(f"http://127.0.0.1:{other}/")
    assert r.refused and f"port {other} of 127.0.0.1 is not allowed" in r.error
    with pytest.raises(socket.timeout):
        trap.accept()  # nothing ever connected
    trap.close()


def test_sources_yaml_sets_deadline_and_ports_and_defaults_follow_the_urls(tmp_path):
    cfg = tmp_path / "sources.yaml"
    cfg.write_text("sources:\n"
                   "  - name: a\n    kind: portal\n    start_urls: ['http://portal.example.cn:8080/list.html']\n"
                   "  - name: b\n    kind: portal\n    start_urls: ['https://b.example.cn/']\n"
                   "    download_deadline: 30\n    allowed_ports: [443, 8443]\n", encoding="utf-8")
    a, b = load_sources(cfg).sources
    assert a.download_deadline == 120.0 and b.download_deadline == 30.0
    assert make_client(a).policy.allowed_ports == {80, 443, 8080}
    assert make_client(b).policy.allowed_ports == {443, 8443}
    cfg.write_text("sources:\n  - name: c\n    kind: portal\n    start_urls: ['http://c.example.cn/']\n"
                   "    allowed_ports: [22, 70000]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="allowed_ports"):
        load_sources(cfg)

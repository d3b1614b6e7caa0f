"""The HTTP client: user agent, retries honouring Retry-After, size cap, per-host politeness, robots.txt."""
from __future__ import annotations

import itertools
import threading
import time

from extractors.crawl.http import HostThrottle, HttpClient
from extractors.crawl.robots import RobotsCache
from extractors.crawl.safety import HostPolicy


def client(**kw):
    kw.setdefault("retries", 2)
    kw.setdefault("backoff", 0.01)
    kw.setdefault("rate", 1000)
    return HttpClient(HostPolicy(["127.0.0.1"], allowed_ips=["127.0.0.1"]), user_agent="juesuan-test/1 (+tests)",
                      timeout=2, **kw)


def test_retry_after_is_honoured_and_capped(server):
    server.add("/busy.pdf", b"%PDF-1.4", content_type="application/pdf", fail_first=2)
    slept = []
    with client(sleep=slept.append, max_retry_after=5) as c:
        r = c.fetch(server.url("/busy.pdf"))
    assert r.ok and r.attempts == 3 and slept == [0.0, 0.0]  # the fixture sends Retry-After: 0


def test_gives_up_after_retries(server):
    server.add("/down", b"", fail_first=10)
    with client(retries=1, sleep=lambda s: None) as c:
        r = c.fetch(server.url("/down"))
    assert not r.ok and r.error == "HTTP 503 after 2 attempts" and not r.refused


def test_size_cap_uses_content_length_before_reading(server):
    server.add("/big.pdf", b"%PDF-1.4" + b"0" * 5000, content_type="application/pdf")
    with client(max_bytes=1000) as c:
        r = c.fetch(server.url("/big.pdf"))
    assert r.refused and "Content-Length 5008 bytes exceeds max_bytes 1000" in r.error


def test_conditional_get_and_user_agent(server):
    server.add("/a.pdf", b"%PDF-1.4 a", content_type="application/pdf")
    with client() as c:
        first = c.fetch(server.url("/a.pdf"))
        again = c.fetch(server.url("/a.pdf"), etag=first.headers["etag"])
        by_date = c.fetch(server.url("/a.pdf"), last_modified=first.headers["last-modified"])
    assert first.content == b"%PDF-1.4 a" and again.not_modified and by_date.not_modified and again.ok
    assert [x[2] for x in server.log] == [200, 304, 304]


def test_throttle_limits_rate_and_concurrency():
    t = HostThrottle(rate=20, concurrency=1)  # at most one request every 50 ms, one at a time
    active, peak, starts = [0], [0], []
    lock = threading.Lock()

    def work():
        t.acquire("h")
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
            starts.append(time.monotonic())
        time.sleep(0.01)
        with lock:
            active[0] -= 1
        t.release("h")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    starts.sort()
    assert peak[0] == 1
    assert all(b - a >= 0.045 for a, b in itertools.pairwise(starts))  # generous: 50 ms minus scheduler jitter


def test_robots_rules_and_crawl_delay(server):
    server.add("/robots.txt", "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.05\n", content_type="text/plain")
    with client() as c:
        robots = RobotsCache(c)
        assert robots.check(server.url("/czyjs/index.html")) is None
        assert robots.check(server.url("/private/a.pdf")) == "disallowed by robots.txt"
        assert c.throttle._interval("127.0.0.1") >= 0.05
    assert [x[1] for x in server.log] == ["/robots.txt"]  # fetched once, cached per host


def test_missing_robots_allows_and_unavailable_robots_blocks(server):
    with client() as c:
        assert RobotsCache(c).check(server.url("/x")) is None  # 404 → allowed
    server.add("/robots.txt", "", fail_first=10)
    with client(retries=0) as c:
        assert "robots.txt unavailable" in RobotsCache(c).check(server.url("/x"))

"""Host allow-list, private-address refusal, redirects re-checked at every hop."""
from __future__ import annotations

import pytest

from extractors.crawl.http import HttpClient
from extractors.crawl.safety import HostPolicy, host_matches


def fake_dns(table):
    def resolve(host):
        if host not in table:
            raise OSError(-2, "Name or service not known")
        return table[host]
    return resolve


DNS = fake_dns({
    "czj.changsha.gov.cn": ["202.103.0.10"],
    "intranet.changsha.gov.cn": ["10.1.2.3"],
    "metadata.changsha.gov.cn": ["169.254.169.254"],
    "rebind.changsha.gov.cn": ["202.103.0.11", "127.0.0.1"],
    "v6.changsha.gov.cn": ["::1"],
    "mapped.changsha.gov.cn": ["::ffff:192.168.0.1"],
})


@pytest.mark.parametrize("url, reason_part", [
    ("http://czj.changsha.gov.cn/a/index.html", None),
    ("https://CZJ.changsha.gov.cn./a.pdf", None),
    ("http://www.foshan.gov.cn/a.pdf", "not in allowed_hosts"),
    ("http://evilchangsha.gov.cn/a.pdf", "not in allowed_hosts"),
    ("http://intranet.changsha.gov.cn/", "private address 10.1.2.3"),
    ("http://metadata.changsha.gov.cn/latest/", "link-local address 169.254.169.254"),
    ("http://rebind.changsha.gov.cn/", "loopback address 127.0.0.1"),
    ("http://v6.changsha.gov.cn/", "loopback address ::1"),
    ("http://mapped.changsha.gov.cn/", "private address"),
    ("http://nxdomain.changsha.gov.cn/", "does not resolve"),
    ("file:///etc/passwd", "scheme 'file'"),
    ("ftp://czj.changsha.gov.cn/x", "scheme 'ftp'"),
    ("http://user:pw@czj.changsha.gov.cn/", "credentials"),
])
def test_policy(url, reason_part):
    policy = HostPolicy([".changsha.gov.cn"], resolver=DNS)
    reason = policy.check(url)
    if reason_part is None:
        assert reason is None
    else:
        assert reason and reason_part in reason


def test_ip_literals_and_explicit_permission():
    assert "loopback" in HostPolicy(["127.0.0.1"]).check("http://127.0.0.1:8000/x")
    assert "private" in HostPolicy(["192.168.1.5"]).check("http://192.168.1.5/x")
    assert HostPolicy(["127.0.0.1"], allowed_ips=["127.0.0.1"]).check("http://127.0.0.1:8000/x") is None
    assert HostPolicy(["127.0.0.1"], allow_private=True).check("http://127.0.0.1/x") is None
    # permission for one network does not open another
    assert "private" in HostPolicy(["10.0.0.1"], allowed_ips=["127.0.0.0/8"]).check("http://10.0.0.1/")


def test_host_matching():
    assert host_matches("www.foshan.gov.cn", [".foshan.gov.cn"])
    assert host_matches("foshan.gov.cn", [".foshan.gov.cn"])
    assert not host_matches("notfoshan.gov.cn", [".foshan.gov.cn"])
    assert not host_matches("www.foshan.gov.cn", ["foshan.gov.cn"])  # exact entries are exact


def _client(allowed, **kw):
    return HttpClient(HostPolicy(allowed, allowed_ips=["127.0.0.1"]), user_agent="juesuan-test/1", timeout=2,
                      retries=0, rate=1000, **kw)


def test_redirects_are_rechecked_at_every_hop(server):
    port = server.port
    server.add("/ok.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    server.add("/hop1", status=302, headers={"Location": "/hop2"}, validators="none")
    server.add("/hop2", status=301, headers={"Location": server.url("/ok.pdf")}, validators="none")
    server.add("/to-localhost", status=302, headers={"Location": f"http://localhost:{port}/ok.pdf"}, validators="none")
    server.add("/to-metadata", status=307, headers={"Location": "http://169.254.169.254/latest/"}, validators="none")
    server.add("/loop", status=302, headers={"Location": "/loop"}, validators="none")
    with _client(["127.0.0.1", "169.254.169.254"]) as c:
        ok = c.fetch(server.url("/hop1"))
        assert ok.ok and ok.content == b"%PDF-1.4 ok" and ok.final_url == server.url("/ok.pdf")
        assert ok.redirects == [server.url("/hop2"), server.url("/ok.pdf")]

        r = c.fetch(server.url("/to-localhost"))
        assert r.refused and "localhost is not in allowed_hosts" in r.error
        r = c.fetch(server.url("/to-metadata"))  # allowed host name, but link-local and not permitted
        assert r.refused and "link-local" in r.error
        r = c.fetch(server.url("/loop"))
        assert not r.ok and "too many redirects" in r.error
    assert not [x for x in server.log if x[1] == "/ok.pdf" and x[2] != 200]
    assert len([x for x in server.log if x[1] == "/loop"]) == 6  # 1 + max_redirects, then stop


def test_loopback_refused_without_explicit_permission(server):
    server.add("/x.pdf", b"%PDF-1.4", content_type="application/pdf")
    c = HttpClient(HostPolicy(["127.0.0.1"]), user_agent="juesuan-test/1", timeout=2, retries=0)
    with c:
        r = c.fetch(server.url("/x.pdf"))
    assert r.refused and "loopback" in r.error
    assert server.log == []  # refused before any connection

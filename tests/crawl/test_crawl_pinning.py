"""DNS rebinding: the connection goes only to the address the host policy checked, on every hop.

A fake resolver feeds the policy check; ``socket.getaddrinfo`` (what httpx/httpcore would use to resolve again when
connecting) is monkeypatched to answer 127.0.0.1 — the hostile second answer, pointing at the fixture server.
``socket.create_connection`` is wrapped to record where sockets go and to refuse anything but loopback, so no test
touches the network.
"""
from __future__ import annotations

import datetime as dt
import socket
import ssl

import httpx
import pytest
from crawl_portal_fixture import PortalServer

from extractors.crawl.http import HttpClient
from extractors.crawl.pinning import REFUSED, PinnedTransport
from extractors.crawl.safety import HostPolicy

PUBLIC = "93.184.215.14"  # a global address; never actually connected to (see `sockets`)
EVIL = "rebind.example.gov.cn"
MIRROR = "mirror.example.gov.cn"


@pytest.fixture
def sockets(monkeypatch):
    """Hostile system DNS: EVIL → 127.0.0.1, MIRROR → NXDOMAIN. Records every socket connect."""
    real_gai, real_connect = socket.getaddrinfo, socket.create_connection
    connects: list[str] = []

    def gai(host, port, *a, **kw):
        if host == EVIL:
            host = "127.0.0.1"
        elif host == MIRROR:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_gai(host, port, *a, **kw)

    def connect(address, *a, **kw):
        connects.append(address[0])
        if address[0] not in ("127.0.0.1", EVIL):  # pretend the public host refuses: no real network in tests
            raise ConnectionRefusedError(111, "Connection refused (test)")
        return real_connect(address, *a, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", gai)
    monkeypatch.setattr(socket, "create_connection", connect)
    return connects


def rebinding_resolver(first: list[str], later: list[str]):
    calls = []

    def resolve(host):
        calls.append(host)
        return first if len(calls) == 1 else later
    resolve.calls = calls
    return resolve


def client(policy, **kw):
    return HttpClient(policy, user_agent="juesuan-test/1", timeout=2, retries=1, backoff=0.01, rate=1000,
                      sleep=lambda s: None, **kw)


def test_without_pinning_the_attack_would_work(server, sockets):
    """Control: the plain httpx transport resolves again and lands on 127.0.0.1 after a public check answer."""
    server.add("/secret", b"intranet")
    policy = HostPolicy([EVIL], resolver=lambda h: [PUBLIC])
    with client(policy, transport=httpx.HTTPTransport()) as c:
        r = c.fetch(f"http://{EVIL}:{server.port}/secret")
    assert r.ok and r.content == b"intranet"  # the check passed, the socket went to loopback


def test_connect_goes_only_to_the_checked_address(server, sockets):
    server.add("/secret", b"intranet")
    resolve = rebinding_resolver([PUBLIC], ["127.0.0.1"])
    policy = HostPolicy([EVIL], resolver=resolve)
    with client(policy) as c:
        r = c.fetch(f"http://{EVIL}:{server.port}/secret")
        r2 = c.fetch(f"http://{EVIL}:{server.port}/secret")  # a later request: still the pinned answer
    assert not r.ok and not r2.ok and "network error" in r.error
    assert set(sockets) == {PUBLIC}  # retries included: never 127.0.0.1, never the name
    assert server.log == []
    assert resolve.calls == [EVIL]  # resolved once; the second (hostile) answer was never asked for


def test_redirect_hop_is_pinned_too(server, sockets):
    server.add("/hop", status=302, headers={"Location": f"http://{EVIL}:{server.port}/secret"}, validators="none")
    server.add("/secret", b"intranet")
    policy = HostPolicy(["127.0.0.1", EVIL], allowed_ips=["127.0.0.1"], resolver=lambda h: [PUBLIC])
    with client(policy) as c:
        r = c.fetch(server.url("/hop"))
    assert not r.ok and r.redirects == [f"http://{EVIL}:{server.port}/secret"]
    assert [x[1] for x in server.log] == ["/hop"]
    assert PUBLIC in sockets and sockets.count("127.0.0.1") == 1  # only the first hop's own connection


def test_socket_level_check_refuses_an_unchecked_forbidden_answer(server, sockets):
    """Even a request that skipped HostPolicy.check cannot open a socket to a forbidden address."""
    server.add("/secret", b"intranet")
    policy = HostPolicy([EVIL], resolver=lambda h: ["127.0.0.1"])
    with httpx.Client(transport=PinnedTransport(policy)) as raw, pytest.raises(httpx.ConnectError) as e:
        raw.get(f"http://{EVIL}:{server.port}/secret")
    assert str(e.value).startswith(REFUSED) and "loopback address 127.0.0.1" in str(e.value)
    with httpx.Client(transport=PinnedTransport(policy)) as raw, pytest.raises(httpx.ConnectError) as e:
        raw.get(f"http://other.example.com:{server.port}/secret")
    assert "not in allowed_hosts" in str(e.value)
    assert server.log == [] and sockets == []


def test_refusal_at_connect_is_final_not_retried(server, sockets, monkeypatch):
    policy = HostPolicy([EVIL], resolver=lambda h: ["10.0.0.8"])
    monkeypatch.setattr(policy, "check", lambda url: None)  # simulate a bypassed pre-check
    with client(policy) as c:
        r = c.fetch(f"http://{EVIL}:{server.port}/x")
    assert r.refused and r.attempts == 1 and "private address 10.0.0.8" in r.error and sockets == []


def test_pinned_name_keeps_host_header(server, sockets):
    """An allowed mirror named by DNS: we connect to its checked IP and still send Host: <name>."""
    server.add("/a.pdf", b"%PDF-1.4 mirror", content_type="application/pdf")
    policy = HostPolicy([MIRROR], allowed_ips=["127.0.0.1"], resolver=lambda h: ["127.0.0.1"])
    with client(policy) as c:
        r = c.fetch(f"http://{MIRROR}:{server.port}/a.pdf")
    assert r.ok and r.content == b"%PDF-1.4 mirror"  # system DNS says NXDOMAIN: the name was never resolved again
    assert server.hosts == [f"{MIRROR}:{server.port}"] and sockets == ["127.0.0.1"]


def _self_signed(name: str):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .sign(key, hashes.SHA256()))
    pem_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), pem_key


def test_https_keeps_sni_and_certificate_check(tmp_path, sockets):
    pytest.importorskip("cryptography")
    cert, key = _self_signed(MIRROR)
    (tmp_path / "c.pem").write_bytes(cert)
    (tmp_path / "k.pem").write_bytes(key)
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(tmp_path / "c.pem", tmp_path / "k.pem")
    sni: list[str] = []
    server_ctx.sni_callback = lambda sslobj, name, ctx: sni.append(name)
    tls = PortalServer(ssl_context=server_ctx)
    try:
        tls.add("/a.pdf", b"%PDF-1.4 tls", content_type="application/pdf")
        client_ctx = ssl.create_default_context(cafile=str(tmp_path / "c.pem"))
        policy = HostPolicy([MIRROR], allowed_ips=["127.0.0.1"], resolver=lambda h: ["127.0.0.1"])
        with client(policy, transport=PinnedTransport(policy, verify=client_ctx)) as c:
            r = c.fetch(f"https://{MIRROR}:{tls.port}/a.pdf")
        assert r.ok and r.content == b"%PDF-1.4 tls", r.error
        assert sni == [MIRROR] and tls.hosts == [f"{MIRROR}:{tls.port}"] and sockets == ["127.0.0.1"]
    finally:
        tls.close()

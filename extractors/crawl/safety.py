"""Which URLs the crawler may fetch.

A page can link anywhere; the crawler follows only http(s) URLs whose host is on the source's allow-list, and
refuses hosts that resolve to loopback, private, link-local, multicast or reserved addresses unless the source
explicitly allows them (``allow_private: true`` or ``allowed_ips``). The check runs for every request and every
redirect hop, so a redirect cannot smuggle the crawler onto another host or into the intranet.

DNS answers are pinned: a host is resolved once per policy (one crawl of one source), and the connection is made
to exactly the addresses that were checked (``connect_addresses``, used by ``pinning.PinnedTransport`` at socket
level). A hostile DNS server therefore cannot answer the check with a public address and the connect with
127.0.0.1 (DNS rebinding).
"""
from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterable
from urllib.parse import urlsplit


class UnsafeURL(Exception):
    """Raised (or returned as a reason) when a URL must not be fetched."""


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def _cache_key(host: str) -> str:
    """One key for 'Host.', 'host' and the punycode form httpcore hands to the socket layer."""
    host = host.lower().rstrip(".")
    if host.isascii():
        try:
            return host.encode("ascii").decode("idna") if "xn--" in host else host
        except UnicodeError:
            return host
    return host


def host_matches(host: str, allowed: list[str]) -> bool:
    """``example.gov.cn`` matches exactly; ``.example.gov.cn`` matches the domain and its subdomains."""
    host = host.lower().rstrip(".")
    for a in allowed:
        a = a.lower().strip().rstrip(".")
        if a.startswith("."):
            if host == a[1:] or host.endswith(a):
                return True
        elif host == a:
            return True
    return False


def _address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for attr, label in (
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_unspecified", "unspecified"),
        ("is_reserved", "reserved"),
        ("is_private", "private"),
    ):
        if getattr(ip, attr):
            return label
    return None


def url_port(url: str) -> int | None:
    """The port a URL connects to (its scheme's default when none is written); None when it is malformed."""
    parts = urlsplit(url)
    try:
        return parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None


class HostPolicy:
    def __init__(self, allowed_hosts: list[str], allow_private: bool = False, allowed_ips: list[str] = (),
                 resolver=None, allowed_ports: Iterable[int] = ()):
        self.allowed_hosts = [h for h in allowed_hosts if h]
        # empty: any port (callers that know their source pass 80/443 + the ports its URLs name)
        self.allowed_ports = frozenset(allowed_ports)
        self.allow_private = allow_private
        self.allowed_networks = [ipaddress.ip_network(x, strict=False) for x in allowed_ips]
        self._resolve = resolver or _resolve
        self._cache: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def check(self, url: str) -> str | None:
        """None when the URL may be fetched, else the reason it may not."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"scheme {parts.scheme or '(none)'!r} not allowed"
        if parts.username or parts.password:
            return "credentials in URL not allowed"
        host = host_of(url)
        if not host:
            return "URL has no host"
        if not host_matches(host, self.allowed_hosts):
            return f"host {host} is not in allowed_hosts"
        port = url_port(url)
        if self.allowed_ports and port not in self.allowed_ports:
            return (f"port {port} of {host} is not allowed (allowed_ports: "
                    f"{', '.join(map(str, sorted(self.allowed_ports)))})")
        try:
            addresses = self._addresses(host)
        except OSError as e:
            return f"host {host} does not resolve ({e.strerror or e})"
        return self._addresses_problem(host, addresses)

    def _addresses_problem(self, host: str, addresses: list[str]) -> str | None:
        if not addresses:
            return f"host {host} does not resolve (no addresses)"
        for a in addresses:
            ip = ipaddress.ip_address(a.split("%")[0])
            problem = _address_problem(ip)
            if problem and not self._ip_allowed(ip):
                return f"host {host} resolves to {problem} address {ip} (not allowed for this source)"
        return None

    def connect_addresses(self, host: str) -> list[str]:
        """The vetted addresses to open a socket to for ``host`` (socket-level check, no second DNS answer).

        Normally ``check`` already resolved and vetted the host for this very request (or redirect hop); the
        cached answer is re-vetted and returned. A host never checked is resolved and vetted now. Raises
        UnsafeURL when the host is not allowed or any address is forbidden.
        """
        host = host.lower().rstrip(".")
        if not host_matches(_cache_key(host), self.allowed_hosts) and not host_matches(host, self.allowed_hosts):
            raise UnsafeURL(f"connection to {host} refused: not in allowed_hosts")
        try:
            addresses = self._addresses(host)
        except OSError as e:
            raise UnsafeURL(f"host {host} does not resolve ({e.strerror or e})") from None
        problem = self._addresses_problem(host, addresses)
        if problem:
            raise UnsafeURL(f"connection refused: {problem}")
        return list(addresses)

    def require(self, url: str) -> None:
        reason = self.check(url)
        if reason:
            raise UnsafeURL(reason)

    def _ip_allowed(self, ip) -> bool:
        return self.allow_private or any(ip in net for net in self.allowed_networks)

    def _addresses(self, host: str) -> list[str]:
        """Resolve once and remember: the answer the check saw is the answer the connection uses."""
        key = _cache_key(host)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        try:
            addrs = [str(ipaddress.ip_address(host.strip("[]")))]  # IP literal: no DNS
        except ValueError:
            addrs = list(self._resolve(host))
        with self._lock:
            return self._cache.setdefault(key, addrs)  # a concurrent first answer wins: one answer per host


def _resolve(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos})

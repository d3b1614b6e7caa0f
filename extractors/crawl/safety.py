"""Which URLs the crawler may fetch.

A page can link anywhere; the crawler follows only http(s) URLs whose host is on the source's allow-list, and
refuses hosts that resolve to loopback, private, link-local, multicast or reserved addresses unless the source
explicitly allows them (``allow_private: true`` or ``allowed_ips``). The check runs for every request and every
redirect hop, so a redirect cannot smuggle the crawler onto another host or into the intranet.
"""
from __future__ import annotations

import ipaddress
import socket
import threading
from urllib.parse import urlsplit


class UnsafeURL(Exception):
    """Raised (or returned as a reason) when a URL must not be fetched."""


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


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


class HostPolicy:
    def __init__(self, allowed_hosts: list[str], allow_private: bool = False, allowed_ips: list[str] = (),
                 resolver=None):
        self.allowed_hosts = [h for h in allowed_hosts if h]
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
        try:
            addresses = self._addresses(host)
        except OSError as e:
            return f"host {host} does not resolve ({e.strerror or e})"
        for a in addresses:
            ip = ipaddress.ip_address(a.split("%")[0])
            problem = _address_problem(ip)
            if problem and not self._ip_allowed(ip):
                return f"host {host} resolves to {problem} address {ip} (not allowed for this source)"
        return None

    def require(self, url: str) -> None:
        reason = self.check(url)
        if reason:
            raise UnsafeURL(reason)

    def _ip_allowed(self, ip) -> bool:
        return self.allow_private or any(ip in net for net in self.allowed_networks)

    def _addresses(self, host: str) -> list[str]:
        with self._lock:
            if host in self._cache:
                return self._cache[host]
        try:
            addrs = [str(ipaddress.ip_address(host))]  # IP literal: no DNS
        except ValueError:
            addrs = self._resolve(host)
        with self._lock:
            self._cache[host] = addrs
        return addrs


def _resolve(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos})

"""An httpx transport that connects only to the addresses the host policy checked (no DNS rebinding).

httpx would otherwise resolve the host name a second time when it opens the socket, and a hostile DNS server could
answer the policy check with a public address and the connect with 127.0.0.1 or 169.254.169.254. Here the socket
layer (httpcore's network backend) asks ``HostPolicy.connect_addresses`` for the vetted addresses and connects to
those IPs directly. Everything above the socket still uses the host name: the Host header comes from the URL, and
for https the TLS SNI name and certificate check use the URL's host (httpcore passes ``server_hostname`` from the
request origin, not from the socket address), so virtual hosting and certificate verification keep working.
"""
from __future__ import annotations

import httpcore
import httpx

from .safety import HostPolicy, UnsafeURL

REFUSED = "refused by host policy at connect: "  # prefix of the ConnectError message; HttpClient does not retry it


class PinnedBackend(httpcore.SyncBackend):
    """httpcore network backend: TCP connections only to the policy's checked addresses for the host."""

    def __init__(self, policy: HostPolicy):
        self.policy = policy

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options=None) -> httpcore.NetworkStream:
        try:
            addresses = self.policy.connect_addresses(host)
        except UnsafeURL as e:
            raise httpcore.ConnectError(REFUSED + str(e)) from None
        last: Exception | None = None
        for ip in addresses:  # like socket.create_connection: first address that answers
            try:
                # an IP literal: socket.create_connection does no DNS lookup for it
                return super().connect_tcp(ip.split("%")[0], port, timeout=timeout, local_address=local_address,
                                           socket_options=socket_options)
            except httpcore.ConnectError as e:
                last = e
        raise last or httpcore.ConnectError(f"no address to connect to for {host}")

    def connect_unix_socket(self, *args, **kwargs):  # pragma: no cover - never configured
        raise httpcore.ConnectError("unix sockets are not used by the crawler")


class PinnedTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` whose connection pool uses ``PinnedBackend``. No proxies (they would resolve)."""

    def __init__(self, policy: HostPolicy, verify=True, limits: httpx.Limits | None = None, http2: bool = False):
        limits = limits or httpx.Limits()
        super().__init__(verify=verify, trust_env=False, limits=limits, http2=http2)
        ssl_context = verify if hasattr(verify, "wrap_socket") else httpx.create_ssl_context(verify=verify,
                                                                                             trust_env=False)
        # Replace the pool httpx built with the same settings plus our network backend (public httpcore API).
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=http2,
            network_backend=PinnedBackend(policy),
        )
        self.policy = policy

"""The polite HTTP client every crawler request goes through.

- one descriptive User-Agent, connect/read timeouts;
- per-host politeness: a minimum interval between request starts (rate) and a cap on simultaneous requests;
- retries with exponential backoff on 429/5xx and transport errors, honouring Retry-After (capped);
- redirects followed by hand, at most ``max_redirects`` hops, each hop re-checked against the host policy
  (and robots.txt, via ``hop_check``) before it is requested;
- sockets opened only to the addresses the policy checked (``pinning.PinnedTransport``: no DNS rebinding);
- conditional GET (If-None-Match / If-Modified-Since) so unchanged bytes are not transferred again;
- bodies streamed with a size cap (Content-Length checked first, then the running total).
"""
from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Self
from urllib.parse import urljoin

import httpx

from .pinning import REFUSED, PinnedTransport
from .safety import HostPolicy, host_of
from .textcodec import retry_after_seconds

RETRY_STATUSES = {429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


@dataclass
class FetchResult:
    url: str  # as requested
    final_url: str = ""
    status_code: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    not_modified: bool = False
    error: str = ""  # set when no usable response: the reason
    redirects: list[str] = field(default_factory=list)
    attempts: int = 0
    refused: bool = False  # our own decision (host policy, robots, size cap) rather than a failure

    @property
    def ok(self) -> bool:
        return not self.error and (self.not_modified or 200 <= self.status_code < 300)


class HostThrottle:
    """Per-host minimum interval between request starts plus a concurrency cap. Thread-safe."""

    def __init__(self, rate: float, concurrency: int):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.concurrency = max(1, concurrency)
        self._lock = threading.Lock()
        self._next_start: dict[str, float] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._extra: dict[str, float] = {}  # per-host minimum interval asked for by robots.txt

    def set_min_interval(self, host: str, seconds: float) -> None:
        """robots.txt Crawl-delay may ask for more patience than our configured rate."""
        with self._lock:
            self._extra[host] = max(seconds, self._extra.get(host, 0.0))

    def _interval(self, host: str) -> float:
        return max(self.interval, self._extra.get(host, 0.0))

    def acquire(self, host: str) -> None:
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self.concurrency))
        slot.acquire()
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + self._interval(host)
        if start > now:
            time.sleep(start - now)

    def release(self, host: str) -> None:
        self._slots[host].release()


class TooLarge(Exception):
    pass


class DeadlineExceeded(Exception):
    pass


class HttpClient:
    def __init__(self, policy: HostPolicy, *, user_agent: str, timeout: float = 30.0, retries: int = 3,
                 backoff: float = 1.0, max_retry_after: float = 120.0, max_bytes: int = 100 << 20,
                 max_redirects: int = 5, rate: float = 1.0, concurrency: int = 2,
                 transport: httpx.BaseTransport | None = None, sleep: Callable[[float], None] = time.sleep,
                 download_deadline: float = 120.0):
        self.policy = policy
        self.download_deadline = download_deadline  # whole response, first byte to last (drip feeds)
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.throttle = HostThrottle(rate, concurrency)
        self._sleep = sleep
        self.bytes_received = 0  # document/page body bytes, for reporting
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Language": "zh-CN,zh;q=0.9"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,  # we follow by hand to re-check every hop
            trust_env=False,  # no proxy/netrc surprises from the environment
            transport=transport if transport is not None else PinnedTransport(policy),
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fetch(self, url: str, *, etag: str = "", last_modified: str = "", method: str = "GET",
              params: dict | None = None, data: dict | None = None, max_bytes: int | None = None,
              hop_check: Callable[[str], str | None] | None = None) -> FetchResult:
        """GET (or POST) ``url`` politely. Never raises for network trouble: the reason is in ``error``."""
        result = FetchResult(url=url, final_url=url)
        cap = max_bytes or self.max_bytes
        current = url
        for _hop in range(self.max_redirects + 1):
            reason = self.policy.check(current) or (hop_check(current) if hop_check else None)
            if reason:
                result.error = reason if current == url else f"redirect to {current} refused: {reason}"
                result.refused = True
                return result
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            self._request_with_retries(result, method, current, headers, params, data, cap)
            if result.error:
                return result
            if result.status_code in REDIRECT_STATUSES:
                location = result.headers.get("location", "")
                if not location:
                    result.error = f"HTTP {result.status_code} without Location"
                    return result
                current = urljoin(current, location.strip())
                result.redirects.append(current)
                result.final_url = current
                if result.status_code == 303 or (result.status_code in (301, 302) and method == "POST"):
                    method, data = "GET", None
                params = None  # the Location carries its own query
                continue
            if result.status_code == 304:
                result.not_modified = True
            elif not 200 <= result.status_code < 300:
                result.error = f"HTTP {result.status_code}"
            return result
        result.error = f"too many redirects (>{self.max_redirects})"
        return result

    def _request_with_retries(self, result: FetchResult, method: str, url: str, headers: dict,
                              params: dict | None, data: dict | None, cap: int) -> None:
        host = host_of(url)
        for attempt in range(self.retries + 1):
            result.attempts += 1
            delay = None
            self.throttle.acquire(host)
            try:
                result.error = ""
                started = time.monotonic()
                with self._client.stream(method, url, headers=headers, params=params, data=data) as resp:
                    result.status_code = resp.status_code
                    result.headers = {k.lower(): v for k, v in resp.headers.items()}
                    if resp.status_code in RETRY_STATUSES and attempt < self.retries:
                        delay = retry_after_seconds(resp.headers.get("retry-after"))
                        delay = self._backoff(attempt) if delay is None else min(delay, self.max_retry_after)
                    elif 200 <= resp.status_code < 300 and method in ("GET", "POST"):
                        result.content = self._read_capped(resp, cap, started)
                    elif resp.status_code in RETRY_STATUSES:
                        result.error = f"HTTP {resp.status_code} after {attempt + 1} attempts"
            except TooLarge as e:
                result.error = str(e)
                result.refused = True
                return
            except DeadlineExceeded as e:  # not retried: a drip feed would only drip again
                result.error = str(e)
                return
            except httpx.TimeoutException as e:
                result.error = f"timeout ({type(e).__name__})"
                delay = self._backoff(attempt) if attempt < self.retries else None
            except httpx.ConnectError as e:
                if str(e).startswith(REFUSED):  # the socket-level policy check said no: our decision, final
                    result.error = str(e)[len(REFUSED):]
                    result.refused = True
                    return
                result.error = f"network error ({type(e).__name__}: {e})"
                delay = self._backoff(attempt) if attempt < self.retries else None
            except httpx.TransportError as e:
                result.error = f"network error ({type(e).__name__}: {e})"
                delay = self._backoff(attempt) if attempt < self.retries else None
            finally:
                self.throttle.release(host)
            if delay is None:
                return
            self._sleep(delay)

    def _backoff(self, attempt: int) -> float:
        base = self.backoff * (2**attempt)
        return min(self.max_retry_after, base + random.uniform(0, base / 4))  # jitter: don't stampede

    def _read_capped(self, resp: httpx.Response, cap: int, started: float | None = None) -> bytes:
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise TooLarge(f"too large: Content-Length {int(declared)} bytes exceeds max_bytes {cap}")
        started = time.monotonic() if started is None else started
        chunks, total = [], 0
        for chunk in resp.iter_bytes():
            total += len(chunk)
            if total > cap:
                raise TooLarge(f"too large: body exceeds max_bytes {cap}")
            if time.monotonic() - started > self.download_deadline:
                raise DeadlineExceeded(f"download deadline of {self.download_deadline:g}s exceeded after {total} "
                                       f"bytes (download_deadline)")
            chunks.append(chunk)
        self.bytes_received += total
        return b"".join(chunks)

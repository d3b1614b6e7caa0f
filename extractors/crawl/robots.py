"""robots.txt, fetched through our own client (same UA, politeness and host policy), cached per host.

404/410 → everything allowed (the convention); 401/403 → everything disallowed (urllib.robotparser's rule);
other errors (5xx, timeouts) → disallow for this crawl, because a struggling server is no reason to be bolder.
"""
from __future__ import annotations

import re
import threading
import urllib.robotparser
from urllib.parse import urlsplit

from .http import HttpClient

ROBOTS_AGENT = "juesuan-crawler"
MAX_CRAWL_DELAY = 60.0


class RobotsCache:
    def __init__(self, client: HttpClient, agent: str = ROBOTS_AGENT):
        self.client = client
        self.agent = agent
        self._parsers: dict[str, urllib.robotparser.RobotFileParser | str] = {}
        self._lock = threading.Lock()

    def _origin(self, url: str) -> str:
        p = urlsplit(url)
        return f"{p.scheme}://{p.netloc}"

    def _load(self, origin: str) -> urllib.robotparser.RobotFileParser | str:
        res = self.client.fetch(f"{origin}/robots.txt", max_bytes=512 * 1024)
        parser = urllib.robotparser.RobotFileParser()
        text = ""
        if res.ok and not res.not_modified:
            text = res.content.decode("utf-8", errors="replace")
            parser.parse(text.splitlines())
        elif res.status_code in (404, 410) or (400 <= res.status_code < 500 and res.status_code not in (401, 403)):
            parser.allow_all = True
        elif res.status_code in (401, 403):
            parser.disallow_all = True
        else:
            return f"robots.txt unavailable ({res.error or res.status_code}); not crawling this host"
        delay = parser.crawl_delay(self.agent)
        if delay is None:  # robotparser only understands integers; "Crawl-delay: 0.5" is common
            m = re.search(r"(?im)^\s*crawl-delay\s*:\s*(\d+(?:\.\d+)?)", text)
            delay = float(m.group(1)) if m else None
        if delay:
            # capped: a 3600 s delay would stall the pipeline; the operator can lower rate_limit instead
            self.client.throttle.set_min_interval(urlsplit(origin).hostname or "", min(float(delay), MAX_CRAWL_DELAY))
        return parser

    def check(self, url: str) -> str | None:
        """None when allowed, else the reason."""
        origin = self._origin(url)
        with self._lock:
            parser = self._parsers.get(origin)
        if parser is None:
            parser = self._load(origin)
            with self._lock:
                self._parsers[origin] = parser
        if isinstance(parser, str):
            return parser
        if not parser.can_fetch(self.agent, url):
            return "disallowed by robots.txt"
        return None

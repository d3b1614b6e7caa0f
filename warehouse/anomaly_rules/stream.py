"""The document's running text as one string with a page for every offset, for the text and comparison rules.

Lines are joined without a separator (Chinese prose wraps mid-word and mid-number) after NFKC and with all
whitespace dropped, so a pattern matches the same way in a PDF's visual lines and a DOCX's paragraphs.
"""
from __future__ import annotations

import bisect
import unicodedata

import regex

from warehouse.anomaly_rules.base import DocContext

_WS = regex.compile(r"\s+")
AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def norm(text: str | None) -> str:
    s = unicodedata.normalize("NFKC", text or "")
    s = s.replace("(", "（").replace(")", "）").replace(":", "：").replace(";", "；")
    return _WS.sub("", s)


def to_float(token: str) -> float:
    return float(token.replace(",", ""))


class Stream:
    def __init__(self, lines: list[dict]):
        parts, self.starts, self.pages, self.line_texts = [], [], [], []
        pos = 0
        for ln in lines:
            t = norm(ln.get("text"))
            if not t:
                continue
            page = ln.get("page")
            self.starts.append(pos)
            self.pages.append(int(page) if page is not None and page == page else None)
            self.line_texts.append(t)
            parts.append(t)
            pos += len(t)
        self.text = "".join(parts)

    def page_at(self, offset: int) -> int | None:
        if not self.starts:
            return None
        return self.pages[max(0, bisect.bisect_right(self.starts, offset) - 1)]

    def snippet(self, start: int, end: int, before: int = 60, after: int = 20) -> str:
        """The sentence around a match (cut at 。；), for the finding's evidence."""
        lo = max(0, start - before)
        cut = max(self.text.rfind("。", lo, start), self.text.rfind("；", lo, start))
        lo = cut + 1 if cut >= 0 else lo
        hi = min(len(self.text), end + after)
        stop = self.text.find("。", end, hi)
        return self.text[lo:(stop + 1 if stop >= 0 else hi)]


def stream_of(ctx: DocContext) -> Stream:
    if "stream" not in ctx.cache:
        ctx.cache["stream"] = Stream(ctx.lines)
    return ctx.cache["stream"]

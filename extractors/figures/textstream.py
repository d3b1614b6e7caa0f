"""The narrative as one searchable string with provenance back to lines (page, bbox, raw text).

Lines are joined without a separator (Chinese prose wraps mid-sentence, and numbers broken across lines
must be rejoined); all whitespace is dropped except a single space between two digits inside one line.
``locate(start, end)`` maps a match span back to the page and the union bbox of the lines it covers.
"""
from __future__ import annotations

import bisect
import unicodedata

import regex

from schemas.document import Document

_WS_DIGITS = regex.compile(r"(?<=\d)[ \t\u3000\u00a0]+(?=\d)")
_WS = regex.compile(r"[ \t\u3000\u00a0\r\n\u200b\ufeff]+")
# a page-number line ("-9-", "— 12 —", "第3页", "第3页 共20页"): dropped, or it splits the sentence it interrupts
# ("单价100万元-9-以上设备16台")
_PAGE_NUMBER = regex.compile(r"^(?:[-—－–─]+\s*\d{1,4}\s*[-—－–─]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
                             r"|\d{1,4}\s*/\s*\d{1,4})$")


_BARE_NUMBER = regex.compile(r"^\d{1,4}$")


def _folios(lines) -> set[int]:
    """Indices of bare page numbers ("3" at the foot of the page): a lone integer that is the first or last line
    of its page, at the same offset from the page index on at least two pages. Left in, it is glued to the
    number that starts the next page ("增加" | "3" | "7,331.92万元" read as 37,331.92)."""
    by_page: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        if clean(ln.text):
            by_page.setdefault(ln.page, []).append(i)
    offsets: dict[int, list[int]] = {}
    for page, idx in by_page.items():
        for i in {idx[0], idx[-1]}:
            t = clean(lines[i].text)
            if _BARE_NUMBER.match(t):
                offsets.setdefault(page - int(t), []).append(i)
    return {i for found in offsets.values() if len(found) >= 2 for i in found}


def clean(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    s = s.replace("(", "（").replace(")", "）").replace(":", "：").replace(";", "；")
    s = s.replace("﹪", "%").replace("％", "%")
    s = _WS_DIGITS.sub(" ", s)
    # drop every other whitespace; keep a single space only between digits
    out = []
    for part in regex.split(r"( (?=\d))", s):
        out.append(part)
    s = "".join(out)
    return _WS.sub(lambda m: " " if _between_digits(m, s) else "", s)


def _between_digits(m, s: str) -> bool:
    a, b = m.start(), m.end()
    return a > 0 and b < len(s) and s[a - 1].isdigit() and s[b].isdigit() and m.group(0) == " "


class TextStream:
    def __init__(self, doc: Document):
        parts: list[str] = []
        self.starts: list[int] = []
        self.lines = []
        pos = 0
        folios = _folios(doc.lines)
        for i, ln in enumerate(doc.lines):
            t = clean(ln.text)
            if not t or _PAGE_NUMBER.match(t) or i in folios:
                continue
            self.starts.append(pos)
            self.lines.append(ln)
            parts.append(t)
            pos += len(t)
        self.text = "".join(parts)

    def _idx(self, off: int) -> int:
        return max(0, bisect.bisect_right(self.starts, off) - 1)

    def locate(self, start: int, end: int) -> tuple[int, tuple | None]:
        """Page of the match start and the union bbox of the lines on that page covered by [start, end)."""
        if not self.lines:
            return 1, None
        i, j = self._idx(start), self._idx(max(start, end - 1))
        page = self.lines[i].page
        boxes = [ln.bbox for ln in self.lines[i:j + 1] if ln.page == page and ln.bbox]
        if not boxes:
            return page, None
        return page, (round(min(b[0] for b in boxes), 1), round(min(b[1] for b in boxes), 1),
                      round(max(b[2] for b in boxes), 1), round(max(b[3] for b in boxes), 1))

    def page_of(self, off: int) -> int:
        return self.lines[self._idx(off)].page if self.lines else 1

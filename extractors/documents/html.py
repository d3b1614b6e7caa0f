"""HTML article pages and plain text: lines and tables in document order, whatever the charset.

Government CMS pages are GBK/GB18030 as often as UTF-8; the declared charset is trusted first (GBK is widened
to GB18030, its superset), then charset-normalizer guesses. A short page that says 404/访问出错 is an error page
served in place of the document (often under a .pdf name) and is reported as such, not read as a disclosure.
"""
from __future__ import annotations

from pathlib import Path

import regex
from charset_normalizer import from_bytes
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from extractors.documents.layout import absorb_caption_rows, attach_captions, finish_tables
from extractors.documents.limits import Limits, ReadBudget
from extractors.documents.text import normalize_text
from schemas.document import Cell, Document, DocumentError, Line, Page, Table

_META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", regex.I)
_ERROR_WORDS = regex.compile(r"404|403|500|502|not\s*found|forbidden|error|错误|出错|不存在|已删除|无法访问|访问受限")
_MARK = "\u2063T{}\u2063"


def decode(data: bytes) -> tuple[str, str]:
    m = _META_CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "ignore").lower() if m else None
    if declared in ("gbk", "gb2312", "gb_2312-80", "x-gbk"):
        declared = "gb18030"
    for enc in filter(None, [declared, "utf-8"]):
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            continue
    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("gb18030", errors="replace"), "gb18030"


def _html_table(node, page: int, budget: ReadBudget | None = None, seq: int = 0) -> Table:
    cells, taken, n_cols = [], set(), 0
    rows = [tr for tr in node.css("tr")]
    for r, tr in enumerate(rows):
        if budget is not None and r % 512 == 0:
            budget.tick(f"table {seq + 1} row {r + 1}")
        c = 0
        for td in tr.iter():
            if td.tag not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            rs = max(1, int(regex.sub(r"\D", "", td.attributes.get("rowspan") or "1") or 1))
            cs = max(1, int(regex.sub(r"\D", "", td.attributes.get("colspan") or "1") or 1))
            rs, cs = min(rs, len(rows) - r), min(cs, 200)
            if budget is not None:  # a span covers rs × cs grid cells (a hostile rowspan costs as much)
                budget.add_cells(rs * cs, f"table {seq + 1} row {r + 1}")
            raw = td.text(separator=" ").strip()
            cells.append(Cell(row=r, col=c, text=normalize_text(raw), raw=raw, rowspan=rs, colspan=cs, page=page))
            taken.update((r + i, c + j) for i in range(rs) for j in range(cs))
            c += cs
        n_cols = max(n_cols, c)
    return Table(page=page, pages=[page], n_rows=len(rows), n_cols=n_cols, cells=cells)


def read_html(path: Path, data: bytes, sha256: str, limits: Limits | None = None) -> Document:
    budget = ReadBudget(path, limits)
    text, enc = decode(data)
    tree = HTMLParser(text)
    for bad in tree.css("script, style, noscript"):
        bad.decompose()
    title = (tree.css_first("title").text(strip=True) if tree.css_first("title") else "")
    body = tree.body or tree.root
    visible = normalize_text(body.text(separator=" ")) if body else ""
    if len(visible) < 400 and (_ERROR_WORDS.search(title.lower()) or _ERROR_WORDS.search(visible[:200].lower())):
        raise DocumentError(str(path), f"HTML error page, not a disclosure (title {title[:60]!r})")
    doc = Document(path=str(path), sha256=sha256, format="html", pages=[Page(number=1)],
                   metadata={"charset": enc, "title": title})
    tables = []
    for node in body.css("table") if body else []:
        if any(p.tag == "table" for p in _ancestors(node)):
            continue  # nested tables are read as part of their outer table
        tables.append(_html_table(node, 1, budget, len(tables)))
        node.replace_with(_MARK.format(len(tables) - 1))
    recent: list[str] = []
    raw_tables = []
    seq = 0
    for raw in (body.text(separator="\n") if body else "").split("\n"):
        for part in regex.split(r"(\u2063T\d+\u2063)", raw):
            m = regex.fullmatch(r"\u2063T(\d+)\u2063", part)
            if m:
                t = tables[int(m.group(1))]
                t.seq = seq
                attach_captions(t, recent + absorb_caption_rows(t))
                raw_tables.append(t)
                recent = []
            else:
                line = normalize_text(part)
                if not line:
                    continue
                doc.lines.append(Line(page=1, text=line, raw=part.strip(), seq=seq))
                recent = (recent + [line])[-6:]
            seq += 1
    doc.tables = finish_tables(raw_tables)
    doc.metadata["images"] = len(tree.css("img"))
    doc.pages[0].n_chars = sum(len(ln.text) for ln in doc.lines)
    return doc


def _ancestors(node):
    p = node.parent
    while p is not None:
        yield p
        p = p.parent


def read_text(path: Path, data: bytes, sha256: str) -> Document:
    best = from_bytes(data[:2_000_000]).best()
    text = str(best) if best is not None else data.decode("gb18030", errors="replace")
    doc = Document(path=str(path), sha256=sha256, format="txt", pages=[Page(number=1)],
                   metadata={"charset": best.encoding if best else "gb18030"})
    for raw in text.splitlines():
        line = normalize_text(raw)
        if line:
            doc.lines.append(Line(page=1, text=line, raw=raw, seq=len(doc.lines)))
    doc.pages[0].n_chars = sum(len(ln.text) for ln in doc.lines)
    return doc

"""Reading portal pages: anchors, pagination, attachments and the standard government meta tags.

Pages are parsed, never run: ``createPageHTML(2, 0, "index", "html")`` and ``Math.ceil(29/20)`` in inline
scripts are read as data with regular expressions to learn how many ``index_N.html`` pages a TRS column has.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from posixpath import basename, dirname
from urllib.parse import unquote, urldefrag, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_TRS_URL_DATE = re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_\d+")
_PUBLISHED_NEAR = re.compile(r"发布(?:日期|时间)[^0-9]{0,120}?((?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2})", re.DOTALL)
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*([A-Za-z_$][\w$]*|\d+)\s*,\s*[^,]+,\s*[\"'](\w+)[\"']\s*,\s*[\"'](\w+)[\"']\s*\)")
_CEIL = re.compile(r"Math\.ceil\(\s*(\d+)\s*/\s*(\d+)\s*\)")
_COUNT_VAR = re.compile(r"(?:countPage|pageCount|totalPage|page_count)\s*[=:]\s*(\d+)\s*[;,}]")
_PAGINATION_NAME = re.compile(r"^(?:index|column-index|list)[_-](\d+)\.s?html?$", re.IGNORECASE)

META_TITLE = ("articletitle", "title", "og:title")
META_DATE = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time")
META_COLUMN = ("columnname",)
META_SOURCE = ("contentsource", "author")


@dataclass
class Link:
    url: str
    text: str
    date: str = ""  # the date printed beside the link on a list page ("" when none)


@dataclass
class PageInfo:
    url: str
    title: str = ""
    publish_date: str = ""
    column: str = ""
    content_source: str = ""
    links: list[Link] = field(default_factory=list)
    page_count: int | None = None  # from the pagination script, when present
    pagination: list[str] = field(default_factory=list)  # other pages of the same list


def normalise_date(text: str) -> str:
    m = _DATE.search(text or "")
    if not m:
        return ""
    y, mo, d = (int(x) for x in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}"


def date_from_url(url: str) -> str:
    """TRS detail URLs carry the publication date: …/202509/t20250929_12011707.html → 2025-09-29."""
    m = _TRS_URL_DATE.search(url)
    return normalise_date("-".join(m.groups())) if m else ""


def clean_url(url: str) -> str:
    url, _frag = urldefrag(url.strip())
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        # host case and an empty path are not meaningful; keep the rest byte-for-byte (tokens are opaque)
        url = urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))
    return url


def _meta(tree: LexborHTMLParser, names: tuple[str, ...]) -> str:
    found: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("name") or attrs.get("property") or "").strip().lower()
        if key in names and key not in found:
            found[key] = (attrs.get("content") or "").strip()
    for n in names:
        if found.get(n):
            return found[n]
    return ""


def _page_title(tree: LexborHTMLParser) -> str:
    title = _meta(tree, META_TITLE)
    if title:
        return title
    node = tree.css_first("title")
    text = node.text(strip=True) if node else ""
    # "<article> - <site>" / "<article>_<site>": the article comes first
    return re.split(r"\s*(?:-|_|\||｜|—)\s*", text, maxsplit=1)[0].strip() if text else ""


def parse_page(html: str, base_url: str) -> PageInfo:
    tree = LexborHTMLParser(html)
    base = tree.css_first("base")
    if base is not None and base.attributes.get("href"):
        base_url = urljoin(base_url, base.attributes["href"].strip())
    info = PageInfo(url=base_url, title=_page_title(tree), column=_meta(tree, META_COLUMN),
                    content_source=_meta(tree, META_SOURCE))
    info.publish_date = normalise_date(_meta(tree, META_DATE))
    if not info.publish_date:
        m = _PUBLISHED_NEAR.search(html)
        info.publish_date = normalise_date(m.group(1)) if m else ""
    seen: set[tuple[str, str]] = set()
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = clean_url(urljoin(base_url, href))
        text = re.sub(r"\s+", " ", a.text(deep=True, separator=" ")).strip() or (a.attributes.get("title") or "")
        if (url, text) in seen:  # same URL under another text is kept: gkmlpt menus differ only by #fragment
            continue
        seen.add((url, text))
        parent = a.parent
        near = parent.text(separator=" ") if parent is not None else ""
        date = normalise_date(near) if len(near) < 200 else ""
        info.links.append(Link(url=url, text=text.strip(), date=date))
    scripts = "\n".join(s.text() for s in tree.css("script"))
    info.page_count, info.pagination = _pagination(scripts, base_url, info.links)
    return info


def _pagination(scripts: str, base_url: str, links: list[Link]) -> tuple[int | None, list[str]]:
    count, name, ext = None, "index", "html"
    m = _CREATE_PAGE.search(scripts)
    if m:
        name, ext = m.group(2), m.group(3)
        if m.group(1).isdigit():
            count = int(m.group(1))
        elif c := _CEIL.search(scripts):  # Foshan: page_count = Math.ceil(29/20)
            count = math.ceil(int(c.group(1)) / max(1, int(c.group(2))))
        elif c := _COUNT_VAR.search(scripts):
            count = int(c.group(1))
    directory = dirname(urlsplit(base_url).path) + "/"
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    pages: list[str] = []
    if count and count > 1:
        pages += [f"{origin}{directory}{name}.{ext}"] + [f"{origin}{directory}{name}_{i}.{ext}" for i in range(1, count)]
    for link in links:  # explicit "下一页"/numbered anchors of the same column
        p = urlsplit(link.url)
        if p.netloc == urlsplit(base_url).netloc and dirname(p.path) + "/" == directory and \
                _PAGINATION_NAME.match(basename(p.path)):
            pages.append(link.url)
    own = clean_url(base_url)
    out = []
    for u in pages:
        u = clean_url(u)
        if u != own and u not in out:
            out.append(u)
    return count, out


def link_extension(url: str) -> str:
    path = unquote(urlsplit(url).path)
    dot = path.rfind(".")
    return path[dot:].lower() if dot > path.rfind("/") else ""


# Download endpoints: TRS /module/download/downfile.jsp?classid=0&filename=NNN.pdf, download.do?iid=…,
# getFile.action?id=…, fileDownload.aspx?… — the path names no file, the query (or only Content-Disposition) does.
# (a folder of that name counts too: /fileserver/download/20250929/ab12, /front/attachment/download?attachmentId=)
_DOWNLOAD_PATH = re.compile(r"/module/download/|(?:down_?file|download|down_?load|get_?file|file_?down|attach(?:ment)?_?down"
                            r"|downattach|fujian)[^/]*$|/(?:down_?load|attach(?:ment)?s?|fujian)/", re.IGNORECASE)
_QUERY_FILE = re.compile(r"(?:^|&)[\w.]*=([^&]*?\.(?:pdf|docx?|xlsx?|wps|et|zip|rar|ofd))(?:&|$)", re.IGNORECASE)
# a parameter naming the file by id, name or path: id=, iid=, i_ID= (TRS down.jsp), fileId=, attachmentId=, uuid=
# (not the column, channel, site or page a list is of: colid=, columnid=, channelId=, pageId=)
_QUERY_ID = re.compile(r"(?:^|&)(?!(?:col|column|channel|site|page|cat|node|web|unit|org)_?\w*=)[\w.]*?"
                       r"(?:id|name|file|path|guid|uuid)=[^&]+", re.IGNORECASE)
# link texts that say 'this is the file': 下载/附件, or the document's own file name ('…部门决算.pdf')
DOWNLOAD_TEXT = re.compile(r"下载|附件|点击查看|原文|\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar)\s*$", re.IGNORECASE)


def download_query_name(url: str) -> str:
    """The file a download endpoint's query names ('…downfile.jsp?classid=0&filename=1612.pdf' → '1612.pdf')."""
    m = _QUERY_FILE.search(urlsplit(url).query)
    return basename(unquote(m.group(1)).replace("\\", "/")) if m else ""


def is_download_link(url: str, text: str = "") -> bool:
    """A download endpoint whose query names a file, or whose link text says 下载/附件."""
    parts = urlsplit(url)
    if link_extension(url) in (".html", ".htm", ".shtml"):
        return False
    if _QUERY_FILE.search(parts.query) and (_DOWNLOAD_PATH.search(parts.path) or link_extension(url) in
                                            (".jsp", ".do", ".action", ".aspx", ".asp", ".php", "")):
        return True
    return bool(_DOWNLOAD_PATH.search(parts.path) and (_QUERY_ID.search(parts.query) or DOWNLOAD_TEXT.search(text or "")))


def is_attachment(url: str, extensions: list[str], pattern: str = "", text: str = "") -> bool:
    if pattern and re.search(pattern, url):
        return True
    return link_extension(url) in extensions or is_download_link(url, text)


def is_detail(url: str, pattern: str) -> bool:
    return bool(pattern) and re.search(pattern, urlsplit(url).path) is not None


def filename_from_url(url: str) -> str:
    return unquote(basename(urlsplit(url).path))

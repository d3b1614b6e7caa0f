"""The crawler's use of the disclosure classifier: before a download (titles), after it (first pages), and for
article pages that might be the disclosure themselves.

Only strong title phrases stop a download (决议, 通知, 会议, 执行情况的报告, 绩效评价, 市级决算 …); everything else
is fetched and judged by its text, which outranks the title. Each skip carries the classifier's reason.
"""
from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from ..classify import NON_DISCLOSURES, Verdict, classify, page_holds_disclosure, title_label

# link texts that say "this is the file" but not which one: the article's title names it instead
# ('附件1' is kept: it tells one attachment of the article from another)
GENERIC_LINK_TEXT = re.compile(r"^(?:点击|请)?(?:下载|查看|浏览|打开)?(?:附件|原文|全文|文件|正文|pdf|PDF)?\s*(?:下载|查看)?\s*[:：]?\s*$")
# the content containers of the CMSes we have seen (TRS, gkmlpt, 政务公开 platforms), most specific first
_CONTENT = (".TRS_Editor", ".trs_editor_view", "#zoom", ".zoom", ".article-content", ".article_content",
            "#UCAP-CONTENT", ".pages_content", ".view", ".content", "#content", "article", ".main")


_BARE_FILE_NAME = re.compile(r"^[\w.\-]+\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar)$", re.IGNORECASE | re.ASCII)


def is_generic(text: str) -> bool:
    """'点击下载附件', '下载', or a bare stored name ('P020250922000011.pdf'): nothing about which document."""
    t = (text or "").strip()
    return bool(GENERIC_LINK_TEXT.match(t) or _BARE_FILE_NAME.match(t))


def prefetch_reason(*titles: str) -> str | None:
    """Why a candidate is not worth downloading, from its own title or link text; None = fetch it."""
    for t in titles:
        if not t or is_generic(t):
            continue
        hit = title_label(t)
        if hit and hit[0] in NON_DISCLOSURES and hit[0] != "template":
            v = Verdict(hit[0], f"title says “{hit[1]}”")
            return f"not a disclosure: {v.describe()}"
        if hit:
            return None  # the first informative title decides
    return None


def page_body(html: str) -> tuple[str, int]:
    """(text of the article body, number of tables holding figures in it)."""
    tree = LexborHTMLParser(html)
    for sel in ("script", "style", "noscript", "header", "footer", "nav"):
        for node in tree.css(sel):
            node.decompose()
    body = None
    for sel in _CONTENT:
        body = tree.css_first(sel)
        if body is not None and len(body.text(strip=True)) > 20:
            break
        body = None
    body = body or tree.body or tree.root
    if body is None:
        return "", 0
    tables = sum(1 for t in body.css("table") if len(re.findall(r"\d+\.\d{2}", t.text())) >= 4)
    return body.text(separator="\n"), tables


def judge_page(html: str, title: str, link_text: str = "") -> tuple[Verdict | None, str]:
    """(verdict, reason) for an article page offered as the document itself; verdict None = not a document."""
    text, n_tables = page_body(html)
    holds, why = page_holds_disclosure(text, n_tables)
    if not holds:
        return None, f"article page is not itself a disclosure: {why}"
    v = classify(title, link_text, text)
    if not v.is_disclosure:
        return None, f"not a disclosure: {v.describe()}"
    return v, why

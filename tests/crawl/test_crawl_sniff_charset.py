"""Magic-byte sniffing, charset detection, Content-Disposition (RFC 5987) and Retry-After parsing."""
from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import pytest
from crawl_portal_fixture import make_pdf

from extractors.crawl.sniff import OLE2_MAGIC, check_document, sniff
from extractors.crawl.textcodec import content_disposition_filename, decode_html, retry_after_seconds


def ooxml(top: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{top}/document.xml", "<x/>")
    return buf.getvalue()


def test_sniff_kinds():
    assert sniff(make_pdf("x")) == "pdf"
    assert sniff(b"\r\n%PDF-1.7 ...") == "pdf"
    assert sniff(ooxml("word")) == "docx"
    assert sniff(ooxml("xl")) == "xlsx"
    assert sniff(OLE2_MAGIC + b"\0" * 100) == "ole2"
    assert sniff(b"\xef\xbb\xbf<!DOCTYPE html><html>") == "html"
    assert sniff(b"  <html><body>%PDF-1.4 mentioned</body></html>") == "html"
    assert sniff(b"") == "empty"


def test_html_served_as_pdf_is_rejected_with_a_reason():
    page = "<!DOCTYPE html><html><head><title>重庆市发改委2026年预算公开</title></head></html>".encode()
    kind, reason = check_document(page, "https://fzggw.cq.gov.cn/x/2026预算.pdf")
    assert kind == "html" and reason == "HTML page served as .pdf (not a document)"
    # Content-Disposition name beats the URL: download.do?iid=1 announced as .xlsx but is a PDF
    assert check_document(make_pdf("x"), "http://h/download.do?iid=1", "表.xlsx")[1] == "content is pdf, not what .xlsx promises"
    assert check_document(make_pdf("x"), "http://h/download.do?iid=1")[1] is None
    assert "HTML page where a document" in check_document(page, "http://h/download.do?iid=1")[1]
    assert check_document(page, "http://h/t2024_1.html", accept_html=True)[1] is None
    assert check_document(OLE2_MAGIC + b"\0" * 64, "http://h/a.doc")[1] is None
    assert check_document(ooxml("word"), "http://h/a.doc")[1] is None  # .doc that is really .docx
    assert check_document(b"", "http://h/a.pdf")[1] == "empty response body"


GBK_PAGE = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
            "<title>2023年度市教育局部门决算</title></head><body>局长王喆。一般公共预算财政拨款支出。</body></html>")


def test_charset_header_then_meta_then_detection():
    raw = GBK_PAGE.encode("gb18030")
    text, enc = decode_html(raw, "text/html; charset=GBK")
    assert "王喆" in text and enc == "gb18030"
    text, enc = decode_html(raw, "text/html")  # meta says gb2312; 喆 is GBK-only: decoded as GB18030
    assert "王喆" in text and enc == "gb18030"
    # no label at all: charset-normalizer
    body = ("关于2023年度部门决算的说明。本部门收入总计与支出总计相等，一般公共预算财政拨款支出主要用于"
            "保障机构正常运转和完成专项工作任务。" * 6).encode("gb18030")
    text, _enc = decode_html(b"<html><body>" + body + b"</body></html>", None)
    assert "一般公共预算财政拨款支出" in text
    # a lying header: utf-8 declared, GBK bytes — falls through instead of mojibake
    text, enc = decode_html(raw, "text/html; charset=utf-8")
    assert "王喆" in text
    assert decode_html("<meta charset='utf-8'>预算".encode(), None) == ("<meta charset='utf-8'>预算", "utf-8")


@pytest.mark.parametrize("header, expected", [
    ("attachment; filename*=UTF-8''" + quote("2024年度部门决算.pdf"), "2024年度部门决算.pdf"),
    ('attachment; filename="fallback.pdf"; filename*=utf-8\'zh\'' + quote("部门预算.pdf"), "部门预算.pdf"),
    ("attachment; filename*=GBK''" + quote("部门决算.xls", encoding="gbk"), "部门决算.xls"),
    ('attachment; filename="plain.pdf"', "plain.pdf"),
    ("attachment; filename=token.docx", "token.docx"),
    ('attachment; filename="' + quote("预算.pdf") + '"', "预算.pdf"),  # percent-encoded plain filename
    ('attachment; filename="' + "决算.pdf".encode().decode("latin-1") + '"', "决算.pdf"),  # raw UTF-8
    ('attachment; filename="' + "决算.pdf".encode("gbk").decode("latin-1") + '"', "决算.pdf"),  # raw GBK
    ('attachment; filename="../../etc/passwd"', "passwd"),
    ('attachment; filename="..\\\\..\\\\boot.ini"', "boot.ini"),
    ("inline", ""),
    (None, ""),
])
def test_content_disposition(header, expected):
    assert content_disposition_filename(header) == expected


def test_retry_after():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None

"""Hostile and broken input: a clear DocumentError naming the file and problem, within bounded time."""
import time
import zipfile

import pytest

from extractors.documents import read_document
from extractors.documents.limits import Limits
from schemas.document import DocumentError


def expect_error(path, words, limits=None, seconds=20):
    start = time.monotonic()
    with pytest.raises(DocumentError) as err:
        read_document(path, limits=limits)
    assert time.monotonic() - start < seconds
    msg = str(err.value)
    assert str(path) in msg and any(w in msg for w in words), msg
    return msg


def test_empty_file(tmp_path):
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    expect_error(p, ["empty"])


def _small_pdf(tmp_path, **kw):
    from reportlab.pdfgen import canvas

    p = tmp_path / "ok.pdf"
    c = canvas.Canvas(str(p), **kw)
    c.drawString(100, 700, "hello")
    c.showPage()
    c.save()
    return p


def test_truncated_pdf(tmp_path):
    data = _small_pdf(tmp_path).read_bytes()
    p = tmp_path / "trunc.pdf"
    p.write_bytes(data[: len(data) // 3])
    expect_error(p, ["corrupt", "truncated", "not a readable"])


def test_garbage_after_pdf_magic(tmp_path):
    p = tmp_path / "junk.pdf"
    p.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 50)
    expect_error(p, ["corrupt", "truncated", "not a readable"])


def test_encrypted_pdf(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    p = tmp_path / "enc.pdf"
    c = canvas.Canvas(str(p), encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(100, 700, "hello")
    c.showPage()
    c.save()
    expect_error(p, ["encrypted", "password"])


def test_two_thousand_page_pdf_refused_quickly(tmp_path):
    from reportlab.pdfgen import canvas

    p = tmp_path / "huge.pdf"
    c = canvas.Canvas(str(p))
    for _ in range(2000):
        c.showPage()
    c.save()
    expect_error(p, ["2000 pages"], seconds=15)


def test_zip_bomb_docx(tmp_path):
    p = tmp_path / "bomb.docx"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<" + b"a" * (400 * 1024 * 1024) + b">")
    expect_error(p, ["zip bomb"], limits=Limits(), seconds=60)


def test_html_error_page_named_pdf(tmp_path):
    p = tmp_path / "report.pdf"
    p.write_bytes("<html><head><title>404 Not Found</title></head><body><h1>页面不存在</h1></body></html>"
                  .encode())
    expect_error(p, ["error page"])


def test_unknown_binary(tmp_path):
    p = tmp_path / "x.pdf"
    p.write_bytes(b"\x00\x01\x02\x03" * 100)
    expect_error(p, ["unrecognised"])


def test_next_document_still_reads_after_failures(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(DocumentError):
        read_document(bad)
    assert read_document(_small_pdf(tmp_path)).pages[0].number == 1

"""Scanned pages yield tables: ruled tables are recovered from the page image, OCR'd, captioned and identified.

Each test draws a ruled disclosure table with reportlab, rasterises it to an image-only PDF (what a scanner
produces) and compares what ``read_document`` recovers with the table as drawn.
"""
import time

import pytest

from extractors.documents import read_document
from tests.documents.conftest import need_tesseract

PAGE_H = 842
T01_BODY = [("一般公共预算财政拨款收入", "1,506.37", "一般公共服务支出", "826.15"),
            ("政府性基金预算财政拨款收入", "238.40", "公共安全支出", "512.08"),
            ("事业收入", "96.52", "社会保障和就业支出", "301.66"),
            ("其他收入", "12.90", "卫生健康支出", "214.30"),
            ("本年收入合计", "1,854.19", "本年支出合计", "1,854.19")]
T05_BODY = [("201", "一般公共服务支出", "2,345.67", "1,980.12", "365.55"),
            ("20101", "人大事务", "412.30", "400.00", "12.30"),
            ("2010101", "行政运行", "400.00", "400.00", ""),
            ("208", "社会保障和就业支出", "618.45", "601.20", "17.25"),
            ("20805", "行政事业单位养老支出", "601.20", "601.20", ""),
            ("", "合计", "2,964.12", "2,581.32", "382.80")]


def _canvas(path):
    from reportlab.pdfgen import canvas

    return canvas.Canvas(str(path), pagesize=(595, PAGE_H))


def _text(c, font, x, top, s, size=10, align="left"):
    from reportlab.pdfbase import pdfmetrics

    w = pdfmetrics.stringWidth(s, font, size)
    x = {"left": x, "centre": x - w / 2, "right": x - w}[align]
    c.setFont(font, size)
    c.drawString(x, PAGE_H - top, s)


def _rules(c, xs, ys, skip_v=()):
    """Grid lines; ``skip_v`` lists (col boundary index, row index) pairs where a vertical rule is missing."""
    c.setLineWidth(0.8)
    for y in ys:
        c.line(xs[0], PAGE_H - y, xs[-1], PAGE_H - y)
    for k, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if (k, r) not in skip_v:
                c.line(x, PAGE_H - ys[r], x, PAGE_H - ys[r + 1])


def _skip_h_segment(c, x0, x1, y):
    """Paint over a horizontal rule segment (a cell merged across rows)."""
    c.setStrokeColorRGB(1, 1, 1)
    c.setLineWidth(2.4)
    c.line(x0 + 0.8, PAGE_H - y, x1 - 0.8, PAGE_H - y)
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(0.8)


def make_t01(path, font):
    """收入支出决算总表: 收入|支出 merged over 项目/金额, five body rows."""
    c = _canvas(path)
    _text(c, font, 297, 70, "收入支出决算总表", size=18, align="centre")
    _text(c, font, 60, 100, "编制单位：测试局")
    _text(c, font, 535, 100, "单位：万元", align="right")
    xs, ys = [60, 210, 290, 450, 535], [110 + 24 * r for r in range(3 + len(T01_BODY))]
    _rules(c, xs, ys, skip_v={(1, 0), (3, 0)})
    _text(c, font, (xs[0] + xs[2]) / 2, ys[0] + 16, "收入", align="centre")
    _text(c, font, (xs[2] + xs[4]) / 2, ys[0] + 16, "支出", align="centre")
    for k, s in enumerate(["项目", "金额", "项目", "金额"]):
        _text(c, font, (xs[k] + xs[k + 1]) / 2, ys[1] + 16, s, align="centre")
    for r, row in enumerate(T01_BODY):
        for k, s in enumerate(row):
            if k % 2:
                _text(c, font, xs[k + 1] - 4, ys[r + 2] + 16, s, align="right")
            else:
                _text(c, font, xs[k] + 4, ys[r + 2] + 16, s)
    c.showPage()
    c.save()


def make_t05(path, font):
    """一般公共预算财政拨款支出决算表: 科目编码/科目名称 span two header rows, 本年支出 spans three columns."""
    c = _canvas(path)
    _text(c, font, 297, 70, "一般公共预算财政拨款支出决算表", size=16, align="centre")
    _text(c, font, 535, 100, "单位：万元", align="right")
    xs, ys = [50, 110, 250, 345, 440, 535], [110 + 24 * r for r in range(3 + len(T05_BODY))]
    _rules(c, xs, ys, skip_v={(3, 0), (4, 0)})
    for k in (0, 1):
        _skip_h_segment(c, xs[k], xs[k + 1], ys[1])
    _text(c, font, (xs[0] + xs[1]) / 2, ys[0] + 28, "科目编码", align="centre")
    _text(c, font, (xs[1] + xs[2]) / 2, ys[0] + 28, "科目名称", align="centre")
    _text(c, font, (xs[2] + xs[5]) / 2, ys[0] + 16, "本年支出", align="centre")
    for k, s in enumerate(["合计", "基本支出", "项目支出"]):
        _text(c, font, (xs[k + 2] + xs[k + 3]) / 2, ys[1] + 16, s, align="centre")
    for r, row in enumerate(T05_BODY):
        for k, s in enumerate(row):
            if k >= 2:
                _text(c, font, xs[k + 1] - 4, ys[r + 2] + 16, s, align="right")
            elif s:
                _text(c, font, xs[k] + 4, ys[r + 2] + 16, s)
    c.showPage()
    c.save()


def to_scan(src, dst, dpi=150, skew=0.0, noise=0.0):
    """Rasterise every page and write a PDF holding only the images: no text layer, no vector rules.
    ``skew`` (degrees) and ``noise`` (grey-level sigma) imitate a real scanner."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    from reportlab.lib.utils import ImageReader

    pdf = pdfium.PdfDocument(str(src))
    c = _canvas(dst)
    for i in range(len(pdf)):
        img = pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        if skew or noise:
            img = img.rotate(skew, resample=Image.BILINEAR, fillcolor=255).filter(ImageFilter.GaussianBlur(0.6))
            a = np.asarray(img).astype(float) + np.random.default_rng(0).normal(0, noise, img.size[::-1])
            img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        c.drawImage(ImageReader(img), 0, 0, 595, PAGE_H)
        c.showPage()
    c.save()
    pdf.close()


def _scan_of(maker, tmp_path, font, **scan):
    vec, path = tmp_path / "vector.pdf", tmp_path / "scan.pdf"
    maker(vec, font)
    to_scan(vec, path, **scan)
    start = time.monotonic()
    doc = read_document(path)
    return doc, time.monotonic() - start


def _amount_accuracy(doc, amounts):
    texts = [c.text for t in doc.tables for c in t.cells]
    exact = sum(1 for a in amounts if a in texts)
    return exact / len(amounts)


@pytest.mark.parametrize("scan", [{}, {"skew": 0.7, "noise": 15.0}], ids=["clean", "skewed-noisy"])
def test_scanned_t01_table_recovered(tmp_path, cjk_font_name, scan):
    need_tesseract()
    doc, seconds = _scan_of(make_t01, tmp_path, cjk_font_name, **scan)
    assert seconds < 20
    assert doc.pages[0].ocr and doc.pages[0].text_quality == "scanned"
    assert all(ln.ocr for ln in doc.lines)
    # T01 is one ruled table that the shared layout code splits into its 收入 and 支出 panels
    assert [t.panel for t in doc.tables] == ["收入", "支出"]
    for t in doc.tables:
        assert t.ocr and t.table_id == "T01"
        assert t.title == "收入支出决算总表"
        assert t.unit_caption == "单位：万元" and t.unit == "万元"
        assert (t.n_rows, t.n_cols, t.header_rows) == (2 + len(T01_BODY), 2, 2)
        top = t.cell_at(0, 0)
        assert top.text == t.panel and top.colspan == 2
        assert [c.text for c in t.cells if c.row == 1] == ["项目", "金额"]
    amounts = [a for row in T01_BODY for a in (row[1], row[3])]
    assert _amount_accuracy(doc, amounts) >= 0.9
    labels = {c.text for t in doc.tables for c in t.cells if c.col == 0}
    assert sum(1 for row in T01_BODY for s in (row[0], row[2]) if s in labels) >= 8


def test_scanned_table_with_row_and_column_spans(tmp_path, cjk_font_name):
    need_tesseract()
    doc, seconds = _scan_of(make_t05, tmp_path, cjk_font_name)
    assert seconds < 20
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.ocr and t.table_id == "T05" and t.unit == "万元"
    assert (t.n_rows, t.n_cols, t.header_rows) == (2 + len(T05_BODY), 5, 2)
    code, name, spent = t.cell_at(0, 0), t.cell_at(0, 1), t.cell_at(0, 2)
    assert (code.text, code.rowspan, code.colspan) == ("科目编码", 2, 1)
    assert (name.text, name.rowspan) == ("科目名称", 2)
    assert (spent.text, spent.colspan) == ("本年支出", 3)
    assert [c.text for c in t.cells if c.row == 1] == ["合计", "基本支出", "项目支出"]
    amounts = [a for row in T05_BODY for a in row[2:] if a]
    assert _amount_accuracy(doc, amounts) >= 0.9
    codes = [t.cell_at(r + 2, 0).text for r in range(len(T05_BODY))]
    assert sum(a == b for a, b in zip(codes, [row[0] for row in T05_BODY], strict=True)) >= 5
    blank = t.cell_at(4, 4)  # 行政运行 has no 项目支出: blank, not zero, not noise
    assert blank.text == ""


def test_scanned_text_without_rules_gives_no_table(tmp_path, cjk_font_name):
    need_tesseract()
    vec, scan = tmp_path / "vector.pdf", tmp_path / "scan.pdf"
    c = _canvas(vec)
    _text(c, cjk_font_name, 297, 70, "部门整体支出绩效评价报告", size=18, align="centre")
    for i, s in enumerate(["一、部门基本情况", "本部门年度支出合计1,506.37万元，较上年增长3.2%。",
                           "二、绩效目标完成情况", "项目 金额 单位 说明"]):
        _text(c, cjk_font_name, 60, 120 + 24 * i, s, size=12)
    c.showPage()
    c.save()
    to_scan(vec, scan)
    doc = read_document(scan)
    assert doc.pages[0].ocr and doc.tables == []
    assert all(ln.ocr for ln in doc.lines)
    assert "绩效评价报告" in doc.text()


@pytest.mark.parametrize("read,printed", [("10.334,118.88", "10,334,118.88"), ("1024,133.25", "1,024,133.25"),
                                          ("9.329.537.14", "9,329,537.14"), ("2,778,711.52", "2,778,711.52"),
                                          ("-1.234,567.00", "-1,234,567.00")])
def test_misread_thousands_separators_are_regrouped(read, printed):
    """OCR reads a comma of a long 元 amount as a point, or loses the first one: every separator followed by
    exactly three digits before the final decimals is a thousands separator, whichever mark was read."""
    from extractors.documents.ocr_tables import clean_numeric

    assert clean_numeric(read) == printed


@pytest.mark.parametrize("text", ["1.234", "12.5", "0.50", "123.45", "01.234.56", "2024.12"])
def test_amounts_that_are_not_misgrouped_stay_as_read(text):
    from extractors.documents.ocr_tables import clean_numeric

    assert clean_numeric(text) == text

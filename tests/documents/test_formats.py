"""Every input form becomes the same Document: generated PDF, DOCX, XLSX, HTML (GBK), .doc, scanned PDF."""
import time

import pytest

from extractors.documents import read_document
from extractors.documents.reader import sniff_format
from extractors.documents.tables_catalog import identify_table
from extractors.documents.text import normalize_text
from tests.documents.conftest import need_soffice, need_tesseract

HEADER = [["项目", "", "本年支出"], ["科目编码", "科目名称", "合计"]]


def _ruled_table(c, font, rows, x0, top, col_w=120, row_h=22, page_h=842):
    from reportlab.lib.units import inch  # noqa: F401  (reportlab import check)

    n_cols = len(rows[0])
    for r in range(len(rows) + 1):
        y = page_h - top - r * row_h
        c.line(x0, y, x0 + n_cols * col_w, y)
    for k in range(n_cols + 1):
        c.line(x0 + k * col_w, page_h - top, x0 + k * col_w, page_h - top - len(rows) * row_h)
    c.setFont(font, 10)
    for r, row in enumerate(rows):
        for k, v in enumerate(row):
            c.drawString(x0 + k * col_w + 4, page_h - top - r * row_h - 15, v)


def make_pdf(path, font):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(font, 16)
    c.drawString(180, 842 - 60, "一般公共预算财政拨款支出决算表")
    c.drawString(180.4, 842 - 60, "一般公共预算财政拨款支出决算表")  # fake bold: same glyphs drawn twice
    c.setFont(font, 10)
    c.drawString(60, 842 - 90, "编制单位：测试局")
    c.drawString(450, 842 - 90, "单位：万元")
    body = [["201", "一般公共服务支出", "1,234.56"], ["20101", "人大事务", "34.00"]] + \
           [[f"2010{k}", f"行政运行{k}", f"{k}.00"] for k in range(1, 25)]
    _ruled_table(c, font, [["科目编码", "科目名称", "合计"], ["1", "2", "3"]] + body, 60, 110)
    c.showPage()
    _ruled_table(c, font, [["科目编码", "科目名称", "合计"]] + [["208", "社会保障和就业支出", "5.00"]], 60, 60)
    c.setFont(font, 10)
    c.drawString(60, 842 - 120, "⼀般公共服务 ⽀ 出 １２３")  # Kangxi radicals, spaced Han, full-width digits
    c.showPage()
    c.save()


def test_sniff_by_content_not_extension():
    assert sniff_format(b"%PDF-1.7\n") == "pdf"
    assert sniff_format(b"PK\x03\x04rest") == "ooxml"
    assert sniff_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == "ole2"
    assert sniff_format(b"<!DOCTYPE html><html><body>x</body></html>") == "html"
    assert sniff_format("纯文本".encode("gbk")) == "text"


def test_text_hygiene():
    assert normalize_text("⼀般公共服务⽀出") == "一般公共服务支出"
    assert normalize_text("⻔诊 ⻋辆") == "门诊车辆"
    assert normalize_text("收 入 总 计 １２３．４５") == "收入总计 123.45"
    assert normalize_text("本单位无数据,故本表为空") == "本单位无数据，故本表为空"


@pytest.mark.parametrize("title,tid", [
    ("收入支出决算总表", "T01"), ("2026年预算单位财务收支预算总表", "T01"), ("收支总体情况表", "T01"),
    ("部门收入总表", "T02"), ("本年支出总体情况表", "T03"), ("财政拨款收支总表（预算表4）", "T04"),
    ("一般公共预算支出情况表（按功能分类科目）", "T05"), ("一般公共预算支出表（按经济分类）", "T10"),
    ("部门一般公共预算基本支出部门预算经济分类预算表", "T06"), ("基本支出总表", None),
    ("财政拨款安排的行政经费及“三公”经费预算表", "T07"), ("政府性基金预算财政拨款收入支出决算表", "T08"),
    ("国有资本经营预算支出预算表", "T09"), ("政府采购支出表", None), ("项目支出绩效目标表", None),
])
def test_identify_table_regional_titles(title, tid):
    assert identify_table(title) == tid


def test_pdf_tables_captions_lanci_stitching_hygiene(tmp_path, cjk_font_name):
    path = tmp_path / "t.pdf"
    make_pdf(path, cjk_font_name)
    doc = read_document(path, ocr=False)
    assert [p.number for p in doc.pages] == [1, 2]
    assert len(doc.tables) == 1, [t.title for t in doc.tables]
    t = doc.tables[0]
    assert t.title == "一般公共预算财政拨款支出决算表"  # fake-bold copy removed
    assert t.table_id == "T05" and t.unit == "万元" and t.unit_caption == "单位：万元"
    assert t.org_line == "编制单位：测试局"
    assert t.pages == [1, 2] and t.header_rows == 1
    grid = t.grid()
    assert grid[1] == ["201", "一般公共服务支出", "1,234.56"]  # 栏次 row dropped
    assert grid[-1] == ["208", "社会保障和就业支出", "5.00"]  # repeated header on page 2 dropped
    assert t.cell_at(t.n_rows - 1, 0).page == 2
    line = next(ln for ln in doc.lines if ln.page == 2)
    assert line.text == "一般公共服务支出 123" and "⼀" in line.raw


def make_docx(path):
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("财政拨款“三公”经费支出决算表")
    d.add_paragraph("单位：万元")
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "合计"
    t.cell(0, 1).merge(t.cell(0, 3)).text = "公务用车购置及运行费"
    for k, v in enumerate(["小计", "购置费", "运行费"], start=1):
        t.cell(1, k).text = v
    for k, v in enumerate(["3.00", "3.00", "1.00", "2.00"]):
        t.cell(2, k).text = v
    p = d.add_paragraph("正文")
    box = ('<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
           '<w:p><w:r><w:t>文本框里的说明</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
    p._p.append(parse_xml(box))
    d.add_paragraph("表后说明")
    d.save(str(path))


def test_docx_merged_cells_read_once_text_box_and_order(tmp_path):
    path = tmp_path / "t.docx"
    make_docx(path)
    doc = read_document(path)
    assert doc.format == "docx"
    t = doc.tables[0]
    assert t.table_id == "T07" and t.unit == "万元"
    texts = [c.text for c in t.cells]
    assert texts.count("合计") == 1 and texts.count("公务用车购置及运行费") == 1
    assert t.cell_at(1, 0).text == "合计" and t.cell_at(0, 2).colspan == 3
    assert t.header_rows == 2 and t.grid()[2] == ["3.00", "3.00", "1.00", "2.00"]
    texts = [ln.text for ln in doc.lines]
    assert "文本框里的说明" in texts
    seqs = {ln.text: ln.seq for ln in doc.lines}
    assert seqs["单位：万元"] < t.seq < seqs["表后说明"]


def test_xlsx_sheets_become_tables(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "C02 收入决算表"
    ws.append(["收入决算表"])
    ws.append(["编制单位：测试局", None, "单位：元"])
    ws.append(["项目", None, "本年收入合计"])
    ws.merge_cells("A3:B3")
    ws.append(["201", "一般公共服务支出", 1234.5])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    doc = read_document(path)
    t = doc.tables[0]
    assert (t.table_id, t.unit, t.org_line) == ("T02", "元", "编制单位：测试局")
    assert t.cell_at(0, 1).colspan == 2 and t.grid()[1] == ["201", "一般公共服务支出", "1234.50"]


def test_html_gbk_article_with_table(tmp_path):
    html = ("<html><head><meta charset='gbk'><title>某局2024年度部门决算</title></head><body>"
            "<p>一、部门概况</p><p>收入决算表</p><p>单位：万元</p><table><tr><td colspan=2>项目</td>"
            "<td>合计</td></tr><tr><td>201</td><td>一般公共服务支出</td><td>12.00</td></tr></table>"
            "<p>表后文字</p></body></html>")
    path = tmp_path / "page.pdf"  # served under a .pdf name
    path.write_bytes(html.encode("gbk"))
    doc = read_document(path)
    assert doc.format == "html" and doc.metadata["charset"] == "gb18030"
    assert [ln.text for ln in doc.lines][:1] == ["一、部门概况"]
    t = doc.tables[0]
    assert (t.table_id, t.unit) == ("T02", "万元") and t.grid()[1] == ["201", "一般公共服务支出", "12.00"]
    assert any(".pdf" in w for w in doc.warnings)


def test_legacy_doc_via_libreoffice(tmp_path):
    need_soffice()
    from extractors.documents.legacy import convert_with_soffice
    from extractors.documents.limits import Limits

    src = tmp_path / "t.docx"
    make_docx(src)
    work = tmp_path / "conv"
    work.mkdir()
    doc_file = convert_with_soffice(src, "doc", Limits(), work)
    assert doc_file.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    doc = read_document(doc_file)
    assert doc.format == "doc" and doc.metadata["converted_from"] == "doc"
    assert doc.tables[0].table_id == "T07"
    assert sum(c.text == "合计" for c in doc.tables[0].cells) == 1


def test_scanned_page_is_ocrd_and_marked(tmp_path, cjk_font_name):
    need_tesseract()
    from PIL import Image, ImageDraw, ImageFont

    from tests.documents.conftest import CJK_FONT

    img = Image.new("L", (1240, 500), 255)
    font = ImageFont.truetype(str(CJK_FONT), 56) if CJK_FONT.exists() else ImageFont.load_default()
    ImageDraw.Draw(img).text((80, 150), "部门决算收入总计", fill=0, font=font)
    path = tmp_path / "scan.pdf"
    img.save(path, "PDF", resolution=150)
    start = time.monotonic()
    doc = read_document(path)
    assert time.monotonic() - start < 60
    assert doc.pages[0].ocr and doc.pages[0].text_quality == "scanned"
    assert all(ln.ocr for ln in doc.lines)
    assert "决算" in doc.text()

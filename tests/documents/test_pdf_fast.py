"""The PDFium fast path gives the same characters and table cells as pdfplumber, and falls back where it must."""
import pdfplumber
import pypdfium2 as pdfium
import pytest

from extractors.documents import pdf, pdf_fast, read_document
from extractors.documents.pdf_grid import dedupe_chars
from tests.documents.conftest import REAL
from tests.documents.test_formats import make_pdf


def _fast(path, number):
    doc = pdfium.PdfDocument(str(path))
    page = doc[number - 1]
    tp = page.get_textpage()
    box = pdf_fast.page_box(page)
    chars = dedupe_chars(pdf_fast.page_chars(tp, box))
    cells = pdf_fast.find_cells(pdf_fast.page_edges(pdf_fast.collect_objects(page)[0], box))
    tp.close()
    page.close()
    doc.close()
    return chars, cells


def _plumber(path, number):
    with pdfplumber.open(str(path)) as doc:
        page = doc.pages[number - 1]
        return dedupe_chars(page.chars), [t.cells for t in page.find_tables()]


def _same_cells(a, b):
    return len(a) == len(b) and all(
        len(x) == len(y) and all(max(abs(u - v) for u, v in zip(p, q)) < 0.5 for p, q in zip(sorted(x), sorted(y)))
        for x, y in zip(a, b))


def _visible(chars):
    """Text and position of the visible characters, positions on a 2-pt grid (PDFium uses float32)."""
    return sorted((c["text"], round(c["x0"] / 2), round(c["_base"] / 2)) for c in chars if not c["text"].isspace())


def _same_text(a, b):
    va, vb = _visible(a), _visible(b)
    return [v[0] for v in va] == [v[0] for v in vb] and all(
        abs(p[1] - q[1]) <= 1 and abs(p[2] - q[2]) <= 1 for p, q in zip(va, vb))


def test_fast_path_matches_pdfplumber_on_generated_pdf(tmp_path, cjk_font_name):
    path = tmp_path / "t.pdf"
    make_pdf(path, cjk_font_name)
    for number in (1, 2):
        f_chars, f_cells = _fast(path, number)
        p_chars, p_cells = _plumber(path, number)
        assert _same_text(f_chars, p_chars)
        assert _same_cells(f_cells, p_cells)
        assert f_cells


def test_one_path_object_drawing_the_whole_grid_is_a_table(tmp_path, cjk_font_name):
    """Microsoft Print To PDF draws every ruling of a table as subpaths of one path object."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "grid.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    p = c.beginPath()
    for r in range(4):
        p.moveTo(60, 700 - r * 20)
        p.lineTo(360, 700 - r * 20)
    for k in range(4):
        p.moveTo(60 + k * 100, 700)
        p.lineTo(60 + k * 100, 640)
    c.drawPath(p, stroke=1, fill=0)
    c.setFont(cjk_font_name, 10)
    for r in range(3):
        for k in range(3):
            c.drawString(64 + k * 100, 700 - r * 20 - 14, f"格{r}{k}")
    c.showPage()
    c.save()
    _, cells = _fast(path, 1)
    assert len(cells) == 1 and len(cells[0]) == 9
    doc = read_document(path, ocr=False)
    assert len(doc.tables) == 1 and doc.tables[0].grid()[2] == ["格20", "格21", "格22"]


def test_bad_pdfium_text_is_detected():
    good = [{"text": t} for t in "一般公共预算支出合计123.45" * 5]
    assert not pdf_fast.text_is_bad(good)
    assert pdf_fast.text_is_bad(good + [{"text": "\ufffd"}] * 30)
    assert pdf_fast.text_is_bad(good + [{"text": "\ue001"}] * 10)


def test_pages_with_bad_pdfium_text_are_read_by_pdfminer(tmp_path, cjk_font_name, monkeypatch):
    path = tmp_path / "t.pdf"
    make_pdf(path, cjk_font_name)
    expected = read_document(path, ocr=False)
    monkeypatch.setattr(pdf_fast, "text_is_bad", lambda chars: True)
    calls = []
    original = pdf._Pdfminer.page_items
    monkeypatch.setattr(pdf._Pdfminer, "page_items", lambda self, info: calls.append(info.number) or original(self, info))
    doc = read_document(path, ocr=False)
    assert calls == [1, 2]
    assert [t.grid() for t in doc.tables] == [t.grid() for t in expected.tables]
    assert [ln.text for ln in doc.lines] == [ln.text for ln in expected.lines]


@pytest.mark.real_corpus
def test_fonts_without_tounicode_read_the_same_as_pdfminer():
    """Word/WPS exports whose fonts lack ToUnicode maps: PDFium's text equals pdfminer's (spaces aside)."""
    cases = {"fujian_qz-zfb_2026_yusuan.pdf": (2, 13), "shaanxi_xa-fgw_2019_yusuan-narrative.pdf": (3, 5),
             "guangdong_fs-gdjtj_2019_juesuan.pdf": (8, 24), "shanghai_putuo-ghzyj_2024_juesuan.pdf": (4, 8)}
    for name, pages in cases.items():
        path = REAL / name
        if not path.exists():
            pytest.skip(f"real corpus not present at {path}")
        for number in pages:
            f_chars, f_cells = _fast(path, number)
            p_chars, p_cells = _plumber(path, number)
            assert not pdf_fast.text_is_bad(f_chars)
            assert _same_text(f_chars, p_chars), (name, number)
            assert _same_cells(f_cells, p_cells), (name, number)

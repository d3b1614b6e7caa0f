"""OCR engines, page routing, rule-less tables, the arithmetic check and the ocr/confidence flags.

Every test that OCRs reads one small generated page, so the suite stays quick.
"""
import pytest

from extractors.documents import read_document
from extractors.documents.limits import Limits
from extractors.documents.ocr_check import cell_key, check_table
from extractors.documents.ocr_engines import PpOcrEngine, get_engine
from schemas.document import OCR_CONFIDENT, Cell, Table
from tests.documents.test_ocr_tables import T05_BODY, _canvas, _text, make_t05, to_scan


def need_ppocr():
    if not PpOcrEngine.available():
        pytest.skip("rapidocr-onnxruntime not installed: PP-OCR cannot be tested")


@pytest.fixture
def ppocr(monkeypatch):
    need_ppocr()
    monkeypatch.setenv("JUESUAN_OCR_ENGINE", "ppocr")


def test_ppocr_reads_a_skewed_ruled_table_with_confidences(tmp_path, cjk_font_name, ppocr):
    vec, scan = tmp_path / "vector.pdf", tmp_path / "scan.pdf"
    make_t05(vec, cjk_font_name)
    to_scan(vec, scan, dpi=150, skew=0.9, noise=10.0)
    doc = read_document(scan)
    assert doc.pages[0].read_by == "ocr:ppocr" and doc.pages[0].ocr
    (t,) = doc.tables
    assert t.ocr and t.table_id == "T05" and t.n_cols == 5
    texts = [c.text for c in t.cells]
    amounts = [a for row in T05_BODY for a in row[2:] if a]
    assert sum(a in texts for a in amounts) == len(amounts)
    numeric = [c for c in t.cells if c.text in amounts]
    # every amount sits in a 类 = Σ款 = Σ项, 合计 row or 合计 = 基本 + 项目 identity that holds
    assert all(c.conf is not None and c.conf >= OCR_CONFIDENT for c in numeric)
    assert all(c.conf is None or 0 <= c.conf <= 1 for c in t.cells)
    assert all(ln.ocr and ln.conf is not None for ln in doc.lines)


def test_mixed_document_ocrs_only_the_page_without_text(tmp_path, cjk_font_name, ppocr):
    """A text narrative followed by a scanned table: the text page is read from its text layer."""
    import pypdfium2 as pdfium

    text_pdf, table_pdf, scan = tmp_path / "text.pdf", tmp_path / "table.pdf", tmp_path / "scan.pdf"
    c = _canvas(text_pdf)
    _text(c, cjk_font_name, 60, 100, "一、部门基本情况：本部门年度支出合计2,964.12万元。", size=12)
    c.showPage()
    c.save()
    make_t05(table_pdf, cjk_font_name)
    to_scan(table_pdf, scan)
    mixed = pdfium.PdfDocument(str(text_pdf))
    mixed.import_pages(pdfium.PdfDocument(str(scan)))
    mixed.save(str(tmp_path / "mixed.pdf"))
    doc = read_document(tmp_path / "mixed.pdf")
    assert [p.read_by for p in doc.pages] == ["text", "ocr:ppocr"]
    assert [p.ocr for p in doc.pages] == [False, True]
    assert all(not ln.ocr for ln in doc.lines if ln.page == 1)
    assert [t.table_id for t in doc.tables] == ["T05"] and doc.tables[0].page == 2


def test_table_without_rules_is_clustered_into_rows_and_columns(tmp_path, cjk_font_name, ppocr):
    vec, scan = tmp_path / "vector.pdf", tmp_path / "scan.pdf"
    c = _canvas(vec)
    _text(c, cjk_font_name, 297, 70, "一般公共预算财政拨款支出决算表", size=16, align="centre")
    _text(c, cjk_font_name, 535, 100, "单位：万元", align="right")
    xs = (60, 130, 320, 420, 520)  # left edges of the two label columns, right edges of the amounts
    for k, head in enumerate(["科目编码", "科目名称", "合计", "基本支出", "项目支出"]):
        _text(c, cjk_font_name, xs[k], 130, head, align="left" if k < 2 else "right")
    for r, row in enumerate(T05_BODY):
        for k, s in enumerate(row):
            if s:
                _text(c, cjk_font_name, xs[k], 160 + 26 * r, s, align="left" if k < 2 else "right")
    c.showPage()
    c.save()
    to_scan(vec, scan)
    doc = read_document(scan)
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.ocr and t.table_id == "T05" and t.n_cols == 5
    grid = t.grid()
    body = [row for row in grid if row[0] or row[1]][-len(T05_BODY):]
    assert [row[0] for row in body] == [row[0] for row in T05_BODY]
    assert [row[2] for row in body] == [row[2] for row in T05_BODY]


def test_ocr_time_budget_leaves_pages_unread_and_the_document_partial(tmp_path, cjk_font_name, ppocr):
    from extractors.figures.extract import extract_document

    vec, scan = tmp_path / "vector.pdf", tmp_path / "scan.pdf"
    make_t05(vec, cjk_font_name)
    to_scan(vec, scan)
    doc = read_document(scan, limits=Limits(seconds_per_document=0.0))
    assert doc.pages[0].read_by == "not read (OCR time budget)" and not doc.pages[0].ocr
    assert any("time budget" in w for w in doc.warnings)
    assert extract_document(doc)["document"]["status"] == "partial"


def test_engine_threads_are_capped(monkeypatch):
    need_ppocr()
    monkeypatch.setenv("JUESUAN_OCR_THREADS", "1")
    eng = get_engine("ppocr")
    for session in (eng.rec.session.session, eng.ocr.text_det.infer.session):
        opts = session.get_session_options()
        assert opts.intra_op_num_threads == 1 and opts.inter_op_num_threads == 1
        # every crop batch has its own width: per-shape memory planning off, the arena reuses buffers
        assert opts.enable_mem_pattern is False and opts.enable_cpu_mem_arena is True


def _table(rows: list[list[str]], page: int = 3) -> Table:
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            box = (100.0 * c, 20.0 * r, 100.0 * c + 90, 20.0 * r + 18)
            cells.append(Cell(row=r, col=c, text=text, bbox=box, conf=0.8 if text else None))
    t = Table(page=page, pages=[page], n_rows=len(rows), n_cols=len(rows[0]), cells=cells, ocr=True)
    t.header_rows = 1
    return t


def test_an_identity_chooses_between_a_cells_readings():
    t = _table([["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
                ["201", "一般公共服务支出", "4244.60", "200.00", "44.60"],  # misread: 244.60
                ["20101", "人大事务", "244.60", "200.00", "44.60"],
                ["", "合计", "244.60", "200.00", "44.60"]])
    bad = t.cell_at(1, 2)
    alternatives = {cell_key(3, bad.bbox): [("4244.60", 0.6), ("244.60", 0.3)]}
    stats = check_table(t, alternatives)
    assert bad.text == "244.60" and stats["fixed"] == 1
    assert all(c.conf >= OCR_CONFIDENT for c in t.cells if c.row > 0 and c.col >= 2)


def test_a_genuine_misprint_stays_as_printed_with_low_confidence():
    t = _table([["项目", "合计", "基本支出", "项目支出"],
                ["一般公共服务支出", "250.00", "200.00", "44.60"],  # printed wrong, no other reading
                ["公共安全支出", "120.00", "100.00", "20.00"],
                ["教育支出", "30.00", "10.00", "20.00"]])
    stats = check_table(t, {})
    assert t.cell_at(1, 1).text == "250.00" and stats["fixed"] == 0
    assert all(t.cell_at(1, c).conf < OCR_CONFIDENT for c in (1, 2, 3))
    assert all(t.cell_at(r, c).conf >= OCR_CONFIDENT for r in (2, 3) for c in (1, 2, 3))


def test_scan_renderer_keeps_pages_and_drops_the_text_layer(tmp_path, cjk_font_name):
    import pypdfium2 as pdfium

    from extractors.synthetic.render_scan import render_scan

    vec, scan = tmp_path / "vector.pdf", tmp_path / "scan.pdf"
    make_t05(vec, cjk_font_name)
    angles = render_scan(vec, scan, dpi=100, max_skew=1.0, noise=8.0, jpeg_quality=60, seed=3)
    assert len(angles) == 1 and 0 < abs(angles[0]) <= 1.0
    pdf = pdfium.PdfDocument(str(scan))
    assert len(pdf) == 1 and pdf[0].get_size() == pytest.approx((595, 842), abs=0.5)
    assert pdf[0].get_textpage().get_text_bounded().strip() == ""
    assert scan.read_bytes() == (render_scan(vec, tmp_path / "again.pdf", dpi=100, max_skew=1.0, noise=8.0,
                                             jpeg_quality=60, seed=3) and (tmp_path / "again.pdf").read_bytes())


def _line(blocks, h=30):
    """A grey text line from (ink width, gap after) blocks: a block at least 20 px wide is a CJK glyph, as
    tall as the line's ink; narrower ones are digits or punctuation, sitting lower and shorter."""
    import numpy as np

    width = sum(w + g for w, g, *_ in blocks)
    img = np.full((h, width), 255, dtype=np.uint8)
    x, spans = 0, []
    for w, g, *short in blocks:
        top = 4 if w >= 20 and not short else 9
        img[top:h - 4, x:x + w] = 0
        spans.append((x, x + w))
        x += w + g
    return img, spans


def test_a_long_line_is_cut_only_between_two_whole_glyphs():
    import numpy as np

    from extractors.documents.ocr_engines import split_long_line

    h = 30
    # CJK glyphs (a line height wide, narrow gaps), then full-width punctuation (narrow ink, wide blank after it)
    # and digits (half a height, hairline gaps): the widest gaps follow the punctuation, yet no cut goes there
    unit = [(28, 3)] * 10 + [(7, 20)] + [(14, 2)] * 5 + [(4, 2)] + [(14, 2)] * 2 + [(28, 3)] * 3
    img, spans = _line(unit * 4, h)
    assert img.shape[1] > 12 * h
    pieces = split_long_line(img, 12)
    assert len(pieces) > 1
    assert np.array_equal(np.concatenate(pieces, axis=1), img)  # nothing lost, nothing doubled
    glyph = {(a, b) for a, b in spans if b - a >= 0.6 * h}
    cuts = np.cumsum([p.shape[1] for p in pieces])[:-1]
    for cut in cuts:
        left = max((s for s in spans if s[1] <= cut), key=lambda s: s[1])
        right = min((s for s in spans if s[0] >= cut), key=lambda s: s[0])
        assert left in glyph and right in glyph, (cut, left, right)
    assert all(p.shape[1] <= 12 * h for p in pieces[:-1])
    # touching digits make a glyph-wide run, but a short one: the gap beside it is no place to cut
    digits = [(28, 3)] * 10 + [(40, 30, "short")] + [(28, 3)] * 10
    img, spans = _line(digits * 2, h)
    cuts = np.cumsum([p.shape[1] for p in split_long_line(img, 12)])[:-1]
    assert cuts.size and not any(a - 30 <= cut <= a for cut in cuts for a, b in spans if b - a == 40)


def test_a_long_line_without_a_gap_between_whole_glyphs_stays_whole():
    from extractors.documents.ocr_engines import split_long_line

    digits, _ = _line([(14, 2)] * 40)  # a long run of digits: cutting it could split a number
    assert len(split_long_line(digits, 12)) == 1
    short, _ = _line([(28, 3)] * 8)
    assert len(split_long_line(short, 12)) == 1


def test_ppocr_reads_a_long_narrative_line_in_pieces_without_changing_it(tmp_path, cjk_font_name, ppocr,
                                                                         monkeypatch):
    from extractors.documents import ocr_engines

    sentence = "2024年度一般公共预算财政拨款支出1,533.41万元，比上年减少208.10万元，主要原因是本年度部分专项工作任务减少。"
    vec, scan = tmp_path / "narrative.pdf", tmp_path / "scan.pdf"
    c = _canvas(vec)
    _text(c, cjk_font_name, 40, 120, sentence, size=9.5)
    c.showPage()
    c.save()
    to_scan(vec, scan, dpi=150, skew=0.5, noise=8.0)
    cuts = []
    real = ocr_engines.split_long_line
    monkeypatch.setattr(ocr_engines, "split_long_line", lambda crop, r: cuts.append(len(p := real(crop, r))) or p)
    doc = read_document(scan)
    assert max(cuts) > 1  # the sentence was read in pieces
    text = "".join(ln.text for ln in doc.lines).replace(" ", "")
    assert "1,533.41万元" in text and "208.10万元" in text and "主要原因是本年度部分专项工作任务减少" in text


def test_an_amount_in_an_ocr_line_whose_comma_was_read_as_a_point_is_regrouped():
    from extractors.documents.ocr_tables import regroup_in_text

    assert regroup_in_text("财政拨款支出1.533.41万元，比上年减少208.10万元") == "财政拨款支出1,533.41万元，比上年减少208.10万元"
    assert regroup_in_text("合计10.334,118.88元") == "合计10,334,118.88元"
    # what can be read one way only is left alone: a plain decimal, a correct grouping, a section number, a year
    for text in ("支出208.10万元", "支出1,533.41万元", "见3.2.1节", "2024.12.31", "增长12.5%"):
        assert regroup_in_text(text) == text

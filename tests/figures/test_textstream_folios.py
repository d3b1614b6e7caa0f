"""Bare page numbers ("3" alone at the foot of a page) are not part of the running text: left in, the folio is
glued to the number that opens the next page (杭州市司法局 2026 预算 p.4–5: "比上年执行数增加" | "3" |
"7,331.92万元，增长8.0%" was read as an increase of 37,331.92)."""
from extractors.figures.textstream import TextStream, clean
from schemas.document import Document, Line


def _doc(*lines):
    return Document(path="x.pdf", sha256="0", format="pdf",
                    lines=[Line(page=p, text=t, raw=t, seq=i) for i, (p, t) in enumerate(lines)])


def test_bare_folios_at_a_constant_offset_are_dropped():
    ts = TextStream(_doc((4, "2026年收入预算99,230.46万元，比上年执行数增加"), (4, "3"),
                         (5, "7,331.92万元，增长8.0%。"), (5, "4")))
    assert ts.text == clean("2026年收入预算99,230.46万元，比上年执行数增加7,331.92万元，增长8.0%。")


def test_a_lone_number_that_is_no_folio_stays():
    # once only (no second page at the same offset), or inside the page: a figure, kept
    ts = TextStream(_doc((4, "人数"), (4, "3"), (5, "共有车辆"), (5, "12"), (5, "辆。")))
    assert ts.text == "人数3共有车辆12辆。"

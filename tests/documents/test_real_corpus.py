"""Accuracy on the real corpus: every standard table found once, with the right id, page span and unit."""
from collections import defaultdict

import pytest

from extractors.documents import read_document
from tests.documents.conftest import REAL, SEED
from tests.documents.expected_tables import BUDGETS, JUESUAN
from tests.documents.expected_tables import SEED as SEED_EXPECTED

pytestmark = pytest.mark.real_corpus

CASES = [(REAL / n, exp) for n, exp in {**JUESUAN, **BUDGETS}.items()] + \
        [(SEED / n, exp) for n, exp in SEED_EXPECTED.items()]


def found_tables(doc):
    """table id → list of (first page, last page, unit, panel) of every Table carrying it."""
    out = defaultdict(list)
    for t in doc.tables:
        if t.table_id:
            out[t.table_id].append((t.pages[0], t.pages[-1], t.unit, t.panel))
    return out


@pytest.mark.parametrize("path,expected", CASES, ids=[p.name for p, _ in CASES])
def test_standard_tables_found_once_with_pages_and_unit(path, expected):
    if not path.exists():
        pytest.skip(f"real corpus not present at {path}")
    doc = read_document(path, ocr=False)
    found = found_tables(doc)
    assert sorted(found) == sorted(expected), f"table ids differ for {path.name}"
    for tid, (first, last, unit) in expected.items():
        entries = found[tid]
        panels = [e[3] for e in entries]
        assert len(panels) == len(set(panels)), f"{tid} found more than once: {entries}"
        for e in entries:
            assert e[:3] == (first, last, unit), f"{tid}: got pages/unit {e[:3]}, expected {(first, last, unit)}"


def test_panels_split_and_headers_rebuilt_on_shanghai_juesuan():
    path = REAL / "shanghai_putuo-czj_2024_juesuan.pdf"
    if not path.exists():
        pytest.skip(f"real corpus not present at {path}")
    doc = read_document(path, ocr=False)
    t01 = [t for t in doc.tables if t.table_id == "T01"]
    assert [t.panel for t in t01] == ["收入", "支出"]
    income = t01[0]
    assert income.grid()[income.header_rows][0] == "一、一般公共预算财政拨款收入"
    assert {c.page for c in income.cells} == {6, 7}  # stitched: each cell keeps its page
    t07 = next(t for t in doc.tables if t.table_id == "T07")
    spans = {c.text: (c.rowspan, c.colspan) for c in t07.cells if c.row < t07.header_rows}
    assert spans["公务用车购置及运行费"][1] == 6 and spans["因公出国（境）费"][1] == 2
    assert t07.grid()[t07.header_rows - 1][:2] == ["预算数", "决算数"]
    t06 = [t for t in doc.tables if t.table_id == "T06"]
    assert [t.panel for t in t06] == ["人员经费", "公用经费"]
    assert t06[1].grid()[t06[1].header_rows][0] == "302"
    t08 = next(t for t in doc.tables if t.table_id == "T08")
    assert any("本表无数据" in n for n in t08.notes)


def test_large_document_first_pages_triaged_quickly():
    """The 262-page Shenzhen document: page triage covers it; full reading belongs in the benchmark."""
    path = REAL / "guangdong_sz-rsj_2026_yusuan.pdf"
    if not path.exists():
        pytest.skip(f"real corpus not present at {path}")
    from extractors.documents.limits import Limits
    from extractors.documents.pdf import triage

    infos, _ = triage(path, Limits())
    assert len(infos) == 262
    assert sum(1 for i in infos if i.quality == "ok") >= 255


def test_a_single_row_spilled_onto_the_next_page_joins_its_table():
    """无锡市统计局 2026: the last row of 支出总表 (2210203 购房补贴 167.18) is printed alone, ruled, at the top of
    page 11; it belongs to the table (its 款 22102 = 465.13 needs it), in its own columns, with its own page."""
    path = REAL / "jiangsu_wx-tjj_2026_yusuan.pdf"
    if not path.exists():
        pytest.skip(f"real corpus not present at {path}")
    doc = read_document(path)
    t03 = next(t for t in doc.tables if t.table_id == "T03")
    assert t03.pages == [10, 11]
    last = sorted((c for c in t03.cells if c.row == t03.n_rows - 1), key=lambda c: c.col)
    assert [c.text for c in last[:4]] == ["2210203", "购房补贴", "167.18", "167.18"]
    assert {c.page for c in last} == {11}
    # a lone ruled row that continues nothing is still not a table, and its words stay in the text
    assert all(t.n_rows >= 2 for t in doc.tables)
    assert any("2210203" in ln.text for ln in doc.lines if ln.page == 11)

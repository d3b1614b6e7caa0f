"""Time and cell budgets outside the PDF page loop (issue 17, item 3): DOCX and HTML readers check them inside
their loops; a document over budget fails with the file, the budget and where reading stopped."""
from __future__ import annotations

import pytest

from extractors.documents import read_document
from extractors.documents.limits import Limits
from schemas.document import DocumentError


def _html(tmp_path, rows: int, rowspan: int = 1):
    body = "".join(f"<tr><td rowspan='{rowspan}'>项目{i}</td><td>{i}.00</td></tr>" for i in range(rows))
    p = tmp_path / "t.html"
    p.write_text(f"<html><head><title>2024年部门决算</title></head><body><p>{'部门决算说明' * 80}</p>"
                 f"<table>{body}</table></body></html>", encoding="utf-8")
    return p


def test_html_table_over_the_cell_budget_fails_naming_the_file(tmp_path):
    path = _html(tmp_path, 200)
    assert read_document(path).tables  # within the default budget
    with pytest.raises(DocumentError, match=r"t\.html.*more than 100 table cells \(at table 1 row"):
        read_document(path, limits=Limits(max_table_cells=100))


def test_a_hostile_rowspan_counts_the_cells_it_covers(tmp_path):
    path = _html(tmp_path, 300, rowspan=300)  # 300 rows each spanning the rest: ~45,000 covered cells
    with pytest.raises(DocumentError, match="cell budget"):
        read_document(path, limits=Limits(max_table_cells=20_000))


def test_docx_time_budget_is_checked_while_reading_the_body(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("某某局2024年度部门决算")
    t = d.add_table(rows=600, cols=3)
    for r, row in enumerate(t.rows):
        row.cells[0].text, row.cells[1].text = f"项目{r}", f"{r}.00"
    path = tmp_path / "big.docx"
    d.save(str(path))
    assert read_document(path).tables
    with pytest.raises(DocumentError, match=r"big\.docx.*time budget of 0s exceeded while reading"):
        read_document(path, limits=Limits(seconds_per_document=0.0))
    with pytest.raises(DocumentError, match="more than 1000 table cells"):
        read_document(path, limits=Limits(max_table_cells=1000))

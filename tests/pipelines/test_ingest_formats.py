"""Every format is read from the raw store through `juesuan ingest`, not only by `juesuan extract` (issue 15).

The raw store keeps each file by its hash, without its extension; a reader that trusts the name (openpyxl refuses a
name without .xlsx) passes `extract` and fails `ingest`. One corpus-factory 决算 is published as PDF, DOCX, XLSX,
HTML and, where LibreOffice is installed, DOC and XLS; each must load with the factory's 本年收入合计.
"""
from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph

from extractors.documents.legacy import convert_with_soffice, soffice_binary
from extractors.documents.limits import Limits
from extractors.synthetic import build_corpus
from pipelines import progress
from pipelines.runner import ingest
from pipelines.settings import Settings
from warehouse.db import Warehouse


def _blocks(path: Path):
    """('p', text) and ('table', rows) in body order: the factory's DOCX as a publisher would re-key it."""
    d = docx.Document(str(path))
    for el in d.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p" and (text := Paragraph(el, d).text.strip()):
            yield "p", text
        elif tag == "tbl":
            yield "table", [[c.text for c in row.cells] for row in Table(el, d).rows]


def _as_xlsx(src: Path, dest: Path) -> Path:
    """One sheet per table, its title and unit caption in the rows above it (how 决算 workbooks are printed)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    recent: list[str] = []
    for kind, block in _blocks(src):
        if kind == "p":
            recent.append(block)
            continue
        ws = wb.create_sheet(f"表{len(wb.sheetnames) + 1}")
        for line in recent[-2:]:
            ws.append([line])
        for row in block:
            ws.append(row)
        recent = []
    wb.save(dest)
    return dest


def _as_html(src: Path, dest: Path) -> Path:
    parts = []
    for kind, block in _blocks(src):
        if kind == "p":
            parts.append(f"<p>{html.escape(block)}</p>")
        else:
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in block)
            parts.append(f"<table border='1'>{rows}</table>")
    dest.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{''.join(parts)}</body></html>",
                    encoding="utf-8")
    return dest


def _legacy(src: Path, target: str, dest: Path, work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(convert_with_soffice(src, target, Limits(), work), dest)
    return dest


@pytest.mark.slow
def test_every_format_is_read_from_the_raw_store_through_ingest(tmp_path, clean_env):
    pdf, docx_rec = build_corpus(tmp_path / "factory", units=1, years=(2024,), formats=("pdf", "docx"),
                                 templates=["sichuan"], anomalies=False)
    truth = json.loads(Path(pdf["truth_path"]).read_text(encoding="utf-8"))["values"]["income.total"]
    folder = tmp_path / "公开文件"
    folder.mkdir()
    src = Path(docx_rec["path"])
    files = {"pdf": shutil.copy(pdf["path"], folder / "决算.pdf"), "docx": shutil.copy(src, folder / "决算.docx"),
             "xlsx": _as_xlsx(src, folder / "决算表.xlsx"), "html": _as_html(src, folder / "决算.html")}
    if soffice_binary():  # legacy formats need LibreOffice (the readers say so when it is missing)
        files["doc"] = _legacy(src, "doc", folder / "决算.doc", tmp_path / "lo-doc")
        files["xls"] = _legacy(files["xlsx"], "xls", folder / "决算表.xls", tmp_path / "lo-xls")
    (folder / "说明.txt").write_text("附件清单：决算.pdf 决算.docx …\n", encoding="utf-8")  # notes, not a document
    settings = Settings.resolve(data_dir=str(tmp_path / "data"))
    with progress.listening(progress.IngestProgress(live=False)):
        report = ingest([folder], settings)
    assert report.success and report.registered == len(files), report.problems
    with Warehouse(settings.warehouse).read() as con:
        rows = con.execute("SELECT d.original_name, d.format, d.status, d.errors, CAST(v.amount_wan AS DOUBLE) "
                           "FROM documents d LEFT JOIN metric_values v ON v.doc_id = d.doc_id "
                           "AND v.metric_id = 'income.total'").fetchall()
    got = {name: (fmt, status, errors, income) for name, fmt, status, errors, income in rows}
    assert set(got) == {Path(p).name for p in files.values()}  # the .txt beside them was not registered
    for fmt, path in files.items():
        read_as, status, errors, income = got[Path(path).name]
        assert status in ("ok", "partial"), (fmt, errors)  # never "openpyxl does not support file format"
        assert read_as == fmt and income == pytest.approx(truth, abs=0.011), (fmt, read_as, income, errors)

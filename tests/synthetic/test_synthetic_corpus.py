from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest

from extractors.synthetic import (  # the default rotation (决算); budgets: test_synthetic_budget
    TEMPLATE_ORDER,
    build_corpus,
)
from extractors.synthetic.anomalies import KINDS

DISTINCTIVE = {
    "sichuan": ["第一部分 部门概况", "第二部分 2024年度部门决算情况说明", "第四部分 附表", "编制单位：", "单位：万元",
                "财政拨款“三公”经费支出决算表"],
    "shanghai": ["部门决算表", "部门决算单位构成", "财政拨款“三公”经费支出决算表", "国有资本经营预算财政拨款收入支出决算表",
                 "会议费支出"],
    "guangdong": ["表1", "表8", "行次", "栏次", "部门：", "金额单位：万元", "一般公共预算财政拨款“三公”经费支出决算表"],
    "unit_yuan": ["单位决算", "收支决算总表", "三公经费支出决算表", "单位名称：", "单位：元"],
}


def _pdf_text(path: str) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _flat(text: str) -> str:
    """Running text wraps anywhere (even inside numbers, as real CJK layouts do); compare without line breaks."""
    return re.sub(r"\s+", "", text)


def _docx_text(path: str) -> str:
    d = docx.Document(path)
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _yuan_cells(text: str) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"\d{1,3}(?:,\d{3})+\.\d{2}", text)]


def _pick(manifest, fmt: str, year: int = 2024) -> dict[str, dict]:
    out = {}
    for rec in manifest:
        if rec["format"] == fmt and rec["fiscal_year"] == year:
            out.setdefault(rec["template"], rec)
    return out


def test_manifest_lists_every_file(corpus, corpus_args):
    out, manifest = corpus
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == manifest
    assert len(manifest) == corpus_args["units"] * 2 * 2
    assert {r["template"] for r in manifest} == set(TEMPLATE_ORDER)
    for rec in manifest:
        assert Path(rec["path"]).stat().st_size > 10_000
        truth = json.loads(Path(rec["truth_path"]).read_text(encoding="utf-8"))
        assert truth["document"]["unit_name"] == rec["unit_name"]
        assert truth["document"]["kind"] == "final_accounts"
        assert truth["format"] == rec["format"] and truth["template"] == rec["template"]


def test_same_seed_gives_identical_files(corpus, corpus_args, tmp_path):
    _out, manifest = corpus
    again = build_corpus(tmp_path, **corpus_args)
    for a, b in zip(manifest, again):
        assert Path(a["path"]).read_bytes() == Path(b["path"]).read_bytes(), a["path"]
        assert Path(a["truth_path"]).read_bytes() == Path(b["truth_path"]).read_bytes()


def test_every_file_opens(corpus):
    _, manifest = corpus
    for rec in manifest:
        if rec["format"] == "pdf":
            with pdfplumber.open(rec["path"]) as pdf:
                assert len(pdf.pages) >= 8
        else:
            assert len(docx.Document(rec["path"]).tables) >= 8


def test_pdf_page_sizes_mix_portrait_and_landscape(corpus):
    _, manifest = corpus
    rec = _pick(manifest, "pdf")["sichuan"]
    with pdfplumber.open(rec["path"]) as pdf:
        assert {p.width > p.height for p in pdf.pages} == {True, False}


@pytest.mark.parametrize("template", sorted(TEMPLATE_ORDER))
def test_truth_totals_and_titles_appear_in_pdf_text(corpus, truths, template):
    _, manifest = corpus
    rec = _pick(manifest, "pdf")[template]
    truth = truths[rec["path"]]
    text = _flat(_pdf_text(rec["path"]))
    values = truth["values"]
    for metric in ("income.total", "expenditure.total", "gpb.expenditure", "sangong.total", "procurement.total"):
        assert f"{values[metric]:.2f}" in text, (template, metric)
    for item in (t for t in truth["tables"]):
        assert _flat(item["title"]) in text
    for marker in DISTINCTIVE[template]:
        assert _flat(marker) in text, (template, marker)
    assert truth["document"]["unit_name"] in text


def test_yuan_tables_print_values_times_10000(corpus, truths):
    _, manifest = corpus
    rec = _pick(manifest, "pdf")["unit_yuan"]
    truth = truths[rec["path"]]
    yuan = _yuan_cells(_pdf_text(rec["path"]))
    assert len(yuan) > 30
    assert {round(v / 10000, 2) for v in yuan} >= {truth["values"]["income.total"], truth["values"]["total.grand"]}
    assert any(round(v / 10000, 6) != round(v / 10000, 2) for v in yuan)  # real 元 precision, not 万元×10000
    assert truth["document"]["scope"] == "unit"
    assert {t["unit_as_printed"] for t in truth["tables"]} == {"元"}


def test_t05_line_items_are_table_cells(corpus, truths):
    _, manifest = corpus
    for template, rec in _pick(manifest, "pdf").items():
        truth = truths[rec["path"]]
        t05 = next(t for t in truth["tables"] if t["table"] == "T05")
        with pdfplumber.open(rec["path"]) as pdf:
            cells = {c for page in t05["pages"] for table in pdf.pages[page - 1].extract_tables()
                     for row in table for c in row if c}
        if template == "unit_yuan":
            amounts = {f"{v / 10000:.2f}" for v in _yuan_cells("\n".join(cells))}
        else:
            amounts = cells
        for item in (i for i in truth["line_items"] if i["table"] == "T05"):
            assert item["code"] in cells
            if item.get("blank"):  # a blank cell of a printed row: its zero is not printed
                assert item["value"] == 0
                continue
            assert f"{item['value']:.2f}" in amounts, (template, item)


def test_docx_has_text_and_merged_cells(corpus, truths):
    _, manifest = corpus
    for rec in _pick(manifest, "docx").values():
        text = _docx_text(rec["path"])
        values = truths[rec["path"]]["values"]
        assert f"{values['income.total']:.2f}" in text
        xml = zipfile.ZipFile(rec["path"]).read("word/document.xml").decode()
        assert "w:gridSpan" in xml and "w:vMerge" in xml
        assert docx.Document(rec["path"]).core_properties.created.year == 2025


def test_blank_cells_of_printed_rows_are_zeros_flagged_blank(corpus, truths):
    """extract-output.md: a blank cell in a printed row of a catalogued table is 0, its observation blank."""
    _, manifest = corpus
    truth = truths[_pick(manifest, "pdf")["shanghai"]["path"]]
    assert truth["values"]["income.operating"] == 0  # blank in the table, not mentioned in the text
    blank = [f for f in truth["figures"] if f["metric"] == "income.operating" and f["source"] == "table"]
    assert blank and all(f.get("blank") and f["value"] == 0 for f in blank)
    guangdong = truths[_pick(manifest, "pdf")["guangdong"]["path"]]
    assert guangdong["values"]["income.operating"] == 0  # printed 0.00
    assert not any(f.get("blank") for f in guangdong["figures"] if f["metric"] == "income.operating")


def test_every_anomaly_kind_is_planted_and_described(truths):
    planted = [a for t in truths.values() for a in t["anomalies"]]
    assert {a["kind"] for a in planted} == set(KINDS)
    for a in planted:
        assert a["rule"] and a["metrics"] and a["fiscal_year"] == 2024
        assert a["page"] is None or a["page"] >= 1


def test_anomalies_are_visible_in_the_documents(corpus, truths):
    _, manifest = corpus
    for rec in (r for r in manifest if r["format"] == "pdf"):
        truth = truths[rec["path"]]
        values = truth["values"]
        for a in truth["anomalies"]:
            if a["rule"] == "narrative_vs_table":
                assert values["total.grand"] == a["expected"] != a["printed"]  # values take the table
                assert f"{a['printed']:.2f}" in _flat(_pdf_text(rec["path"]))
                assert a["page"] >= 1
            elif a["rule"] == "sangong_sum":
                parts = values["sangong.abroad"] + values["sangong.vehicle"] + values["sangong.reception"]
                assert abs(values["sangong.total"] - parts) > 0.3
            elif a["rule"] == "pct_recompute":
                recomputed = values["sangong.total"] / values["sangong.budget"] * 100
                assert abs(values["sangong.completion_pct"] - recomputed) > 1
            elif a["rule"] == "procurement_sme_share":
                recomputed = values["procurement.sme"] / values["procurement.total"] * 100
                assert abs(values["procurement.sme_pct"] - recomputed) > 1
            elif a["rule"] == "prior_year_mismatch":
                assert values["total.grand_prev"] == a["printed"] != a["expected"]


def test_prior_year_quotes_match_last_years_document(corpus, truths):
    _, manifest = corpus
    by_key = {(r["unit_name"], r["fiscal_year"], r["format"]): truths[r["path"]] for r in manifest}
    checked = 0
    for (unit, year, fmt), truth in by_key.items():
        last = by_key.get((unit, year - 1, fmt))
        if not last:
            continue
        planted = {m for a in truth["anomalies"] for m in a["metrics"] if a["rule"] == "prior_year_mismatch"}
        for metric in ("total.grand", "gpb.expenditure", "sangong.total"):
            prev = truth["values"].get(f"{metric}_prev")
            if prev is None or f"{metric}_prev" in planted:
                continue
            assert prev == last["values"][metric], (unit, metric)
            checked += 1
    assert checked >= 10


def test_anomalies_off_means_none(tmp_path):
    manifest = build_corpus(tmp_path, units=2, formats=("docx",), anomalies=False)
    assert all(json.loads(Path(r["truth_path"]).read_text())["anomalies"] == [] for r in manifest)

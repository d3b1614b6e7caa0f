"""Unit/year/kind guesses: weak unit guesses are not produced, and a guess never overwrites what the registry holds."""
from __future__ import annotations

import pytest

from extractors.crawl import crawl_sources
from extractors.crawl.guess import guess_unit, looks_like_unit
from extractors.registry import RegistryEntry


@pytest.mark.parametrize("title, unit", [
    ("2024年度长沙市财政局部门决算", "长沙市财政局"),
    ("市人民政府办公室2024年部门预算", "市人民政府办公室"),
    ("2023年度无锡市公共资源交易中心单位决算", "无锡市公共资源交易中心"),
    ("XX市人大常委会2024年部门决算", "XX市人大常委会"),
    ("重庆市综合经济研究院", "重庆市综合经济研究院"),
    ("中国共产党佛山市委员会宣传部2022年部门决算", "中国共产党佛山市委员会宣传部"),
    # no unit named: no guess rather than a wrong one
    ("附件2：2022年度明细.pdf", ""),
    ("附件1：2023年部门决算公开表.xls", ""),
    ("2024年度一般公共预算财政拨款支出决算表", ""),
    ("部门预算公开.pdf", ""),
    ("2024年度部门决算说明", ""),
])
def test_unit_guess_needs_a_unit_name(title, unit):
    assert guess_unit(title) == unit


def test_configured_unit_is_accepted_and_found():
    assert guess_unit("长沙市本级2024年部门决算", ["长沙市本级"]) == "长沙市本级"  # no suffix, but configured
    assert guess_unit("附件：长沙市财政局.pdf", ["长沙市财政局"]) == "长沙市财政局"
    assert guess_unit("附件2：明细表.pdf", ["长沙市财政局"]) == ""
    assert not looks_like_unit("明细") and not looks_like_unit("局") and looks_like_unit("审计局")


def fast(portal, server):
    del server.resources[portal.BASE + "202406/t20240601_1009.html"]  # the slow page: not needed here


def test_attachment_without_unit_takes_the_page_unit(portal, sources_file, data, server):
    fast(portal, server)
    reg, store = data
    recs = list(crawl_sources(sources_file, reg, store))
    [detail] = [r for r in recs if r["url"].endswith("/go/outside.pdf")]  # link text '附件2：2022年度明细.pdf'
    assert detail["unit_guess"] == "长沙市财政局" and detail["year_guess"] == 2022


def test_guesses_never_overwrite_registry_values(portal, sources_file, data, server):
    fast(portal, server)
    reg, store = data
    first = [r for r in crawl_sources(sources_file, reg, store) if r["status"] == "fetched"]
    doc = next(r for r in first if r["url"].endswith("P020250929000001.pdf"))
    # a later stage confirms (or corrects) the unit and year from the document text and records them
    entry = reg.get(doc["doc_id"])
    confirmed = RegistryEntry(**{**entry.__dict__, "unit_guess": "长沙市财政局（本级）", "year_guess": 2024})
    reg._conn.execute("UPDATE documents SET unit_guess = ?, year_guess = ? WHERE doc_id = ?",
                      [confirmed.unit_guess, confirmed.year_guess, doc["doc_id"]])
    # the portal re-titles the article (and republishes the bytes): a re-crawl guesses differently …
    b = portal.BASE + "202509/t20250929_1001.html"
    server.touch(b, server.resources[b].body.decode().replace("2024年度长沙市财政局部门决算", "2025年度市教育局部门决算"))
    server.touch(portal.BASE + "202509/P020250929000001.pdf", portal.pdf_a)
    again = {r["url"]: r for r in crawl_sources(sources_file, reg, store)}
    assert again[doc["url"]]["unit_guess"] == "市教育局"  # … the crawl record shows the new guess …
    kept = reg.get(doc["doc_id"])
    assert (kept.unit_guess, kept.year_guess, kept.title) == ("长沙市财政局（本级）", 2024, entry.title)  # … kept
    # an empty field is filled by a later guess, a set one is not
    reg._conn.execute("UPDATE documents SET kind_guess = '' WHERE doc_id = ?", [doc["doc_id"]])
    assert reg.upsert(RegistryEntry(**{**kept.__dict__, "kind_guess": "budget", "unit_guess": "X局"})) is False
    assert (reg.get(doc["doc_id"]).kind_guess, reg.get(doc["doc_id"]).unit_guess) == ("budget", "长沙市财政局（本级）")

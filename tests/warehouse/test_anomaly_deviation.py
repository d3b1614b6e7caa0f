"""Issue 13 rules: a 款 printed without any 项 (a dropped row), 决算 against 预算 without a stated reason, the
publisher's 尾差 note, and a 决算's 预算数 against the same unit's 预算 document — on small hand-made contexts, on
corpus-factory documents and on genuine documents."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from extractors.figures import extract_file
from extractors.synthetic.corpus import RENDERERS
from extractors.synthetic.generator import build_unit_models
from extractors.synthetic.templates import TEMPLATES
from tests.conftest import REAL_CORPUS, require_shared
from warehouse.anomaly_rules.base import DocContext, finding
from warehouse.anomaly_rules.cross_units import budget_against_final
from warehouse.anomaly_rules.deviation import rounding_note_gate, unexplained_deviations
from warehouse.anomaly_rules.engine import findings_from_rows
from warehouse.anomaly_rules.items import childless
from warehouse.staging import record_rows

DOC = {"doc_id": "d1", "unit_name": "青川市财政局", "fiscal_year": 2024, "kind": "final_accounts"}
ITEM_COLS = ["table_id", "item_code", "item_name", "column_name", "amount_wan", "page", "code_mapped"]


def _items(rows, mapped=False):
    return pd.DataFrame([{"table_id": t, "item_code": c, "item_name": n, "column_name": "total", "amount_wan": v,
                          "page": 5, "code_mapped": mapped} for t, c, n, v in rows], columns=ITEM_COLS)


T03 = [("T03", "201", "一般公共服务支出", 150.0), ("T03", "20101", "人大事务", 100.0),
       ("T03", "2010101", "行政运行", 100.0), ("T03", "20106", "财政事务", 50.0),
       ("T03", "2010601", "行政运行", 50.0), ("T03", "208", "社会保障和就业支出", 30.0),
       ("T03", "20805", "行政事业单位养老支出", 30.0)]


def test_a_kuan_without_any_xiang_is_a_dropped_row():
    found = childless(DocContext(DOC, items=_items(T03)))
    assert [(f["rule_id"], f["severity"], f["actual_value"]) for f in found] == [("items.childless", "warning", 30.0)]
    assert "20805" in found[0]["message"] and found[0]["page"] == 5


def test_no_childless_finding_where_the_table_stops_at_kuan_or_names_were_mapped():
    only_kuan = [r for r in T03 if len(r[1]) < 7]  # a table printed to 款 only has nothing missing
    assert childless(DocContext(DOC, items=_items(only_kuan))) == []
    # a code-less table: a name the 科目 list lacks has no code, so an empty 款 proves nothing
    assert childless(DocContext(DOC, items=_items(T03, mapped=True))) == []
    zero = [r if r[1] != "20805" else (*r[:3], 0.0) for r in T03 if r[1] != "208"]
    assert childless(DocContext(DOC, items=_items(zero))) == []


def _one_child_kuan(table):
    """Index of a 项 row that is the only 项 of its 款 (with an amount), in a factory table's body."""
    codes = [row[0].strip() for row in table.body]
    for i, code in enumerate(codes):
        if re.fullmatch(r"\d{7}", code) and sum(c.startswith(code[:5]) and len(c) == 7 for c in codes) == 1 \
                and any(re.fullmatch(r"[\d,]+\.\d{2}", c.strip()) and float(c.replace(",", "")) > 0
                        for c in table.body[i][table.numeric_from:]):
            return i
    return None


def test_a_lone_xiang_dropped_from_a_factory_table_is_found_and_its_twin_is_clean(tmp_path):
    """The harness's removed_row kind: dropping the only 项 of a 款 leaves nothing for 类 = Σ款 = Σ项 to sum."""
    models = [u[-1] for u in build_unit_models(units=4, years=(2024,), seed=11) if u[-1].template != "sichuan"]
    for model in models:
        doc = TEMPLATES[model.template].build(model)
        block = next(b for b in doc.blocks if b.kind == "table" and b.table and b.table.id == "T05")
        i = _one_child_kuan(block.table)
        if i is None:
            continue
        RENDERERS["docx"](TEMPLATES[model.template].build(model), tmp_path / "twin.docx")
        code = block.table.body.pop(i)[0].strip()
        block.table.spans = []
        RENDERERS["docx"](doc, tmp_path / "mutant.docx")
        twin, mutant = ([f for f in findings_from_rows(record_rows("d", extract_file(tmp_path / n)))
                         if f["rule_id"] == "items.childless"] for n in ("twin.docx", "mutant.docx"))
        assert twin == []
        assert [f["message"].split()[1] for f in mutant] == [code[:5]]
        return
    pytest.fail("no factory T05 with a 款 of one 项")


def _lines(*texts, page=9):
    return [{"page": page, "text": t} for t in texts]


def _figs(metric, text, page=9):
    return pd.DataFrame([{"metric_id": metric, "amount_wan": None, "value_num": None, "source": "narrative",
                          "table_id": None, "page": page, "raw_text": text, "figure_seq": 1}])


SANGONG = "2024年度“三公”经费财政拨款支出预算为20.00万元，支出决算为12.00万元，完成预算的60.00%。"


def test_a_large_deviation_without_a_reason_is_info_and_with_one_nothing():
    vals = {"sangong.total": 12.0, "sangong.budget": 20.0}
    bare = DocContext(DOC, vals, figs=_figs("sangong.total", SANGONG), lines=_lines(SANGONG, "（二）机关运行经费"))
    found = unexplained_deviations(bare)
    assert [(f["rule_id"], f["severity"], f["expected_value"], f["actual_value"]) for f in found] == \
        [("deviation.no_reason", "info", 20.0, 12.0)]
    assert "40%" in found[0]["message"] and found[0]["page"] == 9
    # the reason may follow on the next visual lines (PDF lines wrap sentences)
    why = DocContext(DOC, vals, figs=_figs("sangong.total", SANGONG),
                     lines=_lines(SANGONG, "决算数小于预算数的主要原因是厉行节约，严格控制“三公”经费支出。"))
    assert unexplained_deviations(why) == []
    # 因公出国 is not a reason (因 followed by 公)
    abroad = DocContext(DOC, vals, figs=_figs("sangong.total", SANGONG), lines=_lines(SANGONG, "其中因公出国（境）费0万元"))
    assert len(unexplained_deviations(abroad)) == 1
    near = DocContext(DOC, {"sangong.total": 18.0, "sangong.budget": 20.0}, figs=_figs("sangong.total", SANGONG),
                      lines=_lines(SANGONG))
    assert unexplained_deviations(near) == []  # within 20 %
    budget_doc = DocContext(DOC | {"kind": "budget"}, vals, figs=_figs("sangong.total", SANGONG), lines=_lines(SANGONG))
    assert unexplained_deviations(budget_doc) == []


def _sum_finding(gap):
    return finding("sum.sangong_components", DOC, "sangong.total", 10.0, 10.0 + gap, "“三公”经费合计 ≠ 各项之和")


def test_a_rounding_note_turns_rounding_size_gaps_into_info():
    note = DocContext(DOC, lines=_lines("注：本表金额转换为万元时，因四舍五入可能存在尾差。", page=7))
    small, large = rounding_note_gate(note, [_sum_finding(0.03), _sum_finding(0.5)])
    assert small["severity"] == "info" and "尾差" in small["message"] and "第7页" in small["message"]
    assert large["severity"] == "error"
    assert rounding_note_gate(DocContext(DOC), [_sum_finding(0.03)])[0]["severity"] == "error"


def test_a_final_accounts_budget_against_the_units_budget_document():
    docs = pd.DataFrame([{"doc_id": d, "unit_id": "u", "unit_name": "u", "fiscal_year": 2024, "kind": k, "scope": "department"}
                         for d, k in (("b", "budget"), ("f", "final_accounts"))])
    amounts = pd.Series({("b", "sangong.total"): 15.0, ("f", "sangong.budget"): 18.0, ("b", "gpb.expenditure"): 900.0,
                         ("f", "gpb.budget"): 900.0})
    found = budget_against_final(docs, amounts, lambda d, m: (12, "预算为18.00万元"))
    assert [(f["rule_id"], f["doc_id"], f["metric_id"], f["expected_value"], f["actual_value"], f["severity"])
            for f in found] == [("cross_doc.budget_vs_final", "f", "sangong.budget", 15.0, 18.0, "info")]
    other_scope = docs.assign(scope=["unit", "department"])
    assert budget_against_final(other_scope, amounts, lambda d, m: (None, "")) == []


def _real(name):
    return extract_file(require_shared(REAL_CORPUS) / name)


@pytest.mark.real_corpus
def test_genuine_deviation_with_its_reason_is_not_reported():
    """普陀区规划和自然资源局 2024 决算 p.25: 三公 决算 0.39 against 预算 2.85 万元 (−86 %), and the paragraph goes on
    "决算数小于预算数的主要原因：严格落实中央八项规定…" (checked with pdftotext): nothing to report."""
    rec = _real("shanghai_putuo-ghzyj_2024_juesuan.pdf")
    assert rec["values"]["sangong.total"] == 0.39 and rec["values"]["sangong.budget"] == 2.85
    found = findings_from_rows(record_rows("d", rec))
    assert not [f for f in found if f["rule_id"] in ("deviation.no_reason", "items.childless")]


@pytest.mark.real_corpus
def test_genuine_rounding_note_makes_a_rounding_gap_info():
    """佛山市公路事务中心 2019 决算 notes under its tables "本表金额转换为万元时，因四舍五入可能存在尾差" (p.7 on). A 类
    printed 0.03 above its 款 (as such a note explains) is info there; the genuine document itself has no gap."""
    rec = _real("guangdong_fs-gdjtj_2019_juesuan.pdf")
    rows = record_rows("d", rec)
    assert not [f for f in findings_from_rows(rows) if f["severity"] == "error"]
    cls = next(r for r in rows["line_items"] if r["table_id"] == "T03" and r["column_name"] == "total"
               and len(str(r["item_code"])) == 3 and r["amount_wan"])
    cls["amount_wan"] = round(float(cls["amount_wan"]) + 0.03, 2)
    hier = [f for f in findings_from_rows(rows) if f["rule_id"] == "items.hierarchy"]
    assert hier and all(f["severity"] == "info" and "尾差" in f["message"] for f in hier)


def test_the_reason_given_for_the_sangong_total_covers_its_items():
    """Publishers explain the 三公 section once: an item far off its budget needs no reason of its own then."""
    vals = {"sangong.total": 12.0, "sangong.budget": 20.0, "sangong.abroad": 2.0, "sangong.abroad_budget": 6.0}
    abroad = "其中：因公出国（境）费支出决算2.00万元。"
    figs = pd.concat([_figs("sangong.total", SANGONG), _figs("sangong.abroad", abroad)], ignore_index=True)
    told = DocContext(DOC, vals, figs=figs, lines=_lines(SANGONG, "决算数小于预算数的主要原因是厉行节约。", abroad))
    assert unexplained_deviations(told) == []
    untold = DocContext(DOC, vals, figs=figs, lines=_lines(SANGONG, "（二）机关运行经费", "", "", "", abroad))
    assert sorted(f["metric_id"] for f in unexplained_deviations(untold)) == ["sangong.abroad", "sangong.total"]

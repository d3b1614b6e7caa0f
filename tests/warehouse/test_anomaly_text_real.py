"""Text and comparison findings on genuine documents, each checked against the rendered page by hand."""
from __future__ import annotations

import pytest

from tests.conftest import REAL_CORPUS, require_shared

pytestmark = pytest.mark.real_corpus


def _findings(name):
    from extractors.figures import extract_file
    from warehouse.anomaly_rules.engine import findings_from_rows
    from warehouse.staging import record_rows

    return findings_from_rows(record_rows("d0", extract_file(require_shared(REAL_CORPUS) / name)))


def test_the_official_template_is_all_placeholders():
    """The 上海 部门决算 template (附件2) prints "上海市XX局" and "XXX万元" on every page: genuine placeholders
    (it is a template), one finding per page, and nothing else of the text/comparison families."""
    found = [f for f in _findings("shanghai_template-xxju_2024_juesuan-TEMPLATE.pdf")
             if f["rule_id"].startswith(("text.", "compare."))]
    assert {f["rule_id"] for f in found} == {"text.placeholder"}
    assert len(found) == len({f["page"] for f in found}) >= 10


def test_a_table_part_heading_that_drops_the_district_is_reported():
    """普陀区规划和自然资源局 2024 决算, p.7: the table part is headed "上海市规划和自然资源局2024年度部门决算表" —
    the municipal bureau's name, not the cover's 上海市普陀区规划和自然资源局 (checked on the page): a warning."""
    found = [f for f in _findings("shanghai_putuo-ghzyj_2024_juesuan.pdf") if f["rule_id"].startswith("text.")]
    assert [(f["rule_id"], f["severity"], f["page"]) for f in found] == [("text.unit_name", "warning", 7)]


@pytest.mark.parametrize("name", ["guangdong_fs-gdjtj_2019_juesuan.pdf", "fujian_qz-zfb_2026_yusuan.pdf",
                                  "jiangsu_suz-sjj_2026_yusuan.pdf", "chongqing_cq-zfbgt_2026_yusuan.pdf"])
def test_correct_comparison_statements_raise_nothing(name):
    """Statements that are right and once looked wrong: 佛山 2019 "决算大于预算数" (0.16 against a 0 budget — a zero
    is exact, not 0 ± 0.5); 泉州 "比上年增加4385.72万元" (the change, not 上年's amount); 苏州 "上年结转结余为0万元"
    (a carry-over, not a zero base); 重庆 "…与2025年持平" after another item's "比2025年增加…"."""
    assert [f for f in _findings(name) if f["rule_id"].startswith("compare.")] == []

"""Every document of shared/corpus/real is read without an exception and yields identity plus its totals.

Expected identity hand-checked against shared/corpus/manifest_real.csv (issuer, year, kind) and the covers.
Scope: "unit" for 单位预算 and （本级） documents, else "department". Special files: the NEGATIVE scan (no text
layer, not a disclosure) and the TEMPLATE files give a sensible record (status partial, no totals); the
Guangzhou 绩效目标表 attachment has identity but no totals.
"""
from __future__ import annotations

import pytest

from extractors.figures import extract_file
from tests.conftest import REAL_CORPUS, require_shared

pytestmark = pytest.mark.real_corpus

B, F = "budget", "final_accounts"
D, U = "department", "unit"
NO_TOTALS = "no_totals"
# file → (unit_name, fiscal_year, kind, scope[, NO_TOTALS])
EXPECTED = {
    "beijing_bj-czj_2026_yusuan.pdf": ("北京市财政局", 2026, B, D),
    "beijing_bj-jw_2026_yusuan.pdf": ("北京市教育委员会", 2026, B, D),
    "central_gjxfj_2026_yusuan.pdf": ("国家信访局", 2026, B, D),
    "chongqing_cq-jtw_2018_yusuan.html": ("重庆市交通委员会", 2018, B, D),
    "chongqing_cq-qxj_2026_yusuan.pdf": ("重庆市气象局", 2026, B, D),
    "chongqing_cq-zfbgt_2026_yusuan.pdf": ("重庆市人民政府办公厅", 2026, B, D),
    "fujian_fz-gaj-zazd_2026_yusuan-unit.pdf": ("福州市公安局治安管理支队", 2026, B, U),
    "fujian_fz-swj_2026_yusuan.pdf": ("福州市商务局", 2026, B, D),
    "fujian_qz-zfb_2026_yusuan.pdf": ("泉州市人民政府办公室", 2026, B, D),
    "guangdong_fs-gdjtj_2019_juesuan.pdf": ("佛山市轨道交通局", 2019, F, D),
    "guangdong_gz-sthjj_2026_yusuan-jxmb.pdf": ("广州市生态环境局", 2026, B, D, NO_TOTALS),
    "guangdong_gz-tjj_2026_yusuan.pdf": ("广州市统计局", 2026, B, D),
    "guangdong_sz-czj_2026_yusuan.pdf": ("深圳市财政局", 2026, B, U),
    "guangdong_sz-mzj_2026_yusuan.pdf": ("深圳市民政局", 2026, B, U),
    "guangdong_sz-rsj_2026_yusuan.pdf": ("深圳市人力资源和社会保障局", 2026, B, D),
    "guangdong_zh-swj_2026_yusuan.pdf": ("珠海市商务局", 2026, B, D),
    "henan_zz-gtj_2015_yusuan.html": ("郑州市国土资源局", 2015, B, D),
    "hunan_cs-gajj_2023_NEGATIVE-jxpj-scanned.pdf": (None, None, None, D, NO_TOTALS),
    "hunan_cs-xfj_2026_yusuan.pdf": ("长沙市信访局", 2026, B, D),
    "jiangsu_suz-sjj_2026_yusuan.pdf": ("苏州市审计局", 2026, B, D),
    "jiangsu_suz-swj_2026_yusuan-unit.pdf": ("苏州市水务局", 2026, B, U),
    "jiangsu_wx-jtysj_2026_yusuan-unit.pdf": ("无锡市交通运输局", 2026, B, U),
    "jiangsu_wx-tjj_2026_yusuan.pdf": ("无锡市统计局", 2026, B, D),
    "jilin_cc-xfj_2026_yusuan.pdf": ("长春市信访局", 2026, B, U),
    "shaanxi_xa-ajj_2019_yusuan-tables.pdf": ("西安市安全生产监督管理局", 2019, B, D),
    "shaanxi_xa-czj_2026_yusuan.pdf": ("西安市财政局", 2026, B, D),
    "shaanxi_xa-fgw_2019_yusuan-narrative.pdf": ("西安市发展和改革委员会", 2019, B, D),
    "shaanxi_xa-wjw_2022_juesuan.pdf": ("西安市卫生健康委员会", 2022, F, D),
    "shandong_yt-czj_2026_yusuan.pdf": ("烟台市财政局", 2026, B, D),
    "shanghai_putuo-czj_2024_juesuan-MODIFIED-testerrors.pdf": ("上海市普陀区财政局", 2024, F, D),
    "shanghai_putuo-czj_2024_juesuan.pdf": ("上海市普陀区财政局", 2024, F, D),
    "shanghai_putuo-czj_2025_yusuan-dept.pdf": ("上海市普陀区财政局", 2025, B, D),
    "shanghai_putuo-ghzyj_2024_juesuan.pdf": ("上海市普陀区规划和自然资源局", 2024, F, D),
    "shanghai_putuo-sfj_2026_yusuan-dept.pdf": ("上海市普陀区司法局", 2026, B, D),
    "shanghai_putuo-sfj_2026_yusuan-unit.pdf": ("上海市普陀区司法局", 2026, B, U),
    "shanghai_putuo-shflyuan_2024_yusuan-unit.pdf": ("上海市普陀区社会福利院", 2024, B, U),
    "shanghai_putuo-shgzb_2024_juesuan.pdf": ("中共上海市普陀区委社会工作部", 2024, F, D),
    "shanghai_putuo-swj_2025_yusuan-dept.pdf": ("上海市普陀区商务委员会", 2025, B, D),
    "shanghai_putuo-template_2026_yusuan-unit-TEMPLATE.xls": (None, None, B, D, NO_TOTALS),
    "shanghai_putuo-wanli-jd_2023_yusuan.pdf": ("上海市普陀区人民政府万里街道办事处", 2023, B, D),
    "shanghai_putuo-wanli-jd_2024_yusuan.pdf": ("上海市普陀区人民政府万里街道办事处", 2024, B, D),
    "shanghai_putuo-wanli-jd_2025_yusuan.pdf": ("上海市普陀区人民政府万里街道办事处", 2025, B, D),
    "shanghai_putuo-zfb_2025_yusuan-dept.pdf": ("上海市普陀区人民政府办公室", 2025, B, D),
    "shanghai_putuo-zfb_2025_yusuan-unit.pdf": ("上海市普陀区人民政府办公室", 2025, B, U),
    "shanghai_sh-czj_2025_yusuan-unit.pdf": ("上海市财政局", 2025, B, U),
    "shanghai_sh-flcp_2026_yusuan-unit.pdf": ("上海市福利彩票发行中心", 2026, B, U),
    "shanghai_sh-sjj_2026_yusuan-unit.pdf": ("上海市审计局", 2026, B, U),
    "shanghai_template-xxju_2024_juesuan-TEMPLATE.pdf": (None, 2024, F, D, NO_TOTALS),
    "zhejiang_huz-czj_2026_yusuan.pdf": ("湖州市财政局", 2026, B, D),
    "zhejiang_hz-sfj_2026_yusuan.pdf": ("杭州市司法局", 2026, B, D),
}
# narrative-only HTML pages (Chongqing 2018) disclose only the 一般公共预算 totals
TOTALS = ("total.grand", "income.total", "expenditure.total", "gpb.expenditure")


def test_every_real_file_is_listed():
    real = require_shared(REAL_CORPUS)
    assert sorted(p.name for p in real.iterdir() if p.is_file()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_identity_and_totals(name):
    path = require_shared(REAL_CORPUS) / name
    unit, year, kind, scope, *flags = EXPECTED[name]
    rec = extract_file(path)  # never raises for a file in the corpus
    doc, values = rec["document"], rec["values"]
    assert set(rec) >= {"document", "values", "figures", "line_items", "tables", "claims"}
    if unit is not None:
        assert doc["unit_name"] == unit
    if year is not None:
        assert doc["fiscal_year"] == year
    if kind is not None:
        assert doc["kind"] == kind
    assert doc["scope"] == scope
    if NO_TOTALS in flags:
        assert not any(k in values for k in TOTALS), values
        if not values:
            assert doc["status"] == "partial"
    else:
        assert any(k in values for k in TOTALS), (doc, sorted(values))
        assert doc["status"] == "ok", doc["errors"]
    for f in rec["figures"]:
        assert f["page"] >= 1 and f["text"] and f["source"] in ("table", "narrative")

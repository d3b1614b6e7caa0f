"""Tuning half and test half of the hand-checked real documents (issue 12: "keep yourselves honest").

Code may change because a *tuning* document fails; a *test* document's failures are reported, never fixed for.
The split is by document and was fixed once, before scoring, by one rule applied batch by batch:

    within each batch, and within each kind (决算 / 预算), sort the documents by sha256 and alternate,
    the first one tuning.

* development: the shared gold's documents were tuned on from the start, so they are tuning by definition;
* batch 1 (2026-12-03): the eight documents newly labelled into ``tests/gold/``;
* batch 2 (2026-12-03): the rest of ``real_expectations.py``;
* batch 3 (2026-12-03): four more documents labelled into ``tests/gold/``, chosen before any was scored from
  documents in no gold and no earlier batch, regions new to the gold where the corpus has them (杭州, 无锡, 烟台;
  the corpus's only other 决算 are 普陀's);
* batch 4 (2026-12-03, third session): six more, chosen before any was scored by the same criterion — regions and
  layouts no gold holds yet: 重庆 (市政府办公厅 PDF, 交通委 2018 HTML), 泉州, 西安 2019 tables-only, a 普陀 budget
  whose tables are in 元, and the corpus's last genuine 决算 not yet labelled (普陀 规划和自然资源局);
* batch 5 (2026-12-03, third session): six more by the same criterion — every remaining document outside 上海
  that is a budget with figures (北京教委, 福州 治安支队, 苏州水务, 无锡交通运输, 西安发改 2019 narrative) and
  the one 上海 市级 unit budget in 元 (市财政局 2025);
* batch 6 (2026-12-03, fourth session): every real document left with budget figures — the 上海 budgets whose
  tables are in 元 (普陀 财政局/司法局 ×2/社会福利院/商务委/万里街道 2023 and 2024/区府办 ×2, 市福彩中心) and
  深圳人社局 (262 pages). Several are a sibling (dept vs unit, another year) of a tuning document, which the
  rule does not look at; the split below is the rule's.

``test_halves_follow_the_rule`` recomputes the split from the manifest's hashes, so the table below cannot
drift from the rule.
"""
from __future__ import annotations

DEVELOPMENT = ("guangdong_sz-czj_2026_yusuan.pdf", "chongqing_cq-qxj_2026_yusuan.pdf")
BATCHES = (
    ("guangdong_fs-gdjtj_2019_juesuan.pdf", "shaanxi_xa-wjw_2022_juesuan.pdf", "henan_zz-gtj_2015_yusuan.html",
     "beijing_bj-czj_2026_yusuan.pdf", "jilin_cc-xfj_2026_yusuan.pdf", "hunan_cs-xfj_2026_yusuan.pdf",
     "jiangsu_suz-sjj_2026_yusuan.pdf", "zhejiang_huz-czj_2026_yusuan.pdf"),
    ("guangdong_sz-mzj_2026_yusuan.pdf", "fujian_fz-swj_2026_yusuan.pdf", "shaanxi_xa-czj_2026_yusuan.pdf",
     "shanghai_sh-sjj_2026_yusuan-unit.pdf", "central_gjxfj_2026_yusuan.pdf", "guangdong_zh-swj_2026_yusuan.pdf",
     "guangdong_gz-tjj_2026_yusuan.pdf"),
    ("shanghai_putuo-czj_2024_juesuan.pdf", "zhejiang_hz-sfj_2026_yusuan.pdf", "jiangsu_wx-tjj_2026_yusuan.pdf",
     "shandong_yt-czj_2026_yusuan.pdf"),
    ("shanghai_putuo-ghzyj_2024_juesuan.pdf", "shaanxi_xa-ajj_2019_yusuan-tables.pdf", "fujian_qz-zfb_2026_yusuan.pdf",
     "chongqing_cq-zfbgt_2026_yusuan.pdf", "chongqing_cq-jtw_2018_yusuan.html",
     "shanghai_putuo-wanli-jd_2025_yusuan.pdf"),
    ("beijing_bj-jw_2026_yusuan.pdf", "fujian_fz-gaj-zazd_2026_yusuan-unit.pdf", "jiangsu_suz-swj_2026_yusuan-unit.pdf",
     "jiangsu_wx-jtysj_2026_yusuan-unit.pdf", "shaanxi_xa-fgw_2019_yusuan-narrative.pdf",
     "shanghai_sh-czj_2025_yusuan-unit.pdf"),
    ("shanghai_putuo-czj_2025_yusuan-dept.pdf", "shanghai_putuo-sfj_2026_yusuan-dept.pdf",
     "shanghai_putuo-sfj_2026_yusuan-unit.pdf", "shanghai_putuo-shflyuan_2024_yusuan-unit.pdf",
     "shanghai_putuo-swj_2025_yusuan-dept.pdf", "shanghai_putuo-wanli-jd_2023_yusuan.pdf",
     "shanghai_putuo-wanli-jd_2024_yusuan.pdf", "shanghai_putuo-zfb_2025_yusuan-dept.pdf",
     "shanghai_putuo-zfb_2025_yusuan-unit.pdf", "shanghai_sh-flcp_2026_yusuan-unit.pdf",
     "guangdong_sz-rsj_2026_yusuan.pdf"),
)

HALF: dict[str, str] = {
    **{f: "tuning" for f in DEVELOPMENT},
    # batch 1 — 决算: fs-gdjtj (3b…), xa-wjw (d5…); 预算: henan (49…), suz-sjj (56…), huz-czj (63…), cs-xfj (6b…),
    # bj-czj (6d…), cc-xfj (f8…)
    "guangdong_fs-gdjtj_2019_juesuan.pdf": "tuning", "shaanxi_xa-wjw_2022_juesuan.pdf": "test",
    "henan_zz-gtj_2015_yusuan.html": "tuning", "jiangsu_suz-sjj_2026_yusuan.pdf": "test",
    "zhejiang_huz-czj_2026_yusuan.pdf": "tuning", "hunan_cs-xfj_2026_yusuan.pdf": "test",
    "beijing_bj-czj_2026_yusuan.pdf": "tuning", "jilin_cc-xfj_2026_yusuan.pdf": "test",
    # batch 2 — 预算: gjxfj (35…), sz-mzj (3d…), sh-sjj (44…), zh-swj (6c…), gz-tjj (71…), xa-czj (bc…), fz-swj (c8…)
    "central_gjxfj_2026_yusuan.pdf": "tuning", "guangdong_sz-mzj_2026_yusuan.pdf": "test",
    "shanghai_sh-sjj_2026_yusuan-unit.pdf": "tuning", "guangdong_zh-swj_2026_yusuan.pdf": "test",
    "guangdong_gz-tjj_2026_yusuan.pdf": "tuning", "shaanxi_xa-czj_2026_yusuan.pdf": "test",
    "fujian_fz-swj_2026_yusuan.pdf": "tuning",
    # batch 3 — 决算: putuo-czj (d4…); 预算: hz-sfj (42…), wx-tjj (9b…), yt-czj (ae…)
    "shanghai_putuo-czj_2024_juesuan.pdf": "tuning",
    "zhejiang_hz-sfj_2026_yusuan.pdf": "tuning", "jiangsu_wx-tjj_2026_yusuan.pdf": "test",
    "shandong_yt-czj_2026_yusuan.pdf": "tuning",
    # batch 4 — 决算: putuo-ghzyj (f2…); 预算: xa-ajj (15…), qz-zfb (2f…), cq-zfbgt (3b…), cq-jtw (7f…), wanli-jd (80…)
    "shanghai_putuo-ghzyj_2024_juesuan.pdf": "tuning",
    "shaanxi_xa-ajj_2019_yusuan-tables.pdf": "tuning", "fujian_qz-zfb_2026_yusuan.pdf": "test",
    "chongqing_cq-zfbgt_2026_yusuan.pdf": "tuning", "chongqing_cq-jtw_2018_yusuan.html": "test",
    "shanghai_putuo-wanli-jd_2025_yusuan.pdf": "tuning",
    # batch 5 — 预算: sh-czj (22…), fz-gaj-zazd (2b…), wx-jtysj (4c…), suz-swj (59…), xa-fgw (a7…), bj-jw (f4…)
    "shanghai_sh-czj_2025_yusuan-unit.pdf": "tuning", "fujian_fz-gaj-zazd_2026_yusuan-unit.pdf": "test",
    "jiangsu_wx-jtysj_2026_yusuan-unit.pdf": "tuning", "jiangsu_suz-swj_2026_yusuan-unit.pdf": "test",
    "shaanxi_xa-fgw_2019_yusuan-narrative.pdf": "tuning", "beijing_bj-jw_2026_yusuan.pdf": "test",
    # batch 6 — 预算: wanli-jd 2023 (20…), sz-rsj (66…), zfb unit (6a…), wanli-jd 2024 (9c…), sfj unit (ad…),
    # czj 2025 (af…), swj (b0…), shflyuan (b3…), sfj dept (c8…), zfb dept (ef…), sh-flcp (f5…)
    "shanghai_putuo-wanli-jd_2023_yusuan.pdf": "tuning", "guangdong_sz-rsj_2026_yusuan.pdf": "test",
    "shanghai_putuo-zfb_2025_yusuan-unit.pdf": "tuning", "shanghai_putuo-wanli-jd_2024_yusuan.pdf": "test",
    "shanghai_putuo-sfj_2026_yusuan-unit.pdf": "tuning", "shanghai_putuo-czj_2025_yusuan-dept.pdf": "test",
    "shanghai_putuo-swj_2025_yusuan-dept.pdf": "tuning", "shanghai_putuo-shflyuan_2024_yusuan-unit.pdf": "test",
    "shanghai_putuo-sfj_2026_yusuan-dept.pdf": "tuning", "shanghai_putuo-zfb_2025_yusuan-dept.pdf": "test",
    "shanghai_sh-flcp_2026_yusuan-unit.pdf": "tuning",
}


def kind_of(name: str) -> str:
    return "final_accounts" if "_juesuan" in name else "budget"


def split_by_rule(batch: tuple[str, ...], sha256: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for kind in ("final_accounts", "budget"):
        docs = sorted((f for f in batch if kind_of(f) == kind), key=lambda f: sha256[f])
        out.update({f: ("tuning", "test")[i % 2] for i, f in enumerate(docs)})
    return out


def half_of(name: str) -> str:
    return HALF[name.rsplit("/", 1)[-1]]

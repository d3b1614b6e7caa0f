"""Hand-checked expectations: which standard tables (T01–T09) each real document contains, on which pages
(first, last — continuation pages included) and in which unit.

Derived by reading each document's table pages (titles, 单位 captions, where a table runs onto the next page),
not by snapshotting the reader. Notes on the non-obvious ones:
- MODIFIED-testerrors: the third party removed the 支出决算表 (T03) — its absence is the injected error.
- fs-gdjtj 2019: Guangdong 8-table set, no 国有资本经营 table.
- T10 (一般公共预算支出经济分类表, budgets) where the document prints one: fz-swj p20, sz-czj p34-37, xa-ajj p10-15.
- cq-zfbgt, cs-xfj: no 国有资本经营 table published; xa-ajj 2019: none either.
- sz-czj: 表4 基本支出总表 / 表5 项目支出总表 are all-funds tables, not T06; 表7 (按功能分类) is T05, 表8
  (按经济分类) is not a standard table; no 一般公共预算基本支出 table is published.
- gz-tjj: 表7 项目支出 (经济分类) and 表11 部门预算基本支出预算表 (all funds) are not standard tables.
- suz-sjj: 公开05/06表 are 财政拨款 (all three funds) tables; T05/T06 are 公开07/08表.
- Shanghai budgets print tables in 元 but the 三公 table in 万元.
- neijiang seed: the rendering lists the tables in its TOC only; no table is printed.
"""

JUESUAN = {
    "shanghai_putuo-czj_2024_juesuan.pdf": {"T01": (6, 7, "万元"), "T02": (8, 9, "万元"), "T03": (10, 11, "万元"), "T04": (12, 13, "万元"), "T05": (15, 15, "万元"), "T06": (16, 17, "万元"), "T07": (18, 18, "万元"), "T08": (19, 19, "万元"), "T09": (20, 20, "万元")},
    "shanghai_putuo-czj_2024_juesuan-MODIFIED-testerrors.pdf": {"T01": (7, 7, "万元"), "T02": (8, 9, "万元"), "T04": (10, 11, "万元"), "T05": (12, 12, "万元"), "T06": (13, 14, "万元"), "T07": (15, 15, "万元"), "T08": (16, 16, "万元"), "T09": (17, 17, "万元")},
    "shanghai_putuo-ghzyj_2024_juesuan.pdf": {"T01": (7, 7, "万元"), "T02": (8, 9, "万元"), "T03": (10, 11, "万元"), "T04": (12, 13, "万元"), "T05": (14, 15, "万元"), "T06": (16, 16, "万元"), "T07": (17, 17, "万元"), "T08": (18, 18, "万元"), "T09": (19, 19, "万元")},
    "shanghai_putuo-shgzb_2024_juesuan.pdf": {"T01": (5, 5, "万元"), "T02": (6, 7, "万元"), "T03": (8, 9, "万元"), "T04": (10, 11, "万元"), "T05": (12, 12, "万元"), "T06": (13, 13, "万元"), "T07": (14, 14, "万元"), "T08": (15, 15, "万元"), "T09": (16, 16, "万元")},
    "shanghai_template-xxju_2024_juesuan-TEMPLATE.pdf": {"T01": (5, 5, "万元"), "T02": (6, 6, "万元"), "T03": (7, 7, "万元"), "T04": (8, 9, "万元"), "T05": (10, 10, "万元"), "T06": (11, 11, "万元"), "T07": (12, 12, "万元"), "T08": (13, 13, "万元"), "T09": (14, 14, "万元")},
    "guangdong_fs-gdjtj_2019_juesuan.pdf": {"T01": (5, 7, "万元"), "T02": (8, 9, "万元"), "T03": (10, 11, "万元"), "T04": (12, 14, "万元"), "T05": (15, 16, "万元"), "T06": (17, 20, "万元"), "T07": (21, 21, "万元"), "T08": (22, 23, "万元")},
}

BUDGETS = {  # eleven provinces / levels
    "central_gjxfj_2026_yusuan.pdf": {"T01": (5, 5, "万元"), "T02": (6, 6, "万元"), "T03": (7, 8, "万元"), "T04": (9, 9, "万元"), "T05": (10, 11, "万元"), "T06": (12, 13, "万元"), "T08": (14, 14, "万元"), "T09": (15, 15, "万元"), "T07": (16, 16, "万元")},
    "chongqing_cq-zfbgt_2026_yusuan.pdf": {"T01": (9, 9, "万元"), "T02": (10, 11, "万元"), "T03": (12, 13, "万元"), "T04": (14, 14, "万元"), "T05": (15, 16, "万元"), "T06": (17, 18, "万元"), "T08": (19, 19, "万元"), "T07": (20, 20, "万元")},
    "fujian_fz-swj_2026_yusuan.pdf": {"T01": (11, 11, "万元"), "T02": (12, 12, "万元"), "T03": (13, 14, "万元"), "T04": (15, 15, "万元"), "T05": (16, 17, "万元"), "T08": (18, 18, "万元"), "T09": (19, 19, "万元"), "T06": (21, 23, "万元"), "T07": (24, 24, "万元"), "T10": (20, 20, "万元")},
    "guangdong_gz-tjj_2026_yusuan.pdf": {"T01": (6, 7, "万元"), "T02": (8, 8, "万元"), "T03": (9, 10, "万元"), "T04": (11, 12, "万元"), "T05": (13, 13, "万元"), "T06": (14, 15, "万元"), "T07": (17, 17, "万元"), "T08": (18, 18, "万元"), "T09": (19, 19, "万元")},
    "guangdong_sz-czj_2026_yusuan.pdf": {"T01": (16, 18, "万元"), "T02": (19, 19, "万元"), "T03": (20, 23, "万元"), "T04": (28, 30, "万元"), "T05": (31, 33, "万元"), "T07": (38, 38, "万元"), "T08": (39, 39, "万元"), "T09": (40, 40, "万元"), "T10": (34, 37, "万元")},
    "hunan_cs-xfj_2026_yusuan.pdf": {"T01": (12, 12, "万元"), "T02": (13, 13, "万元"), "T03": (14, 14, "万元"), "T04": (15, 16, "万元"), "T05": (17, 17, "万元"), "T06": (18, 19, "万元"), "T07": (20, 20, "万元"), "T08": (21, 21, "万元")},
    "jiangsu_suz-sjj_2026_yusuan.pdf": {"T01": (9, 9, "万元"), "T02": (10, 10, "万元"), "T03": (11, 11, "万元"), "T04": (12, 13, "万元"), "T05": (16, 16, "万元"), "T06": (17, 17, "万元"), "T07": (18, 18, "万元"), "T08": (19, 19, "万元"), "T09": (20, 20, "万元")},
    "jilin_cc-xfj_2026_yusuan.pdf": {"T01": (6, 6, "万元"), "T02": (7, 7, "万元"), "T03": (8, 8, "万元"), "T04": (9, 9, "万元"), "T05": (10, 10, "万元"), "T06": (11, 11, "万元"), "T07": (12, 12, "万元"), "T08": (13, 13, "万元"), "T09": (15, 15, "万元")},
    "shaanxi_xa-ajj_2019_yusuan-tables.pdf": {"T01": (3, 3, "万元"), "T02": (4, 4, "万元"), "T03": (5, 5, "万元"), "T04": (6, 6, "万元"), "T05": (7, 9, "万元"), "T06": (19, 23, "万元"), "T08": (24, 24, "万元"), "T07": (32, 32, "万元"), "T10": (10, 15, "万元")},
    "shandong_yt-czj_2026_yusuan.pdf": {"T01": (10, 10, "万元"), "T02": (11, 12, "万元"), "T03": (13, 14, "万元"), "T04": (15, 16, "万元"), "T05": (17, 18, "万元"), "T06": (19, 20, "万元"), "T07": (21, 21, "万元"), "T08": (22, 22, "万元"), "T09": (23, 23, "万元")},
    "shanghai_sh-czj_2025_yusuan-unit.pdf": {"T01": (7, 7, "元"), "T02": (8, 9, "元"), "T03": (10, 11, "元"), "T04": (12, 12, "元"), "T05": (13, 14, "元"), "T08": (15, 15, "元"), "T09": (16, 16, "元"), "T06": (17, 19, "元"), "T07": (20, 20, "万元")},
    # hz-sfj T04: its 收入总计/支出总计 row is printed alone at the top of page 29
    "zhejiang_hz-sfj_2026_yusuan.pdf": {"T01": (23, 24, "万元"), "T02": (25, 25, "万元"), "T03": (26, 27, "万元"), "T04": (28, 29, "万元"), "T05": (30, 31, "万元"), "T06": (32, 33, "万元"), "T07": (34, 34, "万元"), "T08": (35, 35, "万元"), "T09": (36, 36, "万元")},
}

SEED = {"neijiang_gjj_2024_juesuan.pdf": {}, "neijiang_gjj_2024_juesuan.docx": {}}

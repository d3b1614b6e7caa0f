"""The disclosure classifier: titles alone, the shared real corpus (every file, judged by its published name and
first pages), the shared portal pages and the crawler's fixture portal."""
from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from extractors.classify import classify, page_holds_disclosure, title_label
from extractors.crawl.config import DEFAULT_ATTACHMENT_EXTENSIONS, DEFAULT_DETAIL_PATTERN, Source
from extractors.crawl.crawler import candidate_title
from extractors.crawl.links import is_attachment, is_detail, parse_page
from extractors.crawl.textcodec import decode_html
from extractors.crawl.verdict import judge_page
from extractors.leadtext import classify_file

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
TITLE_INCLUDE = re.compile(Source.__dataclass_fields__["title_include"].default)  # the crawler's default

TITLES = [
    ("2024年度长沙市财政局部门决算", "disclosure"),
    ("长沙市财政局2025年部门预算公开", "disclosure"),
    ("2026年度郑州市生态环境局二七分局单位预算公开.pdf", "disclosure"),
    ("中国共产党佛山市委员会宣传部一般公共预算拨款“三公”经费情况统计表（2016年）", "disclosure"),
    ("2022年中国共产党佛山市委员会宣传部（本级）部门预算", "disclosure"),
    ("长沙市人大常委会办公厅2024年度部门决算", "disclosure"),
    ("中国人民政治协商会议长沙市委员会办公厅2024年度部门决算", "disclosure"),  # 会议 in a name is no meeting
    ("长沙市会议接待中心2024年度单位决算", "disclosure"),
    ("长沙市财政局2024年度部门决算报告", "disclosure"),
    ("2024年度长沙市交通局部门决算（含项目绩效评价结果）", "disclosure"),  # the disclosure with its parts
    ("长沙市财政局2026年部门预算及绩效目标", "disclosure"),
    ("长沙市交通局2023年度部门决算项目绩效评价报告", "performance"),
    ("政协长沙市委员会召开2024年度部门决算工作会议", "meeting"),
    ("关于长沙市财政局2024年度部门决算公开的公告", "disclosure"),
    ("长沙市人民代表大会常务委员会关于批准长沙市2024年市级决算的决议", "decision"),
    ("关于批准2024年市本级决算的决定", "decision"),
    ("关于做好2024年度部门决算公开工作的通知", "notice"),
    ("关于印发《部门决算编报手册》的通知", "notice"),
    ("市财政局召开2024年度部门决算工作布置会", "meeting"),
    ("广州市2026年预算报告获全票通过", "meeting"),
    ("我市2024年度部门决算公开工作顺利完成", "meeting"),
    ("关于长沙市2024年市级决算和2025年上半年预算执行情况的报告", "report"),
    ("关于2024年度市级预算执行和其他财政收支的审计工作报告", "report"),
    ("2023年度长沙市公安局交通警察支队专项资金绩效评价结果", "performance"),
    ("广州市生态环境局2026年项目支出绩效目标表", "performance"),
    ("长沙市2024年市级决算", "general_accounts"),
    ("2025年全市一般公共预算草案", "general_accounts"),
    ("附件2：部门决算模板", "template"),
    # about disclosure work, not a disclosure: 通报, 检查结果, 检查/整改 reports, the region's own fund budgets
    ("关于2024年度部门决算公开情况的通报", "notice"),
    ("2024年度部门预算公开情况检查结果的公示", "notice"),
    ("关于2024年度市级部门预算公开情况的专项检查报告", "report"),
    ("2024年预算执行审计查出问题整改情况的报告", "report"),
    ("长沙市2025年预算调整方案", "general_accounts"),
    ("长沙市2024年政府性基金预算", "general_accounts"),
    ("长沙市财政局政府性基金预算支出表", "disclosure"),
    ("长沙市财政局2026年部门预算公开：政府性基金预算", "disclosure"),  # an attachment of the department's article
]


@pytest.mark.parametrize("title,label", TITLES)
def test_titles(title, label):
    v = classify(title)
    assert v.label == label, v.reason
    assert v.reason and (label != "disclosure" or title_label(title)[0] == "disclosure")


def test_text_outranks_a_misleading_title():
    decision = ("长沙市人民代表大会常务委员会关于批准长沙市2024年市级决算的决议（2025年8月28日长沙市第十六届人民代表大会"
                "常务委员会第二十次会议通过）会议听取和审议了关于2024年市级决算的报告，决定批准长沙市2024年市级决算。")
    v = classify("2024年度长沙市交通局部门决算", "点击下载附件", decision)
    assert v.label == "decision" and not v.is_disclosure and "heading" in v.reason
    tables = "2024年度市交通局部门决算 目录 第一部分 部门概况 主要职能 机构设置 第二部分 收入支出决算总表 收入决算表 支出决算表"
    v = classify("附件", "", tables)
    assert v.label == "disclosure" and v.kind == "final_accounts" and "收支总表" in v.reason


def test_scope_from_the_document_phrase_not_from_units_it_mentions():
    assert classify("2026年度郑州市生态环境局二七分局单位预算公开").scope == "unit"
    assert classify("2018年度中国共产党佛山市委员会宣传部（部门）预算").scope == "department"
    # a department's consolidated document names its units; that does not make it a unit's document
    assert classify("重庆市发展和改革委员会（含下属单位）2026年预算公开").scope == ""
    body = ("一、单位基本情况 主要职责：负责所属单位国有资产的监督管理。机构设置：纳入重庆市交通委员会部门预算的单位"
            "主要是机关本级及下属的8个二级事业单位。二、部门预算情况说明 收支总体情况 收入预算表 支出预算表")
    v = classify("", "", body)
    assert (v.label, v.scope) == ("disclosure", "department")


def test_a_letter_about_disclosure_work_is_a_notice_whatever_tables_it_names():
    letter = ("各区县财政局、市直各单位：现将2024年度部门决算公开情况通报如下。全市120个部门公开了部门决算，"
              "“三公”经费情况说明、收支总表、收入决算表均已公开。特此通报。")
    v = classify("2024年度部门决算公开", "点击下载附件", letter)
    assert v.label == "notice" and "letter" in v.reason
    body = letter.split("。", 1)[1].replace("特此通报。", "")  # no letter opening or closing: the heading decides
    v = classify("附件", "", "关于2024年度部门决算公开情况的通报 " + body)
    assert v.label == "notice" and "heading" in v.reason


def test_the_governments_own_accounts_print_tables_too():
    """A 市级决算 prints 收入/支出决算表 and 三公经费 like a department's: its first heading decides."""
    city = ("长沙市2024年市级决算（草案） 目录 一、2024年市级一般公共预算收入决算表 二、2024年市级一般公共预算支出决算表 "
            "三、市级政府性基金收支决算表 四、市级“三公”经费支出决算表 单位：万元 项目 预算数 决算数 税收收入 1234.5 1300.2")
    v = classify("2024年度决算公开", "点击下载附件", city)
    assert v.label == "general_accounts" and "heading" in v.reason
    # a department's document under a heading that also names the 市级 level stays a disclosure
    dept = "长沙市市级部门决算 2024年度长沙市财政局部门决算 目录 部门概况 收入支出决算总表 收入决算表 支出决算表"
    assert classify("附件", "", dept).label == "disclosure"


def test_news_of_the_disclosure_work_with_its_totals_is_news():
    news = "截至9月底，全市86个部门公开了部门决算，一般公共预算财政拨款支出决算数合计为123456.78万元。"
    assert page_holds_disclosure(news)[0]  # figures in the body: the classifier must say what it is
    v = classify("2024年度部门决算公开情况", "", news)
    assert v.label == "meeting" and "全市86个部门" in v.reason


def test_a_peoples_congress_own_disclosure_is_not_its_decision():
    head = ("长沙市人大常委会2024年度部门决算 人大常委会依法决定本行政区域重大事项 目录 部门概况 收入支出决算总表 "
            "收入决算表 支出决算表 本年收入合计1234.5万元")
    assert classify("附件", "点击下载附件", head).label == "disclosure"
    decision = "长沙市人民代表大会常务委员会关于批准长沙市2024年市级决算的决议（2025年8月28日通过）会议决定批准。"
    assert classify("附件", "点击下载附件", decision).label == "decision"


def test_article_pages():
    assert page_holds_disclosure("2023年度一般公共预算财政拨款支出决算数为1234.56万元。")[0]
    held, why = page_holds_disclosure("根据预决算公开有关规定，现将有关情况公开如下。附件：")
    assert not held and "no tables" in why


def _expected(row: dict) -> str:
    what = row["kind"]
    if what.startswith("NEGATIVE") and "绩效评价" in what or what.startswith("项目支出绩效目标表"):
        return "performance"
    if "template" in what.lower():
        return "template"
    return "disclosure"


def _published_name(row: dict) -> str:
    """The name the file was published or crawled under (not our corpus label, which would give the answer)."""
    return row["source_path"].split(" (")[0].rsplit("/", 1)[-1]


def confusion_table(pairs: list[tuple[str, str]]) -> str:
    labels = sorted({x for p in pairs for x in p})
    counts = Counter(pairs)
    head = "expected \\ got".ljust(18) + "".join(lab[:12].rjust(13) for lab in labels)
    rows = [exp.ljust(18) + "".join(str(counts[(exp, got)]).rjust(13) for got in labels) for exp in labels]
    return "\n".join([head, *rows])


def test_shared_real_corpus(capsys):
    manifest = CORPUS / "manifest_real.csv"
    if not manifest.exists():
        pytest.skip(f"{manifest} is absent (the shared real corpus is not mounted here)")
    rows = list(csv.DictReader(manifest.open(encoding="utf-8")))
    pairs, seed, wrong, unread = [], [], [], []
    for row in rows:
        expected = _expected(row)
        if row["text_layer_pages"] == "0" and not shutil.which("tesseract"):
            unread.append(row["file"])  # a scan is judged by OCR of its first page; without it only its (false) title
            continue
        v = classify_file(CORPUS / "real" / row["file"], title=_published_name(row))
        pairs.append((expected, v.label))
        if v.label != expected:
            wrong.append(f"{row['file']}: expected {expected}, got {v.describe()}")
        elif expected == "disclosure":  # kind and scope as the manifest says them
            kind = "final_accounts" if "决算" in row["kind"] else "budget"
            scope = "unit" if re.search("单位(?:预算|决算)", row["kind"]) else "department"
            if (v.kind, v.scope) != (kind, scope):
                wrong.append(f"{row['file']}: {v.kind} {v.scope!r}, the manifest says {row['kind']}")
    for f in sorted((CORPUS / "seed").iterdir()):  # the seed disclosure (not in the manifest) in both formats
        v = classify_file(f, title=f.name)
        seed.append(("disclosure", v.label))
        if not v.is_disclosure:
            wrong.append(f"{f.name}: {v.describe()}")
    with capsys.disabled():
        print(f"\nclassifier on shared/corpus/real ({len(pairs)} of {len(rows)} files; truth: manifest_real.csv):\n"
              f"{confusion_table(pairs)}\nseed: {dict(Counter(seed))}"
              + (f"\nnot judged (scanned, no tesseract here): {', '.join(unread)}" if unread else ""))
    assert not wrong, "\n".join(wrong)
    assert {e for e, _ in pairs} >= {"disclosure", "performance", "template"}


# The shared portal pages as the crawler meets them, with the truth read off each page by hand (never from the
# classifier): on a list page the candidates are the detail/attachment links whose text passes the default
# title_include; on an article page, every attachment, titled the way the crawler titles it (candidate_title).
# Every candidate is a 部门/单位 disclosure except those listed in ``others`` (label = what the link really is).
PORTAL_PAGES = {
    # 长沙市财政局's column: its own 部门预算 and 部门决算, 2018–2026
    "changsha_czj_dept-yjs-list.html": {"role": "list", "candidates": 14, "others": {}},
    # 佛山市委宣传部: 部门预算/决算 2016–2026, one 三公经费统计表 (a disclosure table of its own)
    "foshan_gov_xcb_dept-yjs-list.html": {"role": "list", "candidates": 20, "others": {}},
    # 广州市财政局's home page: the only 预算 link in a post is news of the 预算报告's approval
    "guangzhou_czj_home-gkmlpt-links.html": {"role": "list", "candidates": 1,
                                             "others": {"广州市2026年预算报告获全票通过": "meeting"}},
    # an article listing 17 单位预算 PDFs of 郑州市生态环境局's units
    "zhengzhou_sthjj_2026_unit-budget-attachments.html": {"role": "article", "candidates": 17, "others": {},
                                                          "scope": "unit"},
    # 重庆市发改委 (含下属单位) 2026年预算公开: 7 PDFs linked by unit name only (department, 本级, five units)
    "chongqing_fgw_2026_budget-landing.html": {"role": "article", "candidates": 7, "others": {}},
}


def portal_verdicts() -> tuple[list[tuple[str, str]], list[str]]:
    """(truth, label) per candidate link of the shared portal pages, and what went wrong (pages included)."""
    pairs, wrong = [], []
    for name, truth in PORTAL_PAGES.items():
        html, _ = decode_html((CORPUS / "portals" / name).read_bytes())
        info = parse_page(html, "https://example.gov.cn/col/2026/index.html")
        # none of these pages is itself the disclosure: lists, a home page, articles that link the files
        page, why = judge_page(html, info.title or "", "")
        if page is not None:
            wrong.append(f"{name}: the page itself was taken for a disclosure ({why})")
        n = 0
        for link in info.links:
            if truth["role"] == "list":
                if not (is_detail(link.url, DEFAULT_DETAIL_PATTERN) or is_attachment(
                        link.url, list(DEFAULT_ATTACHMENT_EXTENSIONS), "", link.text)) or not TITLE_INCLUDE.search(link.text):
                    continue
                title, _text = candidate_title(link)
            elif is_attachment(link.url, list(DEFAULT_ATTACHMENT_EXTENSIONS), "", link.text):
                title, _text = candidate_title(link, info.title)
            else:
                continue
            n += 1
            expected = truth["others"].get(link.text, "disclosure")
            v = classify(title, link.text)
            pairs.append((expected, v.label))
            if v.label != expected or (expected == "disclosure" and truth.get("scope", v.scope) != v.scope):
                wrong.append(f"{name}: {title}: expected {expected} {truth.get('scope', '')}, got {v.describe()} "
                             f"scope {v.scope!r}")
        if n != truth["candidates"]:
            wrong.append(f"{name}: {n} candidate links, {truth['candidates']} on the page")
    return pairs, wrong


def test_shared_portal_pages(capsys):
    if not (CORPUS / "portals").is_dir():
        pytest.skip(f"{CORPUS / 'portals'} is absent (the shared real corpus is not mounted here)")
    pairs, wrong = portal_verdicts()
    with capsys.disabled():
        print(f"\nclassifier on shared/corpus/portals ({len(PORTAL_PAGES)} pages, {len(pairs)} candidate links; "
              f"0 pages should be taken for a disclosure):\n{confusion_table(pairs)}")
    assert not wrong, "\n".join(wrong)


def test_crawler_fixture_portal_titles(portal):
    """Every candidate title on the original fixture portal is a disclosure except the one the config excludes."""
    labels = {title: classify(title).label for _href, title, _d in portal.page1_items}
    assert labels.pop("市财政局工作动态") == "meeting"  # news
    assert set(labels.values()) == {"disclosure"}

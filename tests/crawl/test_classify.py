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
from extractors.crawl.config import DEFAULT_ATTACHMENT_EXTENSIONS, DEFAULT_DETAIL_PATTERN
from extractors.crawl.links import is_attachment, is_detail, parse_page
from extractors.crawl.textcodec import decode_html
from extractors.crawl.verdict import page_body
from extractors.leadtext import classify_file

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

TITLES = [
    ("2024年度长沙市财政局部门决算", "disclosure"),
    ("长沙市财政局2025年部门预算公开", "disclosure"),
    ("2026年度郑州市生态环境局二七分局单位预算公开.pdf", "disclosure"),
    ("中国共产党佛山市委员会宣传部一般公共预算拨款“三公”经费情况统计表（2016年）", "disclosure"),
    ("2022年中国共产党佛山市委员会宣传部（本级）部门预算", "disclosure"),
    ("长沙市人大常委会办公厅2024年度部门决算", "disclosure"),
    ("关于长沙市财政局2024年度部门决算公开的公告", "disclosure"),
    ("长沙市人民代表大会常务委员会关于批准长沙市2024年市级决算的决议", "decision"),
    ("关于批准2024年市本级决算的决定", "decision"),
    ("关于做好2024年度部门决算公开工作的通知", "notice"),
    ("关于印发《部门决算编报手册》的通知", "notice"),
    ("市财政局召开2024年度部门决算工作布置会", "meeting"),
    ("广州市2026年预算报告获全票通过", "meeting"),
    ("关于长沙市2024年市级决算和2025年上半年预算执行情况的报告", "report"),
    ("关于2024年度市级预算执行和其他财政收支的审计工作报告", "report"),
    ("2023年度长沙市公安局交通警察支队专项资金绩效评价结果", "performance"),
    ("广州市生态环境局2026年项目支出绩效目标表", "performance"),
    ("长沙市2024年市级决算", "general_accounts"),
    ("2025年全市一般公共预算草案", "general_accounts"),
    ("附件2：部门决算模板", "template"),
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
    pairs, wrong = [], []
    for row in rows:
        expected = _expected(row)
        if "scanned" in row["file"] and not shutil.which("tesseract"):
            continue  # a scan is judged by OCR of its first page; without tesseract only its (false) title is left
        v = classify_file(CORPUS / "real" / row["file"], title=_published_name(row))
        pairs.append((expected, v.label))
        if v.label != expected:
            wrong.append(f"{row['file']}: expected {expected}, got {v.describe()}")
        elif expected == "disclosure":
            juesuan = "_juesuan" in row["file"]
            assert v.kind == ("final_accounts" if juesuan else "budget"), (row["file"], v)
    for f in sorted((CORPUS / "seed").iterdir()):
        v = classify_file(f, title=f.name)
        pairs.append(("disclosure", v.label))
        if not v.is_disclosure:
            wrong.append(f"{f.name}: {v.describe()}")
    with capsys.disabled():
        print(f"\nclassifier on shared/corpus/real + seed ({len(pairs)} files):\n{confusion_table(pairs)}")
    assert not wrong, "\n".join(wrong)
    assert {e for e, _ in pairs} >= {"disclosure", "performance", "template"}


# labels of the candidate links (detail pages and attachments naming 决算/预算) on the shared portal pages
PORTAL_LINKS = {
    "changsha_czj_dept-yjs-list.html": {"disclosure": 14},
    "foshan_gov_xcb_dept-yjs-list.html": {"disclosure": 20},
    "guangzhou_czj_home-gkmlpt-links.html": {"meeting": 1},
    "zhengzhou_sthjj_2026_unit-budget-attachments.html": {"disclosure": 17},
    "chongqing_fgw_2026_budget-landing.html": {},
}


@pytest.mark.parametrize("name", sorted(PORTAL_LINKS))
def test_shared_portal_pages(name):
    path = CORPUS / "portals" / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared real corpus is not mounted here)")
    html, _ = decode_html(path.read_bytes())
    # a list or landing page is never a disclosure itself, whatever its title says
    text, n_tables = page_body(html)
    assert not page_holds_disclosure(text, n_tables)[0]
    info = parse_page(html, "https://example.gov.cn/col/index.html")
    got = Counter()
    for link in info.links:
        candidate = is_detail(link.url, DEFAULT_DETAIL_PATTERN) or \
            is_attachment(link.url, list(DEFAULT_ATTACHMENT_EXTENSIONS), "", link.text)
        if candidate and re.search("决算|预算", link.text):
            v = classify(link.text)
            got[v.label] += 1
            if name.startswith("zhengzhou"):
                assert v.scope == "unit"
    assert dict(got) == PORTAL_LINKS[name]


def test_crawler_fixture_portal_titles(portal):
    """Every candidate title on the original fixture portal is a disclosure except the one the config excludes."""
    labels = {title: classify(title).label for _href, title, _d in portal.page1_items}
    assert labels.pop("市财政局工作动态") == "meeting"  # news
    assert set(labels.values()) == {"disclosure"}

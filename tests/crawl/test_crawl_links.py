"""Link extraction and title guesses on the real portal pages in ../shared/corpus/portals/."""
from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

from extractors.crawl.config import DEFAULT_ATTACHMENT_EXTENSIONS, DEFAULT_DETAIL_PATTERN
from extractors.crawl.guess import guess_kind, guess_unit, guess_year
from extractors.crawl.links import date_from_url, is_attachment, is_detail, parse_page

EXT = list(DEFAULT_ATTACHMENT_EXTENSIONS)
pytestmark = pytest.mark.real_corpus


def read(shared_portals, name):
    return (shared_portals / name).read_text(encoding="utf-8")


def test_changsha_trs_list(shared_portals):
    base = "http://www.changsha.gov.cn/szf/ztzl/czyjsgkzl/bmyjshsgjf/cszj/index.html"
    info = parse_page(read(shared_portals, "changsha_czj_dept-yjs-list.html"), base)
    details = [lk for lk in info.links if is_detail(lk.url, DEFAULT_DETAIL_PATTERN)]
    assert len(details) == 14
    first = details[0]
    assert first.url == "http://www.changsha.gov.cn/szf/ztzl/czyjsgkzl/bmyjshsgjf/cszj/202602/t20260212_12312285.html"
    assert first.text == "长沙市财政局2026年部门预算公开" and first.date == "2026-02-12"
    # createPageHTML(2, 0, "index", "html") read as data → one more page
    assert info.page_count == 2
    assert info.pagination == ["http://www.changsha.gov.cn/szf/ztzl/czyjsgkzl/bmyjshsgjf/cszj/index_1.html"]
    assert info.column == "长沙市财政局"  # <meta name=" ColumnName "> with stray spaces
    kinds = [guess_kind(lk.text) for lk in details]
    assert kinds.count("final_accounts") == 7 and kinds.count("budget") == 7
    assert {guess_unit(lk.text) for lk in details} == {"长沙市财政局"}
    assert [guess_year(lk.text) for lk in details][:3] == [2026, 2024, 2025]


def test_foshan_department_column(shared_portals):
    base = "https://www.foshan.gov.cn/zwgk/zdly/czxx/czxxgk/czjjbm/1081335/index.html"
    info = parse_page(read(shared_portals, "foshan_gov_xcb_dept-yjs-list.html"), base)
    details = [lk for lk in info.links if is_detail(lk.url, DEFAULT_DETAIL_PATTERN)]
    assert len(details) == 20 and all("/content/post_" in lk.url for lk in details)
    assert info.page_count == 2  # page_count = Math.ceil(29/20), parsed, not executed
    assert info.pagination[0].endswith("/1081335/index_1.html")
    by_text = {lk.text: lk for lk in details}
    t = "2022 年度中国共产党佛山市委员会宣传部部门决算"
    assert (guess_year(t), guess_kind(t), guess_unit(t)) == (2022, "final_accounts", "中国共产党佛山市委员会宣传部")
    t = "中国共产党佛山市委员会宣传部一般公共预算拨款“三公”经费情况统计表（2016年）"
    assert t in by_text and guess_year(t) == 2016 and guess_unit(t) == "中国共产党佛山市委员会宣传部"


def test_zhengzhou_attachments_with_encoded_names_and_tokens(shared_portals):
    base = "https://sthjj.zhengzhou.gov.cn/ysjs/8973.jhtml"
    info = parse_page(read(shared_portals, "zhengzhou_sthjj_2026_unit-budget-attachments.html"), base)
    atts = [lk for lk in info.links if is_attachment(lk.url, EXT)]
    assert len(atts) == 17
    a = atts[0]
    assert a.url.startswith("https://sthjj.zhengzhou.gov.cn/attachment/2026%E5%B9%B4")
    assert "?" in a.url and a.url.endswith("==")  # the opaque token survives untouched
    assert unquote(a.url.split("?")[0]).endswith("2026年度郑州市生态环境局二七分局单位预算公开.pdf")
    assert guess_unit(a.text) == "郑州市生态环境局二七分局" and guess_kind(a.text) == "budget"
    assert info.publish_date == "2026-03-26"  # from the 发布日期 field
    assert info.title == "2026年郑州市生态环境局所属单位预算公开"


def test_chongqing_meta_tags_and_trs_attachments(shared_portals):
    base = "https://fzggw.cq.gov.cn/zfxxgk/fdzdgknr/ysjs/ysgk/202603/t20260302_15478223.html"
    info = parse_page(read(shared_portals, "chongqing_fgw_2026_budget-landing.html"), base)
    assert info.title == "重庆市发展和改革委员会（含下属单位）2026年预算公开"
    assert (info.publish_date, info.column, info.content_source) == ("2026-03-02", "预算公开", "市发展改革委")
    atts = [lk for lk in info.links if is_attachment(lk.url, EXT)]
    assert len(atts) == 7
    assert atts[2].url == "https://fzggw.cq.gov.cn/zfxxgk/fdzdgknr/ysjs/ysgk/202603/P020260302348728687362.pdf"
    assert atts[2].text == "重庆市综合经济研究院" and guess_unit(atts[2].text) == "重庆市综合经济研究院"
    assert date_from_url(base) == "2026-03-02"


def test_guangzhou_home_points_at_gkmlpt(shared_portals):
    info = parse_page(read(shared_portals, "guangzhou_czj_home-gkmlpt-links.html"), "https://czj.gz.gov.cn/")
    texts = {lk.text: lk.url for lk in info.links}
    assert texts["部门预决算"] == "https://czj.gz.gov.cn/gkmlpt/index"  # the #613 fragment is client-side state
    assert not [lk for lk in info.links if is_detail(lk.url, DEFAULT_DETAIL_PATTERN) and "gzdaily" in lk.url]


def test_renwu_city_list_is_data(shared_portals):
    cities = json.loads(read(shared_portals, "renwu_city_budget_urls.json"))
    assert len(cities) == 100 and all(c["budget_url"].startswith("http") for c in cities if c.get("budget_url"))


@pytest.mark.parametrize("title, year, kind", [
    ("2024年度长沙市财政局部门决算", 2024, "final_accounts"),
    ("长沙市财政局2026年部门预算公开", 2026, "budget"),
    ("部门预决算和三公经费", None, ""),
    ("2023年度一般公共预算财政拨款支出决算表", 2023, "final_accounts"),
])
def test_guesses(title, year, kind):
    assert (guess_year(title), guess_kind(title)) == (year, kind)

"""Text consistency of one document: what a reviewer reads before any number.

- a template placeholder left in (XX局, ××单位, （单位名称）, 20XX年);
- the unit named in a heading or 编制单位 line differs from the unit on the cover;
- the fiscal year in a heading or table title, or a reporting date (截至YYYY年12月31日), is not the document's;
- the 目录 lists a standard table the document does not contain.

Headings are recognised by shape (a whole line that ends like a title), never by a template's wording, so the
rules work on PDF visual lines and DOCX paragraphs alike.
"""
from __future__ import annotations

import regex

from schemas.table_titles import identify_table
from warehouse.anomaly_rules.base import DocContext, finding
from warehouse.anomaly_rules.stream import norm, stream_of

# XX/××/xx next to a Han character (XX局, 上海市XX区, 20XX年), or a bracketed name field of the template
PLACEHOLDER = regex.compile(r"(?:(?<=\p{Han})(?:X{2,}|x{2,}|×{2,}|＊{2,})|(?:X{2,}|×{2,})(?=\p{Han}))"
                            r"|(?:19|20)(?:XX|××|xx)年|[（\[【](?:单位|部门|预算单位)名称[）\]】]")
_YEAR = r"(?P<year>(?:19|20)\d{2})年度?"
# a title line: "[第X部分]<unit>YYYY年度部门决算[表|情况说明|公开…]" or "YYYY年<table title>决算…表"
_TITLE = regex.compile(r"^(?:第[一二三四五六七八九十]+部分)?(?P<name>[\p{Han}（）“”]{0,40}?)" + _YEAR +
                       r"(?:部门|单位)?(?:[\p{Han}“”\"]{0,24}?)(?P<kind>决算|预算)"
                       r"(?:[\p{Han}]{0,3}表|情况说明|公开|报告|信息公开|说明)?(?:目录)?$")
_NOT_TITLE = regex.compile(r"与|比|较|上年|截至|以前|同期|执行|调整|完成|相比|数$")
_ORG = regex.compile(r"(?:编制单位|编制部门|单位名称)：(?P<name>[\p{Han}（）]{3,40})$")
_REPORT_DATE = regex.compile(r"截至" + r"(?P<year>(?:19|20)\d{2})年(?:12月31日|年?末|年?底)")
_SCOPE = regex.compile(r"（(?:本级|部门|单位|汇总|机关|本部|部门汇总|合并)）$")
# a unit's name ends like an organisation (a 科目 name such as "…缴费支出（项）" does not)
_ORG_SUFFIX = regex.compile(r"(?:局|委|委员会|办|办公室|厅|院|中心|部|会|室|站|所|处|队|馆|府|社|团|校|署|行|司)$")
_KIND = {"final_accounts": "决算", "budget": "预算"}


def _unit_key(name: str) -> str:
    return _SCOPE.sub("", norm(name)).replace("中共", "")


def _lines(ctx: DocContext) -> list[tuple[int, str, int | None]]:
    s = stream_of(ctx)
    return [(i, t, p) for i, (t, p) in enumerate(zip(s.line_texts, s.pages))]


def placeholders(ctx: DocContext) -> list[dict]:
    out, seen = [], set()
    for _, text, page in _lines(ctx):
        m = PLACEHOLDER.search(text)
        if not m or page in seen:
            continue
        seen.add(page)  # one finding per page: a template left in repeats the same field on every line
        out.append(finding("text.placeholder", ctx.doc, None, None, None,
                           f"第{page or '?'}页 留有模板占位符“{m.group(0)}”（单位名称或年度未填写）", text[:200], page,
                           subject=f"p{page}"))
    return out


def _doc_unit(ctx: DocContext) -> str | None:
    name = ctx.doc.get("unit_name")
    return _unit_key(name) if isinstance(name, str) and name and not PLACEHOLDER.search(name) else None


def unit_and_year(ctx: DocContext) -> list[dict]:
    out = []
    unit, year, word = _doc_unit(ctx), ctx.doc.get("fiscal_year"), _KIND.get(ctx.doc.get("kind") or "")
    year = int(year) if year is not None and year == year else None
    named, dated = set(), set()
    for _i, text, page in _lines(ctx):
        if len(text) > 70 or PLACEHOLDER.search(text):
            continue
        m = _TITLE.match(text)
        if m and not _NOT_TITLE.search(text[:m.start("year")] + text[m.end("year"):]):
            y = int(m.group("year"))
            if year and word and m.group("kind") == word and y != year and (y, page) not in dated:
                dated.add((y, page))
                out.append(finding("text.fiscal_year", ctx.doc, None, year, y,
                                   f"标题或表名中的年度为{y}年，本文件为{year}年度{word}", text, page,
                                   subject=f"title|{y}|p{page}"))
            name = m.group("name")
            if unit and len(name) >= 4 and _ORG_SUFFIX.search(name) and _unit_key(name) not in unit and unit not in _unit_key(name) \
                    and name not in named:
                named.add(name)
                out.append(finding("text.unit_name", ctx.doc, None, None, None,
                                   f"标题中的单位“{name}”与封面单位“{ctx.doc.get('unit_name')}”不一致", text, page,
                                   subject=f"title|{name}"))
        o = _ORG.search(text)
        if o and unit:
            name = o.group("name")
            if _unit_key(name) not in unit and unit not in _unit_key(name) and name not in named:
                named.add(name)
                out.append(finding("text.unit_name", ctx.doc, None, None, None,
                                   f"编制单位“{name}”与封面单位“{ctx.doc.get('unit_name')}”不一致", text, page,
                                   subject=f"org|{name}"))
    return out


def report_dates(ctx: DocContext) -> list[dict]:
    """截至YYYY年12月31日 in a 决算 is the end of its own year; a 预算 may cite the last one or two year-ends."""
    out, year, kind = [], ctx.doc.get("fiscal_year"), ctx.doc.get("kind")
    if year is None or year != year or kind not in _KIND:
        return out
    year = int(year)
    s = stream_of(ctx)
    seen = set()
    for m in _REPORT_DATE.finditer(s.text):
        y = int(m.group("year"))
        ok = y == year if kind == "final_accounts" else year - 2 <= y <= year
        if ok or y in seen:
            continue
        seen.add(y)
        page = s.page_at(m.start())
        out.append(finding("text.report_date", ctx.doc, None, year, y,
                           f"报告时点“{m.group(0)}”与本文件{year}年度{_KIND[kind]}不符", s.snippet(m.start(), m.end()),
                           page, subject=f"date|{y}"))
    return out


_TOC_ENTRY = regex.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d+[、.]|（[一二三四五六七八九十]+）|表[一二三四五六七八九十\d]+)?"
                           r"(?P<title>.+?)(?:[.…·．]{2,}\d*|\d{1,3})?$")


def toc_tables(ctx: DocContext) -> list[dict]:
    """Standard tables the 目录 lists that the document does not contain (a table dropped from the body)."""
    if not ctx.tables:
        return []  # no table read at all: a narrative-only file (tables published apart), reported by status
    lines = _lines(ctx)
    start = next((i for i, t, _ in lines if t in ("目录", "目次")), None)
    if start is None:
        return []
    listed: dict[str, tuple[str, int | None]] = {}
    seen: set[str] = set()
    for _, text, page in lines[start + 1:start + 80]:
        if text in seen:
            break  # the body begins: its first heading repeats the 目录's first entry
        seen.add(text)
        m = _TOC_ENTRY.match(text)
        title = m.group("title") if m else text
        if len(title) > 40 or not title.endswith("表"):
            continue
        tid = identify_table(title)
        if tid and tid not in listed:
            listed[tid] = (text, page)
    missing = sorted(set(listed) - set(ctx.tables))
    # most listed tables absent means the tables were not recognised (another layout), not dropped
    if len(listed) < 3 or not missing or len(missing) * 2 > len(listed):
        return []
    return [finding("text.toc_tables", ctx.doc, None, None, None,
                    f"目录列有{tid}“{listed[tid][0]}”，但文件中未见该表", listed[tid][0], listed[tid][1],
                    subject=tid) for tid in missing]


def text_rules(ctx: DocContext) -> list[dict]:
    if not ctx.lines:
        return []
    return placeholders(ctx) + unit_and_year(ctx) + report_dates(ctx) + toc_tables(ctx)

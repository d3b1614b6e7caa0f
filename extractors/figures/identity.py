"""Document identity: unit name, fiscal year, kind (决算/预算) and scope (部门/单位) from the cover,
titles, table captions and running text.

The cover is the first lines of the document joined without spaces (titles wrap: "中共上海市普陀区委" /
"社会工作部 2024 年度" / "部门决算"); the year may stand on its own line, before or after the name, with or
without 年度; "（本级）" / "单位预算" make the scope ``unit``. Later evidence (table titles, 编制单位 lines,
frequent phrases in the narrative) fills what the cover lacks.
"""
from __future__ import annotations

from collections import Counter

import regex

from extractors.figures.textstream import clean
from schemas.document import Document

_KIND = r"(?P<kind>决算|预算)"
_YEAR = r"(?P<year>(?:19|20)\d{2})\s*年度?"
_SCOPE = r"(?P<scope>部门|单位|本级|市级单位|区级单位|市级部门)?"
_NAME = r"(?P<name>[\p{Han}（）·]{2,48}?)"
_BENJI = r"(?P<benji>（本级）|（部门）|（单位）|（汇总）|本级)?"
_TITLE_PATTERNS = [
    regex.compile(_NAME + _BENJI + _YEAR + r"(?:[\p{Han}]{0,4}?)" + _SCOPE + r"(?:综合)?" + _KIND),
    regex.compile(_YEAR + _NAME + _BENJI + _SCOPE + r"(?:综合)?" + _KIND),
    regex.compile(_NAME + _BENJI + r"年?度?" + _SCOPE + r"(?:综合)?" + _KIND + r"[\p{Han}]{0,8}?(?P<year>(?:19|20)\d{2})"),
    regex.compile(_NAME + _BENJI + _YEAR + r"(?:[\p{Han}]{0,10}?)(?P<kind>绩效目标|预算|决算)"),
]
_BAD_NAME = regex.compile(r"^(?:第.部分|目录|附件|关于|公开|说明|情况|编制|年度|部门|单位|本级|部分|一般公共|财政拨款|"
                          r"政府性基金|国有资本|收入|支出|三公|中央|市级|区级|县级|省级)")
_NAME_TAIL = regex.compile(r"(?:（本级）|（部门）|（单位）|（汇总）|本级|关于|的|年度|公开|部门|单位|年)+$")
_NAME_HEAD = regex.compile(r"^(?:关于|公开|[\p{Han}]{0,3}?(?=20\d\d))")
_ORG_LINE = regex.compile(r"(?:编制单位|编制部门|单位名称|部门名称|预算主管部门|主管部门|预算单位|部门|单位)\s*[：:]\s*(?P<name>[\p{Han}（）·]{3,40})")
_ORG_SUFFIX = regex.compile(r"(?:局|委员会|委|办公室|办公厅|中心|院|所|站|部|厅|处|队|馆|会|社|团|校|学|政府|街道办事处|"
                            r"办事处|支队|大队|总队|协会|联合会|公司|室|署|台|库|园|场)$")


def _kind(k: str | None) -> str | None:
    return {"决算": "final_accounts", "预算": "budget", "绩效目标": "budget"}.get(k or "")


def _clean_name(name: str) -> str:
    name = _NAME_TAIL.sub("", name)
    name = regex.sub(r"^(?:[0-9]+|[一二三四五六七八九十]+[、.])+", "", name)
    return name.strip("（）·")


def _cover_text(doc: Document, max_lines: int = 30) -> str:
    first_pages = sorted({ln.page for ln in doc.lines})[:3]
    lines = [ln for ln in doc.lines if ln.page in first_pages][:max_lines]
    return "".join(clean(ln.text) for ln in lines)


def _title_hits(text: str):
    for pat in _TITLE_PATTERNS:
        for m in pat.finditer(text):
            name = _clean_name(m.group("name"))
            if (len(name) < 3 or _BAD_NAME.search(name) or not _ORG_SUFFIX.search(name)
                    or regex.search(r"部分|目录|决算|预算|说明|^年", name)):
                # allow names that end with an org suffix only
                continue
            yield m, name


def identify(doc: Document) -> dict:
    out = {"unit_name": None, "fiscal_year": None, "kind": None, "scope": "department"}
    cover = _cover_text(doc)
    body = "".join(clean(ln.text) for ln in doc.lines[:4000])
    titles = " ".join(clean(t.title or "") for t in doc.tables)
    meta_title = clean(str((doc.metadata or {}).get("Title") or (doc.metadata or {}).get("title") or ""))

    hit = None
    cover_org = _ORG_LINE.search(cover)
    if not list(_title_hits(cover)) and cover_org:
        name = _cut(_clean_name(cover_org.group("name")))
        if _ORG_SUFFIX.search(name):
            out["unit_name"] = name
    for src in (cover, meta_title, body[:6000]):
        hits = list(_title_hits(src))
        if hits:
            hit = min(hits, key=lambda h: (h[0].start(), len(h[1])))
            break
    scope_words = ""
    if hit:
        m, name = hit
        out["unit_name"] = out["unit_name"] or name
        out["fiscal_year"] = int(m.group("year"))
        out["kind"] = _kind(m.group("kind"))
        gd = m.groupdict()
        scope_words = (gd.get("scope") or "") + (gd.get("benji") or "")
    cy = regex.search(r"((?:19|20)\d{2})\s*年度?[\p{Han}]{0,6}?(?:决算|预算)", cover)
    if cy and out["fiscal_year"] != int(cy.group(1)) and (not hit or hit[0].string is not cover):
        out["fiscal_year"] = int(cy.group(1))
    # fall back: year and kind from cover/titles/body separately
    if out["fiscal_year"] is None:
        ym = regex.search(r"((?:19|20)\d{2})\s*年度?\s*(?:部门|单位)?(?:综合)?(?:决算|预算)", cover + body[:20000])
        if ym:
            out["fiscal_year"] = int(ym.group(1))
    if out["kind"] is None:
        c = Counter(regex.findall(r"(?:部门|单位)(决算|预算)", cover + titles + body[:20000]))
        c2 = Counter(regex.findall(r"(决算|预算)(?:总)?表", titles))
        c.update(c2)
        if c:
            out["kind"] = _kind(c.most_common(1)[0][0])
    if out["unit_name"] is None:
        out["unit_name"] = _name_from_org_lines(doc)
    elif out["unit_name"]:
        out["unit_name"] = _prefer_body_form(out["unit_name"], body)
    # scope
    if "单位" in scope_words or "本级" in scope_words:
        out["scope"] = "unit"
    elif "部门" in scope_words or "汇总" in scope_words:
        out["scope"] = "department"
    elif regex.search(r"单位(?:决算|预算)|（本级）", cover):
        out["scope"] = "unit"
    return out


def _cut(name: str) -> str:
    return regex.split(r"目录|第[一二三四五六七八九十]部分|[一二三四五六七八九十]、|预算|决算", name)[0]


def _prefer_body_form(name: str, body: str) -> str:
    """"四川省内江市住房公积金管理中心" on the cover but "内江市住房公积金管理中心" everywhere else → the latter."""
    m = regex.match(r"^[\p{Han}]{2,4}?省(?=[\p{Han}]{2,5}?[市州盟县区])", name)
    if m:
        short = name[m.end():]
        if body.count(short) >= 2 and body.count(name) < body.count(short) / 2:
            return short
    return name


def _name_from_org_lines(doc: Document) -> str | None:
    c: Counter[str] = Counter()
    for t in doc.tables:
        if t.org_line:
            m = _ORG_LINE.search(clean(t.org_line))
            if m:
                c[_cut(_clean_name(m.group("name")))] += 1
    for ln in doc.lines[:3000]:
        m = _ORG_LINE.search(clean(ln.text))
        if m:
            c[_cut(_clean_name(m.group("name")))] += 1
    c = Counter({k: v for k, v in c.items() if _ORG_SUFFIX.search(k)})
    return c.most_common(1)[0][0] if c else None

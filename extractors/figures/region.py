"""The region a document belongs to, read from the document itself.

Evidence, strongest first: the unit name as identified ("四川省内江市住房公积金管理中心"), the cover lines
(covers split region and unit over lines: "四川省内江市" / "住房公积金管理中心" / "2024年度部门决算"), the
单位名称 / 编制单位 lines of the tables, the title in the file's metadata, and the issuer/seal lines at the end
("青川市临江县财政局" above "2025年8月20日"). A piece of evidence counts only when it is about this unit: the line is
the region alone, or what follows the region is the unit's own canonical name. Evidence that contradicts what
is already known is ignored (the unit name wins), and evidence that adds a level refines it ("鼓楼区财政局" + a
cover line "四川省青川市" → 四川省青川市鼓楼区). The sources that contributed are recorded.
"""
from __future__ import annotations

import regex

from extractors.figures.textstream import clean
from schemas.document import Document
from schemas.regions import Region, canonical_name, name_key, parse_region, with_level_codes

_ORG_LINE = regex.compile(r"(?:编制单位|编制部门|单位名称|部门名称|预算主管部门|主管部门|预算单位|部门|单位)\s*[：:]\s*"
                          r"(?P<name>[\p{Han}（）()·\s]{3,48})")
_DATE = regex.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$")
_ORG_END = regex.compile(r"(?:局|委员会|委|办公室|办公厅|中心|院|所|站|部|厅|处|队|馆|会|政府|办事处|公司|室|署)$")


def _about_unit(text: str, key: str | None) -> tuple[Region, bool]:
    """(region the text starts with, whether the text is about this unit: region alone or region + its name)."""
    s = regex.sub(r"[\s\u3000]+", "", text)
    region, end = parse_region(s)
    if region.empty:
        return region, False
    rest = s[end:]
    if not rest:
        return region, True
    rest = regex.split(r"(?:19|20)\d{2}|[（(]", rest)[0]  # "…财政局2024年度部门决算", "…（本级）"
    return region, key is None or name_key(canonical_name(s[:end] + rest)) == key


def _cover_lines(doc: Document, n: int = 12) -> list[str]:
    if not doc.lines:
        return []
    first = min(ln.page for ln in doc.lines)
    return [clean(ln.text) for ln in doc.lines if ln.page == first][:n]


def _seal_lines(doc: Document, n: int = 15) -> list[str]:
    """Lines ending an organisation's name just above a date, or the last org-like lines of the document."""
    if not doc.lines:
        return []
    tail = [clean(ln.text) for ln in doc.lines[-n:]]
    dated = [tail[i] for i in range(len(tail) - 1) if _DATE.match(tail[i + 1].replace(" ", ""))]
    return dated + [t for t in tail if _ORG_END.search(t) and len(t) <= 40]


def _evidence(doc: Document, unit_name: str | None):
    if unit_name:
        yield "unit_name", unit_name
    for line in _cover_lines(doc):
        yield "cover", line
    for t in doc.tables:
        m = _ORG_LINE.search(clean(t.org_line or ""))
        if m:
            yield "org_line", m.group("name")
    meta = doc.metadata or {}
    title = str(meta.get("Title") or meta.get("title") or "")
    if title:
        yield "title", title
    for line in _seal_lines(doc):
        yield "seal", line


def document_region(doc: Document, unit_name: str | None) -> dict:
    """{name, level, code, province_name, …, county_code, source, text} of the document's region; name None
    when the document does not say (a bare "财政局" with no region anywhere: the unit stays unresolved)."""
    key = name_key(canonical_name(unit_name)) if unit_name else None
    region, sources, text = Region(), [], None
    for source, line in _evidence(doc, unit_name):
        found, about = _about_unit(line, key)
        if not about or not region.compatible(found):
            continue
        merged = region.merge(found)
        if merged != region:
            region = merged
            if source not in sources:
                sources.append(source)
            text = text or line
    region = with_level_codes(region)
    return {**region.as_dict(), "source": "+".join(sources) or None, "text": text}

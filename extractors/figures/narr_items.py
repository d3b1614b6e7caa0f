"""Narrative 类/款/项 entries (and 项 names printed with their code) → line items with table "narrative", column "total".

"教育支出（类）进修及培训（款）培训支出（项）：支出决算为2.49万元" — the code comes from the document's own
classification tables when they print the same 项 name, else from :mod:`function_codes`; the amount is the
entry's 决算 (or, in budget documents, 预算) figure, never the 年初/全年预算 it is compared with.
"""
from __future__ import annotations

import regex

from extractors.figures import function_codes
from extractors.figures.numbers import parse_number, to_wanyuan
from extractors.figures.records import line_item

_ENTRY = regex.compile(r"(?P<lei>[\p{Han}]{2,16}?)（(?:\d{3})?类）(?P<kuan>[\p{Han}、（）]{2,24}?)（(?:\d{2})?款）"
                       r"(?P<xiang>[\p{Han}、（）]{2,30}?)（(?:\d{2})?项）")
# "（1）行政运行（2010401）2740.23万元" (陕西 综合预算说明): the 项 name with its printed function code; 款/项 codes
# only (5 or 7 digits, 2xx: function classes — economic classes print 301/501 …)
_CODED = regex.compile(r"(?P<name>[\p{Han}、]{2,30}?)[（(](?P<code>2\d{4}(?:\d{2})?)[）)]")
_AMT_FA = regex.compile(r"(?:支出)?决算(?:数)?(?:为|是)?(?P<amt>\d[\d,]*(?:\.\d+)?)(?P<unit>亿元|万元|元)")
_AMT_BU = regex.compile(r"(?:预算)?(?:数)?(?:为|是|安排)?(?P<amt>\d[\d,]*(?:\.\d+)?)(?P<unit>亿元|万元|元)")


def extract_items(ts, secs, code_names: dict, kind: str | None = None) -> list[dict]:
    from extractors.figures.narrative import section_at

    text = ts.text
    out, seen = [], set()
    entries = list(_ENTRY.finditer(text))
    for i, m in enumerate(entries):
        if section_at(secs, m.start()) == "glossary":
            continue
        end = entries[i + 1].start() if i + 1 < len(entries) else min(len(text), m.end() + 200)
        seg = text[m.end():min(end, m.end() + 200)]
        am = _AMT_FA.search(seg) if kind != "budget" else (_AMT_FA.search(seg) or _AMT_BU.search(seg))
        if not am:
            continue
        lei, kuan, xiang = m.group("lei"), m.group("kuan"), m.group("xiang")
        lei = regex.sub(r"^.*?[：:、.．\d]", "", lei) or lei
        code = code_names.get((xiang, 7)) or function_codes.lookup(lei, kuan, xiang)
        if not code or code in seen:
            continue
        seen.add(code)
        val = to_wanyuan(parse_number(am.group("amt")) or 0.0, am.group("unit"))
        page, bbox = ts.locate(m.start(), m.end() + am.end())
        out.append(line_item("narrative", code, xiang, "total", val, page, bbox))
    for m in _CODED.finditer(text):
        code = m.group("code")
        if code in seen or section_at(secs, m.start()) == "glossary":
            continue
        seg = text[m.end():m.end() + 40]
        am = _AMT_FA.match(seg) if kind != "budget" else (_AMT_FA.match(seg) or _AMT_BU.match(seg))
        if not am:
            continue
        seen.add(code)
        val = to_wanyuan(parse_number(am.group("amt")) or 0.0, am.group("unit"))
        page, bbox = ts.locate(m.start(), m.end() + am.end())
        out.append(line_item("narrative", code, m.group("name"), "total", val, page, bbox))
    return out

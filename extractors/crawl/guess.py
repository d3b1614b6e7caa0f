"""Year, kind and unit guesses from titles and link texts.

They are guesses for the registry and for filtering before download; the document readers confirm issuer, year
and kind from the document text later (portals misfile years and kinds, see docs/research notes).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ..classify import guess_kind  # noqa: F401  (re-exported: the crawler's guesses and the classifier agree)

_YEAR_NIAN = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_ANY = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_PARENS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_EXT = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|s?html?)$", re.IGNORECASE)
# Where the disclosure phrase starts; the unit is what precedes it ('…局' + '部门决算', '…部' + '一般公共预算拨款…').
_DISCLOSURE = re.compile(r"(?:部门|单位|本级)?(?:及|和)?(?:所属|下属)?(?:单位)?(?:一般公共预算|预决算|决算|预算|[“\"']?三公)")


# A unit name ends like one: 局 委 办 院 中心 … ('附件2：…明细' must not yield the unit '明细').
_UNIT_SUFFIX = re.compile(
    r"(?:局|委|办|院|中心|站|所|队|部|厅|处|馆|会|室|校|学|园|社|团|署|台|场|宫|政府|街道|镇|乡|监狱|组)$")


def looks_like_unit(name: str) -> bool:
    return len(name) >= 2 and bool(_UNIT_SUFFIX.search(name))


def guess_year(text: str) -> int | None:
    """'2024年度…决算' → 2024; '…（2016年）' → 2016; a bare 4-digit year as a last resort."""
    text = text or ""
    m = _YEAR_NIAN.search(text) or _YEAR_ANY.search(text)
    return int(m.group(1)) if m else None


def guess_unit(text: str, known: Iterable[str] = ()) -> str:
    """The unit named in a title: '2024年度长沙市财政局部门决算' → '长沙市财政局'.

    Only names that end like a unit (局/委/办/院/中心/…) or are one of the ``known`` units (the source's configured
    unit) are returned; otherwise '' — no guess beats a wrong one ('附件2：2022年度明细.pdf' → '').
    """
    known = [k for k in known if k]
    t = _EXT.sub("", (text or "").strip())
    t = _PARENS.sub("", t)
    t = re.sub(r"^\s*附件\s*\d*\s*[:：.、]?", "", t)  # '附件2：…' labels the link, not the unit
    t = re.sub(r"(?:19|20)\d{2}\s*年度?", " ", t)
    t = re.sub(r"\s+", " ", t).strip(" -_—:：")
    # the unit is what precedes the disclosure phrase; titles put the year before or after the unit
    parts = [p.strip(" -_—:：") for p in t.split(" ") if p.strip(" -_—:：")]
    for part in parts:
        unit = _DISCLOSURE.split(part, maxsplit=1)[0]
        unit = re.sub(r"(?:及|和)?(?:所属|下属)单位$", "", unit).strip(" -_—:：·")
        if looks_like_unit(unit) or (len(unit) >= 2 and unit in known):
            return unit
    raw = text or ""
    return next((k for k in known if k in raw), "")

"""Regions as data: the 行政区划 code list (``codes/admin_divisions.csv``) and reading a region off a printed name.

A unit is (region, canonical name): every city has its own 财政局, so "财政局" alone names nothing. This module
says which region a printed name or line starts with ("四川省内江市住房公积金管理中心" → 四川省 / 内江市;
"上海市普陀区财政局" → 上海市 / 上海市 / 普陀区), what is left of the name once the region is taken off
(the canonical name), and how two regions relate (one refines the other, or they conflict).

The code list is small on purpose: every province, the cities and districts the real corpus and the synthetic
corpus factory use, and provincial capitals. Places outside it are still read by their form (2–3 characters +
市/州/盟, then + 区/县/旗), just without a code. A parent is inferred from a city (city names are nearly unique
nationally) but never from a county alone (普陀区 is in 上海 and in 舟山; 市中区 in four cities).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

import regex

_CSV = Path(__file__).resolve().parent / "codes" / "admin_divisions.csv"
LEVELS = ("central", "province", "city", "county")
CENTRAL = "中央"
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

_PARTY = regex.compile(r"^(?:中共|中国共产党)")
_CENTRAL = regex.compile(r"^(?:中央|国家|中华人民共和国|国务院|全国|中国)")
# a place name is never one of these words, nor contains an organisation's characters
_NOT_PLACE = regex.compile(r"[局委办厅部院所站队馆会社团校处科室署府心的和与及年月日第]|部分|决算|预算|公开|说明|人民")
_GENERIC_CITY = regex.compile(r"\p{Han}{2,3}?(?:市|州|盟)")
_GENERIC_COUNTY = regex.compile(r"\p{Han}{2,3}?(?:区|县|旗)")
_NOT_COUNTY = regex.compile(r"(?:开发|高新|园|景|保护|试验|实验|示范|社|辖|片|新|库|校|营|厂|小|街|矿|灾|病|城乡)区$")
_SPACES = regex.compile(r"[\s\u3000]+")
# words that start with a level character without being "this level's …" (市场监督管理局 is not 场监督管理局)
_LEVEL_WORDS = {"市场", "市政", "市容", "市民", "市区", "区域", "县域", "省级", "市级", "区级", "县级"}


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent_code: str
    short_name: str


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    with open(_CSV, encoding="utf-8", newline="") as f:
        return tuple(Division(r["code"], r["name"], r["level"], r["parent_code"], r["short_name"])
                     for r in csv.DictReader(f))


@lru_cache(maxsize=1)
def _index() -> dict:
    by_code = {d.code: d for d in divisions()}
    by_level: dict[str, list[Division]] = {lvl: [] for lvl in LEVELS}
    for d in divisions():
        by_level[d.level].append(d)
    for lst in by_level.values():
        lst.sort(key=lambda d: -len(d.name))  # longest first: 内蒙古自治区 before any shorter prefix
    return {"by_code": by_code, **by_level}


@dataclass(frozen=True)
class Region:
    province_name: str | None = None
    province_code: str | None = None
    city_name: str | None = None
    city_code: str | None = None
    county_name: str | None = None
    county_code: str | None = None
    central: bool = False

    @property
    def level(self) -> str | None:
        if self.central:
            return "central"
        return "county" if self.county_name else "city" if self.city_name else "province" if self.province_name \
            else None

    @property
    def empty(self) -> bool:
        return self.level is None

    @property
    def name(self) -> str | None:
        """'四川省内江市', '上海市普陀区' (a municipality is printed once), '中央'."""
        if self.central:
            return CENTRAL
        parts = [self.province_name, None if self.city_name == self.province_name else self.city_name,
                 self.county_name]
        return "".join(p for p in parts if p) or None

    @property
    def code(self) -> str | None:
        """The code of the most specific level, when that level's code is known (no coarser code posing as it)."""
        lvl = self.level
        return {"county": self.county_code, "city": self.city_code, "province": self.province_code}.get(lvl or "")

    @property
    def key(self) -> str | None:
        """What a unit's id starts with: the code when known; else the city (and county) without the province —
        a document that prints '青川市财政局' and one that prints '四川省青川市财政局' are one unit, while county
        names, which repeat across cities, stay qualified by their city ('青川市临江县'); else the full name."""
        if self.code:
            return self.code
        if self.city_name and not self.central:
            return self.city_name + (self.county_name or "")
        return self.name

    def compatible(self, other: Region) -> bool:
        """Neither contradicts the other: every level both name is the same place."""
        if self.central or other.central:
            return self.central == other.central or self.empty or other.empty
        return all(a is None or b is None or a == b for a, b in
                   ((self.province_name, other.province_name), (self.city_name, other.city_name),
                    (self.county_name, other.county_name)))

    def merge(self, other: Region) -> Region:
        """This region with the levels only ``other`` names filled in (call when compatible)."""
        return Region(**{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(Region)})

    def as_dict(self) -> dict:
        return {"name": self.name, "level": self.level, "code": self.code,
                **{f.name: getattr(self, f.name) for f in fields(Region) if f.name != "central"}}


def _clean(text: str) -> str:
    return _SPACES.sub("", text or "")


def _place_ok(cand: str, pattern_not=None) -> bool:
    return not _NOT_PLACE.search(cand[:-1]) and not (pattern_not and pattern_not.search(cand))


def parse_region(text: str) -> tuple[Region, int]:
    """(region, characters of ``text`` it takes up) for the region ``text`` starts with; (Region(), 0) if none.

    '中共上海市普陀区委社会工作部' → 上海市/普陀区, ending before '委'; '财政局' → nothing."""
    s = _clean(text)
    pos = 0
    m = _PARTY.match(s)
    if m:
        pos = m.end()
    idx = _index()
    r: dict = {}
    for d in idx["province"]:
        if s.startswith(d.name, pos):
            r.update(province_name=d.name, province_code=d.code)
            pos += len(d.name)
            break
    if r.get("province_name") in MUNICIPALITIES:
        city = next(d for d in idx["city"] if d.parent_code == r["province_code"])
        r.update(city_name=city.name, city_code=city.code)
    else:
        pool = [d for d in idx["city"] if not r or d.parent_code == r.get("province_code")]
        city = next((d for d in pool if d.name not in MUNICIPALITIES and s.startswith(d.name, pos)), None)
        if city:
            r.update(city_name=city.name, city_code=city.code)
            parent = idx["by_code"][city.parent_code]
            r.update(province_name=parent.name, province_code=parent.code)
            pos += len(city.name)
        else:
            m = _GENERIC_CITY.match(s, pos)
            if m and _place_ok(m.group()):
                r["city_name"] = m.group()
                pos = m.end()
    known = next((d for d in idx["county"] if s.startswith(d.name, pos)), None)
    if known:
        same_parent = r.get("city_code") == known.parent_code
        r.update(county_name=known.name, county_code=known.code if same_parent else None)
        pos += len(known.name)
    else:
        m = _GENERIC_COUNTY.match(s, pos)
        if m and _place_ok(m.group(), _NOT_COUNTY):
            r["county_name"] = m.group()
            pos = m.end()
    if not r and _CENTRAL.match(s, pos) and not s.startswith("中国共产党", pos):
        return Region(central=True), 0
    return Region(**r), (pos if r else 0)


def region_from_name(name: str) -> Region:
    """The region a printed region name stands for ('四川省内江市', '上海市普陀区', '中央', '长沙市')."""
    s = _clean(name)
    if s == CENTRAL:
        return Region(central=True)
    return parse_region(s)[0]


def canonical_name(name: str) -> str:
    """The unit's name without its printed region, 口径 suffix or a bare level word: '四川省内江市住房公积金管理中心'
    → '住房公积金管理中心', '市财政局' → '财政局', '中共上海市普陀区委社会工作部' → '中共区委社会工作部'."""
    from schemas.units import normalise_unit_name

    s = normalise_unit_name(name)
    region, end = parse_region(s)
    party = _PARTY.match(s)
    rest = s[end:] if end else (s[party.end():] if party else s)
    if rest.startswith("委") and not region.empty:  # 区委/市委/县委: keep the level the committee belongs to
        rest = ({"county": (region.county_name or "区")[-1], "city": "市", "province": "省"}.get(region.level, "")
                + rest)
    elif len(rest) > 2 and rest[0] in "省市区县" and rest[1] != "委" and rest[:2] not in _LEVEL_WORDS:
        rest = rest[1:]
    if party and not rest.startswith(("中共", "中国共产党")):
        rest = party.group() + rest
    return rest or s


def name_key(canonical: str) -> str:
    """Canonical names compared as one unit: 全称 and 简称 of a committee (…委员会 / …委) fold together."""
    return regex.sub(r"委员会$", "委", canonical)


_INSTITUTION = regex.compile(r"(?:中心|院|所|站|馆|台|学校|学院|大学|中学|小学|幼儿园|医院|园|场|库|社|研究会)$")
_ADMIN = regex.compile(r"(?:局|委|委员会|管委会|办公室|办|厅|部|署|政府|办事处|支队|大队|总队|法院|检察院|处)$")


def unit_type(canonical: str) -> str:
    """party 党委部门 / administrative 行政机关 / institution 事业单位 / other, from the name's form (peer groups
    compare like with like: a 福利院 is not a 财政局's peer)."""
    if _PARTY.match(canonical) or regex.search(r"[省市区县]委(?!员会)", canonical):
        return "party"
    if regex.search(r"(?:法院|检察院)$", canonical) or not _INSTITUTION.search(canonical):
        return "administrative" if _ADMIN.search(canonical) else "other"
    return "institution"


def with_level_codes(region: Region) -> Region:
    """Codes for levels named but not coded, when the code list knows the place under the same parent."""
    idx = _index()
    r = region
    if r.province_name and not r.province_code:
        d = next((d for d in idx["province"] if d.name == r.province_name), None)
        r = replace(r, province_code=d.code) if d else r
    if r.city_name and not r.city_code:
        d = next((d for d in idx["city"] if d.name == r.city_name and (not r.province_code or
                                                                       d.parent_code == r.province_code)), None)
        r = replace(r, city_code=d.code, province_name=r.province_name or idx["by_code"][d.parent_code].name,
                    province_code=r.province_code or d.parent_code) if d else r
    if r.county_name and not r.county_code and r.city_code:
        d = next((d for d in idx["county"] if d.name == r.county_name and d.parent_code == r.city_code), None)
        r = replace(r, county_code=d.code) if d else r
    return r

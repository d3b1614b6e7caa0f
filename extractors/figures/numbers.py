"""Number parsing and unit conversion. Every amount leaves this module in 万元, rounded to 2 dp."""
from __future__ import annotations

import regex

# a printed number: thousands separators, optional decimals, optional sign; "1,506.37", "-3.5", "0"
NUM = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?"
_NUM_RE = regex.compile(rf"^\s*[（(]?\s*(?P<n>{NUM})\s*[)）]?\s*$")
_FACTOR = {"元": 0.0001, "千元": 0.1, "万元": 1.0, "亿元": 10000.0, "万": 1.0, "亿": 10000.0}
_BLANK = {"", "-", "—", "--", "——", "/", "—-", "－", "─"}


def parse_number(s: str | None) -> float | None:
    """A table cell or matched number → float; None for blank/dash/non-numeric."""
    if s is None:
        return None
    t = str(s).strip().replace(" ", "").replace("\u3000", "").replace("，", ",")
    if t in _BLANK:
        return None
    neg = t.startswith(("（", "("))
    m = _NUM_RE.match(t)
    if not m:
        return None
    v = float(m.group("n").replace(",", ""))
    return -abs(v) if neg and v > 0 else v


def is_blank_cell(s: str | None) -> bool:
    """An empty, dash or slash cell: printed as "nothing", which in a printed row of a catalogued table is 0."""
    return s is None or str(s).strip().replace(" ", "").replace("\u3000", "") in _BLANK


def is_number_cell(s: str | None) -> bool:
    return parse_number(s) is not None


def to_wanyuan(value: float, unit: str | None) -> float:
    return round(value * _FACTOR.get(unit or "万元", 1.0), 2)


def amount(value: float, unit: str | None = "万元") -> float:
    return to_wanyuan(value, unit)


def typed(value: float, vtype: str):
    """Coerce to the metric's value type: counts int, amounts 2 dp, pct/number as float."""
    if vtype in ("count", "int"):
        return round(value)
    if vtype == "amount":
        return round(value, 2)
    return round(value, 2) if abs(value - round(value, 2)) < 1e-9 else value


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_int(s: str) -> int | None:
    """Small Chinese numerals (一 … 九十九) and digits → int."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    if not s:
        return None
    if s == "十":
        return 10
    if "十" in s:
        a, _, b = s.partition("十")
        tens = _CN_DIGITS.get(a, 1) if a else 1
        ones = _CN_DIGITS.get(b, 0) if b else 0
        return tens * 10 + ones
    return _CN_DIGITS.get(s)

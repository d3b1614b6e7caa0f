"""Text hygiene for Chinese government PDFs: radicals, full-width digits, spaces inside Chinese words."""
from __future__ import annotations

import unicodedata

import regex

# CJK Radicals Supplement code points that NFKC leaves alone but that stand for ordinary characters.
_RADICAL_SUPPLEMENT = {
    "⺠": "民", "⻔": "门", "⻋": "车", "⻓": "长", "⻛": "风", "⻢": "马", "⻜": "飞", "⻝": "食", "⻅": "见",
    "⻉": "贝", "⻚": "页", "⻘": "青", "⻬": "齐", "⻮": "齿", "⻰": "龙", "⻳": "龟", "⺟": "母",
    "⺁": "厂", "⺇": "几", "⺈": "刀", "⺊": "卜", "⺌": "小", "⺍": "小", "⺎": "兀", "⺏": "尢", "⺐": "尢",
    "⺑": "尢", "⺒": "巳", "⺓": "幺", "⺔": "彐", "⺕": "彐", "⺖": "心", "⺗": "心", "⺘": "手", "⺙": "攴",
    "⺛": "旡", "⺝": "月", "⺞": "歹", "⺡": "水", "⺢": "水", "⺣": "火", "⺤": "爪", "⺥": "爪", "⺦": "丬",
    "⺧": "牛", "⺨": "犬", "⺩": "王", "⺪": "疋", "⺫": "目", "⺬": "示", "⺭": "示", "⺮": "竹", "⺯": "糸",
    "⺰": "糸", "⺱": "网", "⺲": "网", "⺳": "网", "⺴": "网", "⺵": "网", "⺶": "羊", "⺷": "羊", "⺸": "羊",
    "⺹": "老", "⺺": "聿", "⺻": "聿", "⺼": "肉", "⺽": "臼", "⺾": "艸", "⺿": "艸", "⻀": "艸", "⻁": "虎",
    "⻂": "衣", "⻃": "覀", "⻄": "西", "⻆": "角", "⻇": "言", "⻈": "讠", "⻊": "足", "⻌": "辶", "⻍": "辶",
    "⻎": "辶", "⻏": "阝", "⻐": "金", "⻑": "長", "⻒": "镸", "⻕": "门", "⻖": "阝", "⻗": "雨", "⻙": "韦",
    "⻟": "饣", "⻠": "食", "⻡": "首", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤",
    "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "齐", "⻭": "齿", "⻯": "龙", "⻱": "龟", "⻲": "龜",
}
_HAN_SPACE = regex.compile(r"(?<=[\p{Han}，。：；、（）“”])[ \t\u3000]+(?=[\p{Han}，。：；、（）“”])")
_TRANS = str.maketrans(_RADICAL_SUPPLEMENT)
# NFKC turns the Chinese comma into ","; put it back where it separates words, not digits (1,234.00).
_HAN_COMMA = regex.compile(r"(?<=[\p{Han}）”]),|,(?=[\p{Han}（“])")


def normalize_text(s: str) -> str:
    """NFKC (Kangxi radicals, full-width digits) + radical-supplement map + no spaces between Han characters.

    NFKC also turns full-width punctuation into ASCII; Chinese brackets and colons are restored afterwards
    because extraction rules are written against the Chinese forms.
    """
    if not s:
        return ""
    s = s.translate(_TRANS)
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("(", "（").replace(")", "）").replace(":", "：")
    s = _HAN_SPACE.sub("", s)
    s = _HAN_COMMA.sub("，", s)
    return s.strip()


_UNIT = regex.compile(r"(?:金额)?单位\s*[：:]\s*(亿元|万元|千元|元)")


def parse_unit_caption(s: str) -> str | None:
    m = _UNIT.search(s or "")
    return m.group(1) if m else None


_HANLIKE = regex.compile(r"[\p{Han}，。：；、（）“”《》]")


def join_fragments(frags: list[str]) -> str:
    """Join the wrapped lines of one cell: no separator inside Chinese text, a space between Latin words."""
    out = ""
    for f in (f.strip() for f in frags):
        if not f:
            continue
        if out and not (_HANLIKE.match(out[-1]) or _HANLIKE.match(f[0])):
            out += " "
        out += f
    return out


_CODE = regex.compile(
    r"(公开\s*\d{1,2}\s*表|附表\s*[\d一二三四五六七八九十]+|表\s*[\d一二三四五六七八九十]{1,3}(?:[-—]\d+)?(?=[\s：:.．、]|$))"
)
_ORG = regex.compile(r"((?:编制|预算|主管|填报)?(?:单位|部门)(?:名称)?\s*[：:]\s*(?!亿元|万元|千元|元)\S.*?)(?=\s{2,}|(?:金额)?单位\s*[：:]|$)")
_UNIT_CAPTION = regex.compile(r"(?:金额)?单位\s*[：:]\s*(?:亿元|万元|千元|元)|[（(]\s*(?:单位\s*[：:]\s*)?(?:亿元|万元|元)\s*[)）]")


def parse_code(s: str) -> str | None:
    m = _CODE.search(s or "")
    return regex.sub(r"\s+", "", m.group(1)) if m else None


def parse_org_line(s: str) -> str | None:
    m = _ORG.search(s or "")
    return m.group(1).strip() if m else None


def find_unit_caption(s: str) -> str | None:
    m = _UNIT_CAPTION.search(s or "")
    return regex.sub(r"\s+", "", m.group(0)) if m else None


def unit_of_caption(caption: str | None) -> str | None:
    if not caption:
        return None
    m = regex.search(r"亿元|万元|千元|元", caption)
    return m.group(0) if m else None

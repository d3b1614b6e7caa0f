"""Narrative rule engine: regex rules over the normalised text stream, section-aware, year-aware.

A rule is ``Rule(metric, pattern, ...)`` where the pattern may use the placeholders
``{AMT}`` (amount with its unit: 元/万元/亿元 → converted to 万元), ``{PCT}`` (a percentage), ``{CNT}`` (an integer
count, Arabic or small Chinese numerals), ``{G}`` / ``{G:n}`` (a short gap of non-digit text that does not cross a
sentence and carries no change word such as 增加/减少/上年), and ``{Y}`` (an optional 20xx年度 prefix).
Rules with ``zero=True`` record 0 when the pattern matches (无…/未发生…). A match preceded in its sentence by the
prior year (or 上年) is redirected to ``prev`` (e.g. total.grand → total.grand_prev) or dropped.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from extractors.figures.numbers import cn_int, parse_number, to_wanyuan
from extractors.figures.records import figure
from extractors.figures.textstream import TextStream

CHANGE = r"增加|减少|增长|下降|上升|降低|持平|上年|比|较|同比|相比|增幅|降幅|减幅|变动"
_PH = {
    # a bare zero after 为 closes its clause without a unit ("政府性基金拨款支出预算为0；"): 0 in any unit
    "AMT": r"(?:(?P<amt>\d[\d,]*(?:\.\d+)?|\d*\.\d+)\s?(?P<unit>亿元|万元|千元|元)"
           r"|(?<=为)(?P<amt>0(?:\.0+)?)(?![\d.%])(?=\s?(?:[；;。，,、）)]|$)))",
    "PCT": r"(?P<pct>\d+(?:\.\d+)?)\s?%",
    "CNT": r"(?P<cnt>\d+|[零〇一二两三四五六七八九十]{1,3})",
    "Y": r"(?:(?:19|20)\d{2}\s?年(?:度)?)?",
    "G": rf"(?:(?!{CHANGE})[^\d。；;!?！？，,])" + "{0,%d}?",
    "GC": rf"(?:(?!{CHANGE})[^\d。；;!?！？])" + "{0,%d}?",
}
_TOKEN = regex.compile(r"\{(AMT|PCT|CNT|Y|G|GC)(?::(\d+))?\}")


def compile_pattern(p: str) -> regex.Pattern:
    def sub(m):
        name, n = m.group(1), m.group(2)
        if name in ("G", "GC"):
            return _PH[name] % int(n or 12)
        return _PH[name]
    return regex.compile(_TOKEN.sub(sub, p))


@dataclass
class Rule:
    metric: str
    pattern: str
    sections: tuple[str, ...] = ()  # empty = anywhere
    not_sections: tuple[str, ...] = ()
    prev: str | None = None  # metric for a prior-year match
    zero: bool = False
    kinds: tuple[str, ...] = ()  # restrict to final_accounts / budget
    rank: int = 0
    also_zero: tuple[str, ...] = ()  # zero statements that cover several metrics
    compiled: regex.Pattern | None = None

    def rx(self) -> regex.Pattern:
        if self.compiled is None:
            self.compiled = compile_pattern(self.pattern)
        return self.compiled


# ---------------------------------------------------------------- sections
_HEAD = regex.compile(r"^(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]{1,3}[、.．]|（[一二三四五六七八九十]{1,3}）|\d{1,2}[、.．](?!\d))")
SECTION_KEYS = [
    ("sangong", r"三公"), ("gf", r"政府性基金"), ("soe", r"国有资本经营"), ("admin", r"机关运行"),
    ("procurement", r"政府采购"), ("assets", r"国有资产|资产占|资产情况"), ("performance", r"绩效"),
    ("basic", r"基本支出"), ("gpb", r"一般公共预算"), ("appropriation", r"财政拨款收入支出|财政拨款收支"),
    ("totals", r"收入支出(?:决算|预算)?总体|收支(?:决算|预算)?总体|收支总体|总体情况|收支预算总表"),
    ("income", r"收入"), ("expenditure", r"支出"), ("glossary", r"名词解释"), ("profile", r"概况|职责|机构|人员(?!经费|类)"),
]
_SECTION_RX = [(k, regex.compile(p)) for k, p in SECTION_KEYS]
# an arabic-numbered line that is a label and its amount (Beijing's "1.一般公共预算拨款收入44156.64万元")
_ITEM_WITH_AMOUNT = regex.compile(r"^\d{1,2}[、.．](?!\d)[\p{Han}“”（）()]{2,24}?(?:为|是)?[\d,]+(?:\.\d+)?\s*(?:万元|元|亿元)")


def sections(ts: TextStream) -> list[tuple[int, str]]:
    """(offset, section key) at every heading line, in stream order."""
    out = []
    for start in ts.starts:
        t = ts.text[start:start + 60]
        m = _HEAD.match(t)
        if not m:
            continue
        head = t[m.end():m.end() + 30]
        # a title ends at its sentence end or at its amount: "（一）本年财政拨款收入44156.64万元" is followed by
        # "1.一般公共预算拨款收入…" in the stream, which is not part of the title
        # ... and a heading that ends in 说明 ends there when its paragraph runs on in the same line (HTML articles:
        # "三、支出预算情况说明 2015年预算支出安排一般公共预算…" is an expenditure section, not a 一般公共预算 one)
        head = regex.split(r"[。；]|(?<=\d万元)|(?<=说明)", head)[0]
        if _ITEM_WITH_AMOUNT.match(t):
            continue  # "1.一般公共预算拨款收入44156.64万元。" is an entry of a list, not a section heading
        for key, rx in _SECTION_RX:
            if rx.search(head):
                out.append((start, key))
                break
    return out


def section_at(secs: list[tuple[int, str]], off: int) -> str | None:
    cur = None
    for s, k in secs:
        if s > off:
            break
        cur = k
    return cur


_YEAR_RX = regex.compile(r"((?:19|20)\d{2})\s?年|(上年|上一年|去年|上年度)")
_SENT_START = regex.compile(r"[。；;！!？?]")


def _year_context(text: str, start: int, fy: int | None, kind: str | None = None) -> str:
    """'cur' | 'prev' | 'old' from the years named between the sentence start and the match."""
    lo = max(0, start - 60)
    seg = text[lo:start]
    cut = max((m.end() for m in _SENT_START.finditer(seg)), default=0)
    # a clause after a comma starts fresh only when it names its own year
    seg = seg[cut:]
    ctx = "cur"
    for m in _YEAR_RX.finditer(seg):
        if m.group(2):
            ctx = "prev"
        elif fy:
            y = int(m.group(1))
            if y == fy - 1 and kind == "budget" and _AS_OF.search(seg, 0, m.start()):
                ctx = "cur"  # a budget's "截至2025年12月，共有车辆5辆": the latest holdings, not a prior-year figure
                continue
            ctx = "cur" if y >= fy else ("prev" if y == fy - 1 else "old")
    return ctx


_AS_OF = regex.compile(r"(?:截至|截止|截止到|截止至)$")


# document-level totals: a sentence whose subject is another unit (a subordinate unit's own section in a
# multi-unit package: "十三、XX分局部门预算收入5,127.91万元") does not state the document's total
DOC_TOTALS = {"total.grand", "income.total", "expenditure.total", "expenditure.basic", "expenditure.project"}
_ORG_END = regex.compile(r"(?:局|委员会|办公室|办公厅|中心|支队|大队|学校|医院|研究院|研究所|站|馆|处)(?:（本级）)?")
_HAN_RUN = regex.compile(r"[\p{Han}（）]{4,}")


def _norm_org(s: str) -> str:
    return regex.sub(r"（本级）|（部门）|本级", "", s or "")


def other_unit(text: str, start: int, unit_name: str | None) -> bool:
    """The clause before ``start`` names an organisation that is not the document's unit."""
    if not unit_name:
        return False
    lo = max(0, start - 80)
    seg = text[lo:start]
    cut = max((m.end() for m in _SENT_START.finditer(seg)), default=0)
    seg = seg[cut:]
    unit = _norm_org(unit_name)
    org = None
    for run in _HAN_RUN.finditer(seg):
        ends = list(_ORG_END.finditer(run.group(0)))
        if ends:
            org = _norm_org(run.group(0)[:ends[-1].end()])
    if not org or len(org) < 4:
        return False
    return unit not in org and org not in unit


_UNIT_HEAD = regex.compile(r"^[一二三四五六七八九十]{1,3}[、.．](?P<org>[\p{Han}（）]{4,40}(?:局|委员会|办公室|办公厅|中心|支队|大队|"
                           r"学校|学院|医院|院|所|站|馆|处|队)(?:（[\p{Han}]{2,12}）|本级)?)$")
_TOP_HEAD = regex.compile(r"^(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]{1,3}[、.．])")


def unit_blocks(ts: TextStream) -> list[tuple[int, int]]:
    """Per-unit sections of a multi-unit package (≥ 2 headings that are just a unit's name, "十三、XX分局"):
    from each such heading to the next top-level heading that is not one."""
    heads = []
    for start, ln in zip(ts.starts, ts.lines):
        t = ts.text[start:start + 60]
        line = regex.sub(r"\s+", "", ln.text or "")
        if _UNIT_HEAD.match(line):
            heads.append((start, "unit"))
        elif _TOP_HEAD.match(t):
            heads.append((start, "top"))
    if sum(1 for _, k in heads if k == "unit") < 2:
        return []
    blocks, open_at = [], None
    for start, k in heads:
        if k == "unit" and open_at is None:
            open_at = start
        elif k == "top" and open_at is not None:
            blocks.append((open_at, start))
            open_at = None
    if open_at is not None:
        blocks.append((open_at, len(ts.text)))
    return blocks


# "…政府采购预算总额947万元：货物47万元…；其中一般公共预算拨款政府采购0万元：政府采购货物预算0万元…" — after such a
# 其中 the items are one fund's share, not the department's procurement
_PROCUREMENT = {"procurement.total", "procurement.goods", "procurement.works", "procurement.services"}
_FUND_SCOPE = regex.compile(r"其中[：:，,]?(?:一般公共预算|政府性基金|国有资本经营|财政拨款)[^。；;]{0,12}?政府采购")


def _fund_scoped(text: str, start: int) -> bool:
    lo = max(0, start - 80)
    cut = max((m.end() for m in _SENT_START.finditer(text, lo, start)), default=lo)
    return bool(_FUND_SCOPE.search(text, cut, start))


def run_rules(ts: TextStream, rules: list[Rule], fy: int | None, kind: str | None,
              secs: list[tuple[int, str]], unit_name: str | None = None) -> list[dict]:
    figs: list[dict] = []
    text = ts.text
    blocks = unit_blocks(ts)
    for rule in rules:
        if rule.kinds and kind not in rule.kinds:
            continue
        for m in rule.rx().finditer(text):
            sec = section_at(secs, m.start())
            if sec == "glossary":
                continue
            if rule.sections and sec not in rule.sections:
                continue
            if sec in rule.not_sections:
                continue
            metric = rule.metric
            ctx = _year_context(text, m.start(), fy, kind)
            if ctx == "old":
                continue
            if rule.metric in _PROCUREMENT and _fund_scoped(text, m.start()):
                continue
            if rule.metric in DOC_TOTALS and (other_unit(text, m.start(), unit_name)
                                              or any(a <= m.start() < b for a, b in blocks)):
                continue
            if ctx == "prev":
                if not rule.prev:
                    continue
                metric = rule.prev
            gd = m.groupdict()
            unit = None
            if rule.zero:
                val = 0.0
            elif gd.get("amt") is not None:
                v = parse_number(gd["amt"])
                if v is None:
                    continue
                unit = gd.get("unit") or "万元"
                val = to_wanyuan(v, unit)
            elif gd.get("pct") is not None:
                val = float(gd["pct"])
            elif gd.get("cnt") is not None:
                c = cn_int(gd["cnt"])
                if c is None:
                    continue
                val = float(c)
            else:
                continue
            page, bbox = ts.locate(m.start(), m.end())
            for mt in (metric, *rule.also_zero) if rule.zero else (metric,):
                f = figure(mt, val, source="narrative", page=page, text=m.group(0), bbox=bbox,
                           unit=unit, rank=rule.rank + (1 if mt != metric else 0))
                f["_off"] = m.start()
                figs.append(f)
    for f in figs:
        f.setdefault("_off", 0)
    return figs

"""Is this a 部门/单位 预决算 disclosure, or something that sits beside one on the same portal?

Columns that publish 部门决算 also publish the 人大常委会's decision approving the 市级决算, the 预算执行情况 and
审计工作报告, notices about 决算 work, news of meetings, and 绩效评价 results; portals misfile all of them (the
real corpus has a scanned 绩效评价结果 filed as "2026年部门预算"). The crawler asks before downloading (title and
link text) and again after (the first pages' text); the registry stores the verdict and its reason, and ingest
skips what is not a disclosure. The text, when there is some, outranks the title: titles are where portals lie.

Labels (``Verdict.label``):

========================  ==================================================================================
``disclosure``            部门/单位 预算 or 决算 (tables, 情况说明 or both); ``kind`` and ``scope`` say which
``general_accounts``      本级/市级/全市 总预算, 总决算 (the government's accounts, not one department's)
``decision``              人大/人大常委会 决议、决定 (e.g. approving the 市级决算)
``report``                预算执行情况的报告, 审计工作报告, 决算(草案)的报告
``notice``                通知, 通告, 函 (e.g. 关于做好部门决算公开工作的通知)
``meeting``               会议 and other news (召开, 部署, 获…通过, 解读)
``performance``           绩效评价 results, 绩效自评, 绩效目标表 published on their own
``template``              a blank official template (XX局, placeholders instead of figures)
``unknown``               nothing decisive either way
========================  ==================================================================================
"""
from __future__ import annotations

import re
from dataclasses import dataclass

LABELS = {
    "disclosure": "部门/单位预决算公开",
    "general_accounts": "总预算/总决算（本级、市级、全市）",
    "decision": "人大（常委会）决议、决定",
    "report": "报告（预算执行情况、审计工作报告、决算报告）",
    "notice": "通知、公告",
    "meeting": "会议、新闻",
    "performance": "绩效评价、绩效目标",
    "template": "空白模板",
    "unknown": "无法判断",
}
NON_DISCLOSURES = tuple(k for k in LABELS if k not in ("disclosure", "unknown"))


@dataclass(frozen=True)
class Verdict:
    label: str
    reason: str
    kind: str = ""  # final_accounts | budget | ""
    scope: str = ""  # department | unit | ""
    source: str = ""  # title | text | title+text: what the verdict rests on

    @property
    def is_disclosure(self) -> bool:
        """True for disclosures and for undecided documents (the readers decide those; nothing is lost)."""
        return self.label in ("disclosure", "unknown")

    def describe(self) -> str:
        return f"{self.label} ({LABELS.get(self.label, self.label)}): {self.reason}"


def _rx(*parts: str) -> re.Pattern:
    return re.compile("|".join(parts))


# --- title rules: the first that matches decides; order matters (a 通知 about 部门决算 is a notice) -----------
_S = r"[\s　]*"
_TITLE_RULES: list[tuple[str, re.Pattern]] = [
    # (by its form, '关于…的决议/决定': a 人大常委会's own 部门决算 names the body and its power to 决定 as well)
    ("decision", _rx(r"关于.{0,60}的(?:决议|决定)", r"关于批准.{0,40}(?:决算|预算).{0,10}(?:决议|决定)",
                     r"(?:决算|预算).{0,6}的(?:决议|决定)")),
    # (公告 is not here: '关于XX局2024年度部门决算公开的公告' is how some portals title the disclosure itself)
    # (通报/公示 of how the 公开 went, 检查结果: about disclosures, not one)
    ("notice", _rx(r"^关于.{0,80}(?:通知|通告|函|意见|办法|通报)$", r"(?:通知|通告|通报)$", r"^关于印发",
                   r"的(?:通知|通告|函|通报)(?:\W|$)", r"情况的?(?:通报|公示)", r"(?:检查|评估|考核|评议)结果")),
    ("meeting", _rx(r"召开|会议|座谈|布置会|推进会|培训班|部署.{0,10}工作|获.{0,6}通过|审议通过|解读|工作动态|图解|答记者问",
                    r"(?:顺利|圆满|全面)完成", r"^我(?:市|区|县|省)")),  # news of the 公开 work: '我市…工作顺利完成'
    # ('XX局2024年度部门决算报告' is how some units title the disclosure: only the government reports 决算)
    ("report", _rx(r"执行情况(?:的)?报告", r"审计(?:工作)?报告", r"审计结果", r"(?<!部门|单位)决算(?:草案)?(?:的)?报告",
                   r"(?<!部门|单位)预算(?:草案)?(?:的)?报告", r"执行情况$", r"整改(?:情况)?的?报告", r"检查报告", r"审计查出")),
    ("performance", _rx(r"绩效评价", r"绩效自评", r"评价结果", r"绩效目标(?:表|申报表)?$", r"^.{0,30}绩效目标表")),
    ("general_accounts", _rx(r"(?:市|区|县|省|镇|乡)级(?:一般公共)?(?:预算|决算)", r"(?:市|区|县|省)本级(?:预算|决算)",
                             r"全(?:市|区|县|省)(?:一般公共)?(?:预算|决算)", r"总(?:预算|决算)", r"政府(?:预算|决算)(?!公开)",
                             r"财政(?:总)?(?:预算|决算)(?:草案)?$", r"(?:收支)?决算草案", r"预算调整方案",
                             # a region's fund budgets published on their own ('长沙市2024年政府性基金预算'); a
                             # department's are tables (…支出表) or a bare attachment name under its own article
                             r"(?:市|区|县|省|州|旗)(?:\d{4}年度?)?(?:政府性基金|国有资本经营|社会保险基金)(?:预算|决算)(?:草案)?$")),
    ("template", _rx(r"模板|样表|范本|XX(?:局|单位|部门)|ＸＸ")),
]
# a title that names a department/unit disclosure
_TITLE_DISCLOSURE = _rx(r"(?:部门|单位|机关)(?:综合)?(?:预算|决算)", r"(?:预算|决算|预决算)(?:信息)?公开", r"“?三公”?经费",
                        r"(?:收支|收入|支出)(?:预算|决算)?(?:总|情况)?表", r"(?:预算|决算)(?:情况)?说明",
                        r"(?<![市区县省级])(?:预算|决算)$")
# scope: the first document phrase decides (单位预算 vs 部门预算 / （部门）预算); 本级 only when neither is said.
# '（含下属单位）' marks a department's consolidated document, and a 部门概况 listing its 所属/下属单位 says nothing
# about scope (重庆市交通委员会's 部门预算 lists its 二级单位 before it first says 部门预算).
_CONSOLIDATED = re.compile(r"[（(]?含(?:下属|所属|二级)?(?:事业)?单位[）)]?")
_SCOPE_PHRASE = re.compile(r"(?P<unit>单位(?:综合)?(?:预算|决算))|(?P<department>部门(?:综合)?(?:预算|决算)|[（(]部门[）)]\s*(?:预算|决算))")
_DEPT_SCOPE = re.compile(r"本级")

# --- body markers: what a 部门/单位 disclosure's pages say (headings, table titles), against what the others say
_BODY_DISCLOSURE = [
    ("部门/单位概况", r"(?:部门|单位)(?:基本)?(?:概况|情况)|主要职能|主要职责|机构设置|人员构成"),
    ("收支总表", r"收入支出决算总表|收支(?:预算|决算)?总(?:体情况)?表|财务收支预算总表"),
    ("收入表", r"收入(?:预算|决算)(?:总)?表|部门收入总表|收入总(?:体情况)?表"),
    ("支出表", r"支出(?:预算|决算)(?:总)?表|部门支出总表|本年支出总(?:体情况)?表|支出总(?:体情况)?表"),
    ("财政拨款收支表", r"财政拨款收(?:入)?支(?:出)?(?:预算|决算)?总(?:体情况)?表"),
    ("一般公共预算支出表", r"一般公共预算(?:财政拨款)?(?:基本)?支出(?:预算|决算)?(?:情况)?表"),
    ("三公经费", r"“?三公”?经费(?:支出)?(?:预算|决算)?(?:情况)?(?:表|说明)"),
    ("情况说明", r"(?:部门|单位)?(?:预算|决算)(?:情况)?说明|收支总体情况|名词解释|机关运行经费"),
    ("公开目录", r"(?:部门|单位)(?:综合)?(?:预算|决算)(?:公开)?\s*目\s*录|第[一二三]部分"),
]
_BODY_NEGATIVE: list[tuple[str, re.Pattern]] = [
    ("decision", _rx(r"人民代表大会常务委员会第[一二三四五六七八九十\d]+次会议", r"(?:决定|决议)(?:批准|如下)",
                     r"会议(?:审议|听取)了.{0,60}(?:决算|预算)", r"批准.{0,30}(?:决算|预算)")),
    ("report", _rx(r"各位代表", r"审计工作报告", r"执行情况的报告", r"受.{0,20}委托.{0,20}报告")),
    ("notice", _rx(r"特此通[知报]", r"现(?:将|就).{0,30}(?:通知|通报|公示)如下", r"请于\d{4}年\d{1,2}月\d{1,2}日前", r"各(?:区|县|市|有关)[^。]{0,20}(?:单位|部门|财政局)[：:]")),
    ("meeting", _rx(r"会议(?:指出|强调|要求|认为)", r"(?:召开|举行)了?.{0,30}(?:会议|会|座谈)", r"出席会议", r"参加会议",
                    r"全(?:市|区|县|省)(?:共有)?\d+个(?:部门|单位)")),
    ("performance", _rx(r"绩效评价(?:结果|报告|工作)", r"评价(?:得分|等级|结论)", r"绩效自评", r"项目支出绩效目标(?:申报)?表",
                        r"绩效指标.{0,20}指标值")),
    ("general_accounts", _rx(r"全(?:市|区|县|省)一般公共预算收入", r"(?:市|区|县|省)本级一般公共预算收入",
                             r"(?:市|区|县|省)级一般公共预算(?:收入|支出)")),
]
_BODY_MARKERS = [(name, re.compile(p)) for name, p in _BODY_DISCLOSURE]
_FIGURE = re.compile(r"\d[\d,，]*(?:\.\d+)?\s*万?元")
_PLACEHOLDER = re.compile(r"XX|ＸＸ|××|xx局|X{2,}")


# organisations whose names hold a rule's word: 中国人民政治协商会议…委员会 (every 政协 publishes 部门决算), a
# 会议中心 or 会议接待中心. Their names are shortened before the rules read a title, never the rules weakened.
_INCLUDED = re.compile(r"[（(]?(?:含|及|和|附)[^（）()]{0,12}绩效[^（）()]{0,12}[）)]?")
_ORG_NAMES = re.compile(r"(?:中国人民)?政治协商会议|会议(?:接待|服务|展览)?(?:中心|处)")


def title_label(title: str) -> tuple[str, str] | None:
    """(label, the phrase that decided it) for a title or link text; None when it says nothing."""
    t = re.sub(r"\.(?:pdf|docx?|xlsx?|wps|et|s?html?)$", "", (title or "").strip(), flags=re.IGNORECASE)
    t = _ORG_NAMES.sub(lambda m: "政协" if "协商" in m.group(0) else "中心", t)
    if _SCOPE_PHRASE.search(t):  # '…部门决算（含绩效评价结果）', '…部门预算及绩效目标': the disclosure with its parts
        t = _INCLUDED.sub("", t)
    if not t:
        return None
    for label, rx in _TITLE_RULES:
        m = rx.search(t)
        if m:
            return label, m.group(0)
    m = _TITLE_DISCLOSURE.search(t)
    if m:
        return "disclosure", m.group(0)
    return None


def _scope(text: str) -> str:
    t = _CONSOLIDATED.sub("", text or "")
    m = _SCOPE_PHRASE.search(t)
    if m:
        return m.lastgroup
    return "department" if _DEPT_SCOPE.search(t) else ""


def _head(text: str, n: int = 160) -> str:
    """The first heading-like stretch of a document's text (cover or first title), spaces removed."""
    return re.sub(r"[\s　]+", "", text or "")[:n]


def body_markers(text: str) -> list[str]:
    """Names of the disclosure sections and tables the text contains (each counted once)."""
    return [name for name, rx in _BODY_MARKERS if rx.search(text)]


def body_negative(text: str) -> tuple[str, str] | None:
    for label, rx in _BODY_NEGATIVE:
        m = rx.search(text)
        if m:
            return label, m.group(0)
    return None


def guess_kind(text: str) -> str:
    """决算 → final_accounts, 预算 → budget; '预决算' alone or neither → ''.

    决算 wins when both appear: 决算 tables are titled '一般公共预算财政拨款…决算表', where 预算 names a fund.
    """
    rest = (text or "").replace("预决算", "")
    if "决算" in rest:
        return "final_accounts"
    if "预算" in rest:
        return "budget"
    return ""


def _kind(*texts: str) -> str:
    for t in texts:
        k = guess_kind(t)
        if k:
            return k
    return ""


def classify(title: str = "", link_text: str = "", text: str = "") -> Verdict:
    """Decide from the title, the link text and (once fetched) the first pages' text."""
    named = " ".join(x for x in (title, link_text) if x)
    by_title = title_label(title) or title_label(link_text)
    compact = re.sub(r"[\s　]+", "", text or "")
    if len(compact) < 40:  # nothing (scan without OCR, empty page): the title is all there is
        if by_title is None:
            return Verdict("unknown", "no title phrase and no text to read", _kind(named), _scope(named), "title")
        label, phrase = by_title
        return Verdict(label, f"title says “{phrase}”" + ("" if compact else " (no text to read)"),
                       _kind(named), _scope(named), "title")
    markers = body_markers(compact)
    head = _head(compact)
    by_head = title_label(head[:60])
    negative = body_negative(compact)
    kind = _kind(head, named, compact[:4000])
    scope = _scope(head) or _scope(named) or _scope(compact[:4000])
    if _PLACEHOLDER.search(compact[:3000]) and len(markers) >= 2 and not _FIGURE.search(compact[:6000].replace("XX", "")):
        return Verdict("template", "disclosure layout with placeholders (XX) and no figures", kind, scope, "text")
    # a letter about disclosure work (通知/通报 to 各区县财政局…) names the tables it asks for: its opening decides
    opening = body_negative(compact[:300])
    if opening and opening[0] == "notice":
        return Verdict("notice", f"text opens as a letter: “{opening[1]}”", kind, scope, "text")
    # the 市级/本级/总决算 prints the same tables for the whole government: its heading decides, unless the
    # heading also names a 部门/单位 document
    overrides = ("performance", "decision", "report", "notice") + (() if _SCOPE_PHRASE.search(head[:60])
                                                                   else ("general_accounts",))
    if len(markers) >= 3 and not (by_head and by_head[0] in overrides):
        return Verdict("disclosure", "text has " + "、".join(markers), kind, scope, "text")
    if by_head and by_head[0] != "disclosure":
        return Verdict(by_head[0], f"first heading says “{by_head[1]}”", kind, scope, "text")
    if negative and len(markers) < 2:
        return Verdict(negative[0], f"text says “{negative[1]}”", kind, scope, "text")
    if markers and (by_head or by_title is None or by_title[0] == "disclosure"):
        return Verdict("disclosure", "text has " + "、".join(markers), kind, scope, "title+text")
    if by_title:
        label, phrase = by_title
        return Verdict(label, f"title says “{phrase}”; text has no disclosure sections", kind, scope, "title")
    return Verdict("unknown", "neither the title nor the text names a disclosure", kind, scope, "text")


def page_holds_disclosure(text: str, n_tables: int = 0) -> tuple[bool, str]:
    """Whether an article page is itself the disclosure: its body holds the tables, or the 情况说明 with figures.

    A page that only introduces attachments ('现将…公开如下' and links), lists units, or reports news is not.
    """
    compact = re.sub(r"[\s　]+", "", text or "")
    markers = body_markers(compact)
    figures = len(_FIGURE.findall(compact))
    if n_tables and markers and figures:
        return True, f"the page body holds {n_tables} table(s) and " + "、".join(markers)
    if figures >= 1 and (len(markers) >= 1 or re.search(r"(?:预算|决算)数|(?:收入|支出)(?:合计|总计)?为?\d", compact)):
        return True, f"the page body holds the 情况说明 with {figures} figure(s)"
    return False, ("the page body holds no tables and no 情况说明 with figures "
                   f"({len(compact)} characters, {figures} amounts, {n_tables} tables)")

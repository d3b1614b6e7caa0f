"""T01 收入支出决算总表 and T04 财政拨款收入支出决算总表: label → amount pairs in one or two panels.

Each row is scanned left to right; a text cell is a label and takes the first amount cell to its right
before the next label, skipping 行次/栏次 columns. Multi-column 支出 panels (T04: 合计 | 一般公共预算 | 政府性基金
| 国有资本经营) read the amount by column header. A recognised row whose amount cell is blank or a dash is 0
(flagged blank), unless the table's own totals contradict it (收入总计 ≠ the printed parts: the blank then hides
a misread cell, not a zero).
"""
from __future__ import annotations

import regex

from extractors.figures.numbers import is_blank_cell, parse_number, to_wanyuan
from extractors.figures.records import figure
from extractors.figures.tables import TableView, strip_label

T01_LABELS = [
    (r"一般公共预算(?:财政)?拨款(?:收入)?|一般公共预算(?:资金|收入)", "income.gpb_appropriation"),
    (r"政府性基金预算(?:财政)?拨款(?:收入)?|政府性基金(?:预算)?(?:资金|收入)", "income.gf_appropriation"),
    (r"国有资本经营预算(?:财政)?拨款(?:收入)?|国有资本经营(?:预算)?(?:资金|收入)", "income.soe_appropriation"),
    (r"财政拨款(?:收入)?|预算拨款(?:收入)?", "income.appropriation"),
    (r"财政专户管理资金(?:收入)?|财政专户拨款(?:收入)?", "income.special_account"),
    (r"上级补助收入", "income.superior_subsidy"),
    (r"事业收入(?:（不含教育收费(?:收入)?）)?", "income.business"),
    (r"事业单位经营收入|经营收入", "income.operating"),
    (r"附属单位上缴收入|下级单位上缴收入", "income.affiliated"),
    (r"其他收入", "income.other"),
    (r"本年收入合计|本年收入小计", "income.total"),
    (r"使用非财政拨款结余(?:（含专用结余）)?|用事业基金弥补收支差额|使用非财政拨款结余和专用结余", "income.use_of_reserves"),
    (r"年初结转和结余|上年结转(?:[、和及]?结余)?|上年结余[、和及]?结转", "income.carryover_begin"),
    (r"本年支出合计|本年支出小计", "expenditure.total"),
    (r"收入合计|支出合计|合计", "_sum"),
    (r"结余分配", "expenditure.surplus_distribution"),
    (r"年末结转和结余|年终结转(?:[和及]?结余)?|结转下年(?:结余)?", "expenditure.carryover_end"),
    # 陕西 综合预算: the 部门预算经济分类 panel's "人员经费和公用经费支出" / "专项业务经费支出" are 基本 / 项目
    (r"基本支出|人员经费和公用经费(?:支出)?", "expenditure.basic"),
    (r"项目支出|专项业务经费(?:支出)?", "expenditure.project"),
    # 陕西: "上年实户资金余额" / "未安排支出的实户资金" are parts of 收入总计 / 支出总计 but no metric of their own
    (r"上年实户资金余额", "_stated.income_account_balance"),
    (r"未安排支出的实户资金", "_stated.unspent_account_funds"),
    (r"上缴上级支出", "expenditure.remit_superior"),
    (r"经营支出", "expenditure.operating"),
    (r"对附属单位(?:的)?补助支出", "expenditure.affiliated_subsidy"),
    (r"收入总计|支出总计|总计", "total.grand"),
]
# T04 lists the appropriation kinds under "一、财政拨款" by bare name (湖州: "一般公共预算 6838.41"); the first
# row of a name is the income line, a repeat under 上年结转结余 is its carry-over split and is skipped
T04_LABELS = [
    (r"一般公共预算(?:财政)?拨款(?:收入)?|一般公共预算(?:资金|收入)?", "income.gpb_appropriation"),
    (r"政府性基金预算(?:财政)?拨款(?:收入)?|政府性基金(?:预算)?(?:资金|收入)?", "income.gf_appropriation"),
    (r"国有资本经营预算(?:财政)?拨款(?:收入)?|国有资本经营(?:预算)?(?:资金|收入)?", "income.soe_appropriation"),
    (r"年初财政拨款结转和结余|上年结转(?:[、和及]?结余)?|上年结余[、和及]?结转|年初结转和结余", "appropriation.carryover_begin"),
    (r"年末财政拨款结转和结余|年末结转和结余|年终结转(?:[和及]?结余)?|结转下年(?:结余)?", "appropriation.carryover_end"),
    (r"收入总计|支出总计|总计", "appropriation.grand"),
    (r"本年支出合计|本年支出|支出合计", "_t04.expenditure"),
    (r"收入合计|合计", "_sum"),
]
_T04_COLS = [("一般公共预算", "gpb.expenditure"), ("政府性基金", "gf.expenditure"), ("国有资本", "soe.expenditure")]
_SKIP_COL = regex.compile(r"行次|栏次")
_COMPILED = {k: [(regex.compile(rf"^(?:{p})$"), m) for p, m in v] for k, v in (("T01", T01_LABELS), ("T04", T04_LABELS))}


def _is_label(x: str) -> bool:
    return bool(x) and parse_number(x) is None and bool(regex.search(r"\p{Han}", x))


def read_panel_table(v: TableView) -> list[dict]:
    rules = _COMPILED[v.tid]
    figs: list[dict] = []
    seen: set[str] = set()
    blanks: dict[str, tuple] = {}
    rows_of: dict[str, int] = {}
    sums: list[tuple] = []
    stated: dict[str, float] = {}  # amounts the zero rules may read but that are no metric of their own
    ncol = len(v.grid[0]) if v.grid else 0
    skip = {c for c in range(ncol) if _SKIP_COL.search(v.col_header(c))}
    for r in range(v.header_rows, len(v.grid)):
        row = _unspill(v.grid[r])
        for c, x in enumerate(row):
            if c in skip or not _is_label(x):
                continue
            lab = strip_label(x)
            metric = _label_metric(rules, lab)
            if metric is None:
                continue
            # the amount cells after the label, up to the next label
            amounts = []
            for k in range(c + 1, ncol):
                if k in skip:
                    continue
                y = row[k]
                if _is_label(y):
                    break
                amounts.append((k, y))
            if metric == "_t04.expenditure":
                for k, y in amounts:
                    h = v.col_header(k)
                    for key, m2 in _T04_COLS:
                        if key in h:
                            _emit(v, figs, seen, blanks, m2, r, k, y, lab)
                if amounts and parse_number(amounts[0][1]) is not None:
                    # one 预算数 column (浙江): the expenditure total of all appropriation kinds, for the zero rules
                    stated.setdefault("_t04.expenditure", to_wanyuan(parse_number(amounts[0][1]), v.unit))
                continue
            rows_of.setdefault(metric, r)
            if amounts:
                k, y = amounts[0]
                if metric.startswith("_stated."):
                    if parse_number(y) is not None:
                        stated.setdefault(metric, to_wanyuan(parse_number(y), v.unit))
                    elif is_blank_cell(y):
                        blanks.setdefault(metric, (r, k, lab))
                    continue
                if metric == "_sum":
                    sums.append((r, k, y, lab))
                    continue
                _emit(v, figs, seen, blanks, metric, r, k, y, lab)
    for r, k, y, lab in sums:
        metric = _sum_metric(v.tid, lab, r, rows_of)
        if metric:
            _emit(v, figs, seen, blanks, metric, r, k, y, lab)
    figs += _blank_zeros(v, figs, blanks, stated)
    return figs


# a long label's last character(s) printed into the amount cell: "人员经费和公用经费支" | "出2,022.39"
_SPILL = regex.compile(r"^([\p{Han}）)]{1,2})(-?\d[\d,]*\.\d+)$")


def _unspill(row: list[str]) -> list[str]:
    out = list(row)
    for k in range(1, len(out)):
        m = _SPILL.match(out[k] or "")
        if m and _is_label(out[k - 1]):
            out[k - 1], out[k] = out[k - 1] + m.group(1), m.group(2)
    return out


_FUNDS_SUFFIX = regex.compile(r"(?:资金|金额|预算数|决算数)$")


def _label_metric(rules, lab: str) -> str | None:
    """The row's metric; budget templates suffix the income lines with 资金 (事业收入资金, 上级补助收入资金)."""
    for cand in (lab, _FUNDS_SUFFIX.sub("", lab)):
        m = next((m for pat, m in rules if pat.match(cand)), None)
        if m is not None:
            return m
    return None


_BEFORE_GRAND = ("income.total", "expenditure.total", "income.carryover_begin", "expenditure.carryover_end",
                 "income.use_of_reserves", "appropriation.carryover_begin", "appropriation.carryover_end")


def _sum_metric(tid: str, lab: str, r: int, rows_of: dict[str, int]) -> str | None:
    """收入合计 / 支出合计 / 合计 without 本年: the grand total when printed below 本年收入合计 or the 结转 lines
    (Fujian: 本年收入合计 … 上年结转结余 … 收入合计), or when the table has no 总计 at all (Chongqing: one 合计 line
    with the carry-over folded into the income lines); else this year's income / expenditure total."""
    grand = "total.grand" if tid == "T01" else "appropriation.grand"
    has_grand = any(m == grand for m in rows_of)
    if not has_grand and any(rows_of.get(m, 1 << 30) < r for m in _BEFORE_GRAND):
        return grand
    if tid != "T01":
        return grand if not has_grand and lab == "合计" else None
    if lab.startswith("收入"):
        return "income.total"
    if lab.startswith("支出"):
        return "expenditure.total"
    return grand if not has_grand else None


def _emit(v, figs, seen, blanks, metric, r, k, y, lab):
    if metric in seen:
        return
    val = parse_number(y)
    if val is None:
        if metric not in blanks and is_blank_cell(y):
            blanks[metric] = (r, k, lab)
        return
    seen.add(metric)
    page, bbox, raw = v.prov(r, k)
    figs.append(figure(metric, to_wanyuan(val, v.unit), source="table", table=v.tid, page=page,
                       text=f"{lab} {raw}".strip(), bbox=bbox, unit=v.unit or "万元"))


_ZERO_RULES = {
    "T01": [
        ("income.total", ["income.gpb_appropriation", "income.gf_appropriation", "income.soe_appropriation",
                          "income.special_account", "income.superior_subsidy", "income.business", "income.operating",
                          "income.affiliated", "income.other"]),
        ("total.grand", ["income.total", "income.use_of_reserves", "income.carryover_begin",
                         "_stated.income_account_balance"]),
        ("total.grand", ["expenditure.total", "expenditure.surplus_distribution", "expenditure.carryover_end",
                         "_stated.unspent_account_funds"]),
    ],
    "T04": [
        ("appropriation.grand", ["income.gpb_appropriation", "income.gf_appropriation", "income.soe_appropriation",
                                 "appropriation.carryover_begin"]),
        ("appropriation.grand", ["gpb.expenditure", "gf.expenditure", "soe.expenditure",
                                 "appropriation.carryover_end"]),
    ],
}
# a row that prints the sum of a group of parts stands for them when none of them is printed: "一、财政拨款 91,495.48"
# above bare-named kinds the T01 rules do not read, T04's one-column "本年支出合计"
_GROUPS = [
    ("income.appropriation", ("income.gpb_appropriation", "income.gf_appropriation", "income.soe_appropriation")),
    ("_t04.expenditure", ("gpb.expenditure", "gf.expenditure", "soe.expenditure")),
]


def _blank_zeros(v: TableView, figs: list[dict], blanks: dict, stated: dict | None = None) -> list[dict]:
    """Blank cells of printed rows → 0 (flagged blank). A sum rule whose total and other parts are printed
    must agree for its blank parts to be zero; when it disagrees the blank is left absent."""
    if not v.prints_amounts():
        return []
    have = {f["metric"]: f["value"] for f in figs}
    known = {**(stated or {}), **have}
    contradicted: set[str] = set()
    for total, parts in _ZERO_RULES.get(v.tid, []):
        if total not in have:
            continue
        missing = [p for p in parts if p not in known and p in blanks]
        present = sum(known[p] for p in parts if p in known)
        for group, members in _GROUPS:
            if set(members) <= set(parts) and group in known and not any(p in have for p in members):
                present += known[group]
        if missing and abs(present - have[total]) > 0.005 * (len(parts) + 1) + 1e-9:
            contradicted.update(missing)  # the printed parts fall short: some blank (or unread row) is not 0
    out = []
    for metric, (r, k, lab) in blanks.items():
        if metric in have or metric in contradicted or metric.startswith("_"):
            continue
        page, bbox, _ = v.prov(r, k)
        out.append(figure(metric, 0.0, source="table", table=v.tid, page=page, bbox=bbox,
                          text=f"{lab} （空白，按0计）", unit=v.unit or "万元", blank=True))
    return out

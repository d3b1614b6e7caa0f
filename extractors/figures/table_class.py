"""Classification tables T02 收入 / T03 支出 / T05 一般公共预算支出 / T08 政府性基金 / T09 国有资本经营.

Rows carry a function-classification code (one 3/5/7-digit cell, 类|款|项 columns, or the code printed
beside the name) and a name; amount columns map to the contract's column ids by their header path.
The 合计 row feeds the document-level metrics (expenditure.total/basic/project …); blank components of a
合计 row that the row's own total proves zero are recorded as 0 (flagged blank). A blank or dash cell of a
printed code row (one with at least one amount) is a 0 line item, flagged blank, as the extract contract says.
"""
from __future__ import annotations

import regex

from extractors.figures.codes import join_levels, level_context, norm_code, split_code_name
from extractors.figures.numbers import is_blank_cell, parse_number, to_wanyuan
from extractors.figures.records import figure, line_item
from extractors.figures.tables import TableView, strip_label
from schemas.codes import code_for_name

# header keyword → contract column (first match wins; order matters)
_COLS = [
    (r"上缴上级", "remit_superior"), (r"对附属单位补助", "affiliated_subsidy"), (r"附属单位上缴", "affiliated"),
    (r"上级补助", "superior_subsidy"), (r"事业单位经营|经营收入|经营支出", "operating"), (r"事业收入", "business"),
    (r"其他收入", "other"), (r"人员经费|人员类|人员支出", "_personnel"), (r"公用经费|日常公用", "_public"),
    (r"基本支出", "basic"), (r"项目支出|专项业务经费", "project"),
    (r"财政拨款|一般公共预算|政府性基金|国有资本", "appropriation"),
    (r"合计|小计|总计|本年收入|本年支出|金额|决算数|预算数", "total"),
]
_COLS_RX = [(regex.compile(p), c) for p, c in _COLS]
_UNIT_HEAD = regex.compile(r"^(?:预算单位|单位名称|部门名称|单位|部门)(?:/|$)")
_SKIP = regex.compile(r"年初结转|年末结转|上年结转|结转下年|行次|栏次|编码|科目名称|项目名称|^项目$|^科目$|类$|款$|^项$")

_TOTAL_METRICS = {
    "T02": {"total": "income.total", "superior_subsidy": "income.superior_subsidy", "business": "income.business",
            "operating": "income.operating", "affiliated": "income.affiliated", "other": "income.other"},
    "T03": {"total": "expenditure.total", "basic": "expenditure.basic", "project": "expenditure.project",
            "remit_superior": "expenditure.remit_superior", "operating": "expenditure.operating",
            "affiliated_subsidy": "expenditure.affiliated_subsidy", "_procurement": "procurement.total",
            "_sme": "procurement.sme", "_micro": "procurement.micro"},
    "T05": {"total": "gpb.expenditure", "basic": "gpb.basic", "project": "gpb.project",
            "_personnel": "gpb.personnel", "_public": "gpb.public"},
    "T08": {"total": "gf.expenditure"},
    "T09": {"total": "soe.expenditure"},
}
_PARTS = {"T02": ["appropriation", "superior_subsidy", "business", "operating", "affiliated", "other"],
          "T03": ["basic", "project", "remit_superior", "operating", "affiliated_subsidy"],
          "T05": ["basic", "project"]}


# a column of another year's figures ("2025年预算数" beside the 2026 block, "上年预算数"): not this year's amounts
_PRIOR_YEAR_HEAD = regex.compile(r"(?:上年|上一年|去年)(?:度)?(?:预算|执行|决算)")
_YEAR_HEAD = regex.compile(r"(?<!\d)((?:19|20)\d{2})年")


def _other_year(h: str, fiscal_year: int | None) -> bool:
    if _PRIOR_YEAR_HEAD.search(h):
        return True
    return fiscal_year is not None and any(int(y) != fiscal_year for y in _YEAR_HEAD.findall(h))


def _column_map(v: TableView, fiscal_year: int | None = None) -> dict[int, str]:
    out: dict[int, str] = {}
    ncol = len(v.grid[0]) if v.grid else 0
    for c in range(ncol):
        h = v.col_header(c)
        leaf = v.col_paths[c][-1] if v.col_paths and v.col_paths[c] else ""
        if not h or _SKIP.search(leaf or h) or _other_year(h, fiscal_year):
            continue
        if v.tid == "T08" and not regex.search(r"本年支出|基本支出|项目支出|^政府性基金(?:预算)?(?:财政拨款)?支出/", h):
            continue  # 年初结转 / 本年收入 / 年末结转 columns of T08/T09 (a budget's 政府性基金预算支出/合计 is the total)
        if v.tid == "T09" and regex.search(r"本年收入|结转", h):
            continue
        procurement = _procurement_column(h)
        if procurement:
            if procurement not in out.values():
                out[c] = procurement
            continue
        probe = leaf if leaf else h
        if leaf in ("小计", "合计") and len([p for p in v.col_paths[c] if p]) > 1:
            # 基本支出 → 小计 | 人员经费 | 公用经费: the 小计 is the parent's amount
            parent = next((p for p in reversed(v.col_paths[c]) if p and p not in ("小计", "合计")), "")
            if regex.search(r"基本支出|项目支出", parent):
                probe = parent
        col = next((cid for rx, cid in _COLS_RX if rx.search(probe)), None)
        if col is None:
            col = next((cid for rx, cid in _COLS_RX if rx.search(h)), None)
        if col is None:
            continue
        if col in out.values():
            continue
        if col == "basic" and c + 1 < ncol and v.col_header(c + 1) == h:
            continue  # a spanned 基本支出 header whose sub-columns went unlabelled: never the first sub-column
        out[c] = col
    return out


def _procurement_column(h: str) -> str | None:
    """A 支出总表's 政府采购 block (budgets): 小计 | 其中：预留给中小企业 | 其中：预留给小型、微型企业 — document level only."""
    if "政府采购" not in h:
        return None
    if regex.search(r"小型、?微型企业|小微企业", h):
        return "_micro"
    if "中小企业" in h:
        return "_sme"
    return "_procurement"


def _split_basic(v: TableView, cols: dict[int, str]) -> bool:
    """基本支出 → {人员经费, 公用经费} with no 小计: basic is their sum (derived)."""
    if "basic" in cols.values():
        return False
    parts = [c for c, col in cols.items() if col in ("_personnel", "_public")]
    return len(parts) == 2 and all("基本支出" in v.col_header(c) for c in parts)


def _code_cols(v: TableView) -> tuple[list[int], int | None]:
    """Columns holding the code (1 or 3 columns) and the name column."""
    ncol = len(v.grid[0]) if v.grid else 0
    heads = [v.col_header(c) for c in range(ncol)]
    c0 = _split_code_start(v, heads)
    if c0 is not None:
        body = v.grid[v.header_rows:]

        def text_col(c: int) -> bool:
            vals = [r[c] for r in body if r[c]]
            return bool(vals) and sum(parse_number(x) is None for x in vals) * 2 > len(vals)

        texts = [c for c in range(c0 + 3, ncol) if text_col(c)]
        name = next((c for c in texts if regex.search(r"名称|项目|科目", heads[c])), texts[0] if texts else c0 + 3)
        return [c0, c0 + 1, c0 + 2], name
    code = next((c for c in range(min(3, ncol)) if regex.search(r"编码|代码", heads[c])), None)
    name = next((c for c in range(ncol) if regex.search(r"名称", heads[c])), None)
    if code is None:
        # find by content: a column whose cells are codes
        for c in range(min(3, ncol)):
            vals = [r[c] for r in v.grid[v.header_rows:] if r[c]]
            if vals and sum(bool(norm_code(x)) for x in vals) >= max(1, len(vals) // 2):
                code = c
                break
    if code is not None and name is None:
        name = code + 1 if code + 1 < ncol else None
    return ([code] if code is not None else []), name


_LEVEL_CODE = (regex.compile(r"\d{3}"), regex.compile(r"\d{2}"), regex.compile(r"\d{2}"))


def _split_code_start(v: TableView, heads: list[str]) -> int | None:
    """First of three 类 | 款 | 项 code columns, or None when the code is printed in one cell.

    Recognised by the header path (…/类), by the 类 款 项 labels printed in a row of their own or folded into the
    first body row (Shanghai 决算: "类 | 款 | 项 | 合计 | 2,940.05 …"), or by content: a column of 3-digit 类
    codes followed by columns of 2-digit 款 and 项 parts."""
    ncol = len(heads)
    lkx = [c for c in range(ncol) if regex.search(r"(?:^|/)类$", heads[c])]
    if lkx:
        return lkx[0]
    for row in v.grid[: v.header_rows + 1]:
        for c in range(min(4, ncol - 2)):
            if [(x or "").strip() for x in row[c:c + 3]] == ["类", "款", "项"]:
                return c
    body = v.grid[v.header_rows:]
    for c in range(min(3, ncol - 2)):
        parts = [[(r[c + k] or "").strip() for r in body if (r[c + k] or "").strip()] for k in range(3)]
        if not parts[0] or not parts[1]:
            continue
        if all(sum(bool(rx.fullmatch(x)) for x in xs) * 2 > len(xs) for rx, xs in zip(_LEVEL_CODE, parts) if xs):
            return c
    return None


def _mapped_code(label: str, ctx: dict, year: int | None) -> str | None:
    """A code-less row's code from its name: a 项 of the current 款, a 款 of the current 类, else a 类."""
    if not label or parse_number(label) is not None:
        return None
    if ctx.get("kuan") and (code := code_for_name(label, ctx["kuan"], year)):
        return code
    if ctx.get("lei") and (code := code_for_name(label, ctx["lei"], year)):
        ctx["kuan"] = code
        return code
    if code := code_for_name(label, "", year):
        ctx["lei"], ctx["kuan"] = code, None
        return code
    return None


def read_class_table(v: TableView, fiscal_year: int | None = None) -> tuple[list[dict], list[dict]]:
    cols = _column_map(v, fiscal_year)
    if "total" not in cols.values():
        cols = _column_map(v)  # every amount column named another year: the document's year was misread, not them
    code_cols, name_col = _code_cols(v)
    # a table that prints 类/款/项 only as names (and indentation): codes come from the 科目 list, marked mapped
    map_ctx: dict | None = {} if not code_cols else None
    figs, items = [], []
    lei_ctx: list[str] = []
    unit = v.unit or "万元"
    seen_code = total_seen = False
    unit_col = bool(v.col_paths) and bool(_UNIT_HEAD.search(v.col_header(0)))
    split_basic = _split_basic(v, cols)
    for r in range(v.header_rows, len(v.grid)):
        row = v.grid[r]
        code, name = None, ""
        if len(code_cols) == 3:
            code = join_levels(*(row[c] for c in code_cols), lei_ctx)
            if code:
                lei_ctx[:] = level_context(code)
        elif code_cols:
            code = norm_code(row[code_cols[0]])
            if not code:
                code, name = split_code_name(row[code_cols[0]])
        if name_col is not None and name_col < len(row) and row[name_col] and parse_number(row[name_col]) is None:
            name = row[name_col] if not name else name
        if not code and name_col is not None:
            code, nm = split_code_name(row[name_col] if name_col < len(row) else "")
            if code:
                name = nm
        label = strip_label(name or (row[0] if row else ""))
        first_text = " ".join(x for x in row[:3] if x)
        # the 合计 label sits in the stub (row[:3]) or, under split 类/款/项 code columns, in the name column
        is_total = not code and any(regex.search(r"^(?:合计|总计|本年支出合计|本年收入合计)", strip_label(t) or "")
                                    for t in (first_text, label))
        if (not code and not is_total and not seen_code and not total_seen and unit_col and row and row[0]
                and parse_number(row[0]) is None and row[0].strip("*")):
            is_total = True  # Shenzhen family: the total row is labelled with the unit's name, above the codes
        mapped = False
        if not code and not is_total and map_ctx is not None:
            code = _mapped_code(label, map_ctx, fiscal_year)
            mapped = code is not None
            name = name or label
        if not code and not is_total:
            continue
        vals: dict[str, tuple[float, int]] = {}
        blanks: dict[str, int] = {}
        for c, col in cols.items():
            x = parse_number(row[c]) if c < len(row) else None
            if x is None:
                if c >= len(row) or is_blank_cell(row[c]):
                    blanks[col] = c
                continue
            vals[col] = (to_wanyuan(x, unit), c)
        if is_total:
            total_seen = True
            figs += _total_figures(v, r, vals, blanks, unit, split_basic)
            continue
        seen_code = True
        for col, (val, c) in vals.items():
            if col.startswith("_"):
                continue  # 人员经费/公用经费 split of 基本支出: document-level only
            page, bbox, _ = v.prov(r, c)
            items.append(line_item(v.tid, code, regex.sub(r"\s+", "", name or label), col, val, page, bbox,
                                   code_mapped=mapped))
        if vals and v.prints_amounts():
            for col, c in blanks.items():
                if not col.startswith("_"):
                    page, bbox, _ = v.prov(r, c)
                    items.append(line_item(v.tid, code, regex.sub(r"\s+", "", name or label), col, 0.0, page, bbox,
                                           blank=True, code_mapped=mapped))
    return figs, items


def _total_figures(v: TableView, r: int, vals: dict, blanks: dict, unit: str, split_basic: bool = False) -> list[dict]:
    mapping = _TOTAL_METRICS.get(v.tid, {})
    out = []
    for col, (val, c) in vals.items():
        if col in mapping:
            page, bbox, raw = v.prov(r, c)
            out.append(figure(mapping[col], val, source="table", table=v.tid, page=page, bbox=bbox,
                              text=f"合计 {v.col_header(c)} {raw}", unit=unit))
    if split_basic and "_personnel" in vals and "_public" in vals and "basic" in mapping:
        (pv, pc), (qv, _) = vals["_personnel"], vals["_public"]
        page, bbox, _ = v.prov(r, pc)
        vals = dict(vals, basic=(round(pv + qv, 2), pc))
        out.append(figure(mapping["basic"], vals["basic"][0], source="table", table=v.tid, page=page, bbox=bbox,
                          text=f"合计 基本支出 = 人员经费 {pv:.2f} + 公用经费 {qv:.2f}", unit=unit, rank=1,
                          derived=True))
    parts = _PARTS.get(v.tid)
    if parts and "total" in vals and v.prints_amounts():
        present = sum(vals[p][0] for p in parts if p in vals)
        if abs(present - vals["total"][0]) <= 0.005 * (len(parts) + 1) + 1e-9:
            for p in parts:
                if p in blanks and p in mapping:
                    page, bbox, _ = v.prov(r, blanks[p])
                    out.append(figure(mapping[p], 0.0, source="table", table=v.tid, page=page, bbox=bbox,
                                      text=f"合计 {v.col_header(blanks[p])} （空白，合计推定为0）", unit=unit,
                                      blank=True))
    return out

"""T06 一般公共预算财政拨款基本支出决算表: 经济分类 rows in side-by-side lanes (人员经费 | 公用经费), or one lane
with 合计/人员经费/公用经费 columns (budget layouts). Amounts never cross lanes.

Line items: code = 经济分类 code (301, 30101 …), column = personnel | public (by column header, else by the
code: 301/303 人员经费, everything else 公用经费). 人员经费合计 / 公用经费合计 rows give gpb.personnel / gpb.public;
30215 会议费 and 30216 培训费 give meeting/training (derived: basic expenditure only).
"""
from __future__ import annotations

import regex

from extractors.figures.codes import split_code_name
from extractors.figures.numbers import parse_number, to_wanyuan
from extractors.figures.records import figure, line_item
from extractors.figures.tables import TableView, strip_label

_ECON = regex.compile(r"^(3\d{2}(?:\d{2})?)$")
_PERSONNEL = ("301", "303")


def _lanes(v: TableView) -> list[tuple]:
    """(code col, name col, amount cols) per lane."""
    ncol = len(v.grid[0]) if v.grid else 0
    rows = v.grid[v.header_rows:]
    code_cols = []
    for c in range(ncol):
        vals = [r[c] for r in rows if r[c]]
        n_codes = sum(bool(_ECON.match(x) or (split_code_name(x)[0] or "").startswith("3")) for x in vals)
        if vals and n_codes >= max(2, len(vals) // 3):
            code_cols.append(c)
    lanes = []
    for i, c in enumerate(code_cols):
        end = code_cols[i + 1] if i + 1 < len(code_cols) else ncol
        kuan = c + 1 < end and _is_kuan_col([r[c + 1] for r in rows])
        first = c + 2 if kuan else c + 1
        name_col = first if first < end and any(_is_text(r[first]) for r in rows) else c
        amounts = [k for k in range(name_col + 1, end)]
        lanes.append((c, name_col, amounts, c + 1 if kuan else None))
    return lanes


def _is_kuan_col(vals: list[str]) -> bool:
    vals = [x for x in vals if x]
    return bool(vals) and sum(bool(regex.fullmatch(r"\d{2}", x)) for x in vals) >= len(vals) * 0.6


def _is_text(x: str) -> bool:
    return bool(x) and parse_number(x) is None


def _col_kind(h: str) -> str | None:
    if regex.search(r"人员经费|人员类|人员支出", h):
        return "personnel"
    if regex.search(r"公用经费|公用支出", h):
        return "public"
    return None


def read_t06(v: TableView) -> tuple[list[dict], list[dict]]:
    figs, items = [], []
    unit = v.unit or "万元"
    lanes = _lanes(v)
    totals_seen: set[str] = set()
    for r in range(v.header_rows, len(v.grid)):
        row = v.grid[r]
        # total rows: 人员经费合计 / 公用经费合计 / 合计 anywhere in the row
        for c, x in enumerate(row):
            lab = strip_label(x) if _is_text(x) else ""
            m = regex.match(r"^(人员经费|公用经费)(?:合计|小计)?$", lab)
            if m:
                metric = "gpb.personnel" if m.group(1) == "人员经费" else "gpb.public"
                amt = next(((k, parse_number(row[k])) for k in range(c + 1, len(row)) if parse_number(row[k]) is not None
                            or _is_text(row[k])), None)
                if amt and amt[1] is not None and metric not in totals_seen:
                    totals_seen.add(metric)
                    page, bbox, raw = v.prov(r, amt[0])
                    figs.append(figure(metric, to_wanyuan(amt[1], unit), source="table", table="T06", page=page,
                                       bbox=bbox, text=f"{lab} {raw}", unit=unit))
            elif lab in ("合计", "总计", "基本支出合计") and any(_col_kind(v.col_header(k)) for k in range(len(row))):
                for k in range(c + 1, len(row)):
                    kind = _col_kind(v.col_header(k))
                    val = parse_number(row[k])
                    metric = {"personnel": "gpb.personnel", "public": "gpb.public"}.get(kind or "")
                    if kind is None and regex.search(r"合计|总计|小计|基本支出", v.col_header(k)):
                        metric = "gpb.basic"  # the table's own total: 一般公共预算(财政拨款)基本支出
                    if metric and val is not None and metric not in totals_seen:
                        totals_seen.add(metric)
                        page, bbox, raw = v.prov(r, k)
                        figs.append(figure(metric, to_wanyuan(val, unit), source="table", table="T06", page=page,
                                           bbox=bbox, text=f"合计 {v.col_header(k)} {raw}", unit=unit))
        for code_col, name_col, amount_cols, kuan_col in lanes:
            cell = row[code_col]
            code = cell if _ECON.match(cell or "") else split_code_name(cell)[0]
            if code and kuan_col is not None and regex.fullmatch(r"\d{2}", row[kuan_col] or "") and len(code) == 3:
                code += row[kuan_col]
            if not code or not code.startswith("3"):
                continue
            name = row[name_col] if name_col != code_col else split_code_name(cell)[1]
            for k in amount_cols:
                val = parse_number(row[k])
                if val is None:
                    continue
                kind = _col_kind(v.col_header(k))
                if kind is None:
                    if any(_col_kind(v.col_header(j)) for j in amount_cols):
                        continue  # the 合计 column of a personnel/public layout
                    kind = "personnel" if code[:3] in _PERSONNEL else "public"
                page, bbox, raw = v.prov(r, k)
                amount = to_wanyuan(val, unit)
                items.append(line_item("T06", code, regex.sub(r"\s+", "", name or ""), kind, amount, page, bbox))
                if code in ("30215", "30216"):
                    metric = "meeting.expenditure" if code == "30215" else "training.expenditure"
                    figs.append(figure(metric, amount, source="table", table="T06", page=page, bbox=bbox,
                                       text=f"{code} {name} {raw}", unit=unit, rank=2))
    return figs, _merge(items)


def _merge(items: list[dict]) -> list[dict]:
    """One line item per (code, column): a code printed in both a 合计 and a personnel/public layout adds up once."""
    seen, out = set(), []
    for li in items:
        k = (li["code"], li["column"])
        if k not in seen:
            seen.add(k)
            out.append(li)
    return out

"""T06 一般公共预算财政拨款基本支出决算表: 经济分类 rows in side-by-side lanes (人员经费 | 公用经费), or one lane
with 合计/人员经费/公用经费 columns (budget layouts). Amounts never cross lanes.

Line items: code = 经济分类 code (301, 30101 …), column = personnel | public (by column header, else by the
code: 301/303 人员经费, everything else 公用经费). 人员经费合计 / 公用经费合计 rows give gpb.personnel / gpb.public.

Budget templates print the whole 一般公共预算支出 by 经济分类 with 合计 | 基本支出 | 项目支出 columns: line items come
from the 基本支出 column, gpb.personnel / gpb.public are the sums of its 类 rows (301+303 | the rest) when no
人员经费/公用经费 total is printed, and 30215 会议费 / 30216 培训费 come from the 合计 column (basic and project).
A basic-only 30215/30216 cell covers basic spending only: it is a fallback that any stated total outranks.
"""
from __future__ import annotations

import regex

from extractors.figures.codes import split_code_name
from extractors.figures.numbers import is_blank_cell, parse_number, to_wanyuan
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


def _split_columns(v: TableView, amount_cols: list[int]) -> tuple[int | None, int | None]:
    """(合计 column, 基本支出 column) of a 合计 | 基本支出 | 项目支出 layout, else (None, None)."""
    heads = {k: v.col_header(k) for k in amount_cols}
    basic = next((k for k, h in heads.items() if regex.search(r"基本支出|基本经费", h)), None)
    project = next((k for k, h in heads.items() if regex.search(r"项目支出|项目经费", h)), None)
    if basic is None or project is None:
        return None, None
    total = next((k for k, h in heads.items() if regex.search(r"合计|总计|小计|^金额$", h) and k not in (basic, project)),
                 None)
    return total, basic


def read_t06(v: TableView) -> tuple[list[dict], list[dict]]:
    figs, items = [], []
    unit = v.unit or "万元"
    lanes = _lanes(v)
    totals_seen: set[str] = set()
    class_sums: dict[str, list] = {"personnel": [], "public": []}
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
                    figs.append(figure(metric, to_wanyuan(amt[1], unit), source="table", table=v.tid, page=page,
                                       bbox=bbox, text=f"{lab} {raw}", unit=unit))
            elif lab in ("合计", "总计", "基本支出合计") and any(_col_kind(v.col_header(k)) for k in range(len(row))):
                split_total, split_basic = _split_columns(v, list(range(c + 1, len(row))))
                for k in range(c + 1, len(row)):
                    kind = _col_kind(v.col_header(k))
                    val = parse_number(row[k])
                    metric = {"personnel": "gpb.personnel", "public": "gpb.public"}.get(kind or "")
                    if kind is None and split_basic is not None:
                        metric = "gpb.basic" if k == split_basic else None  # 合计 | 基本 | 项目: only 基本 is basic
                    elif kind is None and regex.search(r"合计|总计|小计|基本支出", v.col_header(k)):
                        metric = "gpb.basic"  # the table's own total: 一般公共预算(财政拨款)基本支出
                    if metric and val is not None and metric not in totals_seen:
                        totals_seen.add(metric)
                        page, bbox, raw = v.prov(r, k)
                        figs.append(figure(metric, to_wanyuan(val, unit), source="table", table=v.tid, page=page,
                                           bbox=bbox, text=f"合计 {v.col_header(k)} {raw}", unit=unit))
        for code_col, name_col, amount_cols, kuan_col in lanes:
            cell = row[code_col]
            code = cell if _ECON.match(cell or "") else split_code_name(cell)[0]
            if code and kuan_col is not None and regex.fullmatch(r"\d{2}", row[kuan_col] or "") and len(code) == 3:
                code += row[kuan_col]
            if not code or not code.startswith("3"):
                continue
            name = row[name_col] if name_col != code_col else split_code_name(cell)[1]
            total_col, basic_col = _split_columns(v, amount_cols)
            if basic_col is not None:
                _read_split_row(v, r, code, name, total_col, basic_col, unit, figs, items, class_sums)
                continue
            if (code in _MEETING_TRAINING and v.prints_amounts()
                    and all(is_blank_cell(row[k]) for k in amount_cols)):
                # a printed 30215/30216 row with blank cells: 0 spent from basic spending (the contract's blank rule)
                page, bbox, _ = v.prov(r, amount_cols[0]) if amount_cols else (None, None, "")
                figs.append(_basic_only(code, f"{code} {name}", 0.0, "（空白，按0计）", v, page, bbox, unit, blank=True))
                continue
            lane: list[tuple[float, int, str]] = []
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
                items.append(line_item(v.tid, code, regex.sub(r"\s+", "", name or ""), kind, amount, page, bbox))
                lane.append((amount, k, raw))
            if code in _MEETING_TRAINING and lane:
                # one figure per row: a template that prints 0 in the 人员经费 cell of a 公用 row (普陀 元 tables) must
                # not give 会议费 0 — the row's basic spending is its lanes' sum, reported at its largest cell
                amount, k, raw = max(lane)
                page, bbox, _ = v.prov(r, k)
                figs.append(_basic_only(code, f"{code} {name}", round(sum(a for a, _, _ in lane), 2), raw, v, page,
                                        bbox, unit))
    if not lanes:
        figs += _named_meeting_training(v, unit)
    figs += _class_sum_figures(v, class_sums, totals_seen, unit)
    return figs, _merge(items)


_MEETING_TRAINING = {"30215": "meeting.expenditure", "30216": "training.expenditure"}
_BY_NAME = {"会议费": "30215", "培训费": "30216"}


def _basic_only(code, label, amount, raw, v, page, bbox, unit, blank=False) -> dict:
    f = figure(_MEETING_TRAINING[code], amount, source="table", table=v.tid, page=page, bbox=bbox,
               text=f"{label} {raw}（基本支出）", unit=unit, rank=2, blank=blank)
    f["_fallback"] = True  # basic spending only: the department's stated total outranks it
    return f


def _named_meeting_training(v: TableView, unit: str) -> list[dict]:
    """A T06 that prints 经济分类 names without codes (杭州: "会议费 | 91.30 | | 91.30"): the 会议费 / 培训费 rows by
    name, amount from the first amount column (the 合计 of 人员经费 + 公用经费)."""
    out, seen = [], set()
    for r in range(v.header_rows, len(v.grid)):
        row = v.grid[r]
        texts = [(c, strip_label(x)) for c, x in enumerate(row) if _is_text(x)]
        if not texts or texts[0][1] not in _BY_NAME or texts[0][1] in seen:
            continue
        c0, name = texts[0]
        amt = next(((k, parse_number(row[k])) for k in range(c0 + 1, len(row)) if parse_number(row[k]) is not None),
                   None)
        if amt is None:
            continue
        seen.add(name)
        page, bbox, raw = v.prov(r, amt[0])
        out.append(_basic_only(_BY_NAME[name], name, to_wanyuan(amt[1], unit), raw, v, page, bbox, unit))
    return out


def _read_split_row(v, r, code, name, total_col, basic_col, unit, figs, items, class_sums) -> None:
    row = v.grid[r]
    kind = "personnel" if code[:3] in _PERSONNEL else "public"
    name = regex.sub(r"\s+", "", name or "")
    basic = parse_number(row[basic_col])
    if basic is not None:
        page, bbox, _ = v.prov(r, basic_col)
        items.append(line_item(v.tid, code, name, kind, to_wanyuan(basic, unit), page, bbox))
        if len(code) == 3:
            class_sums[kind].append((code, to_wanyuan(basic, unit), page, bbox))
    total = parse_number(row[total_col]) if total_col is not None else None
    if code in _MEETING_TRAINING and total is not None:
        page, bbox, raw = v.prov(r, total_col)
        figs.append(figure(_MEETING_TRAINING[code], to_wanyuan(total, unit), source="table", table=v.tid, page=page,
                           bbox=bbox, text=f"{code} {name} {v.col_header(total_col)} {raw}", unit=unit, rank=1))


def _class_sum_figures(v, class_sums, totals_seen, unit) -> list[dict]:
    """人员经费 = 301 + 303, 公用经费 = the other 类 of the 基本支出 column, when the table prints no such totals."""
    out = []
    for kind, metric in (("personnel", "gpb.personnel"), ("public", "gpb.public")):
        rows = class_sums[kind]
        if not rows or metric in totals_seen:
            continue
        total = round(sum(x[1] for x in rows), 2)
        _, _, page, bbox = rows[0]
        parts = " + ".join(f"{c} {a:.2f}" for c, a, _, _ in rows)
        out.append(figure(metric, total, source="table", table=v.tid, page=page, bbox=bbox,
                          text=f"基本支出 {parts}", unit=unit, rank=1, derived=True))
    return out


def _merge(items: list[dict]) -> list[dict]:
    """One line item per (code, column): a code printed in both a 合计 and a personnel/public layout adds up once."""
    seen, out = set(), []
    for li in items:
        k = (li["code"], li["column"])
        if k not in seen:
            seen.add(k)
            out.append(li)
    return out

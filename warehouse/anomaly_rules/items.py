"""Line-item identities: 类 = Σ款 = Σ项 and row sums inside T02/T03/T05, and cross-table checks (B.7 I5, I6–I9,
X5, S3). Codes are 功能分类 3/5/7 digits (T02/T03/T05) or 经济分类 3/5 digits (T06)."""
from __future__ import annotations

from collections import defaultdict

from warehouse.anomaly_rules.base import DocContext, finding, tol

HIERARCHY_TABLES = ("T02", "T03", "T05")
# row identities: table → (total column, part columns)
ROW_SUMS = {
    "T02": ("total", ["appropriation", "superior_subsidy", "business", "operating", "affiliated", "other"]),
    "T03": ("total", ["basic", "project", "remit_superior", "operating", "affiliated_subsidy"]),
    "T05": ("total", ["basic", "project"]),
}
COLUMN_NAMES = {"total": "合计", "basic": "基本支出", "project": "项目支出", "appropriation": "财政拨款",
                "superior_subsidy": "上级补助", "business": "事业收入", "operating": "经营", "affiliated": "附属单位上缴",
                "other": "其他收入", "remit_superior": "上缴上级", "affiliated_subsidy": "对附属单位补助",
                "personnel": "人员经费", "public": "公用经费"}
LEVEL = {3: "类", 5: "款", 7: "项"}
# 三公 items in the 经济分类 basic-spending table → the 三公 table's metric (S3, inequality: T06 is basic only)
SANGONG_ECONOMIC = {"30212": ("sangong.abroad", "因公出国（境）费"), "30217": ("sangong.reception", "公务接待费"),
                    "30231": ("sangong.vehicle_operation", "公务用车运行维护费"),
                    "31013": ("sangong.vehicle_purchase", "公务用车购置")}


class Cells:
    """One table's coded cells: (column, code) → (value, page, name); codes printed twice with different
    values are ambiguous (a continued page, or two tables mapped to one id) and never checked."""

    def __init__(self, rows: list[tuple], code_lengths=(3, 5, 7)):
        """``rows``: (item_code, column_name, amount_wan, page, item_name) of one table, in printed order."""
        self.cells: dict[tuple[str, str], tuple[float, int | None, str]] = {}
        self.ambiguous: set[tuple[str, str]] = set()
        for raw_code, column, amount, page, name in rows:
            code = str(raw_code).strip()
            if not code.isdigit() or len(code) not in code_lengths:
                continue
            key = (str(column), code)
            value = round(float(amount), 2)
            if value == float(code):
                continue  # the code column read as an amount (blank templates): not a printed figure
            page = int(page) if page is not None and page == page else None
            if key in self.cells and abs(self.cells[key][0] - value) > 0.001:
                self.ambiguous.add(key)
            self.cells.setdefault(key, (value, page, str(name or "")))

    def get(self, column: str, code: str):
        key = (column, code)
        return None if key in self.ambiguous else self.cells.get(key)

    def columns(self) -> set[str]:
        return {c for c, _ in self.cells}

    def codes(self, column: str, length: int | None = None) -> list[str]:
        return sorted(code for c, code in self.cells if c == column and (length is None or len(code) == length))


def _coded_rows(ctx: DocContext) -> dict[str, list[tuple]]:
    """The document's line items with a code and an amount, grouped by table, in one pass."""
    if "coded_rows" not in ctx.cache:
        by_table: dict[str, list[tuple]] = defaultdict(list)
        items = ctx.items
        if not items.empty:
            cols = [items[c].tolist() for c in ("table_id", "item_code", "column_name", "amount_wan", "page",
                                                "item_name")]
            for table, code, column, amount, page, name in zip(*cols):
                if code is not None and amount is not None and amount == amount and code == code:
                    by_table[table].append((code, column, amount, page, name))
        ctx.cache["coded_rows"] = by_table
    return ctx.cache["coded_rows"]


def cells_of(ctx: DocContext, table: str, code_lengths=(3, 5, 7)) -> Cells:
    """One table's Cells, built once per document (several rules read the same table)."""
    key = ("cells", table, code_lengths)
    if key not in ctx.cache:
        ctx.cache[key] = Cells(_coded_rows(ctx).get(table, []), code_lengths)
    return ctx.cache[key]


def _tables_for(ctx: DocContext, tables) -> list[str]:
    """T02 rows of a 预算 收入总表 are often units (单位编码), and its columns differ from the 决算 收入决算表."""
    return [t for t in tables if t != "T02" or ctx.doc.get("kind") == "final_accounts"]


# A table where most checked rows or parents fail is a misread layout (a sub-column taken for a column, rows
# shifted across a page), not the publisher's arithmetic: its findings are dropped, and it is not trusted for
# cross-table checks. Publishers' slips touch a row or two.
SYSTEMATIC_SHARE = 0.4


def _systematic(failures: int, checks: int) -> bool:
    return failures >= 3 and failures > SYSTEMATIC_SHARE * checks


def mapped_tables(ctx: DocContext) -> set[str]:
    """Tables whose codes were mapped from printed names (code-less layouts): a row whose name the 科目 list
    lacks gets no code, so a parent larger than its mapped children proves nothing."""
    items = ctx.items
    if items.empty or "code_mapped" not in items.columns:
        return set()
    return set(items.loc[items["code_mapped"].fillna(False).astype(bool), "table_id"])


def hierarchy(ctx: DocContext) -> list[dict]:
    out = []
    mapped = mapped_tables(ctx)
    for table in _tables_for(ctx, HIERARCHY_TABLES):
        cells = cells_of(ctx, table)
        found, checked = [], set()
        for column in sorted(cells.columns()):
            codes = cells.codes(column)
            for parent in codes:
                if len(parent) == 7:
                    continue
                kids = [c for c in codes if len(c) == len(parent) + 2 and c.startswith(parent)]
                if not kids and len(parent) == 3:
                    kids = [c for c in codes if len(c) == 7 and c.startswith(parent)]
                p = cells.get(column, parent)
                if not kids or p is None or any(cells.get(column, k) is None for k in kids):
                    continue
                s = round(sum(cells.get(column, k)[0] for k in kids), 2)
                if table in mapped and s < p[0]:
                    continue  # an unmapped child row may make up the difference
                checked.add(parent)
                if abs(s - p[0]) > tol(len(kids)):
                    kid_level = LEVEL[len(kids[0])]
                    found.append(finding(
                        "items.hierarchy", ctx.doc, None, s, p[0],
                        f"{table} {COLUMN_NAMES.get(column, column)}列：{parent} {p[2]}（{LEVEL[len(parent)]}）"
                        f"{p[0]:.2f} ≠ 所属{kid_level}之和 {s:.2f}",
                        " + ".join(f"{k}={cells.get(column, k)[0]:.2f}" for k in kids), p[1],
                        subject=f"{table}|{column}|{parent}") | {"_parent": parent})
        failing = {f["_parent"] for f in found}
        if not _systematic(len(failing), len(checked)):
            out += [{k: v for k, v in f.items() if k != "_parent"} for f in found]
    return out


def childless(ctx: DocContext) -> list[dict]:
    """A 款 with an amount under which no 项 is printed, in a table that lists 项 under its other 款 (or a 类
    with no 款 where others have them): a 科目 row dropped from the table. A lone 项 removed leaves nothing to
    sum, so items.hierarchy cannot see it. Code-less (mapped) tables abstain: an unmapped name has no code."""
    out = []
    mapped = mapped_tables(ctx)
    for table in _tables_for(ctx, HIERARCHY_TABLES):
        if table in mapped:
            continue
        cells = cells_of(ctx, table)
        codes = set(cells.codes("total"))
        found, checked = [], 0
        for length in (5, 3):
            kids = {c[:length] for c in codes if len(c) == length + 2}
            if len(kids) < 2:
                continue  # the table does not print this level: nothing is missing
            for parent in sorted(c for c in codes if len(c) == length):
                p = cells.get("total", parent)
                if p is None:
                    continue
                checked += 1
                if parent in kids or abs(p[0]) <= 0.005 or (length == 3 and any(
                        c.startswith(parent) and len(c) == 7 for c in codes)):
                    continue
                level, kid = LEVEL[length], LEVEL[length + 2]
                found.append(finding(
                    "items.childless", ctx.doc, None, None, p[0],
                    f"{table} {parent} {p[2]}（{level}）{p[0]:.2f} 万元，其下未列任何{kid}（表中其他{level}均列至{kid}）",
                    f"第{p[1] or '?'}页：{parent} {p[2]} {p[0]:.2f}", p[1], subject=f"{table}|{parent}"))
        if not _systematic(len(found), checked):
            out += found
    return out


def row_sums(ctx: DocContext, misread: set[str] | None = None) -> list[dict]:
    out, budget = [], ctx.doc.get("kind") != "final_accounts"
    for table in _tables_for(ctx, ROW_SUMS):
        if misread and table in misread:
            continue
        total_col, part_cols = ROW_SUMS[table]
        cells = cells_of(ctx, table)
        found, checks = [], 0
        for code in cells.codes(total_col):
            t = cells.get(total_col, code)
            parts = [(c, cells.get(c, code)) for c in part_cols if cells.get(c, code) is not None]
            if t is None or not parts:
                continue
            s = round(sum(v[0] for _, v in parts), 2)
            checks += 1
            if budget and s < t[0]:
                continue  # 预算 layouts add sub-columns (人员经费|公用经费, 上年结转): a shortfall may be an unread column
            if abs(s - t[0]) > tol(len(parts)):
                found.append(finding(
                    "items.row_total", ctx.doc, None, s, t[0],
                    f"{table} {code} {t[2]}：合计 {t[0]:.2f} ≠ {' + '.join(COLUMN_NAMES.get(c, c) for c, _ in parts)}"
                    f" = {s:.2f}", " + ".join(f"{COLUMN_NAMES.get(c, c)}={v[0]:.2f}" for c, v in parts), t[1],
                    subject=f"{table}|{code}"))
        if _systematic(len(found), checks):
            if misread is not None:
                misread.add(table)
        else:
            out += found
    return out


def _class_total(cells: Cells, column: str) -> tuple[float, int, int | None] | None:
    codes = cells.codes(column, 3)
    vals = [cells.get(column, c) for c in codes]
    if not codes or any(v is None for v in vals):
        return None
    return round(sum(v[0] for v in vals), 2), len(vals), min((v[1] for v in vals if v[1]), default=None)


def cross_tables(ctx: DocContext, misread: set[str] = frozenset()) -> list[dict]:
    out, vals, doc = [], ctx.vals, ctx.doc
    # I5/X1: 本年支出合计 (T01) = Σ 类 rows of T03; 一般公共预算财政拨款支出 = Σ 类 rows of T05
    for table, metric, label in (("T03", "expenditure.total", "本年支出合计"),
                                 ("T05", "gpb.expenditure", "一般公共预算财政拨款支出")):
        total = vals.get(metric)
        ct = _class_total(cells_of(ctx, table), "total")
        if total is None or ct is None or table in misread:
            continue
        s, n, page = ct
        if abs(s - total) > tol(n):
            mpage, text = ctx.where(metric, "table")
            out.append(finding("cross_table.expenditure_by_class", doc, metric, s, total,
                               f"{label} {total:.2f}（第{mpage or '?'}页）≠ {table} 各类支出之和 {s:.2f}（{n} 类）",
                               text, page or mpage, subject=f"{table}|{metric}"))
    # X5: T06 人员经费 + 公用经费 (Σ 经济分类 类) = T05 基本支出 (Σ 功能分类 类)
    t05 = _class_total(cells_of(ctx, "T05"), "basic")
    t06 = cells_of(ctx, "T06", (3, 5))
    parts = [(c, _class_total(t06, c)) for c in ("personnel", "public")]
    parts = [(c, p) for c, p in parts if p is not None]
    # a 预算 T05 splits 基本支出 into 人员经费 | 公用经费; when its "basic" column equals T06 人员经费 exactly,
    # the sub-column was read as the column (an extraction slip, not the publisher's)
    personnel_as_basic = t05 is not None and len(parts) == 2 and abs(parts[0][1][0] - t05[0]) <= 0.011 \
        and parts[1][1][0] > 0.011
    if t05 is not None and len(parts) == 2 and "T05" not in misread and not personnel_as_basic:
        s = round(sum(p[0] for _, p in parts), 2)
        n = sum(p[1] for _, p in parts) + t05[1]
        if abs(s - t05[0]) > tol(n):
            out.append(finding("cross_table.basic_economic", doc, "gpb.basic", t05[0], s,
                               f"T06 人员经费 {parts[0][1][0]:.2f} + 公用经费 {parts[1][1][0]:.2f} = {s:.2f}，"
                               f"T05 基本支出各类之和 {t05[0]:.2f}", "", parts[0][1][2] or t05[2], subject="T06|T05"))
    # S3: 经济分类 三公 items (basic spending only) ≤ the 三公 table's items (basic + project)
    found: dict[str, list] = defaultdict(list)
    for (column, code), (value, page, name) in t06.cells.items():
        keyword = {"30212": "出国", "30217": "接待", "30231": "公务用车", "31013": "公务用车"}.get(code)
        if keyword and keyword in name and (column, code) not in t06.ambiguous:
            found[code].append((value, page, name))
    for code, obs in sorted(found.items()):
        metric, label = SANGONG_ECONOMIC[code]
        limit = vals.get(metric)
        value = max(v for v, _, _ in obs)
        if limit is None or value <= limit + 0.01:
            continue
        page = next((p for v, p, _ in obs if v == value), None)
        spage, _ = ctx.where(metric, "table")
        out.append(finding("bound.sangong_economic", doc, metric, limit, value,
                           f"T06 {code} {obs[0][2] or label} {value:.2f} 万元 > “三公”经费表{label} {limit:.2f} 万元"
                           f"（第{spage or '?'}页）", f"{code}={value:.2f}；{metric}={limit:.2f}", page,
                           subject=f"T06|{code}"))
    return out


def line_item_rules(ctx: DocContext) -> list[dict]:
    # the record read 基本支出 under its 人员经费 sub-column (预算 layout): T05's basic column is not 基本支出
    misread: set[str] = {"T05"} if "人员经费" in ctx.where("gpb.basic", "table")[1] else set()
    rows = row_sums(ctx, misread)
    from warehouse.anomaly_rules.crosstable import item_rows_across_tables  # it builds on this module's Cells

    return hierarchy(ctx) + childless(ctx) + rows + cross_tables(ctx, misread) \
        + item_rows_across_tables(ctx, frozenset(misread))

"""Exports of the analyst views: an XLSX workbook an analyst can open and filter at once, CSV, Parquet.

The workbook: a 说明 sheet first (what each sheet holds, one row per what, how many rows, how to read blanks),
then one sheet per view with Chinese headers (the columns' comments), the header row frozen with the unit name,
an autofilter, widths fitted to the content, amounts as ``#,##0.00``, percentages as ``0.00%``, codes in
Chinese (决算/预算, 错误/警告) and the ids analysts do not read (doc_id, unit_id) at the end. A sheet without rows
says so in its first row, and why that view can be empty.
"""
from __future__ import annotations

import csv
import os
from datetime import datetime
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from schemas.labels import CODE_LABELS, code_label

# Views an analyst gets: sheet name, what one row is, and why the sheet can be empty.
EXPORT_VIEWS: dict[str, tuple[str, str, str]] = {
    "unit_year_finance": ("单位年度收支", "一个单位一个年度一类文件（决算或预算）",
                          "还没有读入任何文件"),
    "unit_year_sangong": ("三公经费", "一个单位一个年度一类文件", "还没有读入任何文件"),
    "unit_year_procurement": ("政府采购", "一个单位一个年度一类文件", "还没有读入任何文件"),
    "unit_year_staff": ("人员与车辆", "一个单位一个年度一类文件", "还没有读入任何文件"),
    "budget_vs_actual": ("预算与决算对比", "一个单位一个年度一个指标",
                         "需要同一单位同一年度的预算文件和决算文件都已入库，目前没有这样的配对"),
    "anomaly_list": ("异常清单", "一条异常（规则、单位、年度、证据、复核状态）", "所有规则都没有发现异常"),
    "documents": ("文件清单", "一份文件（单位、年度、类型、来源、状态、问题）", "还没有读入任何文件"),
    "metrics": ("指标目录", "一个指标（ID、中文名称、单位）", "指标目录为空"),
}
# doc_id and unit_id are join keys, not something an analyst reads first; they go last
_FIRST = ("unit_name", "fiscal_year", "kind", "scope")
_LAST = ("doc_id", "unit_id", "fingerprint", "sha256", "stage_token")
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_MAX_WIDTH = 60


def _header(comment: str | None, column: str) -> str:
    """The column's Chinese name: its comment up to the first '：' (the rest explains codes)."""
    if not comment:
        return column
    return comment.split("：")[0].strip() or column


def view_columns(con, view: str) -> list[tuple[str, str, str]]:
    """(column, data type, Chinese header) in export order."""
    rows = con.execute("SELECT column_name, data_type, comment FROM duckdb_columns() WHERE table_name = ? "
                       "ORDER BY column_index", [view]).fetchall()
    cols = [(c, t, _header(m, c)) for c, t, m in rows]
    first = [c for name in _FIRST for c in cols if c[0] == name]
    last = [c for c in cols if c[0] in _LAST]
    return first + [c for c in cols if c not in first and c not in last] + last


def _kind_of(column: str, data_type: str) -> str:
    if column.endswith("_pct") or column.startswith("pct_"):
        return "pct"
    if column.endswith("_wan") or data_type.startswith("DECIMAL") or column in ("expected_value", "actual_value",
                                                                                 "difference"):
        return "amount"
    if column == "fiscal_year" or column.endswith("_year"):
        return "year"
    if data_type in ("INTEGER", "BIGINT", "HUGEINT", "DOUBLE") and not column.endswith("_seq"):
        return "count" if data_type != "DOUBLE" else "number"
    return "text"


_FORMATS = {"amount": "#,##0.00", "pct": "0.00%", "count": "#,##0", "number": "#,##0.00", "year": "0"}


def _cell(value, kind: str, column: str):
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return "；".join(map(str, value))
    if column in CODE_LABELS:
        return code_label(column, value)
    if kind == "pct":
        return float(value) / 100  # stored as 95.3 (percent); Excel's 0.00% wants 0.953
    if kind in ("amount", "number"):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def _display_width(value) -> int:
    text = f"{value:,.2f}" if isinstance(value, float) else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _write_sheet(ws, con, view: str, empty_reason: str) -> int:
    cols = view_columns(con, view)
    rows = con.execute(f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c, _, _ in cols)} FROM {view}").fetchall()
    kinds = [_kind_of(c, t) for c, t, _ in cols]
    ws.append([h for _, _, h in cols])
    widths = [_display_width(h) + 2 for _, _, h in cols]
    for r in rows:
        out = [_cell(v, k, c) for v, k, (c, _, _) in zip(r, kinds, cols, strict=True)]
        ws.append(out)
        for i, v in enumerate(out):
            if v is not None:
                widths[i] = max(widths[i], _display_width(v) + 1)
    for i, kind in enumerate(kinds):  # whole numbers stored as DOUBLE (counts) print without decimals
        if kind == "number" and all(r[i] is None or float(r[i]).is_integer() for r in rows):
            kinds[i] = "count"
    for i, (kind, width) in enumerate(zip(kinds, widths, strict=True), start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = min(_MAX_WIDTH, max(8, width))
        if kind in _FORMATS:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = _FORMATS[kind]
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = "B2" if cols and cols[0][0] == "unit_name" else "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(rows) + 1}"
    else:
        ws.append([f"本表暂无数据：{empty_reason}。"])
        ws.cell(row=2, column=1).font = Font(italic=True, color="777777")
    return len(rows)


def _readme(ws, counts: dict[str, int], db_path: Path) -> None:
    ws.append(["部门决算/预算 数据导出说明"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"生成时间 {datetime.now():%Y-%m-%d %H:%M}；数据来自分析快照 {db_path}"])
    ws.append([])
    ws.append(["工作表", "内容（每行是）", "行数", "来源视图"])
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for view, (sheet, per_row, _) in EXPORT_VIEWS.items():
        if view in counts:
            ws.append([sheet, per_row, counts[view], view])
            ws.cell(row=ws.max_row, column=3).number_format = "#,##0"
    ws.append([])
    for note in ("金额单位为万元（已按原文单位换算），保留两位小数；百分比列以百分数显示。",
                 "空白表示文件没有公开该项，不等于零；原文表格中明确为空的项目按零记录。",
                 "每张表的第一行是中文列名，可用筛选；文件ID、单位ID等编号放在最后几列，用于与其他表关联。",
                 "每个数字都可追溯到原文页码：在 DuckDB 快照的 figures 表中查看页码、原文与位置。",
                 "同一份公开文件的 PDF 与 DOCX 等版本只保留最完整的一份（current_documents 视图）。",
                 "异常的复核状态用 `juesuan review` 记录，重新入库后保留。"):
        ws.append([note])
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 48
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 24


def write_xlsx(con, path: Path, db_path: Path) -> Path:
    wb = Workbook()
    readme = wb.active
    readme.title = "说明"
    counts = {}
    for view, (sheet, _, why_empty) in EXPORT_VIEWS.items():
        if not con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = ?", [view]).fetchone()[0]:
            continue  # an older snapshot without this view
        counts[view] = _write_sheet(wb.create_sheet(sheet), con, view, why_empty)
    _readme(readme, counts, db_path)
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    os.replace(tmp, path)
    return path


class ExportPathError(ValueError):
    """--out (or a file inside it) cannot be written: not a folder, a folder where a file goes, no permission."""


def _out_folder(out_dir: str | os.PathLike) -> Path:
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ExportPathError(f"{out} is not a folder (--out names the folder the export files are written into)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportPathError(f"{out}: cannot create the folder ({e.strerror or e})") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise ExportPathError(f"{out}: the folder is not writable")
    return out


def _target(path: Path) -> Path:
    if path.is_dir():
        raise ExportPathError(f"{path} is a folder where the export file goes; move it away or choose another --out")
    return path


def write_csv(con, path: Path, view: str, headers: str) -> Path:
    """One view as CSV: Chinese headers with a UTF-8 BOM (Excel reads it as UTF-8), or the column names."""
    if headers == "ids":
        # the path is a parameter, never SQL text: a quote in a folder name stays part of the name
        con.execute(f"COPY (SELECT * FROM {view}) TO ? (HEADER, DELIMITER ',')", [str(path)])
        return path
    cols = view_columns(con, view)
    rel = con.execute(f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c, _, _ in cols)} FROM {view}")
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow([h for _, _, h in cols])
        while batch := rel.fetchmany(10000):
            w.writerows([["；".join(map(str, v)) if isinstance(v, (list, tuple)) else v for v in r] for r in batch])
    os.replace(tmp, path)
    return path


def export(db_path: str | os.PathLike, out_dir: str | os.PathLike, fmt: str = "xlsx",
           headers: str = "chinese") -> list[Path]:
    """Write every analyst view as XLSX (one workbook), Parquet or CSV files (one per view) into ``out_dir``."""
    if fmt not in ("xlsx", "parquet", "csv"):
        raise ValueError(f"unknown export format {fmt!r} (xlsx, parquet or csv)")
    out_dir = _out_folder(out_dir)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        if fmt == "xlsx":
            return [write_xlsx(con, _target(out_dir / "juesuan.xlsx"), Path(db_path))]
        written = []
        for view in EXPORT_VIEWS:
            if not con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = ?", [view]).fetchone()[0]:
                continue
            path = _target(out_dir / f"{view}.{fmt}")
            if fmt == "parquet":
                con.execute(f"COPY (SELECT * FROM {view}) TO ? (FORMAT parquet)", [str(path)])
            else:
                write_csv(con, path, view, headers)
            written.append(path)
        return written
    except (OSError, duckdb.IOException) as e:  # a full disk, a file that vanished under us: one line, no traceback
        raise ExportPathError(f"{out_dir}: writing the export failed ({str(e).splitlines()[0]})") from None
    finally:
        con.close()

"""Analyst snapshot and exports.

Analysts never open the live warehouse: after the blocking checks pass, the file is copied under the writer
lock to a temporary name beside the snapshot and renamed over it (atomic on one filesystem), so a reader sees
either the old snapshot or the new one, never half of each.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd
from filelock import FileLock

from warehouse.db import Warehouse

# Views an analyst gets, with the Chinese sheet name used in XLSX exports.
EXPORT_VIEWS = {
    "unit_year_finance": "单位年度收支",
    "unit_year_sangong": "三公经费",
    "unit_year_procurement": "政府采购",
    "unit_year_staff": "人员与车辆",
    "budget_vs_actual": "预算与决算对比",
    "anomaly_list": "异常清单",
    "documents": "文件清单",
}


def publish_snapshot(warehouse: Warehouse, snapshot_path: str | os.PathLike) -> Path:
    snapshot_path = Path(snapshot_path)
    snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = snapshot_path.with_name(f".{snapshot_path.name}.tmp{os.getpid()}")
    with FileLock(str(warehouse.lock_path), timeout=warehouse.lock_timeout):
        con = duckdb.connect(str(warehouse.path))
        try:
            con.execute("CHECKPOINT")  # fold the WAL into the file before copying it
        finally:
            con.close()
        shutil.copyfile(warehouse.path, tmp)
    os.replace(tmp, snapshot_path)
    return snapshot_path


def column_comments(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    rows = con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ?", [relation]).fetchall()
    return {c: m for c, m in rows if m}


def _frame_with_chinese_headers(con, view: str, fallback: dict[str, str]) -> pd.DataFrame:
    """The view's rows with "说明（column）" headers; views carry no comments, so base-table comments fill in."""
    df = con.execute(f"SELECT * FROM {view}").df()
    comments = {**fallback, **column_comments(con, view)}
    return df.rename(columns={c: f"{comments[c].split('（')[0]}（{c}）" if c in comments else c for c in df.columns})


def export(db_path: str | os.PathLike, out_dir: str | os.PathLike, fmt: str = "xlsx") -> list[Path]:
    """Write every analyst view as XLSX (one sheet per view, Chinese headers), Parquet or CSV files."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        if fmt == "xlsx":
            path = out_dir / "juesuan.xlsx"
            tmp = out_dir / ".juesuan.xlsx.tmp"
            fallback: dict[str, str] = {}
            for base in ("metric_values", "anomalies", "documents"):  # later tables win, as before
                fallback.update(column_comments(con, base))
            with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
                for view, sheet in EXPORT_VIEWS.items():
                    df = _frame_with_chinese_headers(con, view, fallback)
                    for c in df.columns:  # Excel has no list type
                        if df[c].map(lambda v: isinstance(v, (list, tuple))).any():
                            df[c] = df[c].map(lambda v: "；".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
                    df.to_excel(xw, sheet_name=sheet, index=False)
            os.replace(tmp, path)
            written.append(path)
        elif fmt in ("parquet", "csv"):
            for view in EXPORT_VIEWS:
                path = out_dir / f"{view}.{fmt}"
                if fmt == "parquet":
                    con.execute(f"COPY (SELECT * FROM {view}) TO '{path}' (FORMAT parquet)")
                else:
                    con.execute(f"COPY (SELECT * FROM {view}) TO '{path}' (HEADER, DELIMITER ',')")
                written.append(path)
        else:
            raise ValueError(f"unknown export format {fmt!r} (xlsx, parquet or csv)")
    finally:
        con.close()
    return written

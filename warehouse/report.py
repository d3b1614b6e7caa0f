"""A self-contained HTML report for analysts: what was loaded, and every anomaly with its evidence."""
from __future__ import annotations

import html
import os
from datetime import datetime
from pathlib import Path

import duckdb

from warehouse.anomalies import RULES
from warehouse.coverage_report import CSS as COVERAGE_CSS
from warehouse.coverage_report import coverage_section

_CSS = """body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border:1px solid #ccc;padding:3px 7px}
th{background:#f0f0f0}td.n{text-align:right}.error{color:#b00}.warning{color:#a60}.info{color:#555}"""


def _table(rows: list[tuple], headers: list[str], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(
        f"<td class='n'>{'' if v is None else v}</td>" if i in numeric else f"<td>{html.escape('' if v is None else str(v))}</td>"
        for i, v in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def write_report(db_path: str | os.PathLike, out_path: str | os.PathLike) -> Path:
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        docs = con.execute("SELECT count(*), count(*) FILTER (WHERE status='failed'), count(DISTINCT unit_id) "
                           "FROM documents").fetchone()
        by_rule = con.execute("SELECT rule_id, severity, count(*) FROM anomaly_list GROUP BY ALL ORDER BY 3 DESC").fetchall()
        anomalies = con.execute(
            "SELECT severity, rule_id, unit_name, fiscal_year, page, message, evidence, review_status "
            "FROM anomaly_list ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, "
            "unit_name, fiscal_year, rule_id").fetchall()
        finance = con.execute(
            "SELECT unit_name, fiscal_year, kind, income_total_wan, expenditure_total_wan, expenditure_basic_wan, "
            "expenditure_project_wan, gpb_expenditure_wan FROM unit_year_finance ORDER BY unit_name, fiscal_year, kind"
        ).fetchall()
        sangong = con.execute(
            "SELECT unit_name, fiscal_year, kind, sangong_budget_wan, sangong_total_wan, abroad_wan, vehicle_wan, "
            "reception_wan, staff_actual FROM unit_year_sangong ORDER BY unit_name, fiscal_year, kind").fetchall()
        failed = con.execute("SELECT coalesce(original_name, doc_id), errors[1] FROM documents WHERE status='failed'").fetchall()
        coverage = coverage_section(con)
    finally:
        con.close()
    parts = [f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>部门决算/预算 分析报告</title>"
             f"<style>{_CSS}{COVERAGE_CSS}</style></head><body><h1>部门决算/预算 分析报告</h1>",
             f"<p>生成时间 {datetime.now():%Y-%m-%d %H:%M}，文件 {docs[0]} 份（失败 {docs[1]} 份），单位 {docs[2]} 个，"
             f"异常 {len(anomalies)} 条。金额单位：万元。</p>",
             "<h2>异常（按规则）</h2>",
             _table([(r, RULES[r].description if r in RULES else "", s, n) for r, s, n in by_rule],
                    ["规则", "说明", "严重程度", "数量"], {3}),
             "<h2>异常明细</h2>",
             "<table><tr><th>严重程度</th><th>规则</th><th>单位</th><th>年度</th><th>页</th><th>说明</th><th>证据</th>"
             "<th>复核</th></tr>" + "".join(
                 f"<tr class='{html.escape(s)}'><td>{html.escape(s)}</td><td>{html.escape(r)}</td>"
                 f"<td>{html.escape(u or '')}</td><td>{y or ''}</td><td>{p or ''}</td><td>{html.escape(m or '')}</td>"
                 f"<td>{html.escape((e or '')[:200])}</td><td>{html.escape(rv or '')}</td></tr>"
                 for s, r, u, y, p, m, e, rv in anomalies) + "</table>",
             "<h2>收支</h2>",
             _table(finance, ["单位", "年度", "类型", "本年收入合计", "本年支出合计", "基本支出", "项目支出", "一般公共预算财政拨款支出"],
                    {3, 4, 5, 6, 7}),
             "<h2>“三公”经费</h2>",
             _table(sangong, ["单位", "年度", "类型", "预算数", "决算数/预算安排", "因公出国（境）", "公务用车", "公务接待", "实有人数"],
                    {3, 4, 5, 6, 7, 8})]
    parts.append(coverage)
    if failed:
        parts += ["<h2>未能读取的文件</h2>", _table(failed, ["文件", "原因"])]
    parts.append("</body></html>")
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text("".join(parts), encoding="utf-8")
    os.replace(tmp, out)
    return out

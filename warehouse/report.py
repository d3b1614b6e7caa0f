"""The HTML report an analyst sends upward: one self-contained file, in Chinese, printable.

An overview (what was read, the key figures of every unit, anomalies by rule), then one section per unit (its key
figures across years with the year-on-year charts, its 三公 breakdown, its position among its peers for each
cross-unit rule, and its anomalies with the page evidence and a link to the source file at that page), then the
files that could not be read. Charts are inline SVG drawn here (warehouse/report_svg.py): no script, no network.
"""
from __future__ import annotations

import html
import os
from datetime import datetime
from pathlib import Path

import duckdb

from schemas.labels import code_label, metric_label
from warehouse.anomalies import RULES
from warehouse.coverage_report import CSS as COVERAGE_CSS
from warehouse.coverage_report import coverage_section
from warehouse.report_data import KEY_FIGURES, RATIOS, SANGONG, ReportData, Unit, load_report_data
from warehouse.report_svg import fmt, grouped_bars, peer_strip, stacked_bars

_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;margin:2em auto;max-width:1100px;
color:#222;line-height:1.5;padding:0 1em}
h1{font-size:26px;border-bottom:3px solid #2f6db5;padding-bottom:.3em}h2{font-size:20px;margin-top:2em;
border-bottom:1px solid #ccc}h3{font-size:16px;margin-top:1.4em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:13px}th,td{border:1px solid #ccc;padding:3px 8px;
vertical-align:top}th{background:#eef2f7;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums;
white-space:nowrap}.sev-error{color:#b00;font-weight:bold}.sev-warning{color:#a60}.sev-info{color:#555}
.muted{color:#777}.facts span{display:inline-block;margin-right:2em}nav ul{columns:3;font-size:14px}
svg{display:block;margin:.4em 0 1em;max-width:100%;height:auto}svg .ct{font-size:13px;font-weight:bold;fill:#222}
svg .ax{font-size:11px;fill:#555}svg .val{font-size:10px;fill:#333}svg .mk{font-size:11px;fill:#c0392b;
font-weight:bold}svg .grid{stroke:#ddd;stroke-width:1}.unit{border-top:2px solid #2f6db5;margin-top:2.5em}
.ev{font-size:12px;color:#444;max-width:420px}
@media print{body{margin:0;max-width:none;font-size:11pt}nav,.noprint{display:none}section.unit{break-before:page}
table{font-size:9pt;break-inside:auto}tr{break-inside:avoid}a{color:inherit;text-decoration:none}
h2,h3{break-after:avoid}svg{break-inside:avoid}}
@page{size:A4;margin:15mm 12mm}
"""


def _e(v) -> str:
    return html.escape("" if v is None else str(v))


def _table(headers: list[str], rows: list[list], numeric: set[int] = frozenset(), cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(
        (f"<td class='n'>{_e(fmt(v) if isinstance(v, float) else v)}</td>" if i in numeric
         else f"<td>{v if isinstance(v, Markup) else _e(v)}</td>") for i, v in enumerate(r)) + "</tr>" for r in rows)
    return f"<table class='{cls}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Markup(str):
    """Already-escaped HTML for a table cell."""


def _num(v) -> float | None:
    return None if v is None else float(v)


def _source_link(a: dict) -> Markup:
    """The source file at the finding's page (PDF viewers honour #page=N; other formats open at the start)."""
    url, page = a.get("source_url") or "", a.get("page")
    if not url:
        return Markup(_e(f"第{page}页" if page else ""))
    target = url + (f"#page={page}" if page and (a.get("format") or "").lower() == "pdf" else "")
    label = f"第{page}页" if page else "原文"
    return Markup(f"<a href='{_e(target)}' title='{_e(a.get('original_name') or url)}'>{_e(label)}</a>")


def _doc_label(r: dict) -> str:
    return f"{r['fiscal_year']}{code_label('kind', r['kind'])}" + (
        f"（{code_label('scope', r['scope'])}）" if r.get("scope") == "unit" else "")


def _overview(data: ReportData) -> str:
    rows = []
    for u in data.units:
        sangong = {(r["fiscal_year"], r["kind"], r["scope"]): r for r in u.sangong}
        procurement = {(r["fiscal_year"], r["kind"], r["scope"]): r for r in u.procurement}
        for f in u.finance:
            k = (f["fiscal_year"], f["kind"], f["scope"])
            rows.append([Markup(f"<a href='#{u.anchor}'>{_e(u.unit_name)}</a>"), f["fiscal_year"],
                         code_label("kind", f["kind"]), code_label("scope", f["scope"]),
                         _num(f["income_total_wan"]), _num(f["expenditure_total_wan"]),
                         _num(sangong.get(k, {}).get("sangong_total_wan")),
                         _num(procurement.get(k, {}).get("procurement_total_wan"))])
    return _table(["单位", "年度", "类型", "口径", "本年收入合计", "本年支出合计", "“三公”经费", "政府采购"], rows,
                  {4, 5, 6, 7})


def _by_rule(data: ReportData) -> str:
    return _table(["规则", "说明", "严重程度", "数量"], [
        [r, RULES[r].description if r in RULES else "", Markup(f"<span class='sev-{_e(s)}'>{_e(code_label('severity', s))}"
                                                               "</span>"), n] for r, s, n in data.by_rule], {3})


def _unit_figures(u: Unit) -> str:
    cols = [_doc_label(f) for f in u.finance]
    rows = [[label] + [_num(f.get(key)) for f in u.finance] for key, label in KEY_FIGURES
            if any(f.get(key) is not None for f in u.finance)]
    prev = [f for f in u.finance if f.get("grand_total_prev_wan") is not None]
    if prev:
        rows.append(["收支总计比上年增减"] + [_num(f.get("grand_total_change_wan")) for f in u.finance])
    return _table(["指标（万元）", *cols], rows, set(range(1, len(cols) + 1))) if rows else ""


def _unit_charts(u: Unit) -> str:
    finals = [f for f in u.finance if f["kind"] == "final_accounts"] or u.finance
    groups = [_doc_label(f) for f in finals]
    yoy = grouped_bars("收入与支出（按年度）", groups, {
        "本年收入合计": [_num(f["income_total_wan"]) for f in finals],
        "本年支出合计": [_num(f["expenditure_total_wan"]) for f in finals],
        "基本支出": [_num(f["expenditure_basic_wan"]) for f in finals]}) if len(finals) > 0 else ""
    sg = [s for s in u.sangong if s.get("sangong_total_wan") is not None]
    sg_chart = stacked_bars("“三公”经费构成（按年度）", [_doc_label(s) for s in sg],
                            {label: [_num(s.get(key)) for s in sg] for key, label in SANGONG}) if sg else ""
    sg_table = _table(["文件", "预算数", "决算数", "完成预算%", "因公出国（境）", "公务用车购置", "公务用车运行",
                       "公务接待", "比上年增减%"], [
        [_doc_label(s), _num(s.get("sangong_budget_wan")), _num(s.get("sangong_total_wan")),
         _num(s.get("sangong_completion_pct")), _num(s.get("abroad_wan")), _num(s.get("vehicle_purchase_wan")),
         _num(s.get("vehicle_operation_wan")), _num(s.get("reception_wan")), _num(s.get("sangong_total_change_pct"))]
        for s in sg], set(range(1, 9))) if sg else "<p class='muted'>未公开“三公”经费。</p>"
    return yoy + "<h3>“三公”经费</h3>" + sg_chart + sg_table


def _unit_peers(u: Unit, data: ReportData) -> str:
    out = []
    for rule_id, rows in data.ratios.items():
        mine = [r for r in rows if r["unit_id"] == u.unit_id]
        if not mine:
            continue
        r0 = mine[-1]  # the latest year: its peers are that year's documents of the same kind
        peers = [r for r in rows if r["fiscal_year"] == r0["fiscal_year"] and r["kind"] == r0["kind"]]
        _, _, label, _, unit = RATIOS[rule_id]
        chart = peer_strip(f"{label}：{r0['fiscal_year']}年{code_label('kind', r0['kind'])}，同组 {len(peers)} 家",
                           [(p["unit_name"], p["value"], p["unit_id"] == u.unit_id,
                             (rule_id, p["doc_id"]) in data.flagged) for p in peers], unit)
        if chart:
            out.append(chart)
    return ("<h3>与同组单位比较</h3>" + "".join(out)) if out else ""


def _unit_anomalies(u: Unit) -> str:
    if not u.anomalies:
        return "<p class='muted'>未发现异常。</p>"
    return _table(["严重程度", "年度", "规则", "指标", "说明", "证据", "原文", "复核"], [
        [Markup(f"<span class='sev-{_e(a['severity'])}'>{_e(code_label('severity', a['severity']))}</span>"),
         a["fiscal_year"], RULES[a["rule_id"]].description if a["rule_id"] in RULES else a["rule_id"],
         metric_label(a["metric_id"]) if a["metric_id"] else "", a["message"],
         Markup(f"<div class='ev'>{_e((a['evidence'] or '')[:300])}</div>"), _source_link(a),
         code_label("review_status", a["review_status"]) + (f"：{a['review_note']}" if a.get("review_note") else "")]
        for a in u.anomalies])


def _unit_section(u: Unit, data: ReportData) -> str:
    docs = "；".join(f"{_doc_label(d)} {d['original_name'] or ''}" + (f"（另有 {d['n_versions'] - 1} 个版本）"
                                                                   if (d.get("n_versions") or 1) > 1 else "")
                    for d in u.docs)
    unresolved = "" if u.resolved else ("<p class='muted'>地区未识别：未与同名单位合并，不参与跨单位比较"
                                        "（在单位名录或 sources.yaml 中补充 region 后重新入库）。</p>")
    return (f"<section class='unit' id='{u.anchor}'><h2>{_e(u.unit_name)}</h2>{unresolved}"
            f"<p class='muted'>文件：{_e(docs)}</p>"
            f"<h3>主要指标（万元）</h3>{_unit_figures(u)}{_unit_charts(u)}{_unit_peers(u, data)}"
            f"<h3>异常（{len(u.anomalies)} 条）</h3>{_unit_anomalies(u)}"
            "<p class='noprint'><a href='#top'>回到目录</a></p></section>")


def render_report(data: ReportData, source: str, coverage: str = "") -> str:
    n_anomalies = sum(n for _, _, n in data.by_rule)
    years = f"{data.years[0]}–{data.years[-1]}" if len(data.years) > 1 else "".join(map(str, data.years))
    nav = "".join(f"<li><a href='#{u.anchor}'>{_e(u.unit_name)}</a>（{len(u.anomalies)}）</li>" for u in data.units)
    parts = [
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'><title>部门决算/预算 分析报告</title>"
        f"<style>{_CSS}{COVERAGE_CSS}</style></head><body><a id='top'></a><h1>部门决算/预算 分析报告</h1>",
        f"<p class='facts'><span>年度 {_e(years or '—')}</span><span>单位 {len(data.units):,} 个</span>"
        f"<span>公开文件 {data.n_documents:,} 份（读入文件 {data.n_files:,} 个，未能读取 {data.n_failed:,} 个）</span>"
        f"<span>异常 {n_anomalies:,} 条</span></p>",
        f"<p class='muted'>生成时间 {datetime.now():%Y-%m-%d %H:%M}；数据来源 {_e(source)}；金额单位：万元。同一公开文件的 "
        "PDF/DOCX 等版本只计一次；没有单位名称的文件（空白模板）不列入。</p>",
        f"<nav><h2>单位</h2><ul>{nav}</ul></nav>",
        "<h2>各单位主要指标</h2>", _overview(data), "<h2>异常（按规则）</h2>", _by_rule(data),
        coverage,  # who has published what (warehouse/coverage_report.py)
        *(_unit_section(u, data) for u in data.units)]
    if data.failed:
        parts += ["<h2>未能完整读取的文件</h2>", _table(["文件", "状态", "原因"], [
            [n, code_label("status", s), (e or "").splitlines()[0] if e else ""] for n, s, e in data.failed])]
    parts.append("</body></html>")
    return "".join(parts)


def write_report(db_path: str | os.PathLike, out_path: str | os.PathLike) -> Path:
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        data = load_report_data(con)
        coverage = coverage_section(con)
    finally:
        con.close()
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(render_report(data, str(db_path), coverage), encoding="utf-8")
    os.replace(tmp, out)
    return out

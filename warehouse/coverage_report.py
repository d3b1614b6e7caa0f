"""The coverage section of the HTML report: a matrix of units × fiscal years per kind, coloured by status."""
from __future__ import annotations

import html

_COLOURS = {"found": "#cdeccd", "late": "#ffd59e", "found-incomplete": "#fff3a8", "missing": "#f6b8b8"}
_LABELS = {"found": "已公开", "late": "逾期", "found-incomplete": "缺表", "missing": "未公开"}
_KINDS = {"final_accounts": "决算", "budget": "预算"}
CSS = "".join(f"td.cov-{s}{{background:{c}}}" for s, c in _COLOURS.items()) + "td.cov-none{background:#f7f7f7}"


def _cell(row: tuple | None) -> str:
    if row is None:
        return "<td class='cov-none'></td>"
    status, published, deadline, days, missing_tables, scope = row
    text = _LABELS[status] + ("（单位）" if scope == "unit" else "")
    if status == "late" and days:
        text += f" {days}天"
    title = f"发布 {published or 'unknown'}；期限 {deadline or 'unknown'}"
    if missing_tables:
        title += "；缺 " + "、".join(missing_tables)
    return f"<td class='cov-{status}' title='{html.escape(title)}'>{html.escape(text)}</td>"


def coverage_section(con) -> str:
    """'' when coverage was never computed (an old warehouse, or a load without the coverage asset)."""
    try:
        rows = con.execute(
            "SELECT region, coalesce(unit_name, unit_key), kind, fiscal_year, scope, status, publish_date, deadline,"
            " days_late, tables_missing FROM disclosure_coverage ORDER BY region, kind, 2, fiscal_year, scope").fetchall()
    except Exception:  # noqa: BLE001 — the view does not exist in warehouses built before coverage
        return ""
    if not rows:
        return ""
    parts = ["<h2>公开情况（单位 × 年度）</h2>",
             "<p>" + " ".join(f"<span style='background:{c};padding:0 6px'>{_LABELS[s]}</span>" for s, c in _COLOURS.items())
             + " 鼠标悬停查看发布日期、期限和缺少的表。</p>"]
    for kind in ("final_accounts", "budget"):
        sel = [r for r in rows if r[2] == kind]
        if not sel:
            continue
        years = sorted({r[3] for r in sel})
        units = list(dict.fromkeys((r[0], r[1]) for r in sel))
        cells: dict[tuple, tuple] = {}
        for region, unit, _k, year, scope, *rest in sel:
            key = (region, unit, year)
            if key not in cells or scope == "department":  # the 部门 document first; 单位 shown when alone
                status, published, deadline, days, missing = rest
                cells[key] = (status, published, deadline, days, missing or [], scope)
        head = "".join(f"<th>{y}</th>" for y in years)
        body = "".join(f"<tr><td>{html.escape(region or '—')}</td><td>{html.escape(unit)}</td>"
                       + "".join(_cell(cells.get((region, unit, y))) for y in years) + "</tr>" for region, unit in units)
        parts.append(f"<h3>{_KINDS[kind]}</h3><table><tr><th>地区</th><th>单位</th>{head}</tr>{body}</table>")
    return "".join(parts)

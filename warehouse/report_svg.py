"""Static SVG charts for the HTML report, drawn at build time: no script, no CDN, no network.

Each function returns one ``<svg>`` element with a ``<title>`` (read by screen readers and shown on hover) and
a ``data-chart`` attribute naming the kind, so tests can find and measure them. Numbers carry thousands
separators; colours are few and print in greyscale.
"""
from __future__ import annotations

import html
import math

PALETTE = ["#2f6db5", "#e08a2e", "#5a9e4b", "#b5463f", "#7d63b0", "#8c8c8c"]
MARK, PEER, MEDIAN = "#c0392b", "#7f9cc4", "#333"


def fmt(v: float | None, digits: int = 2) -> str:
    return "—" if v is None else f"{v:,.{digits}f}"


def _esc(s) -> str:
    return html.escape(str(s), quote=True)


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(v))
    return next(m * exp for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * exp >= v)


def _legend(names: list[str], left: float, height: int) -> str:
    """A colour key along the bottom edge, and the closing tag."""
    out, lx = [], left
    for si, name in enumerate(names):
        out.append(f'<rect x="{lx}" y="{height - 14}" width="10" height="10" fill="{PALETTE[si % len(PALETTE)]}"/>'
                   f'<text x="{lx + 14}" y="{height - 5}" class="ax">{_esc(name)}</text>')
        lx += 28 + 13 * len(name)
    return "".join(out) + "</svg>"


def grouped_bars(title: str, groups: list[str], series: dict[str, list[float | None]], unit: str = "万元",
                 width: int = 640, height: int = 240) -> str:
    """Bars per group (e.g. fiscal year), one colour per series (e.g. 收入/支出/三公), values on top."""
    values = [v for vs in series.values() for v in vs if v is not None]
    if not groups or not values:
        return ""
    top = _nice_max(max(values))
    left, right, head, foot = 64, 12, 28, 44
    plot_w, plot_h = width - left - right, height - head - foot
    slot = plot_w / len(groups)
    bar = min(42.0, slot * 0.8 / max(1, len(series)))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" data-chart="bars" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img"><title>{_esc(title)}</title>',
             f'<text x="{left}" y="16" class="ct">{_esc(title)}（{_esc(unit)}）</text>']
    for k in range(5):
        y = head + plot_h * k / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" class="ax" text-anchor="end">'
                     f'{fmt(top * (4 - k) / 4, 0)}</text>')
    for gi, g in enumerate(groups):
        x0 = left + slot * gi + (slot - bar * len(series)) / 2
        for si, (name, vs) in enumerate(series.items()):
            v = vs[gi]
            if v is None:
                continue
            h = plot_h * max(v, 0) / top
            x, y = x0 + bar * si, head + plot_h - h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 3:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[si % len(PALETTE)]}"><title>{_esc(name)} {_esc(g)}: {fmt(v)}</title></rect>'
                         f'<text x="{x + (bar - 3) / 2:.1f}" y="{y - 3:.1f}" class="val" text-anchor="middle">'
                         f'{fmt(v, 0 if v >= 1000 else 2)}</text>')
        parts.append(f'<text x="{left + slot * (gi + 0.5):.1f}" y="{head + plot_h + 16}" class="ax" '
                     f'text-anchor="middle">{_esc(g)}</text>')
    parts.append(_legend(list(series), left, height))
    return "".join(parts)


def stacked_bars(title: str, groups: list[str], parts_by_name: dict[str, list[float | None]], unit: str = "万元",
                 width: int = 640, height: int = 220) -> str:
    """One bar per group split into its components (e.g. 三公: 出国/用车/接待), the total on top."""
    totals = [sum(v or 0 for v in col) for col in zip(*parts_by_name.values(), strict=True)] if parts_by_name else []
    if not groups or not any(totals):
        return ""
    top = _nice_max(max(totals))
    left, right, head, foot = 64, 12, 28, 44
    plot_w, plot_h = width - left - right, height - head - foot
    slot = plot_w / len(groups)
    bar = min(60.0, slot * 0.6)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" data-chart="stacked" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img"><title>{_esc(title)}</title>',
           f'<text x="{left}" y="16" class="ct">{_esc(title)}（{_esc(unit)}）</text>',
           f'<line x1="{left}" x2="{width - right}" y1="{head + plot_h}" y2="{head + plot_h}" class="grid"/>']
    for gi, g in enumerate(groups):
        x, y = left + slot * gi + (slot - bar) / 2, head + plot_h
        for si, (name, vs) in enumerate(parts_by_name.items()):
            v = vs[gi] or 0
            h = plot_h * v / top
            y -= h
            if h > 0:
                out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                           f'fill="{PALETTE[si % len(PALETTE)]}"><title>{_esc(name)} {_esc(g)}: {fmt(v)}</title></rect>')
        out.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" class="val" text-anchor="middle">'
                   f'{fmt(totals[gi])}</text><text x="{x + bar / 2:.1f}" y="{head + plot_h + 16}" class="ax" '
                   f'text-anchor="middle">{_esc(g)}</text>')
    out.append(_legend(list(parts_by_name), left, height))
    return "".join(out)


def peer_strip(title: str, points: list[tuple[str, float, bool, bool]], unit: str, width: int = 640,
               height: int = 120) -> str:
    """A peer distribution on one axis (log scale when it spans a decade): a dot per unit, the marked unit in red
    and labelled, flagged outliers ringed, the peers' median as a line. ``points``: (name, value, marked,
    flagged)."""
    vals = [v for _, v, _, _ in points if v is not None and v > 0]
    if len(vals) < 2:
        return ""
    lo, hi = min(vals), max(vals)
    use_log = hi / lo > 10
    f = (lambda v: math.log10(v)) if use_log else (lambda v: v)
    a, b = f(lo), f(hi)
    span = (b - a) or 1.0
    left, right = 20, 20
    plot_w = width - left - right
    x_of = lambda v: left + plot_w * (f(v) - a + span * 0.05) / (span * 1.1)  # noqa: E731
    med = sorted(vals)[len(vals) // 2] if len(vals) % 2 else sum(sorted(vals)[len(vals) // 2 - 1:len(vals) // 2 + 1]) / 2
    axis_y = 62
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" data-chart="peers" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img"><title>{_esc(title)}</title>',
           f'<text x="{left}" y="16" class="ct">{_esc(title)}（{_esc(unit)}{"，对数刻度" if use_log else ""}）</text>',
           f'<line x1="{left}" x2="{width - right}" y1="{axis_y}" y2="{axis_y}" class="grid"/>',
           f'<line x1="{x_of(med):.1f}" x2="{x_of(med):.1f}" y1="{axis_y - 22}" y2="{axis_y + 22}" '
           f'stroke="{MEDIAN}" stroke-dasharray="4 3"/>'
           f'<text x="{x_of(med):.1f}" y="{axis_y + 36}" class="ax" text-anchor="middle">中位数 {fmt(med)}</text>',
           f'<text x="{left}" y="{axis_y + 36}" class="ax">{fmt(lo)}</text>'
           f'<text x="{width - right}" y="{axis_y + 36}" class="ax" text-anchor="end">{fmt(hi)}</text>']
    for name, v, marked, flagged in sorted(points, key=lambda p: p[2]):  # the marked unit drawn last, on top
        if v is None or v <= 0:
            continue
        x = x_of(v)
        if flagged:
            out.append(f'<circle cx="{x:.1f}" cy="{axis_y}" r="9" fill="none" stroke="{MARK}" stroke-width="1.5"/>')
        colour, r = (MARK, 6) if marked else (PEER, 4.5)
        out.append(f'<circle cx="{x:.1f}" cy="{axis_y}" r="{r}" fill="{colour}" fill-opacity="0.85">'
                   f'<title>{_esc(name)}: {fmt(v)} {_esc(unit)}</title></circle>')
        if marked:  # the label leans inwards near an edge so it is never cut off
            anchor = "start" if x < width * 0.25 else "end" if x > width * 0.75 else "middle"
            out.append(f'<text x="{x:.1f}" y="{axis_y - 14}" class="mk" text-anchor="{anchor}">'
                       f'{_esc(name)} {fmt(v)}</text>')
    out.append("</svg>")
    return "".join(out)

"""Characters → visual lines, and pdfplumber's ruled cells → a span-aware cell grid.

pdfplumber's ``extract_table`` reports merged cells as ``None`` holes; here the grid is rebuilt from the cell
rectangles themselves: every distinct cell edge becomes a grid line, and a rectangle covering several grid
columns/rows becomes one anchor cell with ``colspan``/``rowspan``. Cell text comes from the characters whose
centre falls in the rectangle, so each character is read once.
"""
from __future__ import annotations

from bisect import bisect_left

from extractors.documents.layout import remove_rows
from extractors.documents.text import join_fragments, normalize_text
from schemas.document import Cell, Line, Table


def _with_baseline(ch: dict) -> dict:
    """Add ``_base``/``_mid``: baseline and glyph middle in top-down page coordinates.

    Mixed fonts on one line can report very different bounding boxes (a Latin font's digits can sit 16 pt
    below the Chinese text of the same line), but they share the baseline from the text matrix. Characters read
    through PDFium arrive with both keys already set from the glyph origin."""
    if "_base" in ch:
        return ch
    m = ch.get("matrix")
    size = ch.get("size") or (ch["bottom"] - ch["top"])
    if m and ch.get("upright", True) and abs(m[1]) < 1e-6 and abs(m[2]) < 1e-6:
        base = ch["top"] + ch["y1"] - m[5]
        ch["_base"], ch["_mid"] = base, base - 0.35 * size
    else:
        ch["_base"], ch["_mid"] = ch["bottom"], (ch["top"] + ch["bottom"]) / 2
    return ch


def dedupe_chars(chars: list[dict], tol: float = 1.0) -> list[dict]:
    """Drop fake-bold copies: the same glyph drawn again within ``tol`` points (any font name)."""
    chars = [_with_baseline(ch) for ch in chars]
    seen: dict[tuple[str, int, int], list[tuple[float, float]]] = {}
    out = []
    for ch in chars:
        key = (ch["text"], int(ch["x0"] // 4), int(ch["top"] // 4))
        dup = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for x0, top in seen.get((key[0], key[1] + dx, key[2] + dy), ()):
                    if abs(x0 - ch["x0"]) <= tol and abs(top - ch["top"]) <= tol:
                        dup = True
                        break
        if dup:
            continue
        seen.setdefault(key, []).append((ch["x0"], ch["top"]))
        out.append(ch)
    return out


def group_lines(chars: list[dict]) -> list[list[dict]]:
    """Group characters into visual lines by vertical overlap (robust to raised quote glyphs)."""
    lines: list[list] = []  # [baseline, chars]
    for ch in sorted(chars, key=lambda c: (c["_base"], c["x0"])):
        tol = 0.35 * max(ch.get("size") or 0, 4.0)
        if lines and ch["_base"] - lines[-1][0] <= tol:
            lines[-1][1].append(ch)
        else:
            lines.append([ch["_base"], [ch]])
    out = [sorted(ln[1], key=lambda c: c["x0"]) for ln in lines]
    out.sort(key=lambda cs: (cs[0]["_base"], cs[0]["x0"]))
    return out


def line_raw(chars: list[dict]) -> str:
    """Text of one visual line; a gap wider than ~1 character becomes a space."""
    parts, prev = [], None
    for ch in chars:
        if prev is not None:
            size = max(ch.get("size") or (ch["x1"] - ch["x0"]), 1.0)
            gap = ch["x0"] - prev["x1"]
            if gap > 0.6 * size:
                parts.append(" " * (2 if gap > 3 * size else 1))
        parts.append(ch["text"])
        prev = ch
    return "".join(parts)


def make_lines(chars: list[dict], page_no: int) -> list[Line]:
    out = []
    for cs in group_lines(chars):
        raw = line_raw(cs)
        text = normalize_text(raw)
        if not text:
            continue
        bbox = (min(c["x0"] for c in cs), min(c["_mid"] for c in cs) - 0.4 * cs[0].get("size", 8),
                max(c["x1"] for c in cs), max(c["_base"] for c in cs) + 0.15 * cs[0].get("size", 8))
        out.append(Line(page=page_no, text=text, raw=raw, bbox=tuple(round(v, 2) for v in bbox)))
    return out


def _snap(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(grid: list[float], v: float) -> int:
    i = bisect_left(grid, v - 2.0)
    return min(i, len(grid) - 1)


def grid_table(cell_boxes: list[tuple], chars: list[dict], page_no: int) -> Table | None:
    """Build a Table from cell rectangles (x0, top, x1, bottom) and the page's characters."""
    if len(cell_boxes) < 2:
        return None
    xs = _snap([b[0] for b in cell_boxes] + [b[2] for b in cell_boxes])
    ys = _snap([b[1] for b in cell_boxes] + [b[3] for b in cell_boxes])
    n_cols, n_rows = len(xs) - 1, len(ys) - 1
    if n_cols < 1 or n_rows < 1:
        return None
    x0t, topt, x1t, bott = xs[0], ys[0], xs[-1], ys[-1]
    inside = [c for c in chars if x0t - 1 <= (c["x0"] + c["x1"]) / 2 <= x1t + 1 and topt - 1 <= c["_mid"] <= bott + 1]
    buckets: dict[int, list[dict]] = {}
    anchors = []
    taken: set[tuple[int, int]] = set()
    for k, (bx0, btop, bx1, bbot) in enumerate(sorted(cell_boxes, key=lambda b: (b[1], b[0]))):
        c0, c1 = _index(xs, bx0), _index(xs, bx1)
        r0, r1 = _index(ys, btop), _index(ys, bbot)
        if c1 <= c0 or r1 <= r0 or (r0, c0) in taken:
            continue
        taken.add((r0, c0))
        anchors.append((k, r0, c0, r1 - r0, c1 - c0, (bx0, btop, bx1, bbot)))
    # assign each char to the smallest anchor box containing its centre
    boxes = sorted(anchors, key=lambda a: (a[5][2] - a[5][0]) * (a[5][3] - a[5][1]))
    by_band: dict[int, list[int]] = {}  # 8-pt horizontal bands → indexes into ``boxes`` (smallest first)
    for n, a in enumerate(boxes):
        for band in range(int((a[5][1] - 0.5) // 8), int((a[5][3] + 0.5) // 8) + 1):
            by_band.setdefault(band, []).append(n)
    for ch in inside:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, ch["_mid"]
        for n in by_band.get(int(cy // 8), ()):
            b = boxes[n][5]
            if b[0] - 0.5 <= cx <= b[2] + 0.5 and b[1] - 0.5 <= cy <= b[3] + 0.5:
                buckets.setdefault(boxes[n][0], []).append(ch)
                break
    cells = []
    for k, r, c, rs, cs, b in anchors:
        frags = [line_raw(ln) for ln in group_lines(buckets.get(k, []))]
        raw = "\n".join(frags)
        cells.append(Cell(row=r, col=c, text=normalize_text(join_fragments(frags)), raw=raw, rowspan=rs,
                          colspan=cs, bbox=tuple(round(v, 2) for v in b), page=page_no))
    cells.sort(key=lambda c: (c.row, c.col))
    table = Table(page=page_no, pages=[page_no], n_rows=n_rows, n_cols=n_cols, cells=cells,
                  bbox=(round(x0t, 2), round(topt, 2), round(x1t, 2), round(bott, 2)))
    # sliver rows exist only because neighbouring merged cells end at slightly different heights
    slivers = {r for r in range(n_rows) if ys[r + 1] - ys[r] < 6
               and not any(c.text for c in cells if c.row == r)}
    if len(slivers) < n_rows:
        remove_rows(table, slivers)
    return table

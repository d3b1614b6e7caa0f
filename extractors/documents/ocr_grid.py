"""Tables without ruling lines on scanned pages: OCR text boxes clustered into rows, then into columns.

A row is a band of boxes that overlap vertically. A tabular row has at least two boxes apart by a clear gap and
at least one amount. Three or more tabular rows in a row (a label-only row, such as a 类 heading, may sit among
them) make a table region; up to three rows above it whose boxes lie inside its width are its header. Columns
are the clusters of the data rows' boxes along x (boxes of one column overlap: numbers are right-aligned,
labels left-aligned). Row and column bands become cell rectangles, which go through the same cell, caption,
header, stitching and panel code as ruled tables.
"""
from __future__ import annotations

import regex

_AMOUNT = regex.compile(r"^[-−]?(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:[.。]\d{1,2})?%?$")
_MIN_ROWS = 3


def _rows(words: list) -> list[list]:
    rows: list[list] = []
    for w in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        cy = (w.box[1] + w.box[3]) / 2
        if rows:
            last = rows[-1]
            top = min(x.box[1] for x in last)
            bottom = max(x.box[3] for x in last)
            if top <= cy <= bottom:
                last.append(w)
                continue
        rows.append([w])
    return [sorted(r, key=lambda w: w.box[0]) for r in rows]


def _tabular(row: list) -> bool:
    if len(row) < 2 or not any(_AMOUNT.match(w.text.replace(" ", "")) for w in row):
        return False
    h = max(w.box[3] - w.box[1] for w in row)
    return all(b.box[0] - a.box[2] > 0.8 * h for a, b in zip(row, row[1:]))


def _regions(rows: list[list]) -> list[tuple[int, int]]:
    """[start, end) row ranges of table regions."""
    out, start, last_tab, n_tab = [], None, None, 0
    for i, row in enumerate(rows + [[]]):
        if row and _tabular(row):
            if start is None:
                start, n_tab = i, 0
            last_tab, n_tab = i, n_tab + 1
            continue
        if start is not None and (not row or i - last_tab > 1 or len(row) > 2):
            if n_tab >= _MIN_ROWS:
                out.append((start, last_tab + 1))
            start = None
    return out


def _columns(data_rows: list[list]) -> list[tuple[float, float]]:
    spans = sorted((w.box[0], w.box[2]) for row in data_rows for w in row)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    return [(a, b) for a, b in cols]


def ruleless_tables(words: list) -> list[list[tuple[float, float, float, float]]]:
    """Cell rectangles (pixels) of each rule-less table among a page's OCR word boxes."""
    rows = _rows(words)
    tables = []
    for start, end in _regions(rows):
        data = [r for r in rows[start:end] if _tabular(r)]
        cols = _columns(data)
        if len(cols) < 2:
            continue
        left, right = cols[0][0], cols[-1][1]
        head = start
        while head > 0 and start - head < 3:
            above = rows[head - 1]
            if len(above) < 2 or any(w.box[0] < left - 20 or w.box[2] > right + 20 for w in above):
                break
            head -= 1
        band = rows[head:end]
        xs = [left - 4] + [(a[1] + b[0]) / 2 for a, b in zip(cols, cols[1:])] + [right + 4]
        tops = [min(w.box[1] for w in r) for r in band]
        bottoms = [max(w.box[3] for w in r) for r in band]
        ys = [tops[0] - 4] + [(b + t) / 2 for b, t in zip(bottoms, tops[1:])] + [bottoms[-1] + 4]
        tables.append([(xs[c], ys[r], xs[c + 1], ys[r + 1]) for r in range(len(band)) for c in range(len(cols))])
    return tables

"""Table structure for scanned pages: deskew, ruling lines from the page image, OCR words, cells as usual.

Ruling lines are found without OpenCV: the page is binarised, thickened by a couple of pixels across the
line direction (scans are rarely perfectly straight), and opened with a long 1-D kernel (a run of ink at least
``min_len`` pixels long) along rows for horizontal and along columns for vertical rules. Each band of rule
pixels becomes one edge in PDF points, in the same dict form ``pdf_fast.page_edges`` produces, so pdfplumber's
lattice code (``pdf_fast.find_cells``) turns them into cell rectangles, merged cells included.

The page is deskewed first (``estimate_skew``: the angle whose row-ink profile is sharpest), so rules are level
and cells are rectangles. OCR word boxes become pseudo-characters (a word's box split evenly among its
characters, all sharing the baseline of their line), which is exactly what ``pdf_grid.grid_table`` and
``make_lines`` read from a text layer. Rules are painted white before OCR so they are not read as 1, l or |.
Cells are cut into single text lines (``cell_line_crops``) so a line recogniser can read them in batches.
"""
from __future__ import annotations

import numpy as np
import regex

_INK = 160  # grey level below which a pixel is ink
# rules are thin: at 150 dpi a 0.5-pt rule is one blurred pixel, often lighter than 160; a long run is needed to
# count as a rule, so the lighter threshold cannot mistake noise or text for one
_RULE_INK = 205
_MIN_RULE_FRAC = 0.08  # a rule is at least this fraction of the page's width (height for vertical rules)
_MIN_RULES = 2  # fewer long rules in a direction than this: no table detection on the page
_NUMERIC_OCR = regex.compile(r"^[-−]?[\d,，.。·\s]+%?$")


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) runs of True in a 1-D boolean array."""
    d = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _open_rows(ink: np.ndarray, length: int) -> np.ndarray:
    """Morphological opening along axis 1: keep ink pixels covered by a full run of ``length`` pixels."""
    h, w = ink.shape
    if length > w:
        return np.zeros_like(ink)
    cs = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(ink, axis=1, out=cs[:, 1:])
    starts = (cs[:, length:] - cs[:, :-length]) == length  # (h, w - length + 1): window [i, i+length) all ink
    cover = np.zeros((h, w + 1), dtype=np.int32)
    cover[:, : w - length + 1] += starts
    cover[:, length:] -= starts
    return np.cumsum(cover[:, :w], axis=1) > 0


def _thicken(ink: np.ndarray, axis: int, k: int = 2) -> np.ndarray:
    out = ink.copy()
    for s in range(1, k + 1):
        if axis == 0:
            out[s:] |= ink[:-s]
            out[:-s] |= ink[s:]
        else:
            out[:, s:] |= ink[:, :-s]
            out[:, :-s] |= ink[:, s:]
    return out


def _segments(mask: np.ndarray, min_len: int) -> list[tuple[float, int, int, int]]:
    """Rules of a row-opened mask: (centre row, x0, x1, thickness) for each band of consecutive rule rows."""
    rows = mask.any(axis=1)
    out = []
    for r0, r1 in _runs(rows):
        band = mask[r0:r1]
        for x0, x1 in _runs(band.any(axis=0)):
            if x1 - x0 < min_len:
                continue
            prof = band[:, x0:x1].sum(axis=1)
            # thickened by 2 px each side; the true rule is where the band is (nearly) full
            core = np.flatnonzero(prof >= 0.5 * prof.max())
            centre = r0 + (core[0] + core[-1]) / 2
            out.append((centre, x0, x1, r1 - r0))
    return out


def find_rules(gray: np.ndarray) -> tuple[list, list, np.ndarray]:
    """Horizontal and vertical rules of a page image (pixel units) and the mask of their pixels."""
    ink = gray < _RULE_INK
    h, w = ink.shape
    min_h, min_v = max(int(w * _MIN_RULE_FRAC), 20), max(int(h * _MIN_RULE_FRAC * 0.5), 20)
    hmask = _open_rows(_thicken(ink, 0), min_h)
    vmask = _open_rows(_thicken(ink, 1).T, min_v)
    horiz = _segments(hmask, min_h)
    vert = _segments(vmask, min_v)
    short, smask = _short_verticals(ink, horiz, vert)
    return horiz, vert + short, hmask | vmask.T | smask


def _short_verticals(ink: np.ndarray, horiz: list, vert: list, tol: int = 3):
    """Vertical rules shorter than a long rule, e.g. between two header cells one row high: columns whose ink
    runs all the way between two neighbouring horizontal rules (a text stroke inside a padded cell never does)."""
    thick = _thicken(ink, 1, 1)
    keep = np.zeros_like(ink)
    out = []
    rules = sorted(horiz)
    for k, (ya, ax0, ax1, _) in enumerate(rules):
        below = next((r for r in rules[k + 1:] if r[0] - ya > 2 * tol and r[1] < ax1 and ax0 < r[2]), None)
        if below is None:
            continue
        yb, bx0, bx1, _ = below
        x0, x1 = max(ax0, bx0), min(ax1, bx1)
        top, bottom = int(round(ya)), int(round(yb)) + 1
        full = thick[top:bottom, x0:x1].all(axis=0)
        for c0, c1 in _runs(full):
            x = x0 + (c0 + c1 - 1) / 2
            if any(abs(v[0] - x) <= tol and v[1] - tol <= top and bottom <= v[2] + tol for v in vert):
                continue
            out.append((x, top, bottom, c1 - c0))
            keep[top:bottom, x0 + c0: x0 + c1] = ink[top:bottom, x0 + c0: x0 + c1]
    return out, keep


def rule_edges(horiz: list, vert: list, scale: float) -> list[dict]:
    """Rules as pdfplumber edges in PDF points (top-left origin); ends are stretched by a pixel or two so that
    rules that stop just short of each other in the scan still intersect."""
    edges = []
    pad = 2
    for y, x0, x1, _ in horiz:
        a, b, yy = (x0 - pad) * scale, (x1 + pad) * scale, float(y) * scale
        edges.append({"x0": a, "x1": b, "top": yy, "bottom": yy, "width": b - a, "height": 0.0,
                      "orientation": "h", "object_type": "edge"})
    for x, y0, y1, _ in vert:
        a, b, xx = (y0 - pad) * scale, (y1 + pad) * scale, float(x) * scale
        edges.append({"x0": xx, "x1": xx, "top": a, "bottom": b, "width": 0.0, "height": b - a,
                      "orientation": "v", "object_type": "edge"})
    return edges


def has_table_rules(horiz: list, vert: list) -> bool:
    return len(horiz) >= _MIN_RULES and len(vert) >= _MIN_RULES


def erase_rules(gray: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Paint rule pixels (and a one-pixel halo) white so tesseract does not read them as glyphs."""
    out = gray.copy()
    out[_thicken(_thicken(mask, 0, 1), 1, 1)] = 255
    return out


def pseudo_chars(words: list, scale: float) -> list[dict]:
    """One char dict per character of OCR ``Word``s, as a text layer would give, in PDF points.

    A word's width is split evenly among its characters (Han characters are square, digits narrower, but
    even splitting is only used to decide which cell a character falls in). Characters of one OCR line share
    its baseline, so ``group_lines`` keeps the line together on a slightly skewed scan. Each char keeps its
    word's confidence (``conf``)."""
    band: dict[tuple, list] = {}
    for w in words:
        band.setdefault(w.line, []).append(w)
    base = {key: sorted(w.box[3] for w in ws)[len(ws) // 2] for key, ws in band.items()}
    out = []
    for k, w in enumerate(words):
        x0, top, x1, bottom = w.box
        width = x1 - x0
        nxt = words[k + 1] if k + 1 < len(words) else None
        if nxt is not None and nxt.line == w.line and x0 < nxt.box[0] < x1:
            width = nxt.box[0] - x0  # LSTM boxes sometimes swallow the words after them
        step = width / max(len(w.text), 1)
        size = max(bottom - top, 1) * scale
        b = base[w.line] * scale
        for i, ch in enumerate(w.text):
            out.append({"text": ch, "x0": (x0 + i * step) * scale, "x1": (x0 + (i + 1) * step) * scale,
                        "top": top * scale, "bottom": bottom * scale, "size": size, "_base": b,
                        "_mid": b - 0.35 * size, "conf": w.conf})
    return out


def estimate_skew(gray: np.ndarray, max_deg: float = 2.0, step: float = 0.1) -> float:
    """The page's rotation in degrees (counter-clockwise positive, PIL's convention), from the sharpness of
    the row-ink profile of a shrunken copy: text lines and rules give the spikiest profile when level."""
    import cv2

    h, w = gray.shape
    f = min(1.0, 900 / max(h, w))
    small = cv2.resize(gray, (max(int(w * f), 1), max(int(h * f), 1)), interpolation=cv2.INTER_AREA)
    ink = (small < _INK).astype(np.float32)
    if ink.sum() < 50:
        return 0.0
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-max_deg, max_deg + step / 2, step):
        m = cv2.getRotationMatrix2D(centre, -angle, 1.0)
        rot = cv2.warpAffine(ink, m, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_NEAREST, borderValue=0)
        prof = rot.sum(axis=1)
        score = float((np.diff(prof) ** 2).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return round(best, 2)


def deskew(gray: np.ndarray, angle: float) -> np.ndarray:
    """The page rotated by ``-angle`` (white fill), so rules are level and cells are upright rectangles."""
    if abs(angle) < 0.05:
        return gray
    import cv2

    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def text_lines(sub: np.ndarray, min_gap: int = 2) -> list[tuple[int, int]]:
    """[top, bottom) pixel rows of the text lines in a cell crop, split at white gaps between lines."""
    rows = (sub < _INK).sum(axis=1) > 0
    merged: list[list[int]] = []
    for a, b in _runs(rows):
        if merged and a - merged[-1][1] < min_gap:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    tall = max((b - a for a, b in merged), default=0)
    return [(a, b) for a, b in merged if b - a >= max(3, tall * 0.3)]  # specks and stray rule ends dropped


def cell_line_crops(gray: np.ndarray, box: tuple[int, int, int, int], inset: int = 3, pad: int = 4) -> list:
    """``(crop, page box)`` of each text line inside one cell rectangle (pixels, rules already erased)."""
    x0, y0, x1, y1 = box
    sub = gray[y0 + inset: y1 - inset, x0 + inset: x1 - inset]
    if sub.size == 0 or (sub < _INK).sum() < 6:
        return []  # a blank cell: nothing to read (and nothing to misread)
    out = []
    for a, b in text_lines(sub):
        cols = np.flatnonzero((sub[a:b] < _INK).any(axis=0))
        r0, r1 = max(a - pad, 0), min(b + pad, sub.shape[0])
        c0, c1 = max(int(cols[0]) - pad, 0), min(int(cols[-1]) + 1 + pad, sub.shape[1])
        out.append((sub[r0:r1, c0:c1], (x0 + inset + c0, y0 + inset + r0, x0 + inset + c1, y0 + inset + r1)))
    return out


_GROUPED = regex.compile(r"^[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_UNGROUPED = regex.compile(r"^([-−]?)(\d{4,})(\.\d+)$")


def regroup_thousands(texts: list[str]) -> list[str]:
    """In a table that prints thousands separators, a long amount read without them lost its commas to OCR."""
    if not any(_GROUPED.match(t) for t in texts):
        return texts
    out = []
    for t in texts:
        m = _UNGROUPED.match(t)
        out.append(f"{m.group(1)}{int(m.group(2)):,}{m.group(3)}" if m and not m.group(2).startswith("0") else t)
    return out


def clean_numeric(text: str) -> str:
    """OCR'd amounts: Chinese full stops and middle dots read for the decimal point, stray spaces."""
    if not _NUMERIC_OCR.match(text) or not any(ch.isdigit() for ch in text):
        return text
    t = regex.sub(r"\s+", "", text).replace("。", ".").replace("·", ".").replace("，", ",")
    return _regroup_separators(t)


# a long amount whose thousands separators OCR misread: a comma read as a point ("10.334,118.88") or lost from
# the first group ("1024,133.25"). The last point before 1-2 digits is the decimal point; every earlier separator
# is followed by exactly three digits, so it can only be a thousands separator, whichever mark was read.
_MISREAD_GROUPS = regex.compile(r"^([-−]?)(\d{1,4})((?:[.,]\d{3})+)\.(\d{1,2})$")


def _regroup_separators(t: str) -> str:
    m = _MISREAD_GROUPS.match(t)
    if not m or _GROUPED.match(t) or (m.group(2).startswith("0") and len(m.group(2)) > 1):
        return t
    digits = m.group(2) + regex.sub(r"[.,]", "", m.group(3))
    return f"{m.group(1)}{int(digits):,}.{m.group(4)}"


_MISREAD_IN_TEXT = regex.compile(r"(?<![\d.,])\d{1,4}(?:[.,]\d{3})+\.\d{1,2}(?![\d.,])")


def regroup_in_text(text: str) -> str:
    """The same repair for amounts inside an OCR'd text line ('支出1.533.41万元'): a comma read as a point
    leaves an amount with two points, which nothing downstream can parse."""
    return _MISREAD_IN_TEXT.sub(lambda m: _regroup_separators(m.group(0)), text)


def blank_boxes(gray: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> np.ndarray:
    """The page with table areas painted white: the full-page pass then reads only the text around tables."""
    out = gray.copy()
    for x0, y0, x1, y1 in boxes:
        out[max(y0, 0): y1, max(x0, 0): x1] = 255
    return out


def ink_bands(gray: np.ndarray, min_ink: int = 8, merge: int = 30, pad: int = 8) -> list[tuple[int, int, int, int]]:
    """(top, bottom, left, right) of the horizontal bands of a page that hold ink; specks are ignored."""
    ink = gray < _INK
    rows = ink.sum(axis=1) >= min_ink
    bands: list[list[int]] = []
    for a, b in _runs(rows):
        if bands and a - bands[-1][1] < merge:
            bands[-1][1] = b
        else:
            bands.append([a, b])
    out = []
    h, w = gray.shape
    for a, b in bands:
        if b - a < 6:
            continue
        cols = np.flatnonzero(ink[a:b].sum(axis=0) > 0)
        out.append((max(a - pad, 0), min(b + pad, h), max(int(cols[0]) - pad, 0), min(int(cols[-1]) + 1 + pad, w)))
    return out

"""Table structure for scanned pages: ruling lines from the page image, words from tesseract, cells as usual.

Ruling lines are found without OpenCV: the page is binarised, thickened by a couple of pixels across the
line direction (scans are rarely perfectly straight), and opened with a long 1-D kernel (a run of ink at least
``min_len`` pixels long) along rows for horizontal and along columns for vertical rules. Each band of rule
pixels becomes one edge in PDF points, in the same dict form ``pdf_fast.page_edges`` produces, so pdfplumber's
lattice code (``pdf_fast.find_cells``) turns them into cell rectangles, merged cells included.

Tesseract's word boxes become pseudo-characters (a word's box split evenly among its characters, all sharing
the baseline of their tesseract line), which is exactly what ``pdf_grid.grid_table`` and ``make_lines`` read
from a text layer. Rules are painted white before OCR so they are not read as 1, l or |.
"""
from __future__ import annotations

import csv
import io

import numpy as np
import regex

_INK = 160  # grey level below which a pixel is ink
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
    ink = gray < _INK
    h, w = ink.shape
    min_h, min_v = max(int(w * _MIN_RULE_FRAC), 20), max(int(h * _MIN_RULE_FRAC * 0.5), 20)
    hmask = _open_rows(_thicken(ink, 0), min_h)
    vmask = _open_rows(_thicken(ink, 1).T, min_v)
    horiz = _segments(hmask, min_h)
    vert = _segments(vmask, min_v)
    return horiz, vert, hmask | vmask.T


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


def tsv_words(tsv: str) -> list[dict]:
    """Tesseract TSV → word dicts (text, box in pixels, conf, line key); empty and non-word rows dropped."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            conf = float(row.get("conf") or -1)
            left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
        except (ValueError, TypeError, KeyError):
            continue
        if conf < 0:
            continue
        words.append({"text": text, "left": left, "top": top, "width": width, "height": height, "conf": conf,
                      "line": (row["block_num"], row["par_num"], row["line_num"])})
    return words


def pseudo_chars(words: list[dict], scale: float) -> list[dict]:
    """One char dict per character, as a text layer would give, in PDF points.

    A word's width is split evenly among its characters (Han characters are square, digits narrower, but
    even splitting is only used to decide which cell a character falls in). Characters of one tesseract
    line share its baseline, so ``group_lines`` keeps the line together on a slightly skewed scan."""
    band: dict[tuple, list] = {}
    for w in words:
        band.setdefault(w["line"], []).append(w)
    base = {}
    for key, ws in band.items():
        base[key] = sorted(w["top"] + w["height"] for w in ws)[len(ws) // 2]
    out = []
    for k, w in enumerate(words):
        text = w["text"]
        n = len(text)
        width = w["width"]
        nxt = words[k + 1] if k + 1 < len(words) else None
        if nxt is not None and nxt["line"] == w["line"] and w["left"] < nxt["left"] < w["left"] + width:
            width = nxt["left"] - w["left"]  # LSTM boxes sometimes swallow the words after them
        step = width / n
        size = max(w["height"], 1) * scale
        b = base[w["line"]] * scale
        for i, ch in enumerate(text):
            x0 = (w["left"] + i * step) * scale
            x1 = (w["left"] + (i + 1) * step) * scale
            out.append({"text": ch, "x0": x0, "x1": x1, "top": w["top"] * scale,
                        "bottom": (w["top"] + w["height"]) * scale, "size": size, "_base": b,
                        "_mid": b - 0.35 * size, "conf": w["conf"]})
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
    return t


_SHEET_GAP = 24  # white pixels between cells on a cell sheet
_SHEET_MAX_H = 12000  # taller sheets are split (tesseract slows down and leptonica caps image size)


def cell_sheets(gray: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> list[tuple[np.ndarray, list]]:
    """Crops of the non-blank cells stacked one under another, so that tesseract reads every cell as its own
    line(s) instead of guessing text lines across a table whose cells sit at different heights.

    ``boxes`` are cell rectangles in pixels (rules already erased). Returns sheets as ``(image, slots)`` where a
    slot ``(sheet_top, sheet_bottom, dx, dy)`` maps sheet coordinates back to the page: page = sheet + (dx, dy).
    """
    crops = []
    for x0, y0, x1, y1 in boxes:
        inset = 3
        sub = gray[y0 + inset: y1 - inset, x0 + inset: x1 - inset]
        if sub.size == 0:
            continue
        ink = sub < _INK
        if ink.sum() < 6:
            continue  # a blank cell: nothing to read (and nothing to misread)
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        pad = 6
        r0, r1 = max(rows[0] - pad, 0), min(rows[-1] + pad + 1, sub.shape[0])
        c0, c1 = max(cols[0] - pad, 0), min(cols[-1] + pad + 1, sub.shape[1])
        crops.append((sub[r0:r1, c0:c1], x0 + inset + c0, y0 + inset + r0))
    sheets, batch, height = [], [], _SHEET_GAP
    for crop in crops:
        if batch and height + crop[0].shape[0] + _SHEET_GAP > _SHEET_MAX_H:
            sheets.append(_paste(batch, height))
            batch, height = [], _SHEET_GAP
        batch.append(crop)
        height += crop[0].shape[0] + _SHEET_GAP
    if batch:
        sheets.append(_paste(batch, height))
    return sheets


def _paste(batch: list, height: int) -> tuple[np.ndarray, list]:
    width = max(c[0].shape[1] for c in batch) + 2 * _SHEET_GAP
    sheet = np.full((height, width), 255, dtype=np.uint8)
    slots, y = [], _SHEET_GAP
    for img, px, py in batch:
        h, w = img.shape
        sheet[y: y + h, _SHEET_GAP: _SHEET_GAP + w] = img
        slots.append((y, y + h, px - _SHEET_GAP, py - y))
        y += h + _SHEET_GAP
    return sheet, slots


def sheet_words(words: list[dict], slots: list, sheet_no: int) -> list[dict]:
    """Words read from a cell sheet, moved back to page pixels (each to the slot holding its centre)."""
    out = []
    for w in words:
        cy = w["top"] + w["height"] / 2
        slot = next((s for s in slots if s[0] - _SHEET_GAP / 2 <= cy < s[1] + _SHEET_GAP / 2), None)
        if slot is None:
            continue
        _, _, dx, dy = slot
        out.append({**w, "left": w["left"] + dx, "top": w["top"] + dy, "line": (sheet_no, slot[0], *w["line"])})
    return out


def blank_boxes(gray: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> np.ndarray:
    """The page with table areas painted white: the full-page pass then reads only the text around tables."""
    out = gray.copy()
    for x0, y0, x1, y1 in boxes:
        out[max(y0, 0): y1, max(x0, 0): x1] = 255
    return out

"""Characters and ruling edges straight from PDFium, so most pages never need a pdfminer parse.

pdfminer's content-stream interpreter is pure Python and dominates pdfplumber's run time; PDFium parses the same
page in C. This module turns a PDFium page into what the rest of the reader consumes:

* ``page_chars``: dicts shaped like pdfplumber chars (``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``size``,
  ``upright``) plus the ``_base``/``_mid`` baseline keys that ``pdf_grid`` uses, in PDF points with a top-left
  origin (the mediabox corner, as pdfplumber).
* ``page_edges``: the edges pdfplumber would derive from the page's lines, rects and curves (same
  classification as pdfminer's ``paint_path``: a two-point subpath is a line, a closed axis-aligned
  four-corner subpath a rect, anything else a curve whose point pairs become edges).
* ``find_cells``: pdfplumber's own lattice code (merge → intersections → cells → tables) over those edges.

A page whose PDFium text is unusable (missing Unicode maps, U+FFFD, control-character garbage) is reported by
``text_is_bad`` and read with pdfminer instead.
"""
from __future__ import annotations

import ctypes
from itertools import pairwise

import pypdfium2.raw as C
from pdfplumber import utils as pp_utils
from pdfplumber.table import TableSettings, cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

_SETTINGS = TableSettings.resolve(None)
_SEG_LINE, _SEG_BEZIER, _SEG_MOVE = C.FPDF_SEGMENT_LINETO, C.FPDF_SEGMENT_BEZIERTO, C.FPDF_SEGMENT_MOVETO


def page_box(page) -> tuple[float, float, float, float]:
    """(x0, y0, width, height) of the mediabox, the frame pdfplumber measures coordinates in."""
    left, b, r, t = (ctypes.c_float() for _ in range(4))
    if C.FPDFPage_GetMediaBox(page, left, b, r, t):
        x0, y0, x1, y1 = (min(left.value, r.value), min(b.value, t.value), max(left.value, r.value),
                          max(b.value, t.value))
    else:
        x0, y0, x1, y1 = 0.0, 0.0, C.FPDF_GetPageWidthF(page), C.FPDF_GetPageHeightF(page)
    return x0, y0, x1 - x0, y1 - y0


def page_chars(textpage, box) -> list[dict]:
    """Non-generated characters of a PDFium text page as pdfplumber-like dicts."""
    ox, oy, _, height = box
    n = C.FPDFText_CountChars(textpage)
    rect = C.FS_RECTF()
    px, py = ctypes.c_double(), ctypes.c_double()
    m = C.FS_MATRIX()
    out: list[dict] = []
    gap_space = False
    for i in range(n):
        code = C.FPDFText_GetUnicode(textpage, i)
        if code in (0x0D, 0x0A, 0xFFFE):
            continue  # PDFium's own line breaks
        if code in (0x20, 0x02) and C.FPDFText_IsGenerated(textpage, i) == 1:
            gap_space = code == 0x20  # PDFium swallows real spaces and marks a word break instead
            continue
        try:
            text = "-" if code == 0x02 else chr(code)  # 0x02: a drawn hyphen PDFium took for a soft line break
        except ValueError:
            text = "\ufffd"
        if not C.FPDFText_GetLooseCharBox(textpage, i, rect):
            continue
        C.FPDFText_GetCharOrigin(textpage, i, px, py)
        C.FPDFText_GetMatrix(textpage, i, m)
        size = C.FPDFText_GetFontSize(textpage, i) * ((m.c * m.c + m.d * m.d) ** 0.5 or 1.0)  # Tf size x scale
        x0, x1 = min(rect.left, rect.right) - ox, max(rect.left, rect.right) - ox
        top, bottom = height - (max(rect.top, rect.bottom) - oy), height - (min(rect.top, rect.bottom) - oy)
        upright = abs(m.b) < 1e-6 and abs(m.c) < 1e-6 and m.a > 0 and m.d > 0
        if upright:
            base = height - (py.value - oy)
            mid = base - 0.35 * size
        else:
            base, mid = bottom, (top + bottom) / 2
        if gap_space and out and upright:
            prev = out[-1]
            if (ord(prev["text"]) < 0x2E80 and code < 0x2E80 and abs(prev["_base"] - base) < 0.3 * size
                    and x0 - prev["x1"] > 0.1 * size):  # keep "1. 2026", "....... 12"; spaces next to CJK are noise
                out.append({**prev, "text": " ", "x0": prev["x1"], "x1": x0})
        gap_space = False
        out.append({"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": size,
                    "upright": upright, "_base": base, "_mid": mid})
    return out


def text_is_bad(chars: list[dict], n_map_errors: int = 0) -> bool:
    """PDFium could not map this page's glyphs to Unicode well enough to trust its text."""
    if not chars:
        return False
    bad = sum(1 for c in chars if c["text"] == "\ufffd" or (ord(c["text"]) < 0x20 and c["text"] not in "\t")
              or 0xE000 <= ord(c["text"]) <= 0xF8FF)
    return bad + n_map_errors > 0.02 * len(chars) or bad > 20


def _matmul(m, n):
    """m then n (row-vector convention, as PDF): returns m × n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _obj_matrix(obj):
    m = C.FS_MATRIX()
    if not C.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _subpaths(path) -> list[tuple[list[tuple[float, float]], bool]]:
    """Subpaths of a path object as (end points, closed) in the path's own coordinates."""
    n = C.FPDFPath_CountSegments(path)
    x, y = ctypes.c_float(), ctypes.c_float()
    subs: list[tuple[list, bool]] = []
    pts: list = []
    closed = False
    bez = 0
    for i in range(n):
        seg = C.FPDFPath_GetPathSegment(path, i)
        kind = C.FPDFPathSegment_GetType(seg)
        C.FPDFPathSegment_GetPoint(seg, x, y)
        if kind == _SEG_MOVE:
            if pts:
                subs.append((pts, closed))
            pts, closed, bez = [(x.value, y.value)], False, 0
            continue
        if kind == _SEG_BEZIER:
            bez += 1
            if bez % 3:  # control points: pdfminer keeps only the curve's end point
                continue
        else:
            bez = 0
        if not pts:
            pts = [(x.value, y.value)]
        else:
            pts.append((x.value, y.value))
        if C.FPDFPathSegment_GetClose(seg):
            closed = True
    if pts:
        subs.append((pts, closed))
    return subs


def _edge(p0, p1, orientation: str | None) -> dict:
    x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
    top, bottom = min(p0[1], p1[1]), max(p0[1], p1[1])
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": "edge"}


def _subpath_edges(pts: list, closed: bool) -> list[dict]:
    if closed and pts[-1] != pts[0]:
        pts = pts + [pts[0]]
    if len(pts) == 2 or (len(pts) == 3 and closed):
        p0, p1 = pts[0], pts[1]
        return [_edge(p0, p1, "h" if p0[1] == p1[1] else "v")]  # pdfplumber's line_to_edge
    if len(pts) == 5 and pts[4] == pts[0]:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        if (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0):
            lx, rx, ty, by = min(x0, x2), max(x0, x2), min(y0, y2), max(y0, y2)
            return [_edge((lx, ty), (rx, ty), "h"), _edge((lx, by), (rx, by), "h"),
                    _edge((lx, ty), (lx, by), "v"), _edge((rx, ty), (rx, by), "v")]
    return [_edge(p0, p1, "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None))
            for p0, p1 in pairwise(pts)]


def collect_objects(page) -> tuple[list[tuple], int]:
    """Path objects of a page (with their matrices, form XObjects flattened) and the number of image objects."""
    paths: list[tuple] = []
    images = 0

    def walk(get_count, get_obj, owner, outer):
        nonlocal images
        for i in range(get_count(owner)):
            obj = get_obj(owner, i)
            kind = C.FPDFPageObj_GetType(obj)
            if kind == C.FPDF_PAGEOBJ_PATH:
                paths.append((obj, outer))
            elif kind == C.FPDF_PAGEOBJ_IMAGE:
                images += 1
            elif kind == C.FPDF_PAGEOBJ_FORM:
                m = _obj_matrix(obj)
                walk(C.FPDFFormObj_CountObjects, C.FPDFFormObj_GetObject, obj, _matmul(m, outer) if outer else m)

    walk(C.FPDFPage_CountObjects, C.FPDFPage_GetObject, page, None)
    return paths, images


def page_edges(paths: list[tuple], box) -> list[dict]:
    """Ruling edges (pdfplumber's ``page.edges`` equivalent) of the path objects from ``collect_objects``."""
    ox, oy, _, height = box
    edges: list[dict] = []
    for obj, outer in paths:
        a, b, c, d, e, f = _matmul(_obj_matrix(obj), outer) if outer else _obj_matrix(obj)
        for pts, closed in _subpaths(obj):
            dev = [(round(a * x + c * y + e - ox, 4), round(height - (b * x + d * y + f - oy), 4)) for x, y in pts]
            edges.extend(_subpath_edges(dev, closed))
    return edges


def find_cells(edges: list[dict]) -> list[list[tuple]]:
    """pdfplumber's lattice table finder (default ``lines`` settings) over precomputed edges."""
    s = _SETTINGS
    v = pp_utils.filter_edges(edges, "v", min_length=s.edge_min_length_prefilter)
    h = pp_utils.filter_edges(edges, "h", min_length=s.edge_min_length_prefilter)
    merged = merge_edges(v + h, snap_x_tolerance=s.snap_x_tolerance, snap_y_tolerance=s.snap_y_tolerance,
                         join_x_tolerance=s.join_x_tolerance, join_y_tolerance=s.join_y_tolerance)
    merged = pp_utils.filter_edges(merged, min_length=s.edge_min_length)
    inter = edges_to_intersections(merged, s.intersection_x_tolerance, s.intersection_y_tolerance)
    return cells_to_tables(intersections_to_cells(inter))

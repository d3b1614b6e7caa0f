"""Format-independent table clean-up: captions, 栏次 rows, header depth, page stitching, panel split, ids.

Every reader (PDF, DOCX, sheets, HTML) produces raw cell grids plus the text lines printed around them; the
rules here turn those into the tables the figure extractor expects.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace
from itertools import pairwise

import regex

from extractors.documents.tables_catalog import identify_table
from extractors.documents.text import find_unit_caption, parse_code, parse_org_line, unit_of_caption
from schemas.document import Table

_TITLE_TAIL = regex.compile(r"表\s*(?:[（(][^）)]{0,12}[）)])?\s*(?:续表?|[（(]续[表]?[)）])?$")
_CONTINUED = regex.compile(r"[（(]?续表?[)）]?$")
_AMOUNT = regex.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_FUNC_CODE = regex.compile(r"^\d{3}(?:\d{2}){0,2}$")
_LIST_LABEL = regex.compile(r"^[一二三四五六七八九十]+、")
_SEQ_TOKEN = regex.compile(r"^(?:\d{1,2}|[甲乙丙丁戊])$")
_LANE_LABELS = ("项目", "科目编码", "科目名称", "经济分类科目编码", "收入", "支出")
_PANEL_NAMES = ("收入", "支出", "人员经费", "公用经费")
PANEL_TABLES = ("T01", "T04", "T06")


def is_title(text: str) -> bool:
    t = text.strip()
    return 3 <= len(t) <= 60 and bool(_TITLE_TAIL.search(t)) and not t.startswith(("注", "说明"))


def strip_caption_parts(text: str) -> str:
    """The title left over once a line's unit caption, org line and table code are cut out."""
    t = text
    for part in (find_unit_caption(t), parse_org_line(t), parse_code(t)):
        if part:
            t = t.replace(part, " ")
    t = regex.sub(r"(?:金额)?单位\s*[：:]\s*(?:亿元|万元|千元|元)", " ", t)
    return regex.sub(r"\s+", " ", t).strip(" ：:")


def attach_captions(table: Table, texts_above: list[str]) -> None:
    """Fill title/code/org_line/unit_caption from the lines just above the table (nearest first)."""
    for n, text in enumerate(reversed(texts_above[-6:])):
        unit, org, code = find_unit_caption(text), parse_org_line(text), parse_code(text)
        if unit and not table.unit_caption:
            table.unit_caption, table.unit = unit, unit_of_caption(unit)
        if org and not table.org_line:
            table.org_line = org
        if code and not table.code:
            table.code = code
        rest = strip_caption_parts(text)
        if table.title is None and rest and is_title(rest.replace(" ", "")):
            table.title = rest.replace(" ", "") if regex.search(r"\p{Han}\s+\p{Han}", rest) else rest
            continue
        if table.title is not None and not code:
            break  # lines above the title belong to something else (a code line may still sit above)
        if not (unit or org or code) and len(text) > 40 and n > 0:
            break  # running text: stop looking upwards


def _rows(table: Table) -> dict[int, list]:
    """Cells by row in one pass: per-row scans of table.cells made a 50,000-row table quadratic (issue 17)."""
    rows: dict[int, list] = {}
    for c in table.cells:
        rows.setdefault(c.row, []).append(c)
    return rows


def _row_texts(rows: dict[int, list], row: int) -> list[str]:
    return [c.text for c in rows.get(row, ())]


def remove_rows(table: Table, rows: set[int]) -> None:
    if not rows:
        return
    kept, gone = [], sorted(rows)
    for c in table.cells:
        if c.row in rows:
            continue
        shift = bisect_left(gone, c.row)  # removed rows above this cell
        covered = bisect_left(gone, c.row + c.rowspan) - bisect_right(gone, c.row)  # removed inside its span
        kept.append(replace(c, row=c.row - shift, rowspan=max(1, c.rowspan - covered)))
    table.cells = kept
    table.n_rows -= len(rows)


def _is_caption_text(t: str) -> bool:
    return bool(find_unit_caption(t) or parse_org_line(t) or parse_code(t) or is_title(t)
                or regex.match(r"^(?:编制|预算|填报)?(?:单位|部门)(?:名称)?\s*[：:]", t))


def absorb_caption_rows(table: Table) -> list[str]:
    """Title / unit / org rows printed inside the outer frame (or atop a sheet) become captions, not rows."""
    absorbed, drop, rows = [], set(), _rows(table)
    for r in range(min(table.n_rows, 8)):
        texts = [t for t in _row_texts(rows, r) if t]
        if not texts:
            drop.add(r)
            continue
        if len(texts) > 3 or not all(_is_caption_text(t) for t in texts):
            break
        if any(len(t) < 6 and any(w in t for w in ("项目", "科目")) for t in texts):
            break
        absorbed.extend(texts)
        drop.add(r)
    first_kept = next((r for r in range(table.n_rows) if r not in drop), table.n_rows)
    remove_rows(table, {r for r in drop if r < first_kept})
    return absorbed


def is_lanci_row(texts: list[str]) -> bool:
    """栏次 rows ("栏次 1 2 3", "甲 乙 1 2") label columns, they carry no figures."""
    vals = [t for t in texts if t]
    if not vals:
        return False
    if vals[0].replace(" ", "") in ("栏次", "行次"):
        return True
    if len(vals) < 2 or not all(_SEQ_TOKEN.match(v) for v in vals):
        return False
    nums = [int(v) for v in vals if v.isdigit()]
    return len(nums) >= 2 and all(b == a + 1 for a, b in pairwise(nums))


def drop_lanci_rows(table: Table) -> None:
    rows = _rows(table)
    remove_rows(table, {r for r in range(table.n_rows) if is_lanci_row(_row_texts(rows, r))})


def is_data_text(t: str) -> bool:
    t = t.replace(" ", "")
    return bool(_AMOUNT.match(t) or _FUNC_CODE.match(t))


def count_header_rows(table: Table) -> int:
    first_data, rows = None, _rows(table)
    for r in range(table.n_rows):
        cells = rows.get(r, [])
        if any(is_data_text(c.text) for c in cells) or any(c.col == 0 and _LIST_LABEL.match(c.text) for c in cells):
            first_data = r
            break
    if first_data is None:  # an empty table: header = rows down to the first fully blank row
        first_data = next((r for r in range(table.n_rows) if not any(_row_texts(rows, r))), table.n_rows)
        first_data = min(first_data, 6)
    return first_data


def header_text(table: Table) -> str:
    return " ".join(c.text for c in table.cells if c.row < max(table.header_rows, 1) and c.text)


def _same_header(prev: Table, nxt: Table, k: int) -> bool:
    prev_head = {c.text for c in prev.cells if c.row < prev.header_rows and c.text}
    nxt_head = {c.text for c in nxt.cells if c.row < k and c.text}
    return bool(nxt_head) and nxt_head <= prev_head | {"续表"}


def _title_key(title: str) -> str:
    return regex.sub(r"[\s“”\"]|^.*?\d{4}\s*年度?", "", _CONTINUED.sub("", title))


def is_continuation(prev: Table, nxt: Table) -> bool:
    if nxt.page != prev.pages[-1] + 1 or nxt.ocr != prev.ocr:
        return False
    if nxt.title:
        t = nxt.title
        same = prev.title and _title_key(t) == _title_key(prev.title)
        if not (same or _CONTINUED.search(t)):
            return False
    return nxt.n_cols == prev.n_cols or (nxt.header_rows > 0 and _same_header(prev, nxt, nxt.header_rows))


def append_continuation(prev: Table, nxt: Table) -> None:
    """Stitch ``nxt`` under ``prev``: repeated header rows dropped, every cell keeps its own page."""
    k = nxt.header_rows
    if k and _same_header(prev, nxt, k):
        remove_rows(nxt, set(range(k)))
    offset = prev.n_rows
    for c in nxt.cells:
        prev.cells.append(replace(c, row=c.row + offset, page=c.page or nxt.page))
    prev.n_rows += nxt.n_rows
    prev.n_cols = max(prev.n_cols, nxt.n_cols)
    prev.pages.extend(p for p in nxt.pages if p not in prev.pages)
    prev.notes.extend(nxt.notes)
    for attr in ("unit_caption", "unit", "org_line", "code"):
        if getattr(prev, attr) is None:
            setattr(prev, attr, getattr(nxt, attr))


def stitch(tables: list[Table]) -> list[Table]:
    out: list[Table] = []
    for t in tables:
        if out and is_continuation(out[-1], t):
            append_continuation(out[-1], t)
        else:
            out.append(t)
    return out


def _panel_starts(table: Table) -> list[tuple[int, str | None]]:
    head = [c for c in table.cells if c.row < table.header_rows]
    named = sorted((c.col, c.text) for c in head if c.text in _PANEL_NAMES and c.colspan >= 1)
    if len(named) >= 2 and named[0][0] == 0:
        return [(col, name) for col, name in named]
    for label in _LANE_LABELS:
        cols = sorted({c.col for c in head if c.text.replace(" ", "") == label})
        if len(cols) >= 2 and cols[0] == 0:
            return [(col, None) for col in cols]
    return []


def split_panels(table: Table) -> list[Table]:
    """Side-by-side panels (收入|支出, 人员经费|公用经费) become separate tables with ``panel`` set."""
    if table.table_id not in PANEL_TABLES:
        return [table]
    starts = _panel_starts(table)
    if len(starts) < 2:
        return [table]
    defaults = ["收入", "支出"] if table.table_id in ("T01", "T04") else ["人员经费", "公用经费", "公用经费"]
    bounds = [s for s, _ in starts] + [table.n_cols]
    out = []
    for i, (start, name) in enumerate(starts):
        end = bounds[i + 1]
        cells = [replace(c, col=c.col - start, colspan=min(c.colspan, end - c.col))
                 for c in table.cells if start <= c.col < end]
        if name is None:
            name = next((c.text for c in table.cells if c.row < table.header_rows and c.text in _PANEL_NAMES
                         and c.col <= start < c.col + c.colspan), None) or defaults[min(i, len(defaults) - 1)]
        out.append(replace(table, cells=cells, n_cols=end - start, panel=name, pages=list(table.pages),
                           notes=list(table.notes), bbox=table.bbox))
    return out


def finish_tables(tables: list[Table]) -> list[Table]:
    """Identify, stitch continuations, split panels; called once per document with tables in reading order."""
    for t in tables:
        drop_lanci_rows(t)
        t.header_rows = count_header_rows(t)
    tables = stitch(tables)
    out = []
    for t in tables:
        t.table_id = identify_table(t.title, t.code, header_text(t))
        out.extend(split_panels(t))
    return out

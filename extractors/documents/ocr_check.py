"""Arithmetic as a reading check for OCR'd tables: identities pick between readings and set confidence.

A disclosure table is full of sums: 类 = Σ款, 款 = Σ项 (codes), 合计 rows = the rows above them (or Σ类),
合计 columns = the columns after them (基本支出 + 项目支出; income by source). ``check_table`` finds the
identities a table actually satisfies (row-wise ones only when most rows agree), then for every equation that
fails it tries the cells' alternative readings (the recogniser's next-best characters, or the other engine's
reading of the same crop) one cell at a time, and takes a substitution only when it makes the equation hold
without breaking one that held. Numeric cells in a holding equation are confirmed (confidence ≥
``OCR_CONFIDENT``); the rest keep a low confidence, so rules treat them as insufficient evidence. A genuine
printing error stays as printed: no alternative fixes it, and its cells are merely unconfirmed.
"""
from __future__ import annotations

import regex

from schemas.document import OCR_CONFIDENT, Cell, Document, Table

_AMOUNT = regex.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}$")
_CODE = regex.compile(r"^\d{3}(?:\d{2}){0,2}$")
_TOTAL = regex.compile(r"合\s*计|总\s*计")
_UNCONFIRMED_MAX = 0.5


def amount(text: str | None) -> float | None:
    t = (text or "").replace(" ", "")
    if not _AMOUNT.match(t):
        return None
    return float(t.replace(",", "").replace("−", "-"))


def _tol(n: int) -> float:
    return 0.005 * (n + 1) + 1e-6


class _Grid:
    def __init__(self, table: Table):
        self.t = table
        self.at: dict[tuple[int, int], Cell] = {(c.row, c.col): c for c in table.cells}
        self.data_rows = sorted({c.row for c in table.cells if c.row >= table.header_rows and amount(c.text) is not None})
        self.amount_cols = sorted({c.col for c in table.cells if c.row in self.data_rows and amount(c.text) is not None})

    def value(self, r: int, c: int, override: dict | None = None) -> float | None:
        if override and (r, c) in override:
            return override[(r, c)]
        cell = self.at.get((r, c))
        if cell is None or not cell.text:
            return 0.0  # blank in a printed row is zero
        return amount(cell.text)

    def text(self, r: int, c: int) -> str:
        cell = self.at.get((r, c))
        return cell.text if cell else ""


def _code_col(g: _Grid) -> int | None:
    for col in range(min(g.t.n_cols, 3)):
        codes = sum(1 for r in g.data_rows if _CODE.match(g.text(r, col).replace(" ", "")))
        if codes >= max(2, len(g.data_rows) // 2):
            return col
    return None


def _label_col(g: _Grid) -> int:
    for col in range(g.t.n_cols):
        if any(regex.search(r"\p{Han}", g.text(r, col)) for r in g.data_rows):
            return col
    return 0


def _equations(g: _Grid) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    eqs = []
    code_col = _code_col(g)
    codes = {r: g.text(r, code_col).replace(" ", "") for r in g.data_rows} if code_col is not None else {}
    codes = {r: c for r, c in codes.items() if _CODE.match(c)}
    for r, code in codes.items():  # 类 = Σ款, 款 = Σ项: the children follow their parent
        kids = [k for k, c in codes.items() if k > r and len(c) == len(code) + 2 and c.startswith(code)]
        if kids:
            eqs += [((r, col), [(k, col) for k in kids]) for col in g.amount_cols]
    label = _label_col(g)
    totals = [r for r in g.data_rows if _TOTAL.search(g.text(r, label)) or
              (code_col is not None and _TOTAL.search(g.text(r, code_col)))]
    tops = [r for r, c in codes.items() if len(c) == 3]
    prev = None
    for r in totals:
        above = [x for x in g.data_rows if (prev is None or x > prev) and x < r]
        options = [[x for x in tops if x < r]] if tops else []
        options += [above] + ([[prev, *above]] if prev is not None else [])
        for col in g.amount_cols:
            held = next((o for o in options if o and _holds(g, (r, col), [(x, col) for x in o])), None)
            eqs.append(((r, col), [(x, col) for x in (held or options[0] if options else [])]))
        prev = r
    eqs += _row_identities(g)
    return [e for e in eqs if e[1]]


def _row_identities(g: _Grid) -> list:
    """合计 columns: v[j] = Σ v[j+1..j+k] in most rows that print v[j]."""
    out = []
    cols = g.amount_cols
    for i, j in enumerate(cols):
        best = None
        for k in range(2, len(cols) - i):
            block = cols[i + 1: i + 1 + k]
            if block[-1] - j != k:
                break  # only adjacent columns
            rows = [r for r in g.data_rows if g.value(r, j)]
            ok = sum(1 for r in rows if _holds(g, (r, j), [(r, c) for c in block]))
            if len(rows) >= 2 and ok >= max(2, 0.6 * len(rows)) and (best is None or ok > best[0]):
                best = (ok, block)
        if best:
            out += [((r, j), [(r, c) for c in best[1]]) for r in g.data_rows]
    return out


def _holds(g: _Grid, target, operands, override: dict | None = None) -> bool:
    tv = g.value(*target, override)
    vals = [g.value(*o, override) for o in operands]
    if tv is None or any(v is None for v in vals):
        return False
    return abs(tv - sum(vals)) <= _tol(len(vals))


def cell_key(page: int, box) -> tuple:
    """A cell's key by page and doubled centre (half-point grid): survives the 2-dp rounding of cell boxes."""
    return (page, round(box[0] + box[2]), round(box[1] + box[3]))


def find_key(store: dict, page: int, box) -> tuple | None:
    """The key under which ``store`` holds the cell at ``box`` (probing neighbouring half-points), or None."""
    if box is None:
        return None
    p, x, y = cell_key(page, box)
    for dx in (0, -1, 1):
        for dy in (0, -1, 1):
            if (p, x + dx, y + dy) in store:
                return (p, x + dx, y + dy)
    return None


def lookup(store: dict, page: int, box):
    key = find_key(store, page, box)
    return None if key is None else store[key]


def check_table(table: Table, alternatives: dict) -> dict:
    """Fix what identities can fix, set every numeric cell's confidence; returns counts for the bench."""
    g = _Grid(table)
    eqs = _equations(g)
    fixed = 0
    for _ in range(3):
        changed = False
        holding = [e for e in eqs if _holds(g, *e)]
        for target, operands in eqs:
            if _holds(g, target, operands):
                continue
            fix = _try_alternatives(g, target, operands, holding, alternatives)
            if fix:
                (r, c), text = fix
                g.at[(r, c)].text = text
                fixed += 1
                changed = True
                holding = [e for e in eqs if _holds(g, *e)]
        if not changed:
            break
    confirmed = {pos for target, operands in eqs if _holds(g, target, operands) for pos in (target, *operands)}
    n_num = n_ok = 0
    for (r, c), cell in g.at.items():
        if amount(cell.text) is None:
            continue
        n_num += 1
        base = cell.conf if cell.conf is not None else 0.0
        if (r, c) in confirmed:
            n_ok += 1
            cell.conf = round(OCR_CONFIDENT + (1 - OCR_CONFIDENT) * base, 4)
        else:
            cell.conf = round(min(base, _UNCONFIRMED_MAX), 4)
    return {"numeric": n_num, "confirmed": n_ok, "fixed": fixed}


def _try_alternatives(g: _Grid, target, operands, holding, alternatives) -> tuple | None:
    fixes = []
    for pos in (target, *operands):
        cell = g.at.get(pos)
        if cell is None:
            continue
        for text, prob in lookup(alternatives, cell.page or g.t.page, cell.bbox) or []:
            v = amount(text)
            if v is None or text == cell.text:
                continue
            override = {pos: v}
            if not _holds(g, target, operands, override):
                continue
            if any(pos in (t, *ops) and not _holds(g, t, ops, override) for t, ops in holding):
                continue
            fixes.append((prob, pos, text))
    if not fixes:
        return None
    fixes.sort(reverse=True)
    return fixes[0][1], fixes[0][2]


def check_document(doc: Document, second_engine=None) -> dict:
    """Run the check on every OCR'd table of ``doc`` (after its tables are finished)."""
    reader = doc.__dict__.pop("_ocr_reader", None)
    stats = {"numeric": 0, "confirmed": 0, "fixed": 0}
    if reader is None:
        return stats
    tables = [t for t in doc.tables if t.ocr]
    first = [check_table(t, reader.alternatives) for t in tables]
    if second_engine is not None and reader.crops:
        _second_opinion(doc, tables, reader, second_engine)
        first = [check_table(t, reader.alternatives) for t in tables]
    for s in first:
        for k in stats:
            stats[k] += s[k]
    return stats


def _second_opinion(doc: Document, tables: list[Table], reader, engine) -> None:
    """Cells no identity confirmed are read again by the other engine; its reading joins the alternatives."""
    keys = []
    for t in tables:
        for c in t.cells:
            if c.conf is not None and c.conf < OCR_CONFIDENT and amount(c.text) is not None:
                key = find_key(reader.crops, c.page or t.page, c.bbox)
                if key is not None:
                    keys.append(key)
    if not keys:
        return
    try:
        readings = engine.read_lines([reader.crops[k] for k in keys])
    except Exception as e:  # noqa: BLE001 - a second opinion is optional
        doc.warnings.append(f"OCR second opinion failed ({type(e).__name__}: {e})")
        return
    for k, r in zip(keys, readings):
        text = r.text.replace(" ", "").replace("。", ".").replace("，", ",")
        if text:
            reader.alternatives.setdefault(k, []).append((text, max(r.conf, 0.01) * 0.5))

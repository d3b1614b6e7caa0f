"""DOCX reader: body paragraphs, text boxes and tables in document order; merged cells read once.

Works on the WordprocessingML tree (python-docx loads and validates the package): ``w:gridSpan`` becomes
``colspan``, a ``w:vMerge`` chain becomes one anchor cell with ``rowspan``; text boxes (``w:txbxContent``) are
read from the ``mc:Choice`` branch only, so their ``mc:Fallback`` copy is not read twice; content controls
(``w:sdt``) are walked into.
"""
from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn

from extractors.documents.layout import absorb_caption_rows, attach_captions, finish_tables
from extractors.documents.limits import Limits, ReadBudget
from extractors.documents.text import join_fragments, normalize_text
from schemas.document import Cell, Document, DocumentError, Line, Page, Table

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_W_P, _W_TBL, _W_SDT = qn("w:p"), qn("w:tbl"), qn("w:sdt")
_TXBX = qn("w:txbxContent")


def _run_text(el) -> str:
    """Text of a paragraph (or any element) without text-box content and without mc:Fallback copies."""
    out = []
    for node in el.iter():
        if node.tag == qn("w:t"):
            anc, skip = node.getparent(), False
            while anc is not None and anc is not el:
                if anc.tag in (_TXBX, _MC_FALLBACK):
                    skip = True
                    break
                anc = anc.getparent()
            if not skip:
                out.append(node.text or "")
        elif node.tag == qn("w:tab"):
            out.append("\t")
        elif node.tag in (qn("w:br"), qn("w:cr")):
            out.append("\n")
    return "".join(out)


def _text_boxes(p) -> list:
    """Text-box bodies anchored in a paragraph (Choice branch only; Fallback repeats the same text)."""
    boxes = []
    for box in p.iter(_TXBX):
        anc = box.getparent()
        while anc is not None and anc is not p:
            if anc.tag == _MC_FALLBACK:
                break
            anc = anc.getparent()
        else:
            boxes.append(box)
    return [b for b in boxes if not any(a.tag == _TXBX for a in b.iterancestors())]  # nested boxes: once


def _cell_text(tc) -> str:
    paras = [normalize_text(_run_text(p)) for p in tc.iter(_W_P)]
    return join_fragments([p for p in paras if p])


def docx_table(tbl, seq: int, budget: ReadBudget | None = None) -> Table:
    """Cell grid of a w:tbl with spans; a vMerge continuation extends the anchor above it."""
    cells: list[Cell] = []
    open_v: dict[int, Cell] = {}  # grid column → anchor cell of a running vertical merge
    n_cols = 0
    rows = [tr for tr in tbl.iterchildren(qn("w:tr"))]
    for r, tr in enumerate(rows):
        if budget is not None:
            budget.add_cells(len(tr), f"table {seq + 1} row {r + 1}")
            if r % 512 == 0:
                budget.tick(f"table {seq + 1} row {r + 1}")
        col = 0
        trpr = tr.find(qn("w:trPr"))
        if trpr is not None and trpr.find(qn("w:gridBefore")) is not None:
            col = int(trpr.find(qn("w:gridBefore")).get(qn("w:val"), "0") or 0)
        for tc in tr.iterchildren(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span, vmerge = 1, None
            if tcpr is not None:
                gs = tcpr.find(qn("w:gridSpan"))
                span = int(gs.get(qn("w:val"), "1")) if gs is not None else 1
                vm = tcpr.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(qn("w:val"), "continue")
            if vmerge == "continue" and col in open_v:
                open_v[col].rowspan = r - open_v[col].row + 1
            else:
                raw = "\n".join(_run_text(p) for p in tc.iter(_W_P))
                cell = Cell(row=r, col=col, text=_cell_text(tc), raw=raw, colspan=span, page=1)
                cells.append(cell)
                if vmerge == "restart":
                    open_v[col] = cell
                else:
                    open_v.pop(col, None)
            col += span
        n_cols = max(n_cols, col)
    return Table(page=1, pages=[1], n_rows=len(rows), n_cols=n_cols, cells=cells, seq=seq)


def _blocks(parent):
    """Body children in order, descending into content controls."""
    for child in parent.iterchildren():
        if child.tag in (_W_P, _W_TBL):
            yield child
        elif child.tag == _W_SDT:
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)


def read_docx(path: Path, sha256: str, fmt: str = "docx", limits: Limits | None = None) -> Document:
    budget = ReadBudget(path, limits)
    try:
        d = docx.Document(str(path))
    except Exception as e:
        raise DocumentError(str(path), f"not a readable DOCX ({type(e).__name__}: {e})") from e
    doc = Document(path=str(path), sha256=sha256, format=fmt, pages=[Page(number=1)])
    cp = d.core_properties
    doc.metadata = {k: v for k, v in (("title", cp.title), ("author", cp.author)) if v}
    recent: list[str] = []
    raw_tables: list[Table] = []
    seq = 0
    budget.tick("the document body")  # python-docx has parsed the XML by now
    for n, block in enumerate(_blocks(d.element.body)):
        if n % 256 == 0:
            budget.tick(f"block {n + 1} of the body")
        if block.tag == _W_P:
            texts = [_run_text(block)] + ["\n".join(_run_text(p) for p in box.iter(_W_P))
                                          for box in _text_boxes(block)]
            for raw in texts:
                for part in raw.split("\n"):
                    text = normalize_text(part)
                    if text:
                        doc.lines.append(Line(page=1, text=text, raw=part, seq=seq))
                        seq += 1
                        recent = (recent + [text])[-6:]
        else:
            t = docx_table(block, seq, budget)
            seq += 1
            attach_captions(t, recent + absorb_caption_rows(t))
            recent = []
            raw_tables.append(t)
    doc.tables = finish_tables(raw_tables)
    doc.pages[0].n_chars = sum(len(ln.text) for ln in doc.lines)
    return doc

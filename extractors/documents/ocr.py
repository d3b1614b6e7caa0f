"""OCR for PDF pages without a usable text layer: pypdfium2 renders, tesseract (chi_sim) reads, offline.

Tesseract runs as a subprocess with a per-page timeout. Its TSV output gives word boxes, which are grouped into
lines (Han-internal spaces that LSTM models insert are removed by normalisation). Everything produced here is
marked ``ocr=True``; table structure is not recovered from scans.
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from extractors.documents.limits import Limits
from extractors.documents.text import normalize_text
from schemas.document import Document, Line, Table

DPI = 200


def tesseract_available() -> bool:
    if not shutil.which("tesseract"):
        return False
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    return "chi_sim" in out.stdout


def _tsv_lines(tsv: str, page_no: int, scale: float) -> list[Line]:
    groups: dict[tuple, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        try:
            if float(row.get("conf") or -1) < 0:
                continue
        except ValueError:
            continue
        groups.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(row)
    lines = []
    for words in groups.values():
        raw = " ".join(w["text"] for w in words)
        x0 = min(int(w["left"]) for w in words) * scale
        top = min(int(w["top"]) for w in words) * scale
        x1 = max(int(w["left"]) + int(w["width"]) for w in words) * scale
        bottom = max(int(w["top"]) + int(w["height"]) for w in words) * scale
        text = normalize_text(raw)
        if text:
            lines.append(Line(page=page_no, text=text, raw=raw, bbox=(round(x0, 2), round(top, 2), round(x1, 2),
                                                                        round(bottom, 2)), ocr=True))
    lines.sort(key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    return lines


def ocr_pdf_pages(path: Path, pages: list[int], doc: Document, limits: Limits,
                  deadline: float) -> tuple[list[Line], list[Table]]:
    if not tesseract_available():
        doc.warnings.append(f"tesseract with chi_sim not installed: {len(pages)} scanned page(s) not OCR'd")
        return [], []
    if len(pages) > limits.max_ocr_pages:
        doc.warnings.append(f"{len(pages)} scanned pages; only the first {limits.max_ocr_pages} were OCR'd")
        pages = pages[: limits.max_ocr_pages]
    lines: list[Line] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        with tempfile.TemporaryDirectory(prefix="juesuan-ocr-") as tmp:
            for number in pages:
                if time.monotonic() > deadline:
                    doc.warnings.append(f"time budget exhausted: OCR stopped before page {number}")
                    break
                img = Path(tmp) / f"p{number}.png"
                page = pdf[number - 1]
                page.render(scale=DPI / 72).to_pil().save(img)
                page.close()
                try:
                    out = subprocess.run(["tesseract", str(img), "stdout", "-l", "chi_sim", "--psm", "6", "tsv"],
                                         capture_output=True, text=True, timeout=limits.ocr_timeout_per_page, check=False)
                except subprocess.TimeoutExpired:
                    doc.warnings.append(f"page {number}: OCR timed out after {limits.ocr_timeout_per_page:.0f}s")
                    continue
                if out.returncode != 0:
                    doc.warnings.append(f"page {number}: tesseract failed ({out.stderr.strip()[-200:]})")
                    continue
                page_lines = _tsv_lines(out.stdout, number, 72 / DPI)
                lines.extend(page_lines)
                pg = doc.pages[number - 1]
                pg.ocr, pg.n_chars = True, sum(len(ln.text) for ln in page_lines)
    finally:
        pdf.close()
    return lines, []

"""Bounds that keep one hostile or huge file from hanging or exhausting the process reading it."""
from __future__ import annotations

import time
from dataclasses import dataclass

from schemas.document import DocumentError


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 200 * 1024 * 1024  # larger files are refused before reading
    max_pages: int = 1000  # PDFs with more pages are refused (after a cheap page count)
    seconds_per_document: float = 600.0  # reading stops with an error past this budget
    max_unzipped_bytes: int = 300 * 1024 * 1024  # OOXML: total uncompressed size
    max_zip_ratio: float = 200.0  # OOXML: uncompressed/compressed ratio of any member (zip bombs)
    max_zip_members: int = 5000
    # OOXML: one XML part (document.xml, a sheet) parses to ~30x its size in lxml: a 290 MB part took 9.5 GB
    max_xml_bytes: int = 64 * 1024 * 1024
    convert_timeout: float = 120.0  # LibreOffice headless conversion
    ocr_timeout_per_page: float = 60.0  # tesseract per page
    max_ocr_pages: int = 60  # more scanned pages than this are OCR'd only up to the cap (with a warning)
    max_sheet_cells: int = 2_000_000
    max_table_cells: int = 2_000_000  # DOCX/HTML: table cells (spans counted by the cells they cover) per document


class ReadBudget:
    """What reading one document may spend, checked inside the DOCX and HTML readers' loops (the PDF reader
    checks its page loop): past ``seconds_per_document`` or ``max_table_cells`` the document fails, naming the
    file, the budget and where reading stopped — the rest of the batch goes on."""

    def __init__(self, path, limits: Limits | None = None):
        self.path, self.limits = str(path), limits or Limits()
        self.started = time.monotonic()
        self.cells = 0

    def tick(self, where: str) -> None:
        if time.monotonic() - self.started > self.limits.seconds_per_document:
            raise DocumentError(self.path, f"time budget of {self.limits.seconds_per_document:g}s exceeded while "
                                           f"reading {where}")

    def add_cells(self, n: int, where: str) -> None:
        self.cells += n
        if self.cells > self.limits.max_table_cells:
            raise DocumentError(self.path, f"more than {self.limits.max_table_cells} table cells (at {where}): over "
                                           f"the document's cell budget")

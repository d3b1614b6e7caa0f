"""Bounds that keep one hostile or huge file from hanging or exhausting the process reading it."""
from __future__ import annotations

from dataclasses import dataclass


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

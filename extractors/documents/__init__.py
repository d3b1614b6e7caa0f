"""Readers: any disclosure file → one ``schemas.document.Document``.

``read_document(path, *, ocr=True, limits=None)`` detects the format from the bytes (PDF, OOXML docx/xlsx,
OLE2 doc/wps/xls, HTML — also under a .pdf name — and plain text) and raises ``DocumentError(path, problem)``
for anything unreadable, bounded by ``limits.Limits`` (size, page count, time budget, zip-bomb ratios,
LibreOffice/OCR timeouts).

Table conventions the figure extractor can rely on:
- ``Table.table_id`` is "T01".."T09" when the title names a standard table (``tables_catalog.identify_table``).
- Merged cells are one anchor ``Cell`` with ``rowspan``/``colspan``; covered positions have no cell; blank
  cells are ``""``. ``header_rows`` counts the leading header rows after 栏次 rows were dropped.
- A table continuing on following pages is stitched: ``pages`` lists every page, each ``Cell.page`` is set,
  repeated header rows on continuation pages are dropped.
- Side-by-side panels are split into separate Tables sharing title/id/unit: T01/T04 → panel "收入" and "支出";
  T06 → "人员经费" and "公用经费" (a third lane, where printed, is a second "公用经费" table). Column indexes
  restart at 0 in each panel; each panel keeps its own copy of the header rows.
- ``unit_caption`` is the caption as printed ("单位：万元"), ``unit`` the parsed unit; ``org_line`` the
  编制单位/部门/单位名称 line; ``code`` the printed table code (公开01表, 表1, 表一); ``notes`` the 注/说明 lines
  printed under the table (e.g. "本表无数据"). OCR'd lines carry ``ocr=True``; scans yield no tables.
"""
from extractors.documents.reader import read_document

__all__ = ["read_document"]

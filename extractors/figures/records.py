"""Small constructors for the contract's figure / line-item dicts."""
from __future__ import annotations

from extractors.figures.numbers import typed
from schemas.catalog import value_type


def figure(metric: str, value: float, *, source: str, page: int, text: str, table: str | None = None,
           bbox=None, unit: str | None = None, rank: int = 0, derived: bool = False, blank: bool = False) -> dict:
    """rank: lower wins within one source (0 = direct statement); derived: computed, not printed;
    blank: a blank/dash cell of a printed row, read as 0 (the extract contract's rule)."""
    f = {"metric": metric, "value": typed(value, value_type(metric)), "source": source, "page": page,
         "text": text}
    if table:
        f["table"] = table
    if bbox:
        f["bbox"] = list(bbox)
    if unit:
        f["unit_as_printed"] = unit
    if derived:
        f["derived"] = True
    if blank:
        f["blank"] = True
    f["_rank"] = rank
    return f


def line_item(table: str, code: str, name: str, column: str, value: float, page: int, bbox=None,
              blank: bool = False, code_mapped: bool = False) -> dict:
    """code_mapped: the table printed only the name; the code comes from the 科目 code list (schemas.codes)."""
    li = {"table": table, "code": code, "name": name, "column": column, "value": round(value, 2), "page": page}
    if bbox:
        li["bbox"] = list(bbox)
    if blank:
        li["blank"] = True
    if code_mapped:
        li["code_mapped"] = True
    return li

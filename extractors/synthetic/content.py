"""Format-neutral document content (blocks) and the recorder that knows what each document discloses.

Templates build a ``Doc`` of blocks; the PDF and DOCX renderers draw the same blocks. Every figure a template
prints goes through ``Doc.narr``/``Doc.table_value`` so the truth file lists exactly what is printed, with
anomaly overrides applied to the printed value only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .model import ZERO, UnitModel, pct, wan


@dataclass
class TableSpec:
    id: str  # T01…T09
    title: str
    header: list[list[str]]  # header rows; "" under a span
    body: list[list[str]]
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # (col0,row0,col1,row1) over header+body
    col_widths: list[float] = field(default_factory=list)  # relative
    code: str | None = None  # 表1, 公开01表
    org_line: str | None = None
    unit_caption: str = "单位：万元"
    landscape: bool = False
    notes: list[str] = field(default_factory=list)
    numeric_from: int = 2  # first column index holding amounts (right-aligned)
    text_cols: tuple[int, ...] = ()  # columns left-aligned even if ≥ numeric_from (two-panel tables)


@dataclass
class Block:
    kind: str  # cover | heading | para | table | pagebreak
    text: str = ""
    level: int = 1
    table: TableSpec | None = None
    tags: list[str] = field(default_factory=list)  # metric ids whose printed value is in this block


class Doc:
    def __init__(self, model: UnitModel, unit: str = "万元"):
        self.model = model
        self.values = model.metrics()
        self.blocks: list[Block] = []
        self.observed: dict[str, dict[str, Decimal | int]] = {}  # metric → {source: printed value}
        self.figures: list[dict] = []  # every printed observation: metric, value, source, table / block index
        self.current_table: str | None = None  # set by the table builder while it fills one table
        self.line_items: list[dict] = []
        self._pending: list[str] = []
        self.table_unit = unit  # 万元 or 元 for the tables
        self.kind = "final_accounts"  # a budget template sets "budget"

    # -- values -------------------------------------------------------------------------------------------
    def narr(self, metric: str):
        value = self.model.overrides.get(f"narrative:{metric}", self.values[metric])
        self.observed.setdefault(metric, {})["narrative"] = value
        self.figures.append({"metric": metric, "value": value, "source": "narrative", "block": len(self.blocks)})
        self._pending.append(metric)
        return value

    def derived(self, metric: str) -> None:
        """The narrative states ``metric`` only as a change (比上年增加X万元): a derived figure (extract contract)."""
        for f in reversed(self.figures):
            if f["metric"] == metric and f["source"] == "narrative":
                f["derived"] = True
                return

    def table_value(self, metric: str, record: bool = True, blank: bool = False):
        """Printed table value; ``record=False`` reads it without disclosing it. ``blank=True``: the cell is left
        blank in a printed row, which the extract contract reads as 0 flagged blank."""
        value = self.model.overrides.get(f"table:{metric}", self.values[metric])
        if record:
            self.observed.setdefault(metric, {})["table"] = ZERO if blank else value
            fig = {"metric": metric, "value": ZERO if blank else value, "source": "table", "table": self.current_table}
            if blank:
                fig["blank"] = True
            self.figures.append(fig)
        return value

    def true(self, metric: str):
        return self.values[metric]

    def line_item(self, table: str, code: str, name: str, column: str, value: Decimal, blank: bool = False) -> None:
        li = {"table": table, "code": code, "name": name, "column": column, "value": float(wan(value))}
        if blank:
            li["blank"] = True
        self.line_items.append(li)

    # -- blocks -------------------------------------------------------------------------------------------
    def cover(self, *lines: str) -> None:
        self.blocks.append(Block("cover", "\n".join(lines)))

    def heading(self, text: str, level: int = 1) -> None:
        self.blocks.append(Block("heading", text, level=level))

    def para(self, text: str) -> None:
        self.blocks.append(Block("para", text, tags=self._pending))
        self._pending = []

    def table(self, spec: TableSpec) -> None:
        self.blocks.append(Block("table", spec.title, table=spec))

    def pagebreak(self) -> None:
        self.blocks.append(Block("pagebreak"))


def amt(value: Decimal) -> str:
    """Narrative amount in 万元, as real documents print it (two decimals)."""
    return f"{wan(value):.2f}"


def change_clause(cur: Decimal, prev: Decimal, label: str = "") -> tuple[str, Decimal, Decimal]:
    """'增加X万元，增长Y%' / '减少…下降…' / '持平' computed from the two printed numbers."""
    cur, prev = wan(cur), wan(prev)  # the change is computed from the two numbers as printed
    diff = cur - prev
    rate = wan(abs(diff) * 100 / prev) if prev else ZERO
    if diff == 0:
        return f"{label}与上年持平", diff, rate
    verb, trend = ("增加", "增长") if diff > 0 else ("减少", "下降")
    return f"{label}{verb}{amt(abs(diff))}万元，{trend}{rate:.2f}%", diff, rate


def share(part: Decimal, whole: Decimal) -> str:
    return f"{pct(wan(part), wan(whole)):.2f}%"

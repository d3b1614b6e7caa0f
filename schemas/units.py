"""The units register: which units a region has, under which names, and what each must publish.

A register is optional, one file per region (``units.yaml`` or ``units.csv``; a folder of them is read whole).
It answers two questions the documents cannot: which units *should* have published (the expected set of the
coverage view) and which names are the same unit across years (名称变更: 市环保局 → 市生态环境局). Without one,
coverage falls back to "every unit that published the same kind the year before" (warehouse/coverage.py).

YAML::

    region: 长沙市                 # what the coverage view calls this register's region
    deadlines:                     # optional; per kind: approval dates per fiscal year, days after them
      budget: {days: 20, approved: {2026: 2026-01-20}}
      final_accounts: {days: 20, approved: {2024: 2025-08-28}}
    units:
      - code: "101001"
        name: 长沙市生态环境局
        aliases: [长沙市环境保护局, {name: 长沙市环保局, to: 2018}]
        level: department          # department (一级预算单位) | unit (所属单位)
        parent: ""                 # parent unit's code (for a unit)
        must_publish: [department, unit]   # which scopes it must publish; [] = nothing required
        kinds: [final_accounts, budget]    # which kinds (default both)
        from: 2019                 # first fiscal year it exists (optional)
        to: 2030                   # last fiscal year (optional; a merged unit ends)

CSV: columns ``code,name,aliases,level,parent,must_publish,kinds,from,to`` (lists separated by ``|``), one file
per region; the region is a ``region`` column or, when absent, the file's stem.

Errors name the file and the entry (``units.yaml: units[3] '长沙市财政局'.must_publish: unknown scope 'x'``).
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SCOPES = ("department", "unit")
KINDS = ("final_accounts", "budget")
DEFAULT_DEADLINE_DAYS = 20  # 《地方预决算公开操作规程》: 20 days after approval (budget) / 批复 (决算)

# suffixes that name a document's scope or a consolidation, not a different unit
_SCOPE_SUFFIX = re.compile(r"[（(](?:本级|部门|单位|汇总|合并|部门汇总|机关|含[^）)]*)[）)]$")
_SPACES = re.compile(r"[\s\u3000·•]+")


class RegisterError(ValueError):
    pass


def normalise_unit_name(name: str) -> str:
    """The form names are compared in: no spaces, full-width parentheses, scope suffixes folded.

    '上海市普陀区财政局（部门）' and '上海市普陀区财政局 (本级)' → '上海市普陀区财政局'.
    """
    s = _SPACES.sub("", name or "").replace("(", "（").replace(")", "）")
    prev = None
    while prev != s:
        prev, s = s, _SCOPE_SUFFIX.sub("", s)
    return s


@dataclass(frozen=True)
class Alias:
    name: str
    from_year: int | None = None
    to_year: int | None = None

    def valid(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.from_year is None or year >= self.from_year) and (self.to_year is None or year <= self.to_year)


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    region: str
    aliases: tuple[Alias, ...] = ()
    level: str = "department"
    parent: str = ""
    must_publish: frozenset[str] = frozenset({"department"})
    kinds: frozenset[str] = frozenset(KINDS)
    from_year: int | None = None
    to_year: int | None = None

    def exists_in(self, year: int) -> bool:
        return (self.from_year is None or year >= self.from_year) and (self.to_year is None or year <= self.to_year)

    def names(self, year: int | None = None) -> list[str]:
        """The unit's name and the aliases valid in ``year`` (all of them when year is None)."""
        return [self.name] + [a.name for a in self.aliases if a.valid(year)]


@dataclass(frozen=True)
class Deadline:
    """When a region's documents of one kind are due: ``days`` after the approval date of each fiscal year."""

    kind: str
    days: int = DEFAULT_DEADLINE_DAYS
    approved: dict[int, dt.date] = field(default_factory=dict)

    def due(self, fiscal_year: int) -> tuple[dt.date | None, str]:
        """(deadline, basis). An approval date that is not configured gives (None, 'unknown …'), never a guess."""
        day = self.approved.get(fiscal_year)
        if day is None:
            return None, f"unknown: no approval date configured for {self.kind} {fiscal_year}"
        what = "批准" if self.kind == "budget" else "批复"
        return day + dt.timedelta(days=self.days), f"{self.days} days after {what} on {day.isoformat()}"


@dataclass
class UnitsRegister:
    units: list[Unit] = field(default_factory=list)
    deadlines: dict[tuple[str, str], Deadline] = field(default_factory=dict)  # (region, kind) -> Deadline
    files: list[str] = field(default_factory=list)

    def regions(self) -> list[str]:
        return sorted({u.region for u in self.units})

    def by_code(self, code: str, region: str | None = None) -> Unit | None:
        return next((u for u in self.units if u.code == code and (region is None or u.region == region)), None)

    def match(self, name: str, year: int | None = None, region: str | None = None) -> Unit | None:
        """The unit a published name refers to, by name or alias valid in ``year`` (normalised comparison).

        An exact normalised match wins; otherwise the longest register name the published name ends with
        (at least 4 characters, and only when exactly one unit has the longest such name: no guess beats a wrong
        one)."""
        key = normalise_unit_name(name)
        if not key:
            return None
        pool = [u for u in self.units if region is None or u.region == region]
        for names_year in (year, None):  # an alias outside its years still beats no match at all
            exact = [u for u in pool if key in {normalise_unit_name(n) for n in u.names(names_year)}]
            if len(exact) == 1:
                return exact[0]
            if exact:  # one name, several regions: ambiguous without a region
                return None
        best: list[tuple[int, Unit]] = []
        for u in pool:
            for n in u.names(year):
                nn = normalise_unit_name(n)
                if len(nn) >= 4 and (key.endswith(nn) or nn.endswith(key) and len(key) >= 4):
                    best.append((min(len(nn), len(key)), u))
        if not best:
            return None
        top = max(n for n, _ in best)
        winners = {id(u): u for n, u in best if n == top}
        return next(iter(winners.values())) if len(winners) == 1 else None

    def expected(self, fiscal_year: int, kind: str, region: str | None = None) -> list[tuple[Unit, str]]:
        """(unit, scope) pairs that must be published for ``fiscal_year`` and ``kind``."""
        return [(u, scope) for u in self.units
                if (region is None or u.region == region) and u.exists_in(fiscal_year) and kind in u.kinds
                for scope in SCOPES if scope in u.must_publish]

    def deadline(self, region: str, kind: str) -> Deadline:
        return self.deadlines.get((region, kind)) or Deadline(kind)


# --- loading -------------------------------------------------------------------------------------------------

def _list(v, where: str) -> list:
    if v in (None, ""):
        return []
    if isinstance(v, str):
        return [x.strip() for x in v.split("|") if x.strip()]
    if isinstance(v, list):
        return v
    raise RegisterError(f"{where}: expected a list, got {v!r}")


def _year(v, where: str) -> int | None:
    if v in (None, ""):
        return None
    try:
        y = int(v)
    except (TypeError, ValueError):
        raise RegisterError(f"{where}: expected a year, got {v!r}") from None
    if not 1990 <= y <= 2100:
        raise RegisterError(f"{where}: year out of range: {v!r}")
    return y


def _date(v, where: str) -> dt.date:
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v).strip())
    except ValueError:
        raise RegisterError(f"{where}: expected a date YYYY-MM-DD, got {v!r}") from None


def _aliases(raw, where: str) -> tuple[Alias, ...]:
    out = []
    for i, a in enumerate(_list(raw, where)):
        w = f"{where}[{i}]"
        if isinstance(a, str):
            m = re.fullmatch(r"(.+?)@(\d{4})?-(\d{4})?", a.strip())  # CSV form: 市环保局@-2018
            out.append(Alias(m.group(1), _year(m.group(2), w), _year(m.group(3), w)) if m else Alias(a.strip()))
        elif isinstance(a, dict) and a.get("name"):
            out.append(Alias(str(a["name"]).strip(), _year(a.get("from"), f"{w}.from"), _year(a.get("to"), f"{w}.to")))
        else:
            raise RegisterError(f"{w}: an alias is a name or {{name:, from:, to:}}, got {a!r}")
    return tuple(out)


def _unit(raw: dict, region: str, where: str) -> Unit:
    if not isinstance(raw, dict):
        raise RegisterError(f"{where}: expected a mapping")
    name = str(raw.get("name") or "").strip()
    if not name:
        raise RegisterError(f"{where}.name: required")
    where = f"{where} {name!r}"
    unknown = set(raw) - {"code", "name", "aliases", "level", "parent", "must_publish", "kinds", "from", "to",
                          "region"}
    if unknown:
        raise RegisterError(f"{where}: unknown field(s) {sorted(unknown)}")
    must = raw.get("must_publish")
    scopes = ["department"] if must is None else _list(must, f"{where}.must_publish")
    bad = [s for s in scopes if s not in SCOPES]
    if bad:
        raise RegisterError(f"{where}.must_publish: unknown scope(s) {bad}; use {', '.join(SCOPES)}")
    kinds = _list(raw.get("kinds"), f"{where}.kinds") or list(KINDS)
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise RegisterError(f"{where}.kinds: unknown kind(s) {bad}; use {', '.join(KINDS)}")
    level = str(raw.get("level") or "department").strip()
    if level not in SCOPES:
        raise RegisterError(f"{where}.level: must be department or unit, got {level!r}")
    return Unit(code=str(raw.get("code") or name).strip(), name=name, region=str(raw.get("region") or region),
                aliases=_aliases(raw.get("aliases"), f"{where}.aliases"), level=level,
                parent=str(raw.get("parent") or "").strip(), must_publish=frozenset(scopes), kinds=frozenset(kinds),
                from_year=_year(raw.get("from"), f"{where}.from"), to_year=_year(raw.get("to"), f"{where}.to"))


def parse_deadlines(raw, region: str, where: str) -> dict[tuple[str, str], Deadline]:
    """``{budget: {days: 20, approved: {2026: 2026-01-20}}, …}`` → {(region, kind): Deadline}."""
    if raw in (None, {}):
        return {}
    if not isinstance(raw, dict):
        raise RegisterError(f"{where}: expected a mapping of kind → {{days:, approved:}}")
    out = {}
    for kind, spec in raw.items():
        w = f"{where}.{kind}"
        if kind not in KINDS:
            raise RegisterError(f"{w}: unknown kind; use {', '.join(KINDS)}")
        spec = spec or {}
        if not isinstance(spec, dict) or set(spec) - {"days", "approved"}:
            raise RegisterError(f"{w}: expected {{days:, approved: {{year: date}}}}")
        days = spec.get("days", DEFAULT_DEADLINE_DAYS)
        if not isinstance(days, int) or days < 0:
            raise RegisterError(f"{w}.days: expected a number of days >= 0, got {days!r}")
        approved = spec.get("approved") or {}
        if not isinstance(approved, dict):
            raise RegisterError(f"{w}.approved: expected a mapping of fiscal year → date")
        out[(region, kind)] = Deadline(kind, days, {_year(y, f"{w}.approved"): _date(d, f"{w}.approved[{y}]")
                                                    for y, d in approved.items()})
    return out


def _load_yaml(p: Path) -> UnitsRegister:
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise RegisterError(f"{p}: not valid YAML ({e})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("units"), list):
        raise RegisterError(f"{p}: expected a mapping with a 'units:' list")
    region = str(doc.get("region") or p.stem)
    units = [_unit(u, region, f"{p}: units[{i}]") for i, u in enumerate(doc["units"])]
    return UnitsRegister(units, parse_deadlines(doc.get("deadlines"), region, f"{p}: deadlines"), [str(p)])


def _load_csv(p: Path) -> UnitsRegister:
    with open(p, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    units = [_unit({k: v for k, v in r.items() if k and v not in (None, "")}, p.stem, f"{p}: row {i + 2}")
             for i, r in enumerate(rows)]
    return UnitsRegister(units, {}, [str(p)])


def load_units(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> UnitsRegister:
    """Read register files (``.yaml``/``.yml``/``.csv``, or folders of them) into one register."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out = UnitsRegister()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if f.suffix.lower() in (".yaml", ".yml", ".csv"))
        elif p.is_file():
            files = [p]
        else:
            raise RegisterError(f"{p}: no such units register file or folder")
        for f in files:
            reg = _load_csv(f) if f.suffix.lower() == ".csv" else _load_yaml(f)
            out.units += reg.units
            out.deadlines.update(reg.deadlines)
            out.files += reg.files
    seen: dict[tuple[str, str], str] = {}
    for u in out.units:
        key = (u.region, u.code)
        if key in seen:
            raise RegisterError(f"{u.region}: unit code {u.code!r} is used twice ({seen[key]}, {u.name})")
        seen[key] = u.name
    return out

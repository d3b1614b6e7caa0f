"""Load and validate ``sources.yaml`` into dataclasses.

Errors name the file and the field (``sources.yaml: sources[2] 'changsha'.rate_limit: must be > 0``) so an operator
can fix a typo without reading code. A top-level ``defaults:`` mapping is merged under every source.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from schemas.units import RegisterError, parse_deadlines

SOURCE_KINDS = ("portal", "json_api", "folder", "url_list")
KINDS = ("final_accounts", "budget")
DEFAULT_USER_AGENT = (
    "juesuan-crawler/0.1 (+public-finance research: collects published government budget/final-accounts"
    " disclosures; obeys robots.txt)"
)
DEFAULT_ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et")
# TRS detail pages (./YYYYMM/tYYYYMMDD_<id>.html) and the gkmlpt/Foshan post pages (content/post_<id>.html)
DEFAULT_DETAIL_PATTERN = r"/\d{6}/t\d{8}_\d+\.s?html?$|/content/post_\d+\.html$"


class ConfigError(ValueError):
    pass


@dataclass
class JsonStep:
    """One request of a chained listing. Each item of its response is bound to ``name`` for the requests after
    it: ``{dept.iid}`` in a later step's url/params/data (or in the listing's templates) is that item's field."""

    name: str
    url: str
    method: str = "GET"
    params: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    first_page: int = 1
    max_pages: int = 1  # only when "{page}" appears
    items: str = ""
    max_items: int = 200  # items used per response: a cap on the fan-out


@dataclass
class JsonListing:
    """A JSON listing API (Guangdong gkmlpt, Jiangsu 预决算公开 platform): one request per page, optionally after
    a chain of ``steps`` (department list → template → files) whose items fill in ``{name.field}`` variables."""

    url: str
    method: str = "GET"
    params: dict[str, Any] = field(default_factory=dict)  # query string; "{page}" is substituted
    data: dict[str, Any] = field(default_factory=dict)  # form body for POST; "{page}" is substituted
    first_page: int = 1
    max_pages: int = 5
    items: str = ""  # dotted path to the list of items ("" = the response itself is the list)
    url_field: str = "url"
    url_template: str = ""  # e.g. "http://host/download.do?iid={iid}" — formatted with the item's fields
    title_field: str = "title"
    date_field: str = ""
    unit_field: str = ""
    title_template: str = ""  # instead of title_field: "{dept.name}：{t_oldname}"
    unit_template: str = ""  # instead of unit_field: "{dept.name}"
    follow: str = "auto"  # detail | document | auto (by file extension)
    steps: list[JsonStep] = field(default_factory=list)  # chained requests before this listing


@dataclass
class Source:
    name: str
    kind: str
    enabled: bool = True
    description: str = ""
    # --- where to start and what to follow (portal, url_list, json_api) ---
    start_urls: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)  # url_list
    urls_file: str = ""  # url_list: one URL per line
    paths: list[str] = field(default_factory=list)  # folder
    json: JsonListing | None = None
    list_pattern: str = ""  # regex: extra list pages (sub-columns) to follow from list pages
    detail_pattern: str = DEFAULT_DETAIL_PATTERN
    attachment_pattern: str = ""  # regex: links that are documents even without a known extension
    attachment_extensions: list[str] = field(default_factory=lambda: list(DEFAULT_ATTACHMENT_EXTENSIONS))
    max_list_pages: int = 50
    max_depth: int = 2  # list-page hops via list_pattern (pagination does not count)
    max_documents: int = 1000
    register_detail_pages: str = "when_no_attachments"  # always | never | when_no_attachments
    classify: bool = True  # judge titles and first pages: 决议/通知/会议/报告/绩效评价 are skipped with the reason
    refetch_unvalidated: bool = False  # re-download known URLs whose server sends no ETag/Last-Modified
    # --- what to keep ---
    title_include: str = "决算|预算"
    title_exclude: str = ""
    years: list[int] = field(default_factory=list)  # empty = any year
    kinds: list[str] = field(default_factory=list)  # empty = any kind
    column: str = ""  # column name to record when the page has no ColumnName meta
    unit: str = ""  # unit name to record when titles do not name it
    # --- coverage (warehouse/coverage.py) ---
    region: str = ""  # the region its documents belong to (matches a units register's region)
    deadlines: dict = field(default_factory=dict)  # {budget|final_accounts: {days: 20, approved: {year: date}}}
    # --- safety and politeness ---
    allowed_hosts: list[str] = field(default_factory=list)  # exact host or ".suffix"; default: start URL hosts
    allow_private: bool = False  # only for tests/intranet: permits loopback/private addresses
    allowed_ips: list[str] = field(default_factory=list)  # specific private IPs/networks to permit
    rate_limit: float = 1.0  # requests per second per host
    concurrency: int = 2  # simultaneous requests per host
    respect_robots: bool = True
    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0  # seconds; doubles per attempt
    max_retry_after: float = 120.0
    max_bytes: int = 100 * 1024 * 1024
    max_redirects: int = 5
    # total seconds one download may take, headers to last byte: `timeout` bounds each read, so a server that
    # drips a byte at a time would otherwise hold the crawl for hours
    download_deadline: float = 120.0
    # ports a request may connect to; empty: 80, 443 and the ports the source's own URLs name
    allowed_ports: list[int] = field(default_factory=list)
    source_file: str = ""  # the sources.yaml this came from (for messages)


@dataclass
class SourcesFile:
    path: str
    sources: list[Source]

    def get(self, name: str) -> Source:
        for s in self.sources:
            if s.name == name:
                return s
        raise ConfigError(f"{self.path}: no source named {name!r} (have: {', '.join(s.name for s in self.sources)})")


_SOURCE_FIELDS = {f.name: f for f in fields(Source)}
_JSON_FIELDS = {f.name for f in fields(JsonListing)}
_STEP_FIELDS = {f.name for f in fields(JsonStep)}
_LIST_STR = {"start_urls", "urls", "paths", "allowed_hosts", "allowed_ips", "attachment_extensions", "kinds"}
_FLOAT = {"rate_limit", "timeout", "backoff", "max_retry_after", "download_deadline"}
_INT = {"concurrency", "retries", "max_bytes", "max_redirects", "max_list_pages", "max_depth", "max_documents"}
_BOOL = {"enabled", "allow_private", "respect_robots", "classify", "refetch_unvalidated"}
_REGEX = {"list_pattern", "detail_pattern", "attachment_pattern", "title_include", "title_exclude"}


def _parse_size(v: Any, where: str) -> int:
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]i?B?|B)?\s*", str(v), re.IGNORECASE)
    if not m:
        raise ConfigError(f"{where}: expected a size like 50000000 or '50MB', got {v!r}")
    mult = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[(m.group(2) or "")[:1].upper()]
    return int(float(m.group(1)) * mult)


def _parse_years(v: Any, where: str) -> list[int]:
    """``2024``, ``[2023, 2024]``, ``"2020-2026"`` or ``{from: 2020, to: 2026}``."""
    if v in (None, "", []):
        return []
    if isinstance(v, int):
        return [v]
    if isinstance(v, str) and (m := re.fullmatch(r"\s*(\d{4})\s*[-–~]\s*(\d{4})\s*", v)):
        return list(range(int(m.group(1)), int(m.group(2)) + 1))
    if isinstance(v, dict) and set(v) <= {"from", "to"}:
        try:
            return list(range(int(v.get("from", 2000)), int(v.get("to", 2100)) + 1))
        except (TypeError, ValueError):
            pass
    if isinstance(v, list) and all(isinstance(y, int) for y in v):
        return sorted(v)
    raise ConfigError(f"{where}: expected a year, a list of years, 'YYYY-YYYY' or {{from:, to:}}, got {v!r}")


def _coerce(name: str, value: Any, where: str) -> Any:
    w = f"{where}.{name}"
    if name in _LIST_STR:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise ConfigError(f"{w}: expected a list of strings, got {value!r}")
        return list(value)
    if name == "allowed_ports":
        value = [value] if isinstance(value, int) else value
        if not isinstance(value, list) or not all(isinstance(x, int) and 0 < x < 65536 for x in value):
            raise ConfigError(f"{w}: expected a list of port numbers (1-65535), got {value!r}")
        return sorted(set(value))
    if name in _BOOL:
        if not isinstance(value, bool):
            raise ConfigError(f"{w}: expected true or false, got {value!r}")
        return value
    if name == "max_bytes":
        value = _parse_size(value, w)
    if name in _FLOAT | _INT:
        try:
            num = float(value) if name in _FLOAT else int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{w}: expected a number, got {value!r}") from None
        if num <= 0 and name not in ("retries", "backoff", "max_redirects", "max_depth"):
            raise ConfigError(f"{w}: must be > 0, got {value!r}")
        if num < 0:
            raise ConfigError(f"{w}: must be >= 0, got {value!r}")
        return num
    if name == "years":
        return _parse_years(value, w)
    if name in _REGEX:
        if not isinstance(value, str):
            raise ConfigError(f"{w}: expected a regular expression string, got {value!r}")
        try:
            re.compile(value)
        except re.error as e:
            raise ConfigError(f"{w}: invalid regular expression ({e})") from None
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{w}: expected a string, got {value!r}")
    return value


def _known_mapping(raw: Any, where: str, known) -> None:
    """A JSON listing or step: a mapping of known fields only (the error lists the known ones)."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping")
    unknown = set(raw) - set(known)
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {sorted(unknown)}; known: {sorted(known)}")


def _parse_json(raw: Any, where: str) -> JsonListing:
    _known_mapping(raw, where, _JSON_FIELDS)
    if not raw.get("url"):
        raise ConfigError(f"{where}.url: required")
    steps = raw.get("steps") or []
    if not isinstance(steps, list):
        raise ConfigError(f"{where}.steps: expected a list of requests")
    js = JsonListing(**{**raw, "steps": [_parse_step(s, f"{where}.steps[{i}]") for i, s in enumerate(steps)]})
    _check_request(js, where)
    names = [s.name for s in js.steps]
    if len(set(names)) != len(names):
        raise ConfigError(f"{where}.steps: step names must be unique, got {names}")
    if js.follow not in ("auto", "detail", "document"):
        raise ConfigError(f"{where}.follow: must be auto, detail or document, got {js.follow!r}")
    return js


def _check_request(req: JsonListing | JsonStep, where: str) -> None:
    req.method = str(req.method).upper()
    if req.method not in ("GET", "POST"):
        raise ConfigError(f"{where}.method: must be GET or POST, got {req.method!r}")
    for name in ("params", "data"):
        if not isinstance(getattr(req, name), dict):
            raise ConfigError(f"{where}.{name}: expected a mapping")
    for name in ("first_page", "max_pages") + (("max_items",) if isinstance(req, JsonStep) else ()):
        if not isinstance(getattr(req, name), int) or getattr(req, name) < (0 if name == "first_page" else 1):
            raise ConfigError(f"{where}.{name}: expected a positive integer, got {getattr(req, name)!r}")


def _parse_step(raw: Any, where: str) -> JsonStep:
    _known_mapping(raw, where, _STEP_FIELDS)
    if not isinstance(raw.get("name"), str) or not re.fullmatch(r"[A-Za-z_]\w*", raw["name"]) or raw["name"] == "page":
        raise ConfigError(f"{where}.name: required, an identifier other than 'page' (got {raw.get('name')!r})")
    if not raw.get("url"):
        raise ConfigError(f"{where}.url: required")
    step = JsonStep(**raw)
    _check_request(step, where)
    return step


def _parse_source(raw: Any, defaults: dict, where: str, base_dir: Path, file: str) -> Source:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(raw).__name__}")
    name = raw.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]+", name or ""):
        raise ConfigError(f"{where}.name: required, ASCII letters/digits/_.- only (got {name!r})")
    where = f"{where} {name!r}"
    merged = {**defaults, **raw}
    kind = merged.get("kind")
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"{where}.kind: must be one of {', '.join(SOURCE_KINDS)} (got {kind!r})")
    unknown = set(merged) - set(_SOURCE_FIELDS)
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {sorted(unknown)}")
    values: dict[str, Any] = {"name": name, "kind": kind, "source_file": file}
    for key, value in merged.items():
        if key in ("name", "kind"):
            continue
        if key == "json":
            values["json"] = _parse_json(value, f"{where}.json")
        elif key == "deadlines":
            try:  # validated by the register's own rules, so both places accept the same spelling
                parse_deadlines(value, "", f"{where}.deadlines")
            except RegisterError as e:
                raise ConfigError(str(e)) from None
            values["deadlines"] = value or {}
        else:
            values[key] = _coerce(key, value, where)
    src = Source(**values)
    bad = [k for k in src.kinds if k not in KINDS]
    if bad:
        raise ConfigError(f"{where}.kinds: unknown kind(s) {bad}; use {', '.join(KINDS)}")
    if src.register_detail_pages not in ("always", "never", "when_no_attachments"):
        raise ConfigError(f"{where}.register_detail_pages: must be always, never or when_no_attachments")
    if not src.user_agent.isascii():
        raise ConfigError(f"{where}.user_agent: must be ASCII (HTTP headers are), got {src.user_agent!r}")
    src.attachment_extensions = [e.lower() if e.startswith(".") else f".{e.lower()}" for e in src.attachment_extensions]
    # Relative folder/url-file paths are relative to the sources file, not to the working directory.
    src.paths = [str((base_dir / os.path.expanduser(p)).resolve()) for p in src.paths]
    if src.urls_file:
        src.urls_file = str((base_dir / os.path.expanduser(src.urls_file)).resolve())
    if kind == "portal" and not src.start_urls:
        raise ConfigError(f"{where}.start_urls: a portal needs at least one start URL")
    if kind == "folder" and not src.paths:
        raise ConfigError(f"{where}.paths: a folder source needs at least one path")
    if kind == "url_list" and not (src.urls or src.urls_file):
        raise ConfigError(f"{where}: a url_list source needs urls or urls_file")
    if kind == "json_api" and src.json is None:
        raise ConfigError(f"{where}.json: a json_api source needs a json: block")
    for u in src.start_urls + src.urls + json_urls(src):
        if not re.match(r"https?://[^/\s]+", u):
            raise ConfigError(f"{where}: not an http(s) URL: {u!r}")
    return src


def json_urls(src: Source) -> list[str]:
    """The request URLs of a json_api source: its chain steps and the listing itself."""
    return [s.url for s in src.json.steps] + [src.json.url] if src.json else []


def load_sources(path: str | os.PathLike) -> SourcesFile:
    p = Path(path)
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{p}: file not found") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML ({e})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
        raise ConfigError(f"{p}: expected a mapping with a 'sources:' list")
    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise ConfigError(f"{p}: defaults: expected a mapping")
    for bad in ("name", "kind"):
        if bad in defaults:
            raise ConfigError(f"{p}: defaults.{bad}: cannot be a default")
    sources = [
        _parse_source(raw, defaults, f"{p}: sources[{i}]", p.parent.resolve(), str(p))
        for i, raw in enumerate(doc["sources"])
    ]
    names = [s.name for s in sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"{p}: duplicate source name(s) {dupes}")
    return SourcesFile(path=str(p), sources=sources)

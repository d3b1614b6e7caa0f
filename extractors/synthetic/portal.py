"""A synthetic TRS-style portal for the demo and the coverage tests, served on 127.0.0.1.

The corpus factory's documents are published on list and article pages with publish dates, one unit-year is
left unpublished (missing), one is published after its deadline (late), one unit publishes its first year under
its former name (a 名称变更 the units register records as an alias), and a 通知 about 决算 work sits in the same
column (the classifier skips it). ``units/<region>.yaml`` registers are written beside the site with the
approval dates that make the deadlines known.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import html
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from .corpus import generate_document
from .generator import build_unit_models

COLUMN = "/col/bmjs/"
BUDGET_COLUMN = "/col/bmys/"  # 部门预算 have a column of their own, as on the real portals
DEADLINE_DAYS = 20


@dataclass
class PortalSite:
    root: Path  # the web root to serve
    units_dir: Path  # one register per region
    published: list[dict] = field(default_factory=list)  # unit_name (as published), fiscal_year, publish_date, path
    missing: list[tuple[str, int]] = field(default_factory=list)  # (unit, year) never published
    late: list[tuple[str, int, str]] = field(default_factory=list)  # (unit, year, publish date)
    renamed: tuple[str, str, int] | None = None  # (former name, name, last year under the former name)
    regions: list[str] = field(default_factory=list)
    budgets: list[dict] = field(default_factory=list)  # unit_name, fiscal_year, publish_date of each 部门预算

    def sources_yaml(self, base_url: str) -> str:
        """A sources.yaml for the served portal, written the way docs/sources.md tells a new user to."""
        columns = [COLUMN] + ([BUDGET_COLUMN] if self.budgets else [])
        urls = ", ".join(f'"{base_url}{c}index.html"' for c in columns)
        kinds = "final_accounts, budget" if self.budgets else "final_accounts"
        return (f"sources:\n  - name: demo_portal\n    kind: portal\n    start_urls: [{urls}]\n"
                "    allowed_ips: [\"127.0.0.1/32\"]   # the demo portal runs on this machine\n"
                f"    kinds: [{kinds}]\n    rate_limit: 200\n    timeout: 10\n    retries: 0\n")


def _approved(year: int) -> dt.date:
    return dt.date(year + 1, 7, 31)  # the 决算 of year Y is 批复 the next July


def _budget_approved(year: int) -> dt.date:
    return dt.date(year, 1, 20)  # the 预算 of year Y is approved by the 人代会 in January of Y


def _page(title: str, body: str, date: str = "", column: str = "部门决算") -> str:
    meta = f'<meta name="ArticleTitle" content="{html.escape(title)}"><meta name="PubDate" content="{date}">' if date else ""
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><meta name="ColumnName" content="{column}">'
            f"{meta}<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
            f'<div class="TRS_Editor">{body}</div></body></html>')


def build_portal(out_dir, *, units: int = 6, years=(2023, 2024), formats=("pdf", "docx"), seed: int = 7,
                 budgets: tuple[str, ...] = ()) -> PortalSite:
    """The portal's 部门决算 column; with ``budgets`` (formats, e.g. ``("pdf",)``) also a 部门预算 column with the
    same department units' budgets for the same years, published on time, so budget meets actual."""
    out = Path(out_dir)
    site = PortalSite(root=out / "site", units_dir=out / "units")
    column = site.root / COLUMN.strip("/")
    column.mkdir(parents=True, exist_ok=True)
    series = build_unit_models(units=units, years=years, seed=seed)
    last = max(years)
    missing_i, late_i = len(series) - 1, 0
    renamed_i = next((i for i, s in enumerate(series) if s[0].unit_name.endswith("局") and i not in (late_i, missing_i)),
                     None)
    items, registers = [], {}
    for i, unit_series in enumerate(series):
        name = unit_series[0].unit_name
        former = name[:-1] + "行政局" if i == renamed_i else None
        if former:
            site.renamed = (former, name, min(years))
        reg = registers.setdefault(unit_series[0].city + unit_series[0].county, [])
        kinds = ["final_accounts", "budget"] if budgets and unit_series[0].scope == "department" else ["final_accounts"]
        reg.append({"code": f"{i + 1:03d}", "name": name, "must_publish": [unit_series[0].scope],
                    "kinds": kinds, **({"aliases": [{"name": former, "to": min(years)}]} if former else {})})
        for model in unit_series:
            year = model.fiscal_year
            if i == missing_i and year == last:
                site.missing.append((name, year))
                continue
            if former and year == min(years):
                model = dataclasses.replace(model, unit_name=former)
            deadline = _approved(year) + dt.timedelta(days=DEADLINE_DAYS)
            published = deadline + dt.timedelta(days=26) if (i == late_i and year == last) else \
                deadline - dt.timedelta(days=10 - i)
            if published > deadline:
                site.late.append((name, year, published.isoformat()))
            n = 1000 + i * 10 + (year - min(years))
            stamp = published.strftime("%Y%m%d")
            links = []
            (column / stamp[:6]).mkdir(parents=True, exist_ok=True)
            for fmt in formats:
                fname = f"P0{stamp}{n:06d}.{fmt}"
                generate_document(model, model.template, fmt, column / stamp[:6] / fname)
                (column / stamp[:6] / f"{Path(fname).stem}.truth.json").unlink(missing_ok=True)
                links.append(f'<p><a href="./{fname}">{year}年度{model.unit_name}部门决算.{fmt}</a></p>')
            title = f"{year}年度{model.unit_name}部门决算"
            detail = column / stamp[:6] / f"t{stamp}_{n}.html"
            detail.write_text(_page(title, "<p>现将本部门决算公开如下。</p>附件：" + "".join(links), published.isoformat()),
                              encoding="utf-8")
            items.append((published, title, f"./{stamp[:6]}/{detail.name}"))
            site.published.append({"unit_name": model.unit_name, "fiscal_year": year,
                                   "publish_date": published.isoformat()})
    notice_day = _approved(last) - dt.timedelta(days=30)
    stamp = notice_day.strftime("%Y%m%d")
    (column / stamp[:6]).mkdir(parents=True, exist_ok=True)
    (column / stamp[:6] / f"t{stamp}_9001.html").write_text(_page(
        f"关于做好{last}年度部门决算公开工作的通知", "<p>各部门：请按规定时限公开部门决算。特此通知。</p>",
        notice_day.isoformat()), encoding="utf-8")
    items.append((notice_day, f"关于做好{last}年度部门决算公开工作的通知", f"./{stamp[:6]}/t{stamp}_9001.html"))
    lis = "".join(f'<li><a href="{href}">{html.escape(t)}</a><span>{d.isoformat()}</span></li>'
                  for d, t, href in sorted(items, reverse=True))
    (column / "index.html").write_text(_page("部门决算", f"<ul>{lis}</ul>"), encoding="utf-8")
    (site.root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    if budgets:
        _budget_column(site, build_unit_models(units=units, years=years, seed=seed, budget=True), budgets)
    site.units_dir.mkdir(parents=True, exist_ok=True)
    for region, units_list in registers.items():
        deadlines = {"final_accounts": {"days": DEADLINE_DAYS, "approved": {y: _approved(y).isoformat() for y in years}}}
        if budgets:
            deadlines["budget"] = {"days": DEADLINE_DAYS, "approved": {y: _budget_approved(y).isoformat() for y in years}}
        doc = {"region": region, "deadlines": deadlines, "units": units_list}
        (site.units_dir / f"{region}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
                                                      encoding="utf-8")
        site.regions.append(region)
    return site


def _budget_column(site: PortalSite, series: list[list], formats: tuple[str, ...]) -> None:
    """部门预算 articles, each published 10 days after its approval (well within the deadline)."""
    column = site.root / BUDGET_COLUMN.strip("/")
    items = []
    for i, unit_series in enumerate(series):
        for model in unit_series:
            year = model.fiscal_year
            published = _budget_approved(year) + dt.timedelta(days=10)
            stamp, n = published.strftime("%Y%m%d"), 5000 + i * 10 + year % 10
            folder = column / stamp[:6]
            folder.mkdir(parents=True, exist_ok=True)
            links = []
            for fmt in formats:
                fname = f"P0{stamp}{n:06d}.{fmt}"
                generate_document(model, "budget", fmt, folder / fname)
                (folder / f"{Path(fname).stem}.truth.json").unlink(missing_ok=True)
                links.append(f'<p><a href="./{fname}">{model.unit_name}{year}年部门预算.{fmt}</a></p>')
            title = f"{model.unit_name}{year}年部门预算"
            detail = folder / f"t{stamp}_{n}.html"
            detail.write_text(_page(title, "<p>现将本部门预算公开如下。</p>附件：" + "".join(links),
                                    published.isoformat(), "部门预算"), encoding="utf-8")
            items.append((published, title, f"./{stamp[:6]}/{detail.name}"))
            site.budgets.append({"unit_name": model.unit_name, "fiscal_year": year,
                                 "publish_date": published.isoformat()})
    lis = "".join(f'<li><a href="{href}">{html.escape(t)}</a><span>{d.isoformat()}</span></li>'
                  for d, t, href in sorted(items, reverse=True))
    (column / "index.html").write_text(_page("部门预算", f"<ul>{lis}</ul>", column="部门预算"), encoding="utf-8")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the demo's terminal shows the crawl summary, not access logs
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) for the duration; yields the base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()

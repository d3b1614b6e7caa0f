"""The HTML report: Chinese labels, one section per unit, twins once, static SVG charts that render in headless
Chromium (a screenshot is kept under tests/artifacts/)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from extractors.registry import RawStore, Registry, register_files
from extractors.synthetic import build_corpus
from tests.pipelines.loaded import stage_and_load
from warehouse.report import write_report
from warehouse.snapshot import publish_snapshot

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """Six units, two years, PDF and DOCX twins: enough peers for the cross-unit charts."""
    root = tmp_path_factory.mktemp("report")
    manifest = build_corpus(root / "corpus", units=6, years=(2023, 2024), formats=("pdf", "docx"))
    with Registry(root / "registry.sqlite") as reg:
        entries = [e for e, _ in register_files(reg, RawStore(root / "raw"), [m["path"] for m in manifest])]
    wh = stage_and_load(entries, root, root / "w.duckdb")
    snap = publish_snapshot(wh, root / "analyst" / "juesuan.duckdb")
    return write_report(snap, root / "analyst" / "report.html")


def test_report_speaks_chinese_and_shows_each_disclosure_once(report):
    page = report.read_text(encoding="utf-8")
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    units = re.findall(r"<section class='unit' id='[^']+'><h2>([^<]+)</h2>", page)
    assert len(units) == 6 and len(set(units)) == 6
    assert "公开文件 12 份（读入文件 24 个" in page  # PDF and DOCX of one disclosure counted once
    assert "另有 1 个版本" in page
    for label in ("决算", "部门", "待复核", "本年收入合计", "“三公”经费构成", "与同组单位比较", "中位数"):
        assert label in page, label
    assert not re.search(r"<td>(final_accounts|budget|open|department)</td>", page)  # no raw codes in cells
    assert re.search(r"<td class='n'>\d{1,3}(,\d{3})+\.\d\d</td>", page)  # thousands separators
    assert "@media print" in page and "break-before:page" in page
    assert re.search(r"href='file://[^']+\.pdf#page=\d+'", page)  # evidence links open the source at its page
    assert "（）" not in page


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    pytest.skip("no Chromium on this machine (apt-get install chromium) to render the report")


MEASURE = """<script>
addEventListener('load', () => {
  const out = [...document.querySelectorAll('svg[data-chart]')].map(s => {
    const r = s.getBoundingClientRect();
    return {kind: s.dataset.chart, w: r.width, h: r.height,
            marks: s.querySelectorAll('rect,circle').length,
            drawn: [...s.querySelectorAll('rect,circle')].filter(e => e.getBBox().width > 0).length};
  });
  const pre = document.createElement('pre'); pre.id = 'measured'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def test_report_charts_render_in_headless_chromium(report, tmp_path):
    exe = _chromium()
    probe = tmp_path / "probe.html"  # a copy with a measuring script; the report itself has none
    probe.write_text(report.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([exe, *flags, "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert found, dom[-500:]
    charts = json.loads(found.group(1).replace("&quot;", '"'))
    kinds = {c["kind"] for c in charts}
    assert {"bars", "stacked", "peers"} <= kinds
    assert all(c["w"] > 200 and c["h"] > 60 and c["drawn"] > 0 for c in charts), charts
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    subprocess.run([exe, *flags, "--window-size=1200,3000", f"--screenshot={shot}", report.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 50_000  # a page with tables and charts, not a blank one
    pdf = tmp_path / "report.pdf"  # the print stylesheet: the report prints to several pages
    subprocess.run([exe, *flags, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert pdf.read_bytes().count(b"/Type /Page") - pdf.read_bytes().count(b"/Type /Pages") >= 6


def test_template_rows_are_dropped_unresolved_units_kept_and_scope_shown(tmp_path):
    """A row without a unit name (a blank template) has no section; a unit whose region is unknown keeps its own
    (never merged, never dropped); a 单位 document says so."""
    from tests.warehouse.records import record
    from tests.warehouse.test_load import stage
    from warehouse.staging import Staging

    staging = Staging(tmp_path / "data" / "staging")
    stage(staging, "d1", record("a" * 64))
    stage(staging, "d2", record("b" * 64, unit="财政局", income=4321.5))  # no region anywhere: unresolved
    template = record("c" * 64, income=9876.5)
    template["document"]["unit_name"] = None
    stage(staging, "d3", template)
    unit_scope = record("e" * 64, unit="青川市教育局", income=555.0)
    unit_scope["document"]["scope"] = "unit"
    stage(staging, "d4", unit_scope)
    wh = stage_and_load([], tmp_path / "data")
    page = write_report(publish_snapshot(wh, tmp_path / "analyst" / "juesuan.duckdb"),
                        tmp_path / "analyst" / "report.html").read_text(encoding="utf-8")
    units = re.findall(r"<section class='unit' id='[^']+'><h2>([^<]+)</h2>", page)
    assert sorted(units) == sorted(["青川市财政局", "财政局", "青川市教育局"])
    assert "4,321.50" in page and "9,876.50" not in page and "地区未识别" in page
    assert "2024决算（单位（本级））" in page and "<td>单位（本级）</td>" in page


def test_each_cross_unit_rule_has_a_peer_chart_with_the_unit_marked(report):
    from warehouse.anomaly_rules.cross import RATIOS

    page = report.read_text(encoding="utf-8")
    sections = re.findall(r"<section class='unit' id='[^']+'><h2>([^<]+)</h2>(.*?)</section>", page, re.S)
    assert len(sections) == 6
    for unit, body in sections:
        charts = re.findall(r'<svg[^>]*data-chart="peers".*?</svg>', body, re.S)
        titles = [re.search(r"<title>([^<]+)</title>", c).group(1) for c in charts]
        for _num, _den, label, _factor, _unit in RATIOS.values():
            assert any(t.startswith(label) for t in titles), (unit, label, titles)
        for chart in charts:  # the unit itself is the one marked (red, labelled) dot among its peers
            marked = re.findall(r'<text[^>]*class="mk"[^>]*>([^<]+)</text>', chart)
            assert len(marked) == 1 and marked[0].startswith(unit), (unit, marked)
    assert re.search(r'data-chart="bars"[^>]*>.*?按年度', page, re.S)  # year-on-year charts per unit

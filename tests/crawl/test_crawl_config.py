"""sources.yaml loading: clear errors naming file and field; the repository's sources.yaml is offline-safe."""
from __future__ import annotations

from pathlib import Path

import pytest

from extractors.crawl.config import ConfigError, load_sources

REPO_SOURCES = Path(__file__).resolve().parents[2] / "sources.yaml"


def write(tmp_path, text):
    p = tmp_path / "sources.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_repository_sources_yaml_only_enables_local_sources():
    sf = load_sources(REPO_SOURCES)
    kinds = {s.kind for s in sf.sources}
    assert {"portal", "json_api", "folder", "url_list"} <= kinds  # every archetype is documented
    enabled = [s for s in sf.sources if s.enabled]
    assert enabled and all(s.kind == "folder" for s in enabled)  # tests and the demo never hit the internet
    for s in sf.sources:
        assert s.user_agent.startswith("juesuan-crawler/") and s.respect_robots
        assert not s.allow_private and not s.allowed_ips


def test_defaults_merge_and_coercions(tmp_path):
    p = write(tmp_path, """
defaults: {rate_limit: 0.5, max_bytes: 20MB, years: 2020-2022}
sources:
  - {name: a, kind: portal, start_urls: "https://www.foshan.gov.cn/x/index.html", kinds: [budget]}
  - {name: b, kind: folder, paths: [inbox], years: {from: 2024, to: 2025}, rate_limit: 3}
""")
    a, b = load_sources(p).sources
    assert a.start_urls == ["https://www.foshan.gov.cn/x/index.html"] and a.rate_limit == 0.5
    assert a.max_bytes == 20 * 1024 * 1024 and a.years == [2020, 2021, 2022] and a.kinds == ["budget"]
    assert b.years == [2024, 2025] and b.rate_limit == 3.0
    assert b.paths == [str((tmp_path / "inbox").resolve())]  # relative to the sources file


@pytest.mark.parametrize("body, message", [
    ("sources: []\nfoo: [", "not valid YAML"),
    ("[]", "expected a mapping with a 'sources:' list"),
    ("sources:\n  - {kind: portal}", "sources[0].name: required"),
    ("sources:\n  - {name: x, kind: spider}", "sources[0] 'x'.kind: must be one of"),
    ("sources:\n  - {name: x, kind: portal}", "sources[0] 'x'.start_urls: a portal needs"),
    ("sources:\n  - {name: x, kind: portal, start_urls: [ftp://h/], }", "not an http(s) URL"),
    ("sources:\n  - {name: x, kind: folder, paths: [a], rate_limit: 0}", "'x'.rate_limit: must be > 0"),
    ("sources:\n  - {name: x, kind: folder, paths: [a], title_include: '(决算'}", "'x'.title_include: invalid regular"),
    ("sources:\n  - {name: x, kind: folder, paths: [a], years: soon}", "'x'.years: expected a year"),
    ("sources:\n  - {name: x, kind: folder, paths: [a], kinds: [accounts]}", "'x'.kinds: unknown kind"),
    ("sources:\n  - {name: x, kind: folder, paths: [a], allow_private: yes please}", "'x'.allow_private: expected true"),
    ("sources:\n  - {name: x, kind: folder, paths: [a], start_url: y}", "unknown field(s) ['start_url']"),
    ("sources:\n  - {name: x, kind: json_api, json: {method: GET}}", "'x'.json.url: required"),
    ("sources:\n  - {name: x, kind: json_api, json: {url: 'http://h/a', follow: maybe}}", "json.follow"),
    ("sources:\n  - {name: x, kind: folder, paths: [a], user_agent: 爬虫}", "user_agent: must be ASCII"),
    ("sources:\n  - {name: x, kind: folder, paths: [a]}\n  - {name: x, kind: folder, paths: [b]}", "duplicate source"),
])
def test_errors_name_file_and_field(tmp_path, body, message):
    p = write(tmp_path, body)
    with pytest.raises(ConfigError) as e:
        load_sources(p)
    assert str(p) in str(e.value) and message in str(e.value)


def test_unknown_source_name(tmp_path):
    sf = load_sources(write(tmp_path, "sources:\n  - {name: a, kind: folder, paths: [x]}"))
    with pytest.raises(ConfigError, match="no source named 'b'"):
        sf.get("b")


def test_crawler_does_not_import_dagster():
    import subprocess
    import sys

    code = "import sys, extractors.crawl, extractors.crawl.cli; sys.exit('dagster' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False, cwd=REPO_SOURCES.parent).returncode == 0

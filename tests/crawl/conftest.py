"""Fixtures for the crawler tests; the fixture portal itself is in crawl_portal_fixture.py."""
from __future__ import annotations

import pytest
from crawl_portal_fixture import SHARED_PORTALS, SOURCES_TEMPLATE, FixturePortal, PortalServer


@pytest.fixture
def server():
    s = PortalServer()
    yield s
    s.close()


@pytest.fixture
def portal(server):
    return FixturePortal(server)


@pytest.fixture
def sources_file(tmp_path, portal):
    p = tmp_path / "sources.yaml"
    p.write_text(SOURCES_TEMPLATE.format(start=portal.start_url), encoding="utf-8")
    return p


@pytest.fixture
def data(tmp_path):
    from extractors.registry import RawStore, Registry

    reg = Registry(tmp_path / "data" / "registry.sqlite")
    yield reg, RawStore(tmp_path / "data" / "raw")
    reg.close()


@pytest.fixture
def shared_portals():
    if not SHARED_PORTALS.is_dir():
        pytest.skip(f"{SHARED_PORTALS} is absent (the shared real corpus is not mounted here)")
    return SHARED_PORTALS

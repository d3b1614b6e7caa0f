"""Page routing measured on the real corpus (issue 14): only pages without a usable text layer go to OCR — no
text page is OCR'd and no image-only page is missed. Uses the cheap per-page triage the PDF reader routes by."""
from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from extractors.documents.limits import Limits
from extractors.documents.pdf import triage

REAL = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "real"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is absent (the shared corpus sits beside the repo)")


def _manifest() -> list[dict]:
    with open(REAL.parent / "manifest_real.csv", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["format"] == "pdf"]


def _poppler_text_pages(path: Path) -> list[bool]:
    """An independent reading of each page's text layer: poppler's pdftotext, pages split at form feeds."""
    out = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, check=False).stdout
    return [bool(page.strip()) for page in out.decode("utf-8", "replace").split("\f")]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_every_real_page_is_routed_by_its_own_text_layer():
    routed = {"ok": 0, "degraded": 0, "scanned": 0, "empty": 0}
    for row in _manifest():
        pages, _ = triage(REAL / row["file"], Limits())
        assert len(pages) == int(row["pages"]), row["file"]
        poppler = _poppler_text_pages(REAL / row["file"])
        for p in pages:
            routed[p.quality] += 1
            if p.number <= len(poppler) and poppler[p.number - 1]:  # poppler reads text here: never OCR'd
                assert p.quality in ("ok", "degraded"), (row["file"], p.number)
            if p.n_chars:  # a text layer, however short (a page number): never OCR'd
                assert p.quality in ("ok", "degraded"), (row["file"], p.number)
            elif p.n_images:  # no text, an image: the scan of a page, always OCR'd
                assert p.quality == "scanned", (row["file"], p.number)
            else:
                assert p.quality == "empty", (row["file"], p.number)
        scanned = sum(p.quality == "scanned" for p in pages)
        # the manifest counts the pages with a text layer independently: OCR never exceeds the rest
        assert scanned <= int(row["pages"]) - int(row["text_layer_pages"]), row["file"]
        if int(row["text_layer_pages"]) == 0:
            assert scanned == len(pages), f"{row['file']}: an image-only document must be OCR'd whole"
    # 1,874 pages: the image-only NEGATIVE scan's 7 pages and one scanned page of 西安卫健委's 决算 go to OCR
    assert routed["scanned"] >= 7 and routed["ok"] > 1800

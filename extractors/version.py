"""Fingerprints of the reading and extraction code, stamped on every parsed and staged document.

A parsed document whose stamp differs from ``reader_version()`` is read again; a staged record whose stamp
differs from ``extractor_version()`` is re-extracted (from the parsed JSON when only extraction rules changed, so
a rule fix does not re-read every PDF), and the loader replaces exactly that document's rows. Hashing the
source (rather than a hand-bumped number) means a change can never be forgotten.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_ROOT = Path(__file__).parent


def _hash(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(_ROOT.parent).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


@lru_cache(maxsize=1)
def reader_version() -> str:
    """The readers and the Document model: what ``data/parsed/<doc_id>.json`` depends on."""
    return _hash(sorted((_ROOT / "documents").rglob("*.py")) + [_ROOT.parent / "schemas" / "document.py"])


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """Readers + figure extraction + the metric and table catalogues: what a staged record depends on."""
    from schemas.ddl import contract_files

    files = sorted((_ROOT / "figures").rglob("*.py")) + [f for f in contract_files() if f.suffix != ".sql"]
    h = hashlib.sha256(reader_version().encode())
    h.update(_hash(files).encode())
    return h.hexdigest()[:12]

"""A fingerprint of the reading and extraction code, stamped on every staged record.

A staged record whose stamp differs from the current one is stale: the per-document asset re-extracts it, and
the loader replaces exactly that document's rows. Hashing the source (rather than a hand-bumped number) means a
rule change can never be forgotten.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_PACKAGES = ("documents", "figures")


@lru_cache(maxsize=1)
def extractor_version() -> str:
    root = Path(__file__).parent
    h = hashlib.sha256()
    for pkg in _PACKAGES:
        for f in sorted((root / pkg).rglob("*.py")):
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())
    for f in sorted((root.parent / "schemas").glob("*.csv")):
        h.update(f.read_bytes())
    return h.hexdigest()[:12]

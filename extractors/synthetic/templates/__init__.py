"""Regional document templates; each module exposes ``NAME`` and ``build(model) -> Doc``."""
from __future__ import annotations

from . import guangdong, shanghai, sichuan, unit_yuan

TEMPLATES = {m.NAME: m for m in (sichuan, shanghai, guangdong, unit_yuan)}

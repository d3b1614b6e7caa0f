"""Regional document templates; each module exposes ``NAME`` and ``build(model) -> Doc``."""
from __future__ import annotations

from . import budget, guangdong, shanghai, sichuan, unit_yuan

# the budget template is asked for by name (build_corpus(templates=["budget"])); the default rotation is 决算
TEMPLATES = {m.NAME: m for m in (sichuan, shanghai, guangdong, unit_yuan, budget)}

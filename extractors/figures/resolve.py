"""Resolution: many observations per metric → one value.

Order of preference: a printed table cell, then an explicit narrative statement, then a value the table's
own totals prove (blank ⇒ 0), then a narrative-derived value (prior year = current − stated change).
Within a source: the rule's rank, the metric's home table (T01 before T04 …), then document order.
Every observation stays in ``figures``; disagreement is the anomaly stage's business.
"""
from __future__ import annotations

_HOME = {"T01": 0, "T03": 1, "T02": 2, "T04": 3, "T05": 4, "T06": 5, "T07": 6, "T08": 7, "T09": 8, "T10": 9}


def _key(f: dict):
    # a blank cell's 0 and a partial-coverage cell (basic-only 会议费) yield to any stated figure
    derived = bool(f.get("derived") or f.get("blank") or f.get("_fallback"))
    table = f.get("source") == "table"
    tier = (0 if table else 1) if not derived else (2 if table else 3)
    return (tier, f.get("_rank", 0), _HOME.get(f.get("table", ""), 10), f.get("_off", 0))


def resolve(figs: list[dict]) -> dict:
    best: dict[str, dict] = {}
    for f in figs:
        m = f["metric"]
        if m not in best or _key(f) < _key(best[m]):
            best[m] = f
    return {m: f["value"] for m, f in sorted(best.items())}


def public_figures(figs: list[dict]) -> list[dict]:
    """Strip internal keys, drop exact duplicates (same metric, value, source, page, text)."""
    out, seen = [], set()
    for f in figs:
        k = (f["metric"], f["value"], f["source"], f.get("page"), f.get("text"))
        if k in seen:
            continue
        seen.add(k)
        out.append({k2: v for k2, v in f.items() if not k2.startswith("_")})
    return out

"""Compare an extract record with a gold/truth file (same matching rules as shared/tools/score_extract.py)."""
from __future__ import annotations

import math


def _same(gold, got) -> bool:
    if isinstance(gold, list):
        return any(_same(g, got) for g in gold)
    if isinstance(gold, str):
        return got is not None and str(gold).replace(" ", "") == str(got).replace(" ", "")
    if got is None or isinstance(got, bool):
        return False
    try:
        return math.isfinite(float(got)) and abs(float(got) - float(gold)) <= 0.011
    except (TypeError, ValueError):
        return False


def compare(record: dict, truth: dict) -> dict:
    expected = dict(truth.get("values", {}))
    for k in ("unit_name", "fiscal_year", "kind", "scope"):
        if k in truth.get("document", {}):
            expected["doc." + k] = truth["document"][k]
    got = dict(record.get("values", {}))
    for k, v in record.get("document", {}).items():
        got["doc." + k] = v
    missing = [k for k in expected if got.get(k) is None]
    wrong = [(k, expected[k], got[k]) for k in expected if got.get(k) is not None and not _same(expected[k], got[k])]
    have = {}
    for li in record.get("line_items", []):
        have.setdefault((li["table"], li["code"], li["column"]), li["value"])
        have.setdefault(("*", li["code"], li["column"]), li["value"])
    gitems = [li for li in truth.get("line_items", []) if li.get("code")]
    li_missing = [li for li in gitems
                  if not _same(li["value"], have.get(("*" if li["table"] == "narrative" else li["table"],
                                                      li["code"], li["column"])))]
    n = len(expected)
    ok = n - len(missing) - len(wrong)
    return {"n": n, "ok": ok, "missing": missing, "wrong": wrong,
            "recall": ok / n if n else 1.0, "precision": ok / (ok + len(wrong)) if ok + len(wrong) else 1.0,
            "li_n": len(gitems), "li_missing": li_missing,
            "li_recall": 1 - len(li_missing) / len(gitems) if gitems else 1.0}

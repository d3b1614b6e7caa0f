"""Unit identity at scale (issue 18): generated units in several cities and counties with the same department
names, two years each, through `juesuan ingest`; then what the name-only key would have merged and what the
(region, name) key does.

Prints: documents, distinct printed names, the largest namesake group; units by the name-only key (legacy) and by
(region, name) against the factory's truth; cross-year pairs and cross-year/cross-unit findings that compare two
different units (both keys for pairs); unit-year view rows per (region, unit, year, kind, scope).

usage: python bench/bench_identity.py [--docs 200] [--workers 2] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.synthetic import build_corpus, build_unit_models  # noqa: E402
from pipelines.runner import ingest  # noqa: E402
from pipelines.settings import Settings  # noqa: E402
from warehouse.anomaly_rules.cross import _unit_docs  # noqa: E402
from warehouse.db import Warehouse  # noqa: E402


def _wrong_pairs(docs, truth) -> int:
    by_key = _unit_docs(docs)
    return sum(1 for r in docs.itertuples() if r.unit_id
               for prev in [by_key.get((r.unit_id, int(r.fiscal_year) - 1, r.kind, r.scope))]
               if prev and truth.get(prev) != truth.get(r.doc_id))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep")
    a = ap.parse_args()
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="juesuan-identity-"))
    for k in ("DAGSTER_HOME", "JUESUAN_DATA_DIR", "JUESUAN_WAREHOUSE", "JUESUAN_SNAPSHOT"):
        os.environ.pop(k, None)
    try:
        t0 = time.perf_counter()
        units = a.docs // 2
        manifest = build_corpus(work / "corpus", units=units, years=(2023, 2024), formats=("pdf",))
        series = build_unit_models(units=units, years=(2023, 2024))
        region_of = {m.unit_name + f"@{m.fiscal_year}@{i}": m.region_name for i, s in enumerate(series) for m in s}
        by_file = {}
        for rec in manifest:
            i = int(Path(rec["path"]).name[1:4])
            by_file[Path(rec["path"]).name] = (region_of[f"{rec['unit_name']}@{rec['fiscal_year']}@{i}"],
                                               rec["unit_name"])
        names = Counter(r["unit_name"] for r in manifest)
        print(f"corpus: {len(manifest)} PDFs, {len(names)} distinct printed names, largest namesake group "
              f"{names.most_common(1)[0]} ({time.perf_counter() - t0:.0f} s)")
        settings = Settings.resolve(data_dir=str(work / "data"), warehouse=str(work / "warehouse.duckdb"),
                                    dagster_home=str(work / "dagster_home"))
        t1 = time.perf_counter()
        report = ingest([r["path"] for r in manifest], settings, workers=a.workers)
        print(f"ingest --workers {a.workers}: {time.perf_counter() - t1:.0f} s, success={report.success}")
        with Warehouse(settings.warehouse).read() as con:
            docs = con.execute("SELECT doc_id, unit_id, legacy_unit_id, unit_status, region_name, fiscal_year, kind, "
                               "scope, original_name, source_url FROM documents").df()
            found = con.execute("SELECT rule_id, doc_id, evidence FROM anomalies WHERE rule_id LIKE 'cross_%'").df()
            dup = {v: con.execute(f"SELECT count(*) FROM (SELECT region_name, unit_id, unit_name, fiscal_year, kind, "
                                  f"scope FROM {v} GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]
                   for v in ("unit_year_finance", "unit_year_sangong", "unit_year_procurement", "unit_year_staff")}
            caizheng = con.execute("SELECT fiscal_year, count(*) FROM unit_year_finance WHERE unit_name LIKE '%财政局' "
                                   "GROUP BY ALL ORDER BY 1").fetchall()
        truth = {r.doc_id: by_file.get(Path(str(r.original_name or r.source_url or "")).name) for r in docs.itertuples()}
        missing = sum(1 for v in truth.values() if v is None)
        for label, col in (("name-only key (legacy)", "legacy_unit_id"), ("(region, name) key", "unit_id")):
            keyed = docs.assign(unit_id=docs[col])
            mixed = keyed.dropna(subset=["unit_id"]).groupby("unit_id").doc_id.apply(
                lambda d: len({truth[x] for x in d})).gt(1).sum()
            print(f"{label}: {keyed.unit_id.nunique()} units, {mixed} of them mix different true units, "
                  f"{_wrong_pairs(keyed, truth)} cross-year pairs of two different units")
        print(f"unresolved documents: {(docs.unit_status == 'unresolved').sum()}; documents without truth: {missing}")
        wrong = 0
        for r in found.itertuples():
            if "上年文件 " in str(r.evidence):
                prev = str(r.evidence).split("上年文件 ")[1].rstrip("）")
                wrong += truth.get(prev) != truth.get(r.doc_id)
        print(f"cross-document findings: {Counter(found.rule_id)}; comparing two different units: {wrong}")
        print(f"unit-year views, (region, unit, year, kind, scope) groups with more than one row: {dup}")
        print(f"unit_year_finance rows of …财政局 per year: {caizheng}")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Mutation harness for the anomaly rules (issue 13): inject publishers' errors into corpus-factory documents and
measure what the rules find. Not a timed test; CPU heavy (each mutant is rendered, read, extracted and loaded).

    .venv/bin/python bench/bench_mutations.py --units 14          # 12 kinds × 14 units ≈ 160 mutations

The twins (one document per unit-year, DOCX or PDF by unit) are ingested once; each mutant replaces its twin in a
copy of that warehouse, so the cross-unit and cross-year rules see it among its real peers. A finding on a mutant
is new when its twin has no finding with the same rule, metric, values and page. Counted: error and warning
findings, plus info for the cross-unit kind (outliers are info by design).
Recall per kind = mutants with a new finding / mutants; precision = new findings / (new findings + findings the
mutant shares with its twin); false findings = error/warning findings on the unmutated twins.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.mutations import MUTATORS, mutate  # noqa: E402
from extractors.registry import RawStore, Registry, register_files  # noqa: E402
from extractors.synthetic.corpus import RENDERERS  # noqa: E402
from extractors.synthetic.generator import build_unit_models  # noqa: E402
from extractors.synthetic.templates import TEMPLATES  # noqa: E402
from pipelines.stage import stage_document  # noqa: E402
from warehouse.anomalies import detect_anomalies  # noqa: E402
from warehouse.db import Warehouse  # noqa: E402
from warehouse.load import delete_documents, load_staged  # noqa: E402
from warehouse.staging import Staging  # noqa: E402

SERIOUS = ("error", "warning")


def _fmt(index: int, pdf_every: int) -> str:
    return "pdf" if pdf_every and index % pdf_every == 0 else "docx"


def _render(model, fmt: str, path: Path, kind: str | None = None, seed=None) -> dict | None:
    doc = TEMPLATES[model.template].build(model)
    desc = mutate(doc, kind, seed) if kind else {}
    if desc is None:
        return None
    RENDERERS[fmt](doc, path)
    return desc


def _ingest(paths: list[Path], root: Path, wh: Warehouse) -> list:
    staging = Staging(root / "staging")
    with Registry(root / "registry.sqlite") as reg:
        entries = [e for e, _ in register_files(reg, RawStore(root / "raw"), paths)]
    for e in entries:
        stage_document(e, root / "parsed", staging)
    load_staged(wh, staging, [e.doc_id for e in entries])
    return entries


def _key(r) -> tuple:
    return (r.rule_id, r.metric_id, None if r.expected_value != r.expected_value else r.expected_value,
            None if r.actual_value != r.actual_value else r.actual_value, r.page)


def _counted(found, kind: str):
    keep = found.severity.isin(SERIOUS)
    if kind == "outlier_unit":
        keep |= found.rule_id.str.startswith("cross_unit")
    return found[keep]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=14)
    ap.add_argument("--pdf-every", type=int, default=4, help="every Nth unit is rendered as PDF, the rest DOCX")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--kinds", default=",".join(MUTATORS))
    args = ap.parse_args(argv)
    kinds = args.kinds.split(",")
    t0 = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="bench_mut_"))
    series = build_unit_models(units=args.units, years=(2023, 2024), seed=args.seed)
    twins, paths = {}, []
    for i, unit in enumerate(series):
        for model in unit:
            fmt = _fmt(i, args.pdf_every)
            p = root / "twins" / f"u{i:03d}_{model.fiscal_year}.{fmt}"
            p.parent.mkdir(parents=True, exist_ok=True)
            _render(model, fmt, p)
            paths.append(p)
            twins[(i, model.fiscal_year)] = p
    base = Warehouse(root / "base.duckdb")
    entries = _ingest(paths, root / "base", base)
    doc_of = {Path(e.raw_path).name if e.raw_path else None: e.doc_id for e in entries}
    doc_of.update({e.original_name: e.doc_id for e in entries})
    base_found = detect_anomalies(base)
    twin_serious = base_found[base_found.severity.isin(SERIOUS)]
    print(f"twins: {len(paths)} documents, {len(twin_serious)} error/warning findings "
          f"({int((twin_serious.severity == 'error').sum())} error): "
          f"{dict(Counter(twin_serious.rule_id))}  [{time.perf_counter() - t0:.0f}s]", flush=True)

    per_kind: dict[str, list[bool]] = defaultdict(list)
    rules_of: dict[str, Counter] = defaultdict(Counter)
    new_total, shared_total, missed = 0, 0, []
    for kind in kinds:
        for i, unit in enumerate(series):
            model = unit[-1]
            fmt = _fmt(i, args.pdf_every)
            work = root / "m" / f"{kind}_{i:03d}"
            work.mkdir(parents=True)
            path = work / f"u{i:03d}_{model.fiscal_year}_{kind}.{fmt}"
            desc = _render(model, fmt, path, kind, f"{args.seed}:{i}")
            if desc is None:
                continue
            twin_doc = doc_of[twins[(i, model.fiscal_year)].name]
            shutil.copy(root / "base.duckdb", work / "wh.duckdb")
            wh = Warehouse(work / "wh.duckdb")
            delete_documents(wh, [twin_doc])
            mutant_doc = _ingest([path], work, wh)[0].doc_id
            found = detect_anomalies(wh)
            mine = _counted(found[found.doc_id == mutant_doc], kind)
            before = {_key(r) for r in _counted(base_found[base_found.doc_id == twin_doc], kind).itertuples()}
            new = [r for r in mine.itertuples() if _key(r) not in before]
            per_kind[kind].append(bool(new))
            rules_of[kind].update({r.rule_id for r in new})
            new_total += len(new)
            shared_total += len(mine) - len(new)
            if not new:
                missed.append((kind, fmt, model.template, desc))
            shutil.rmtree(work, ignore_errors=True)
        hits = per_kind[kind]
        print(f"{kind:32s} {sum(hits):3d}/{len(hits):3d}  recall {sum(hits) / max(1, len(hits)):.2f}"
              f"  [{time.perf_counter() - t0:.0f}s]  by {dict(rules_of[kind])}", flush=True)
    n = sum(len(v) for v in per_kind.values())
    hit = sum(sum(v) for v in per_kind.values())
    precision = new_total / max(1, new_total + shared_total)
    print(f"\nmutations {n}, detected {hit}, recall {hit / max(1, n):.3f}; findings on mutants: {new_total} new, "
          f"{shared_total} shared with the twin → precision {precision:.3f}")
    print(f"false findings on unmutated twins: {len(twin_serious)} error/warning "
          f"({int((twin_serious.severity == 'error').sum())} error)")
    for m in missed[:40]:
        print("  missed:", m)
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

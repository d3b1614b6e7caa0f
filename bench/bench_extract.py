"""Benchmark: the cost of figure extraction on top of reading (not a timed test).

For 3–5 typical 30–40 page real disclosures, in one process: ``read_document`` alone vs ``read_document`` +
``extract_document`` (best of N runs each), per-file seconds and the ratio (target ≤ 1.3).

    .venv/bin/python bench/bench_extract.py [CORPUS_DIR] [--runs 3]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
FILES = [
    "fujian_fz-swj_2026_yusuan.pdf",      # 43 pp, Fujian template, WPS
    "jiangsu_suz-sjj_2026_yusuan.pdf",    # 33 pp, Jiangsu 公开01–13表
    "hunan_cs-xfj_2026_yusuan.pdf",       # 32 pp, iText
    "zhejiang_huz-czj_2026_yusuan.pdf",   # 32 pp, Zhejiang 市级部门 tables
    "central_gjxfj_2026_yusuan.pdf",      # 37 pp, central template
]


def best(fn, runs: int) -> float:
    out = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    from extractors.documents import read_document
    from extractors.figures import extract_document

    if not args.corpus.exists():
        print(f"{args.corpus} is absent", file=sys.stderr)
        return 2
    tot_r = tot_x = 0.0
    for name in FILES:
        path = args.corpus / name
        if not path.exists():
            continue
        t_read = best(lambda p=path: read_document(p), args.runs)
        t_both = best(lambda p=path: extract_document(read_document(p)), args.runs)
        doc = read_document(path)
        t_extract = best(lambda d=doc: extract_document(d), args.runs)
        tot_r, tot_x = tot_r + t_read, tot_x + t_both
        print(f"{name:40s} pages {doc.n_pages:3d}  read {t_read:6.2f}s  read+extract {t_both:6.2f}s  "
              f"(extract alone {t_extract:5.2f}s)  ratio {t_both / t_read:4.2f}")
    if tot_r:
        print(f"{'total':40s}            read {tot_r:6.2f}s  read+extract {tot_x:6.2f}s  ratio {tot_x / tot_r:4.2f}"
              f"  (target ≤ 1.30)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

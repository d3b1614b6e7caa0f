"""Benchmark: juesuan's PDF reader against plain pdfplumber over the real corpus (not a timed test).

Plain pdfplumber = extract_text() + extract_tables() on every page. Ours = read_document(ocr=False) (OCR is
off on both sides so the comparison is like for like). Table completeness is compared as pages on which a table
(>= 2x2) was found and as non-empty table cells. Peak memory is measured for the 262-page Shenzhen document in
a fresh child process.

    .venv/bin/python bench/bench_read.py [CORPUS_DIR] [--limit N]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
BIG = "guangdong_sz-rsj_2026_yusuan.pdf"


def plain_pdfplumber(path: Path) -> tuple[int, dict[int, str], int]:
    """Pages, {page: shape of its tables} for pages with a >= 2x2 table, non-empty cells."""
    import pdfplumber

    pages = cells = 0
    table_pages: dict[int, str] = {}
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            pages += 1
            page.extract_text()
            tables = [t for t in page.extract_tables() if len(t) >= 2 and len(t[0]) >= 2]
            if tables:
                table_pages[page.page_number] = " + ".join(
                    f"{len(t)}x{len(t[0])} ({sum(1 for r in t for v in r if v and v.strip())} filled)" for t in tables)
            cells += sum(1 for t in tables for row in t for v in row if v and v.strip())
            page.close()
    return pages, table_pages, cells


def ours(path: Path) -> tuple[int, dict[int, str], int]:
    from extractors.documents import read_document

    doc = read_document(path, ocr=False)
    table_pages = {c.page: "" for t in doc.tables for c in t.cells if c.page}
    cells = sum(1 for t in doc.tables for c in t.cells if c.text)
    return len(doc.pages), table_pages, cells


def peak_rss_mib(path: Path) -> float:
    root = str(Path(__file__).resolve().parents[1])
    code = (f"import resource,sys; sys.path.insert(0, {root!r}); from extractors.documents import read_document; "
            f"read_document({str(path)!r}, ocr=False); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    ap.add_argument("--limit", type=int, default=0, help="only the first N PDFs (for a quick run)")
    args = ap.parse_args()
    files = sorted(p for p in Path(args.corpus).glob("*.pdf"))
    if args.limit:
        files = files[: args.limit]
    totals = {"plain": [0, 0.0, 0, 0], "ours": [0, 0.0, 0, 0]}
    found: dict[str, dict[tuple[str, int], str]] = {"plain": {}, "ours": {}}
    for name, fn in (("plain", plain_pdfplumber), ("ours", ours)):
        for f in files:
            start = time.perf_counter()
            try:
                pages, tpages, cells = fn(f)
            except Exception as e:  # noqa: BLE001 - a benchmark reports and goes on
                print(f"  {name}: {f.name}: {type(e).__name__}: {e}")
                continue
            t = totals[name]
            t[0] += pages
            t[1] += time.perf_counter() - start
            t[2] += len(tpages)
            t[3] += cells
            found[name].update({(f.name, p): shape for p, shape in tpages.items()})
    print(f"corpus: {len(files)} PDFs in {args.corpus}")
    for name, label in (("plain", "plain pdfplumber (extract_text+extract_tables)"), ("ours", "juesuan read_document")):
        pages, secs, tpages, cells = totals[name]
        print(f"{label:48s} {pages:5d} pages {secs:7.1f} s {pages / secs:6.1f} pages/s "
              f"table pages {tpages:4d}  table cells {cells:6d}")
    speedup = (totals["ours"][0] / totals["ours"][1]) / (totals["plain"][0] / totals["plain"][1])
    print(f"speed-up: {speedup:.2f}x")
    plain_only = sorted(set(found["plain"]) - set(found["ours"]))
    ours_only = sorted(set(found["ours"]) - set(found["plain"]))
    print(f"table pages: both {len(set(found['plain']) & set(found['ours']))}, plain only {len(plain_only)}, "
          f"ours only {len(ours_only)}")
    for key in plain_only:
        print(f"  plain only: {key[0]} p{key[1]}: {found['plain'][key]}")
    big = Path(args.corpus) / BIG
    if big.exists():
        print(f"peak RSS reading {BIG} (262 pages): {peak_rss_mib(big):.0f} MiB")


if __name__ == "__main__":
    main()

"""Benchmark: OCR engines side by side on generated scans of the corpus factory and on a real scanned page.

For every factory template the text PDF is rendered as a scan (``extractors.synthetic.render_scan``: image
only, ±1° rotation, noise, JPEG) at 150 and 200 dpi; each engine then reads and extracts every scan in a fresh
child process (peak RSS is that process's). Against the text twin it reports:

- amounts: the twin's amounts (every 2-dp number in its cells and lines, page by page) found exactly;
- chars: the twin's characters found in order on the same page (difflib matching blocks, whitespace ignored);
- s/page: read + extract of the whole OCR'd document;
- values / precision / items: the extract record scored against the twin's truth (the shared scorer's rules);
- peak RSS of the child.

``before`` runs today's path of the commit named by ``--before`` (tesseract chi_sim, cell sheets), extracted
with ``git archive`` into a temporary folder, on the same scans in the same run: the speed ratio is against it.
The real scan (``--real``) has no truth: its row gives s/page, characters read and the two engines' agreement.

    nice -n 10 .venv/bin/python bench/bench_ocr.py                 # full: 4 templates x 2 dpi x engines
    nice -n 10 .venv/bin/python bench/bench_ocr.py --pages 3       # quick: the first 3 pages of each scan
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REAL_SCAN = REPO.parent / "shared" / "corpus" / "real" / "hunan_cs-gajj_2023_NEGATIVE-jxpj-scanned.pdf"
_AMOUNT = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d])|(?<![\d.,])\d+\.\d{2}(?![\d])")


def _page_texts(doc, pages: int | None) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    for ln in doc.lines:
        out.setdefault(ln.page, []).append(ln.text)
    for t in doc.tables:
        for c in t.cells:
            if c.text:
                out.setdefault(c.page or t.page, []).append(c.text)
    return {p: "\n".join(v) for p, v in out.items() if pages is None or p <= pages}


def _same(gold, got) -> bool:
    if isinstance(gold, str):
        return got is not None and re.sub(r"\s+", "", gold) == re.sub(r"\s+", "", str(got))
    try:
        return got is not None and not isinstance(got, bool) and abs(float(got) - float(gold)) <= 0.011
    except (TypeError, ValueError):
        return False


def score(record: dict, truth: dict) -> dict:
    """Values recall/precision and line-item recall, by the rules of shared/tools/score_extract.py."""
    exp = dict(truth.get("values", {}))
    got = record.get("values", {})
    ok = sum(1 for k, v in exp.items() if _same(v, got.get(k)))
    wrong = sum(1 for k, v in exp.items() if got.get(k) is not None and not _same(v, got.get(k)))
    have = {}
    for li in record.get("line_items", []):
        have.setdefault((li["table"], li["code"], li["column"]), li["value"])
    items = [li for li in truth.get("line_items", []) if li.get("code") and li["table"] != "narrative"]
    li_ok = sum(1 for li in items if _same(li["value"], have.get((li["table"], li["code"], li["column"]))))
    return {"values": ok / len(exp) if exp else 1.0, "precision": ok / (ok + wrong) if ok + wrong else 1.0,
            "items": li_ok / len(items) if items else 1.0, "n_values": len(exp), "wrong_values": wrong}


def one(path: str, twin: str | None, pages: int | None) -> dict:
    """Read and extract one scan (in this process); compare with its twin."""
    from extractors.documents import read_document
    from extractors.figures.extract import extract_document

    started = time.monotonic()
    doc = read_document(path) if pages is None else _read_first(path, pages)
    record = extract_document(doc)
    seconds = time.monotonic() - started
    n_pages = sum(1 for p in doc.pages if p.ocr)
    texts = _page_texts(doc, pages)
    out = {"seconds": seconds, "pages": n_pages, "chars_read": sum(len(t) for t in texts.values()),
           "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "check": doc.metadata.get("ocr_check"), "warnings": doc.warnings[:3]}
    if twin:
        ref = _page_texts(read_document(twin, ocr=False), pages)
        want = Counter((p, a) for p, t in ref.items() for a in _AMOUNT.findall(t))
        have = Counter((p, a) for p, t in texts.items() for a in _AMOUNT.findall(t))
        if want:
            out["amounts"] = sum((want & have).values()) / sum(want.values())
            out["amounts_extra"] = sum((have - want).values())
        matched = total = 0
        for p, t in ref.items():
            a, b = re.sub(r"\s+", "", t), re.sub(r"\s+", "", texts.get(p, ""))
            total += len(a)
            matched += sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
        out["chars"] = matched / max(total, 1)
        truth_path = Path(path).with_name(Path(path).stem + ".truth.json")
        if pages is None and truth_path.exists():
            out.update(score(record, json.loads(truth_path.read_text(encoding="utf-8"))))
    else:
        out["text"] = texts
    return out


def _read_first(path: str, pages: int):
    """The first ``pages`` pages only: a copy of the PDF cut with pypdfium2 (quick runs)."""
    import pypdfium2 as pdfium

    from extractors.documents import read_document

    src = pdfium.PdfDocument(path)
    dst = pdfium.PdfDocument.new()
    dst.import_pages(src, list(range(min(pages, len(src)))))
    with tempfile.TemporaryDirectory() as tmp:
        cut = Path(tmp) / Path(path).name
        dst.save(str(cut))
        return read_document(cut)


def _child(engine: str, path: Path, twin: Path | None, pages: int | None, root: Path | None) -> dict:
    env = {**os.environ, "JUESUAN_OCR_ENGINE": engine, "JUESUAN_OCR_THREADS": os.environ.get("JUESUAN_OCR_THREADS", "2")}
    argv = [sys.executable, str(Path(__file__).resolve()), "--one", str(path), "--twin", str(twin or ""),
            "--root", str(root or REPO)]
    if pages:
        argv += ["--pages", str(pages)]
    p = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if p.returncode != 0:
        return {"error": p.stderr.strip()[-400:]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def _before_tree(commit: str) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="juesuan-before-"))
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "extractors", "schemas"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
    return tmp


def build_scans(out: Path, dpis: list[int]) -> list[tuple[str, int, Path, Path]]:
    from extractors import synthetic
    from extractors.synthetic.render_scan import ScanSettings, scan_corpus

    names = list(synthetic.TEMPLATE_ORDER)
    manifest = synthetic.build_corpus(out / "twins", units=len(names), years=(2024,), formats=("pdf",),
                                      templates=names, anomalies=False)
    scans = []
    for dpi in dpis:
        for rec in scan_corpus(manifest, out / f"scan{dpi}", ScanSettings(dpi=dpi)):
            scans.append((rec["template"], dpi, Path(rec["path"]), Path(rec["twin"])))
    return scans


def _row(label: str, r: dict) -> str:
    if "error" in r:
        return f"| {label} | error: {r['error'][-120:]} |"
    sp = r["seconds"] / max(r["pages"], 1)

    def pct(k):
        return f"{100 * r[k]:.1f}" if k in r else "–"

    return (f"| {label} | {r['pages']} | {pct('amounts')} | {pct('chars')} | {sp:.2f} | {r['rss_mb']:.0f} | "
            f"{pct('values')} | {pct('precision')} | {pct('items')} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, help="only the first N pages of each scan (quick run)")
    ap.add_argument("--dpi", type=int, nargs="*", default=[150, 200])
    ap.add_argument("--engines", nargs="*", default=["ppocr", "tesseract", "before"])
    ap.add_argument("--before", default="3765b09", help="commit whose OCR path is today's (default: before issue 14)")
    ap.add_argument("--templates", nargs="*")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "juesuan-bench-ocr")
    ap.add_argument("--one")
    ap.add_argument("--twin")
    ap.add_argument("--root")
    args = ap.parse_args()
    if args.one:
        sys.path.insert(0, args.root)
        print(json.dumps(one(args.one, args.twin or None, args.pages), ensure_ascii=False, default=str))
        return
    sys.path.insert(0, str(REPO))
    scans = [s for s in build_scans(args.out, args.dpi) if not args.templates or s[0] in args.templates]
    before = _before_tree(args.before) if "before" in args.engines else None
    print("| scan | engine | pages | amounts % | chars % | s/page | peak RSS MB | values % | precision % | items % |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    totals: dict[str, list[float]] = {}
    for template, dpi, path, twin in scans:
        for engine in args.engines:
            r = _child("tesseract" if engine == "before" else engine, path, twin, args.pages,
                       before if engine == "before" else None)
            if "error" not in r:
                totals.setdefault(engine, [0.0, 0])
                totals[engine][0] += r["seconds"]
                totals[engine][1] += r["pages"]
            print(_row(f"{template} {dpi}dpi | {engine}", r), flush=True)
    if REAL_SCAN.exists():
        texts = {}
        for engine in [e for e in args.engines if e != "before"]:
            r = _child(engine, REAL_SCAN, None, args.pages or 3, None)
            texts[engine] = "".join(r.get("text", {}).values()) if "error" not in r else ""
            print(_row(f"real {REAL_SCAN.name[:28]} | {engine}", r) + f" chars read {r.get('chars_read')}", flush=True)
        if len(texts) == 2:
            a, b = (re.sub(r"\s+", "", t) for t in texts.values())
            agree = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
            print(f"real scan: the two engines' texts agree {100 * agree:.1f}% (difflib ratio)")
    for engine, (sec, pages) in totals.items():
        print(f"{engine}: {sec / max(pages, 1):.2f} s/page over {pages} pages")
    if "before" in totals and totals["before"][1]:
        base = totals["before"][0] / totals["before"][1]
        for engine, (sec, pages) in totals.items():
            print(f"{engine} / before: {sec / max(pages, 1) / base:.2f} of today's tesseract path's time per page")


if __name__ == "__main__":
    main()

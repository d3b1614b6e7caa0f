"""Builds ``schemas/codes/function_codes.csv`` — the 政府收支分类科目 (支出功能分类) code list the extractor maps
code-less tables with — from two sources, each entry saying which:

* ``seed``: hand-entered 类/款/项 of the 2019+ 科目 book (moved here from the dictionary earlier releases kept in
  code; generic 项 such as 01 行政运行 are not repeated per 款: :func:`schemas.codes.code_for_name` applies them);
* ``corpus:<file>``: every code-name pair a real disclosure prints in its classification tables (T02/T03/T05/T08/T09),
  with that document's fiscal year, so the list follows the codes as the years' documents print them.

Run: ``python -m extractors.figures.code_list_build ../shared/corpus/real [more folders]``. Rebuilding keeps the
seed and replaces the corpus entries.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from schemas.codes import CODE_LIST_PATH, level_of

_TABLES = ("T02", "T03", "T05", "T08", "T09")


def _seed_rows(path: Path) -> list[dict]:
    """The hand-entered entries already in the list (source ``seed``): kept as they are on every rebuild."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["source"] == "seed"]


def _corpus_rows(folders: list[Path]) -> list[dict]:
    from extractors.figures import extract_file

    seen: dict[tuple[str, str], dict] = {}
    for folder in folders:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            try:
                out = extract_file(path)
            except Exception as e:  # noqa: BLE001 — one unreadable file must not stop the build
                print(f"{path.name}: skipped ({e})", file=sys.stderr)
                continue
            year = out["document"].get("fiscal_year") or ""
            for li in out["line_items"]:
                if li["table"] not in _TABLES or li.get("code_mapped") or not li.get("name"):
                    continue
                key = (li["code"], li["name"])
                row = seen.setdefault(key, {"code": li["code"], "name": li["name"], "level": level_of(li["code"]),
                                            "years": set(), "files": set()})
                if year:
                    row["years"].add(int(year))
                row["files"].add(path.name)
    out_rows = []
    for row in seen.values():
        years = sorted(row.pop("years"))
        files = sorted(row.pop("files"))
        row.update(first_year=years[0] if years else "", last_year=years[-1] if years else "",
                   source="corpus:" + ";".join(files[:3]) + (f";+{len(files) - 3}" if len(files) > 3 else ""))
        out_rows.append(row)
    return out_rows


def build(folders: list[Path], path: Path = CODE_LIST_PATH) -> int:
    rows = _seed_rows(path) + _corpus_rows(folders)
    rows = [r for r in rows if r["level"]]
    rows.sort(key=lambda r: (r["code"], r["source"] != "seed", r["name"]))
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["code", "name", "level", "first_year", "last_year", "source"])
        w.writeheader()
        w.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    n = build([Path(a) for a in sys.argv[1:]])
    print(f"{CODE_LIST_PATH}: {n} entries")

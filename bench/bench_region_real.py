"""Region extraction on the real corpus (issue 18): for each file of ../shared/corpus/real, the region juesuan
assigns (document evidence → warehouse.identity, no source region or register) against the region of the
manifest's issuer column (manifest_real.csv has no region column; its issuer is the unit's full printed name).

A hit: same region name (province/city/county) — the central government counts as 中央. Prints one line per file
and the misses.   usage: python bench/bench_region_real.py [CORPUS_DIR]
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.documents import read_document  # noqa: E402
from extractors.figures import identity  # noqa: E402
from extractors.figures.region import document_region  # noqa: E402
from schemas.regions import parse_region, with_level_codes  # noqa: E402
from warehouse.identity import IdentityInputs, identify_row  # noqa: E402


def expected(issuer: str) -> str | None:
    issuer = issuer.split("(")[0].split(" / ")[0].strip()
    return with_level_codes(parse_region(issuer)[0]).name


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/corpus/real")
    rows = list(csv.DictReader(open(root.parent / "manifest_real.csv", encoding="utf-8")))
    hits, misses = 0, []
    for r in rows:
        want = expected(r["issuer"])
        try:
            doc = read_document(root / r["file"])
            ident = identity.identify(doc)
            reg = document_region(doc, ident["unit_name"])
            got = identify_row(ident["unit_name"], ident["fiscal_year"], None, reg["name"], reg["source"],
                               IdentityInputs())
        except Exception as e:  # noqa: BLE001 - a file that cannot be read is a miss, reported
            got = {"region_name": None, "region_code": None, "region_source": f"error: {e}", "unit_status": "?"}
        ok = got["region_name"] == want
        hits += ok
        line = (f"{'hit ' if ok else 'MISS'} {r['file']}\tmanifest {r['issuer']} → {want}\tjuesuan "
                f"{got['region_name']} ({got['region_code']}, {got['region_source']}, {got['unit_status']})")
        print(line, flush=True)
        if not ok:
            misses.append(line)
    print(f"\n{hits}/{len(rows)} files: region as the manifest's issuer; {len(misses)} misses")
    print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())

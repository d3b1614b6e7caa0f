"""``python -m extractors.synthetic OUT_DIR [--units N] [--formats pdf,docx] [--templates …] [--seed S]``."""
from __future__ import annotations

import argparse
import time

from . import TEMPLATE_ORDER, build_corpus


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m extractors.synthetic", description=__doc__)
    parser.add_argument("out_dir")
    parser.add_argument("--units", type=int, default=6)
    parser.add_argument("--years", default="2023,2024")
    parser.add_argument("--formats", default="pdf,docx")
    parser.add_argument("--templates", default=",".join(TEMPLATE_ORDER))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-anomalies", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    manifest = build_corpus(args.out_dir, units=args.units, years=tuple(int(y) for y in args.years.split(",")),
                            formats=tuple(args.formats.split(",")), templates=args.templates.split(","),
                            seed=args.seed, anomalies=not args.no_anomalies)
    print(f"{len(manifest)} documents in {args.out_dir} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()

"""``juesuan crawl --sources FILE [--source NAME] [--json] [--data-dir DIR]``.

pipelines/cli.py registers it with ``add_crawl_subcommand(subparsers)``; ``main()`` runs it standalone
(``python -m extractors.crawl.cli``). With ``--json`` stdout gets one JSON object per line per document, and
nothing else; the human summary goes to stderr either way.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from ..registry import RawStore, Registry
from .config import ConfigError
from .runner import crawl_sources

DEFAULT_DATA_DIR = "data"


def add_crawl_subcommand(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("crawl", help="discover and download disclosures from the sources in sources.yaml",
                              description="Crawl the enabled sources (or --source NAME) into the registry and raw store.")
    _add_arguments(p)
    p.set_defaults(func=run_crawl)
    return p


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sources", default="sources.yaml", help="sources file (default: sources.yaml)")
    p.add_argument("--source", default=None, help="crawl only this source (runs it even if enabled: false)")
    p.add_argument("--json", action="store_true", help="print one JSON line per document to stdout")
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR,
                   help="data folder: registry at DIR/registry.sqlite, raw store at DIR/raw (default: data)")


def run_crawl(args: argparse.Namespace) -> int:
    """Exit code: 0 all went through; 1 some documents or pages ended in error; 2 bad configuration."""
    data_dir = Path(args.data_dir)
    counts: Counter = Counter()
    try:
        with Registry(data_dir / "registry.sqlite") as registry:
            store = RawStore(data_dir / "raw")
            for rec in crawl_sources(args.sources, registry, store, source_name=args.source):
                counts[(rec.get("role", "document"), rec["status"])] += 1
                if args.json:
                    print(json.dumps(rec, ensure_ascii=False), flush=True)
                elif rec["status"] in ("fetched", "error"):
                    print(f"{rec['status']:9} {rec['url']}  {rec.get('reason') or rec.get('title', '')}",
                          file=sys.stderr)
    except ConfigError as e:
        print(f"juesuan crawl: {e}", file=sys.stderr)
        return 2
    docs = {s: n for (role, s), n in counts.items() if role == "document"}
    page_errors = sum(n for (role, s), n in counts.items() if role == "page" and s == "error")
    summary = ", ".join(f"{n} {s}" for s, n in sorted(docs.items())) or "no documents"
    print(f"crawl: {summary}; {page_errors} page error(s)", file=sys.stderr)
    return 1 if docs.get("error") or page_errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="juesuan crawl")
    _add_arguments(parser)
    return run_crawl(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())

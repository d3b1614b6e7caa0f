"""``python -m extractors.figures FILE`` → the extract record as JSON on stdout (exit 1 on DocumentError)."""
from __future__ import annotations

import json
import sys

from schemas.document import DocumentError


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m extractors.figures FILE", file=sys.stderr)
        return 2
    from extractors.figures import extract_file

    try:
        rec = extract_file(argv[0])
    except DocumentError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    json.dump(rec, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

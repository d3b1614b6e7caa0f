"""`juesuan query`: analysts' SQL in DuckDB's sandbox (warehouse.db.SANDBOX_CONFIG), on the snapshot or, with
--live, on the warehouse under the writers' lock."""
from __future__ import annotations

import os
import sys

from pipelines.exit_codes import EXIT_BUSY, EXIT_OK, EXIT_USAGE
from pipelines.settings import Settings

LIVE_QUERY_SECONDS = 300.0  # half the writers' lock timeout: an ingest waiting behind a --live query never times out


def _run_sql(con, args) -> int:
    rel = con.sql(args.sql)
    if rel is None:
        return EXIT_OK
    if args.csv:
        rel.df().to_csv(sys.stdout, index=False)
    else:
        rel.show(max_width=200, max_rows=args.max_rows)
    return EXIT_OK


def run_query(args, settings: Settings) -> int:
    """Analysts' SQL, sandboxed (warehouse.db.SANDBOX_CONFIG): it reads the database it opened and nothing else.

    On the snapshot (a copy, never written by ingest) it needs no lock. ``--live`` reads the warehouse under the
    writers' lock: refused at once while a writer holds it, and stopped after LIVE_QUERY_SECONDS so a writer
    that queues behind it gets the lock in time."""
    import threading

    import duckdb

    from warehouse.db import Warehouse, WarehouseBusy, sandboxed_connection

    if args.snapshot and not args.live and not settings.snapshot.exists():
        print(f"juesuan query: snapshot {settings.snapshot} does not exist (check the path, or run `juesuan "
              "ingest` to publish one)", file=sys.stderr)
        return EXIT_USAGE
    live = args.live or not settings.snapshot.exists()
    db = settings.warehouse if live else settings.snapshot
    if not db.exists():
        print(f"juesuan query: {db} does not exist yet (run `juesuan ingest` or `make demo` first)", file=sys.stderr)
        return EXIT_USAGE
    try:
        if not live:
            con = sandboxed_connection(db)
            try:
                return _run_sql(con, args)
            finally:
                con.close()
        limit = float(os.environ.get("JUESUAN_LIVE_QUERY_SECONDS") or LIVE_QUERY_SECONDS)
        with Warehouse(db).read_unless_busy(sandbox=True) as con:
            timer = threading.Timer(limit, con.interrupt)
            timer.start()
            try:
                return _run_sql(con, args)
            except duckdb.InterruptException:
                print(f"juesuan query: --live query stopped after {limit:g} s so that writers are not held up; "
                      "run long queries on the snapshot (without --live)", file=sys.stderr)
                return EXIT_USAGE
            finally:
                timer.cancel()
    except WarehouseBusy as e:
        print(f"juesuan query: {e}: an ingest is loading it. Query the published snapshot (without --live), or "
              "retry when the ingest has finished", file=sys.stderr)
        return EXIT_BUSY
    except duckdb.PermissionException as e:
        print(f"juesuan query: refused: {str(e).splitlines()[0]} (queries read the warehouse's tables and views "
              "only: no files, ATTACH, COPY, extensions or network)", file=sys.stderr)
        return EXIT_USAGE
    except duckdb.Error as e:
        print(f"juesuan query: {e}", file=sys.stderr)
        return EXIT_USAGE

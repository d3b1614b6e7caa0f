"""Exit statuses of the `juesuan` commands: one table, shown in `juesuan --help`, `ingest --help` and the README."""
from __future__ import annotations

EXIT_OK = 0  # done; for ingest: every document of the batch read and loaded
EXIT_RUN_FAILED = 1  # ingest: a step failed, so the batch is not (fully) loaded or the snapshot not published
EXIT_USAGE = 2  # bad arguments, a missing or unusable path, an SQL error or a refused query
EXIT_DOCUMENTS_FAILED = 3  # ingest finished and loaded the batch, but some documents could not be read
EXIT_BUSY = 4  # another process holds the lock: a second ingest gave up waiting, or `query --live` during a load

EXIT_CODES_HELP = (
    "exit status:\n"
    "  0  done (ingest: every document read and loaded)\n"
    "  1  ingest: a step of the run failed; the summary says which (the batch may not be loaded)\n"
    "  2  bad arguments, missing/unusable path, SQL error or refused query\n"
    "  3  ingest finished, but some documents failed; --json lists them under failed_documents\n"
    "  4  busy: another ingest holds the data folder (after --wait), or `query --live` while a writer loads")


def ingest_exit_code(success: bool, documents_failed: int) -> int:
    """A failed run outranks failed documents: the first means the warehouse may not hold the batch."""
    if not success:
        return EXIT_RUN_FAILED
    return EXIT_DOCUMENTS_FAILED if documents_failed else EXIT_OK

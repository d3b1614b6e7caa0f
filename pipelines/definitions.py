"""The one module that builds the Dagster Definitions for the juesuan code location."""
from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions.merge(
        dg.load_from_defs_folder(path_within_project=Path(__file__).parent),
        # Set once, here: runs are batches of documents and parallelism comes from running several batches;
        # a process per step (the multiprocess default) would only add start-up time to every run.
        dg.Definitions(executor=dg.in_process_executor),
    )

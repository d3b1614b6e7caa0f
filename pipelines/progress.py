"""What `juesuan ingest` shows while it works: documents done/total, the file being read, elapsed time and ETA.

The ingest job runs in this process (``execute_in_process``), so its staging step can report to a listener the
CLI installs for the duration of the run; runs launched by the UI or the sensor have no listener and report
nothing here (their progress is in the run's event log). On a terminal the listener draws a rich progress bar;
otherwise (a log file, CI) it prints one plain line about every tenth of the batch, so a long batch is never
silent. Warnings about a document always name its file, never only its doc id.
"""
from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

_listener: IngestProgress | None = None
# how a document's problems are introduced, by its status (the summary lists failed/partial files again at the end)
_LABELS = {"failed": "[red]failed[/red] ", "partial": "[yellow]partial[/yellow]", "ok": "[yellow]warning[/yellow]"}


def named(name: str, message: str) -> str:
    """``message`` prefixed with the file name unless it already starts with it (readers often name the file)."""
    first = message.splitlines()[0] if message else ""
    return first if name and first.startswith(name) else f"{name}: {first}" if name else first


class IngestProgress:
    """Receives the staging step's events; draws a bar on a terminal, plain lines elsewhere."""

    def __init__(self, console: Console | None = None, live: bool | None = None):
        self.console = console or Console(stderr=True, soft_wrap=True)
        self.live = self.console.is_terminal if live is None else live
        self.total = self.done = 0
        self.started = time.perf_counter()
        self.warnings: list[str] = []
        self._seen: set[str] = set()
        self._bar: Progress | None = None
        self._task = None
        self._next_line = 0

    # -- events from the step -------------------------------------------------------------------------------
    def batch_started(self, total: int) -> None:
        self.total, self.done, self.started = total, 0, time.perf_counter()
        if self.live:
            self._bar = Progress(TextColumn("[bold]reading"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("documents"), TimeElapsedColumn(), TextColumn("ETA"),
                                 TimeRemainingColumn(), TextColumn("{task.fields[current]}"),
                                 console=self.console, transient=False)
            self._bar.start()
            self._task = self._bar.add_task("reading", total=total, current="")
        else:
            self.console.print(f"reading {total} documents …")
            self._next_line = max(1, total // 10)

    def document_started(self, name: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, current=name)

    def document_done(self, name: str, status: str, problems: list[str]) -> None:
        self.done += 1
        label = _LABELS.get(status, _LABELS["ok"])  # a failed file says failed, not "warning"
        for p in problems:
            self.warn(named(name, p), label)
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, current=name)
        elif self.done >= self._next_line or self.done == self.total:
            elapsed = time.perf_counter() - self.started
            eta = elapsed / self.done * (self.total - self.done)
            self.console.print(f"  {self.done}/{self.total} documents, {elapsed:.0f} s elapsed, ETA {eta:.0f} s "
                               f"(last: {name}, {status})")
            self._next_line = self.done + max(1, self.total // 10)

    def batch_finished(self) -> None:
        if self._bar is not None:
            self._bar.update(self._task, current="")
            self._bar.stop()
            self._bar = None

    def phase(self, text: str) -> None:
        """A step after reading (load, anomaly rules, snapshot): one line, so the wait has a name."""
        self.batch_finished()
        self.console.print(f"{text} …")

    def warn(self, text: str, label: str = "") -> None:
        if text in self._seen:  # a reader's problem is reported by the parse and by the extract stage
            return
        self._seen.add(text)
        self.warnings.append(text)
        self.console.print(f"{label or _LABELS['ok']} {escape(text)}", highlight=False)


@contextlib.contextmanager
def listening(progress: IngestProgress | None = None) -> Iterator[IngestProgress]:
    """Install ``progress`` (a new one by default) as the listener for runs in this process."""
    global _listener
    previous, _listener = _listener, progress or IngestProgress()
    try:
        yield _listener
    finally:
        _listener.batch_finished()
        _listener = previous


def active() -> IngestProgress | None:
    return _listener


def emit(method: str, *args) -> None:
    """Call ``method`` on the listener, if any; a display problem never fails the run."""
    if _listener is None:
        return
    try:
        getattr(_listener, method)(*args)
    except Exception as e:  # noqa: BLE001 - the terminal is cosmetic; the run's outcome is not
        print(f"juesuan: progress display failed: {e}", file=sys.stderr)

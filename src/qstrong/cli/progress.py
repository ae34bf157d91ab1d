"""A progress bar on stderr that appears only when the work is slow, and only on a terminal."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # rich is loaded only for a terminal; rich.progress when a bar is drawn
    from rich.console import Console
    from rich.progress import Progress

__all__ = ["PROGRESS_DELAY", "DelayedProgress"]

PROGRESS_DELAY = 1.0
"""Seconds of work before the progress bar appears (on a terminal's stderr only)."""



class DelayedProgress:
    """An indeterminate progress bar on stderr that appears only if the work is slow.

    Nothing is drawn when ``console`` is None or not a terminal, so piped or redirected
    output never contains it; on a terminal it appears after ``delay`` seconds and is
    erased when the work ends.
    """

    def __init__(self, console: Console | None, delay: float | None = None) -> None:
        self._enabled = console is not None and console.is_terminal
        self._console = console
        self._delay = PROGRESS_DELAY if delay is None else delay
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._progress: Progress | None = None
        self._task: Any = None
        self._description = ""
        self._closed = False
        self._done = 0
        self._total: int | None = None

    def __enter__(self) -> DelayedProgress:
        if self._enabled:
            self._timer = threading.Timer(self._delay, self._start)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _start(self) -> None:
        with self._lock:
            if self._closed:
                return
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                console=self._console,
                transient=True,
            )
            self._task = self._progress.add_task(self._description, total=self._total,
                                                 completed=self._done)
            self._progress.start()

    def step(self, description: str) -> None:
        """Name the stage now running (its count starts again, unknown until `advance`)."""
        with self._lock:
            self._description = description
            self._done, self._total = 0, None
            if self._progress is not None:
                self._progress.update(self._task, description=description, completed=0,
                                      total=None)

    def advance(self, done: int, total: int) -> None:
        """Show how many of ``total`` items are done (the bar becomes determinate)."""
        with self._lock:
            self._done, self._total = done, total
            if self._progress is not None:
                self._progress.update(self._task, completed=done, total=total)

    @property
    def shown(self) -> bool:
        """Whether the bar has been drawn."""
        return self._progress is not None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._progress is not None:
                self._progress.stop()

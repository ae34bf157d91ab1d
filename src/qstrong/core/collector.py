"""`collector_paused`: the one place qstrong touches the garbage collector.

An evaluation builds many small, long-lived objects and no reference cycles; the cyclic
collector would rescan them again and again while they are built (it doubled the time of a
province's load and run). Inside the context the collector is paused; on leaving, the
objects made are filed with the old generation (``gc.freeze`` then ``gc.unfreeze``), as
long-lived objects are, and the collector's state is restored exactly as it was, even on
an exception. Nested uses are fine; a caller that turned the collector off keeps it off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the body; restore its state afterwards."""
    collecting = gc.isenabled()
    if not collecting:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()

"""Pausing the cyclic garbage collector while a library, an index or an ingest builds many objects."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(freeze: Callable[[], bool] | None = None) -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects (loading or ingesting 100k papers).

    Each full collection re-scans every object in memory, so building n objects with it running costs far more
    than n; it was half of opening a 100k-paper library. Papers, records and indices hold no reference cycles, so
    nothing piles up while it is paused. When `freeze()` says so at the end, everything alive is moved out of the
    collector's sight for good (gc.freeze): a loaded library lives as long as the process, and otherwise the first
    full pass after loading re-scans it all (0.3 s at 100k papers, in the middle of the app's first paint).
    Frozen objects are still freed as usual once unused; only a reference cycle among them would stay.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze is not None and freeze():
            gc.freeze()
    finally:
        if was_on:
            gc.enable()

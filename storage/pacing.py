"""Long loops of a background reading, broken into stretches with a `pace` call between them.

The app's worker reads the library, the abstracts and builds the search index after the first paint. Each loop over
100k papers is tens of milliseconds of Python that shares the GIL with the app's thread; `pace` (the app's GiveWay,
tui/loading.py) waits there while that thread is busy, so the worker takes the GIL only when the app does not need it.
"""

from __future__ import annotations

from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
EVERY = 1024  # items between two calls: ~1-3 ms of work a stretch on a quiet machine (folding an abstract is ~1.5 µs)


def paced(items: Iterable[T], pace: Callable[[], None] | None, every: int = EVERY) -> Iterator[T]:
    """`items`, with `pace()` called after each `every` of them (none when `pace` is None)."""
    if pace is None:
        yield from items
        return
    it = iter(items)
    while chunk := list(islice(it, every)):
        yield from chunk
        if len(chunk) == every:
            pace()

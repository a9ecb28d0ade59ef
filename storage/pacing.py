"""Long loops of the app's background worker, with room for keys.

A Python loop gives the GIL up every switch interval, but only for a moment: while a key's handling runs, the
worker still takes every other millisecond, so 60 keys take about twice as long as on an idle app. Every EVERY items
`paced` calls the worker's `pace` (the app's `give_way`, tui/loading.py), which sleeps while keys come in.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
EVERY = 2048  # items between two calls: a millisecond or two of the loops that use it, at 100k papers


def paced(items: Iterable[T], pace: Callable[[], None] | None, every: int | None = None) -> Iterator[T]:
    """The items, calling `pace` after each `every` (default EVERY) of them; no call at all when `pace` is None."""
    if pace is None:
        yield from items
        return
    every = every or EVERY
    for k, item in enumerate(items, 1):
        yield item
        if k % every == 0:
            pace()

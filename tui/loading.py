"""Opening a big library in two steps: the list from the first-screen file at once, the rest after the first paint.

The CLI opens the app's Store with `lazy=True` (see storage/library.py). Until the whole library is read
(`store.loaded`), the list, the views, the header counts and the actions on papers' state (star, tag, status,
note: they need only the paper id) work from the first-screen file's ids, titles and dates; the detail pane shows
the title and the state, with the abstract's "loading" hint (tui/screens/triage.py). Whatever needs more waits for the
rest: search runs in a worker that waits for it, and copy, open and export call `store.get`, which waits for (or
does) the reading.

The App's background worker calls `load_library` before it loads the abstracts.
"""

from __future__ import annotations

import time
from typing import Callable

from storage.errors import PapertriageError
from storage.store import Store

# The background reading gives way to keys: between two pieces of a file it waits until no key came for QUIET
# seconds, so a key meets at most one piece's decode (~1-2 ms) instead of the whole reading. A held key must not keep
# the library from loading for good: the waits of one app add up to at most GIVE_WAY_BUDGET seconds.
QUIET = 0.15
GIVE_WAY_BUDGET = 3.0


class GiveWay:
    """The App notes each key (`key_pressed`); the reading calls the object between pieces."""

    def __init__(self, stop: Callable[[], bool]) -> None:
        self._stop = stop
        self._last_key = float("-inf")  # time.monotonic() of the last key the app handled
        self._left = GIVE_WAY_BUDGET

    def key_pressed(self) -> None:
        self._last_key = time.monotonic()

    def __call__(self) -> None:
        """In the background worker, between pieces of library.json or abstracts.json: wait while keys come in."""
        while self._left > 0 and not self._stop():
            idle = time.monotonic() - self._last_key
            if idle >= QUIET:
                return
            wait = min(QUIET - idle, self._left)
            self._left -= wait
            time.sleep(wait)


def load_library(store: Store, loaded: Callable[[bool], None], give_way: Callable[[], None]) -> str | None:
    """In the background worker: the rest of the library, then the first-screen file when there was none or a stale
    one (the app holds the writer lock). `loaded(agreed)` is called in between: `agreed` False means the first-screen
    file was not this library's after all and the list must be drawn again. Returns the error when the library is
    damaged: the app closes and says so, as it would have at start."""
    if store.loaded and store.first_screen_ok:  # read already, and the file on disk is this library's
        return None
    try:
        agreed = store.load_rest(give_way)
    except PapertriageError as e:
        return str(e)
    loaded(agreed)  # first: the list may show ids the library does not have
    store.write_first_screen()
    return None

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

# The background reading gives way to the app's own thread: between two pieces of work (a piece of a file, ~1,000
# papers of a loop; storage/pieces.py, storage/pacing.py) it waits while that thread is busy (it used more than BUSY
# of a core since the last look: Textual still building the screen after the first paint, keys being handled, a
# frame being drawn), and until no key came for QUIET seconds. Both share the GIL, so a worker that took every other
# turn doubled the app's own start-up work after the first paint and made the first keys wait for it (at 100k papers,
# 60 keys sent 0.5 s after the first paint settled 5x slower than at 100). A busy app must not keep the library from
# loading for good: the waits of one app add up to at most GIVE_WAY_BUDGET seconds.
QUIET = 0.15
BUSY = 0.1
SLICE = 0.005  # seconds between two looks while the app's thread is busy
GIVE_WAY_BUDGET = 3.0


class ThreadCPU:
    """Whether a thread was busy since the last look, from its CPU clock (Linux and most Unix; elsewhere it never
    says busy, and the reading gives way to keys alone)."""

    def __init__(self, thread_id: int) -> None:
        try:
            self._clock: int | None = time.pthread_getcpuclockid(thread_id)
            self._seen = self._look()
        except (AttributeError, OSError):  # no per-thread CPU clock on this platform
            self._clock = None

    def _look(self) -> tuple[float, float]:
        return time.monotonic(), time.clock_gettime(self._clock)

    def busy(self) -> bool:
        if self._clock is None:
            return False
        try:
            now, cpu = self._look()
        except OSError:  # the thread has ended
            self._clock = None
            return False
        wall, used = self._seen
        self._seen = now, cpu
        return cpu - used > BUSY * (now - wall)


class GiveWay:
    """The App notes each key (`key_pressed`) and its loop's thread (`watch`); the reading calls the object between
    pieces of its work."""

    def __init__(self, stop: Callable[[], bool]) -> None:
        self._stop = stop
        self._last_key = float("-inf")  # time.monotonic() of the last key the app handled
        self._left = GIVE_WAY_BUDGET
        self._busy: Callable[[], bool] = lambda: False

    def key_pressed(self) -> None:
        self._last_key = time.monotonic()

    def watch(self, busy: Callable[[], bool]) -> None:
        """Wait also while `busy()` (e.g. `ThreadCPU(app's thread).busy`) says the app's thread is at work."""
        self._busy = busy

    def __call__(self) -> None:
        """In the background worker, between pieces of its work: wait while keys come in or the app is busy."""
        while self._left > 0 and not self._stop():
            idle = time.monotonic() - self._last_key
            if idle >= QUIET and not self._busy():
                return
            wait = min(max(QUIET - idle, SLICE), self._left)
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
    store.news.warm()  # the new papers, before the list is redrawn with their marks (storage/fresh.py)
    loaded(agreed)  # first: the list may show ids the library does not have
    store.write_first_screen()
    return None

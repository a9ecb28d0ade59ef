"""Opening a big library in two steps: the list from the first-screen file at once, the rest after the first paint.

The CLI opens the app's Store with `lazy=True` (see storage/library.py). Until the whole library is read
(`store.loaded`), the list, the views, the header counts and the actions on papers' state (star, tag, status,
note: they need only the paper id) work from the first-screen file's ids, titles and dates; the detail pane shows
the title and the state, with the abstract's "loading" hint. Whatever needs more waits for the rest: search runs in
a worker that waits for it, and copy, open and export call `store.get`, which waits for (or does) the reading.

`LoadingActions` is a mixin of the App, like SearchActions: `load_library` runs in the background worker, before
the abstracts.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import events

from storage.errors import PapertriageError
from storage.model import Paper

from .widgets.detail import detail_text


# The background reading gives way to keys: between two pieces of a file it waits until no key came for QUIET
# seconds, so a key meets at most one piece's decode (~1-2 ms) instead of the whole reading. A held key must not keep
# the library from loading for good: the waits of one app add up to at most GIVE_WAY_BUDGET seconds.
QUIET = 0.15
GIVE_WAY_BUDGET = 3.0


class LoadingActions:
    """Expects the PapertriageApp attributes (store, papers, today, _from_thread, _reload_view, _show_detail)."""

    _last_key = float("-inf")  # time.monotonic() of the last key the app handled
    _give_way_left = GIVE_WAY_BUDGET

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._last_key = time.monotonic()
        await super().on_event(event)  # type: ignore[misc]

    def give_way(self) -> None:
        """In the background worker, between pieces of library.json or abstracts.json: wait while keys come in."""
        while self._give_way_left > 0 and not self._quitting:
            idle = time.monotonic() - self._last_key
            if idle >= QUIET:
                return
            wait = min(QUIET - idle, self._give_way_left)
            self._give_way_left -= wait
            time.sleep(wait)

    def load_library(self) -> bool:
        """In the background worker: the rest of the library, then the first-screen file when there was none or a
        stale one (the app holds the writer lock). False when the library is damaged: the app closes and says so,
        as it would have at start."""
        store = self.store
        if store.loaded and store.first_screen_ok:  # read already, and the file on disk is this library's
            return True
        try:
            agreed = store.load_rest(self.give_way)
        except PapertriageError as e:
            self._from_thread(self._library_failed, str(e))
            return False
        self._from_thread(self._library_loaded, agreed)  # first: the list may show ids the library does not have
        store.write_first_screen()
        return True

    def _library_loaded(self, agreed: bool) -> None:
        if not agreed:  # the first-screen file was not this library's after all: draw the list from the library
            self.papers.invalidate()
            self._reload_view(pid=self.current, index=self.papers.cursor)
        self._show_detail()

    def _library_failed(self, message: str) -> None:
        self._quitting = True  # keys typed meanwhile must not act on a closing app
        self.exit(1, return_code=1, message=Text(f"error: {message}"))

    def loading_detail(self, pid: str) -> Text:
        """The detail pane before the whole library is read: the title and the paper's state, then the hint."""
        stub = Paper(pid, self.store.title(pid))
        return detail_text(stub, self.store.state_of(pid), None, self.today, self._queue_rank(pid))

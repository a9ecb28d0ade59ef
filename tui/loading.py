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

from typing import Callable

from storage.errors import PapertriageError
from storage.store import Store


def load_library(store: Store, loaded: Callable[[bool], None]) -> str | None:
    """In the background worker: the rest of the library, then the first-screen file when there was none or a stale
    one (the app holds the writer lock). `loaded(agreed)` is called in between: `agreed` False means the first-screen
    file was not this library's after all and the list must be drawn again. Returns the error when the library is
    damaged: the app closes and says so, as it would have at start."""
    if store.loaded and store.first_screen_ok:  # read already, and the file on disk is this library's
        return None
    try:
        agreed = store.load_rest()
    except PapertriageError as e:
        return str(e)
    loaded(agreed)  # first: the list may show ids the library does not have
    store.write_first_screen()
    return None

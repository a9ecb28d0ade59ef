"""R in the app (and `fetch_on_start`): fetch the config's feeds in a worker while the list stays usable.

The network half never touches the store, so it starts at once, even while the library is still being read after
the first paint. The writes wait until the app's background work (the rest of the library, the abstracts, an
ingest) is done: ingesting needs the whole library, and one thread at a time reads feeds into it. A feed's tags
are given on the app's own thread, where every other change to the user's state is made. Then the list is redrawn
with the new papers, the cursor staying on the paper it was on.

The header shows each feed's progress while it runs; the end is always said: a notice with each feed's line, and
one error notice per failed feed (which `papertriage feeds` shows too).
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable

from rich.text import Text

if TYPE_CHECKING:
    from storage.fetch.run import FeedProgress, FetchReport

FAILED_TIMEOUT = 20  # seconds an error notice stays: a failed feed must be seen


def progress_text(progress: dict[str, FeedProgress]) -> Text:
    """`Fetching HF daily 2/5 · cs.CL ✓ · cs.LG failed` for the header (feed names are data: plain Text)."""
    t = Text("Fetching ", style="bold", no_wrap=True, overflow="ellipsis", end="")
    for n, (name, p) in enumerate(progress.items()):
        if n:
            t.append(" · ", "dim")
        t.append(name)
        if p.errors:
            t.append(" failed", "bold red")
        elif p.done == p.total:
            t.append(" ✓", "green")
        else:
            t.append(f" {p.done}/{p.total}", "dim")
    return t


class AppFetch:
    """One fetch at a time for the app. What it uses of the app: `store`, `config`, `library_busy`, `run_worker`,
    `notify`, `call_from_thread`, the HeaderBar of the first screen, and `redraw` (the list again, the cursor on
    its paper) given here."""

    def __init__(self, app, *, redraw: Callable[[], None]) -> None:
        self.app = app
        self._redraw = redraw
        self.running = False
        self.writing = False  # while it ingests: the app starts no other ingest
        self.progress: dict[str, FeedProgress] = {}
        self.last: FetchReport | None = None

    def start(self) -> bool:
        """Start a fetch of every feed; False (and a notice saying why) when there is none or one is running."""
        config = self.app.config
        if not config.feeds:
            self.app.notify(f"No feeds to fetch: add [[feeds]] to {config.path} (or `papertriage feeds add URL`)",
                            severity="warning", markup=False, timeout=10)
            return False
        if self.running:
            self.app.notify("Already fetching the feeds", markup=False)
            return False
        from storage.fetch.run import FeedProgress

        self.running = True
        self.progress = {f.name: FeedProgress(f.name, 0, 1) for f in config.feeds}
        self._show(progress_text(self.progress))
        self.app.run_worker(self._work, thread=True, group="fetch", exit_on_error=False)
        return True

    # -- in the worker thread ----------------------------------------------------------------------------------------
    def _work(self) -> None:
        from textual.worker import get_current_worker

        from storage.errors import PapertriageError
        from storage.fetch.http import HttpClient
        from storage.fetch.run import Cancelled, fetch_feeds

        worker = get_current_worker()
        stop = lambda: worker.is_cancelled or not self.app.is_running  # noqa: E731
        report, error = None, None
        try:
            with HttpClient(timeout=self.app.config.fetch_timeout) as client:
                report = fetch_feeds(self.app.store.dir, self.app.config.feeds, client, stop=stop,
                                     progress=lambda e: self._from_thread(self._progressed, e),
                                     writing=lambda: self._writing(stop), add_tags=self._add_tags)
        except Cancelled:
            return
        except (PapertriageError, OSError) as e:  # the library or fetch.json could not be written
            error = str(e)
        except Exception as e:  # noqa: BLE001 - a bug must end the fetch with a notice, not silently
            error = f"unexpected error ({type(e).__name__}: {e})"
        self._from_thread(self._done, report, error)

    @contextmanager
    def _writing(self, stop: Callable[[], bool]):
        from storage.fetch.run import Cancelled

        while not self._call(self._claim):  # decided on the app's thread: no ingest can start in between
            if stop():
                raise Cancelled()
            time.sleep(0.1)
        try:
            yield self.app.store
        finally:
            self.writing = False

    def _show(self, progress: Text | None) -> None:
        from .widgets.header import HeaderBar

        for bar in self.app.screen_stack[0].query(HeaderBar):
            bar.show_fetch(progress)

    def _claim(self) -> bool:
        if self.app.library_busy():
            return False  # the rest of the library, the abstracts, or an ingest: they go first
        self.writing = True
        return True

    def _add_tags(self, ids: list[str], tags: list[str]) -> None:
        self._call(self.app.store.add_tags, ids, tags)

    def _call(self, callback, *args):
        from storage.fetch.run import Cancelled

        if not self.app.is_running:
            raise Cancelled()
        try:
            return self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app closed meanwhile
            raise Cancelled() from None

    def _from_thread(self, callback, *args) -> None:
        if not self.app.is_running:  # closing: nothing left to show it on
            return
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:
            pass

    # -- on the app's thread -----------------------------------------------------------------------------------------
    def _progressed(self, event: FeedProgress) -> None:
        if self.running:
            self.progress[event.name] = event
            self._show(progress_text(self.progress))

    def _done(self, report: FetchReport | None, error: str | None) -> None:
        self.running = False
        self._show(None)
        notify = self.app.notify
        if report is None:
            notify(f"Fetch failed: {error}", title="Fetch", severity="error", markup=False, timeout=FAILED_TIMEOUT)
            return
        self.last = report
        for line in report.warnings:
            notify(line, severity="warning", markup=False)
        lines = [s for s in (f.summary() for f in report.feeds) if s]
        if lines:
            notify("\n".join(lines), title=f"Fetched: {report.new} new papers", markup=False)
        for fr in report.feeds:
            for e in fr.errors:
                notify(f"{fr.name}: {e}", title="Fetch failed", severity="error", markup=False, timeout=FAILED_TIMEOUT)
        if report.new_ids or any(f.entries for f in report.feeds):
            self._redraw()

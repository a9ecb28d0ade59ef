"""Sync in the app, when the config has `sync_dir`: after the first paint, on R, and at quit.

The sync folder is read in a worker (parsing other devices' change files is the slow part); the merge, which
writes the state and maybe the library, runs on the app's thread, where every other change is made, and only when
no fetch or ingest is writing the library. Then the list is redrawn, the cursor staying on its paper, and what came
in is said. At quit the whole sync runs before the app closes, so the other machine sees this session's work.
"""

from __future__ import annotations

import time
from typing import Callable

from storage.errors import PapertriageError


class AppSync:
    """What it uses of the app: `store`, `config`, `run_worker`, `notify`, `call_from_thread`, `is_running`,
    `library_busy` and `redraw` given here."""

    def __init__(self, app, *, redraw: Callable[[], None]) -> None:
        self.app = app
        self._redraw = redraw
        self.running = False
        self.last_lines: list[str] = []
        self.quit_error: str | None = None

    @property
    def folder(self):
        return self.app.config.sync_dir

    def start(self) -> bool:
        if self.folder is None or self.running:
            return False
        self.running = True
        self.app.run_worker(self._work, thread=True, group="sync", exit_on_error=False)
        return True

    # -- in the worker -----------------------------------------------------------------------------------------------
    def _work(self) -> None:
        from textual.worker import get_current_worker

        from storage.sync.run import read_incoming

        worker = get_current_worker()
        store = self.app.store
        try:
            while not store.loaded:  # the rest of the library is being read after the first paint
                if worker.is_cancelled or not self.app.is_running:
                    return
                time.sleep(0.05)
            incoming = read_incoming(store.dir, self.folder, store.__contains__)
        except (PapertriageError, OSError) as e:
            self._call(self._failed, str(e))
            return
        while self.app.is_running and not worker.is_cancelled:
            if self._call(self._merge, incoming):
                return
            time.sleep(0.1)  # a fetch or an ingest is writing the library: after it

    def _call(self, callback, *args):
        if not self.app.is_running:
            return True
        try:
            return self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app closed meanwhile
            return True

    # -- on the app's thread -----------------------------------------------------------------------------------------
    def _merge(self, incoming) -> bool:
        from storage.sync.run import merge

        if self.app.library_busy():
            return False
        self.running = False
        try:
            report = merge(self.app.store, incoming)
        except (PapertriageError, OSError) as e:
            self._failed(str(e))
            return True
        self.last_lines = report.lines()
        if report.changes_in or report.papers_in:
            self._redraw()
            self.app.notify("Synced: " + "; ".join(self.last_lines[:2]), markup=False)
        if report.write_error:
            self.app.notify(report.write_error, title="Sync", severity="error", markup=False, timeout=15)
        return True

    def _failed(self, message: str) -> None:
        self.running = False
        self.app.notify(f"Sync: {message}", severity="error", markup=False, timeout=15)

    def at_quit(self) -> None:
        """The whole sync, now: this session's changes go out before the app closes. A failure is kept for the
        command line to say; nothing is lost (the next sync writes what this one could not)."""
        if self.folder is None:
            return
        from storage.sync.run import sync

        try:
            report = sync(self.app.store, self.folder)
        except (PapertriageError, OSError) as e:
            self.quit_error = str(e)
            return
        self.quit_error = report.write_error or None

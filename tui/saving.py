"""Saving: what the app says when a write fails, and the retries.

A failed write (disk full, read-only) keeps the change in memory (storage/state.py); the app says so once, retries
while the user is idle and with every later change, says when it worked, and asks before a quit would lose it
(PapertriageApp.action_quit).
"""

from __future__ import annotations

from textual.app import App

from storage.store import Store

SAVE_RETRY_SECONDS = 5.0  # after a failed save (disk full, read-only), how often to try again while the user is idle


class SaveStatus:
    def __init__(self, app: App, store: Store) -> None:
        self.app = app
        self.store = store
        self._retry = None  # the timer retrying a failed save; None while everything is on disk

    def check(self) -> None:
        """After a write: say when it failed (the change stays in memory, retried until it works), or that it
        worked again after a failure."""
        err = self.store.unsaved_error
        if err and self._retry is None:  # said once; the retry timer stays quiet until it works
            self.app.notify(
                f"Could not save to {self.store.state_path} ({err.strerror or err}). "
                "The change is kept in memory and will be retried with the next change.",
                title="Not saved",
                severity="error",
                markup=False,
            )
            self._retry = self.app.set_interval(SAVE_RETRY_SECONDS, self._retry_save)
        elif not err and self._retry is not None:
            self._retry.stop()
            self._retry = None
            self.app.notify("Saved: the changes kept in memory are on disk now.", title="Saved", markup=False)

    def flush(self) -> OSError | None:
        """Retry a failed save now; the error while it still fails."""
        if not self.store.unsaved_error:
            return None
        try:
            self.store.flush()
        except OSError as e:
            return e
        return None

    def _retry_save(self) -> None:
        if self.flush() is None:  # still failing: already said, stay quiet until it works
            self.check()

"""Saving and quitting: what the app says when a write fails, the retries, and `q` with unsaved changes.

A failed write (disk full, read-only) keeps the change in memory (storage/state.py); the app says so once, retries
while the user is idle and with every later change, says when it worked, and asks before a quit would lose it.
"""

from __future__ import annotations

from .screens import ConfirmDialog

SAVE_RETRY_SECONDS = 5.0  # after a failed save (disk full, read-only), how often to try again while the user is idle


class SavingActions:
    """A mixin of the App (like SearchActions): expects `store`, `notify`, `set_interval`, `exit`, `_save_ui`."""

    _save_retry = None  # the timer retrying a failed save; None while everything is on disk
    _quitting = False  # once q is taken, keys typed after it (q t, fast) must not open dialogs on a closing app

    def _check_saved(self) -> None:
        """After a write: say when it failed (the change stays in memory, retried until it works), or that it
        worked again after a failure."""
        err = self.store.unsaved_error
        if err and self._save_retry is None:  # said once; the retry timer stays quiet until it works
            self.notify(
                f"Could not save to {self.store.state_path} ({err.strerror or err}). "
                "The change is kept in memory and will be retried with the next change.",
                title="Not saved",
                severity="error",
                markup=False,
            )
            self._save_retry = self.set_interval(SAVE_RETRY_SECONDS, self._retry_save)
        elif not err and self._save_retry is not None:
            self._save_retry.stop()
            self._save_retry = None
            self.notify("Saved: the changes kept in memory are on disk now.", title="Saved", markup=False)

    def _flush(self) -> OSError | None:
        """Retry a failed save now; the error while it still fails."""
        if not self.store.unsaved_error:
            return None
        try:
            self.store.flush()
        except OSError as e:
            return e
        return None

    def _retry_save(self) -> None:
        if self._flush() is None:  # still failing: already said, stay quiet until it works
            self._check_saved()

    async def action_quit(self) -> None:
        self._save_ui()
        self.sync.at_quit()  # with sync_dir: this session's changes go out before the app closes
        err = self._flush()
        if err is None:
            self._quitting = True
            self.exit(0)
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self._quitting = True
                self.exit(1, return_code=1)  # run_app tries once more and names what was not saved

        question = f"Some changes could not be saved ({err.strerror or err}). Quit and lose them?"
        self.push_screen(ConfirmDialog(question, yes="Quit anyway", no="Stay"), answered)

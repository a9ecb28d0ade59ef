"""`q`, `r`, `x`, `a` and `J` / `K`: set the status of the paper under the cursor (or of every marked paper, through
the Selection), and move a queued paper up or down the reading queue. An object of the triage screen
(tui/screens/triage.py), whose actions hand over to it; the reader's keys (tui/screens/reader.py) are those actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage.cursor import advanced
from storage.model import Status

if TYPE_CHECKING:  # the screen owns this object; only for the type
    from .screens.triage import TriageScreen

QUEUE_KEYS = ("queue_down", "queue_up")  # shown in the queue's footer only


class Statuses:
    def __init__(self, screen: TriageScreen) -> None:
        self.screen = screen

    def set(self, status: Status, done: str, already: str, *, advance: bool = False) -> None:
        """`advance` (r, x, a): then the cursor goes on to the next paper, also when this one stays in the view or
        was so already (the config's `advance = false` keeps it on a paper that stays)."""
        screen = self.screen
        if screen.papers.marked:
            return screen.selection.set_status(status)
        if not (pid := screen.target()):
            return
        if not screen.store.set_status([pid], status):
            screen.notify(already, markup=False)
            screen.app.saving.check()
        else:
            if status == Status.QUEUED:
                done = f"Queued (position {screen.queue_rank(pid)})"
            screen.after_change([pid], done)
        papers = screen.papers
        if advance and (to := advanced(papers.ids, papers.cursor, pid, advance=screen.app.config.advance)) != papers.cursor:
            papers.move_to(to)
            screen.save_ui()

    def queue(self) -> None:
        pid = self.screen.current
        rank = self.screen.queue_rank(pid) if pid else None
        self.set(Status.QUEUED, "Queued", f"Already queued (position {rank})", advance=True)

    def read(self) -> None:
        self.set(Status.READ, "Marked read", "Already marked read", advance=True)

    def skip(self) -> None:
        self.set(Status.SKIPPED, "Skipped", "Already skipped", advance=True)

    def inbox(self) -> None:
        self.set(Status.INBOX, "Back to inbox", "Already in the inbox")

    def move_in_queue(self, delta: int) -> None:
        screen, keys = self.screen, self.screen.app.keys
        if screen.view != "queue":
            pair = "/".join(keys.first(a) for a in QUEUE_KEYS)
            screen.notify(f"{pair} reorder the reading queue: only in the Queue view ({keys.first('view_queue')}).",
                          markup=False)
            return
        if screen.selection.refused("queue_move") or not (pid := screen.target()):
            return
        if not screen.store.move_in_queue(pid, delta):
            screen.notify("Already at the " + ("bottom" if delta > 0 else "top") + " of the queue.")
            return
        screen.after_change([pid])

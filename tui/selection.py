"""Marks and bulk actions: space and V mark papers, then s a r x i (and t T: tui/tagging.py) act on all of them. An object of the triage
screen (tui/screens/triage.py), which hands the triage keys over here while papers are marked (the keys that cannot
act on several papers say so there: n, J/K, m).

Marks belong to the list they were made in: a view switch or a new query drops them (tui/find.py), and every bulk
action clears them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage.cursor import next_unmarked
from storage.model import Status

from .widgets.header import plural

if TYPE_CHECKING:  # the screen owns this object; only for the type
    from .screens.triage import TriageScreen

BULK_DONE = {
    Status.QUEUED: "Queued {}",
    Status.READ: "Marked {} read",
    Status.SKIPPED: "Skipped {}",
    Status.INBOX: "Moved {} back to the inbox",
}
# The keys that act on one paper only, and what they say while papers are marked ({clear}: the key that drops marks).
ONE_PAPER = {
    "note": "Notes are per paper: {clear} clears the marks.",
    "queue_move": "{keys} move one paper at a time: {clear} clears the marks.",
    "more_like": "More like this starts from one paper: {clear} clears the marks.",
    "open_menu": "The link menu is for one paper: {clear} clears the marks.",
}
BULK_ALREADY = {Status.QUEUED: "queued", Status.READ: "read", Status.SKIPPED: "skipped", Status.INBOX: "in the inbox"}


class Selection:
    def __init__(self, screen: TriageScreen) -> None:
        self.screen = screen

    # -- marks -------------------------------------------------------------------------------------------------------
    def toggle(self) -> None:
        if not (pid := self.screen.target()):
            return
        papers = self.screen.papers
        papers.marked.toggle(pid)
        papers.invalidate([pid])
        papers.move_by(1)
        self.screen.show_find()

    def mark_all(self) -> None:
        papers = self.screen.papers
        if not papers.ids:
            self.screen.notify("No paper here.", severity="warning")
            return
        papers.marked.add(papers.ids)
        papers.invalidate()
        self.screen.show_find()

    def drop(self) -> None:
        papers = self.screen.papers
        if papers.marked.clear():
            papers.invalidate()
            self.screen.show_find()

    def refused(self, action: str) -> bool:
        """True (and says why) when papers are marked and `action` acts on one paper only (ONE_PAPER)."""
        if not self.screen.papers.marked:
            return False
        keys = self.screen.app.keys
        text = ONE_PAPER[action].format(clear=keys.first("clear"),
                                        keys=f"{keys.first('queue_down')}/{keys.first('queue_up')}")
        self.screen.notify(text, severity="warning", markup=False)
        return True

    # -- bulk actions: s t T a r x i with marks ----------------------------------------------------------------------
    def star(self) -> None:
        pids = self.screen.papers.marked_ids()
        on = self.screen.store.toggle_star(pids)
        self.done(pids, f"{'Starred' if on else 'Unstarred'} {plural(len(pids), 'paper', 'papers')}")

    def set_status(self, status: Status) -> None:
        pids = self.screen.papers.marked_ids()
        changed = self.screen.store.set_status(pids, status)
        if not changed:
            message = f"Already {BULK_ALREADY[status]}: nothing changed"
        else:
            message = BULK_DONE[status].format(plural(len(changed), "paper", "papers"))
            if len(changed) < len(pids):
                message += f" ({len(pids) - len(changed)} already {BULK_ALREADY[status]})"
        self.done(pids, message)

    def done(self, pids: list[str], message: str) -> None:
        """After a bulk action: marks cleared; when the cursor's paper left the list, the cursor lands on the next
        unmarked paper (the marked ones around it left too)."""
        papers = self.screen.papers
        focus = None
        if papers.current in papers.marked and not self._still_listed(papers.current):
            focus = next_unmarked(papers.ids, papers.marked, papers.cursor)
        self.drop()
        self.screen.after_change(pids, message, focus=focus)

    def _still_listed(self, pid: str) -> bool:
        store, match = self.screen.store, self.screen.papers.match
        return store.in_view(self.screen.view, store.state_of(pid)) and (match is None or match(pid))

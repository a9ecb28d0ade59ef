"""Marks and bulk actions: space and V mark papers, then s t a r x i act on all of them. An object of the triage
screen (tui/screens/triage.py), which hands the triage keys over here while papers are marked.

Marks belong to the list they were made in: a view switch or a new query drops them (tui/find.py), and every bulk
action clears them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage.cursor import next_unmarked
from storage.model import Status

from .screens import TagDialog
from .widgets.header import plural

if TYPE_CHECKING:  # the screen owns this object; only for the type
    from .screens.triage import TriageScreen

BULK_DONE = {
    Status.QUEUED: "Queued {}",
    Status.READ: "Marked {} read",
    Status.SKIPPED: "Skipped {}",
    Status.INBOX: "Moved {} back to the inbox",
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

    # -- bulk actions: s t a r x i with marks ------------------------------------------------------------------------
    def star(self) -> None:
        pids = self.screen.papers.marked_ids()
        on = self.screen.store.toggle_star(pids)
        self._done(pids, f"{'Starred' if on else 'Unstarred'} {plural(len(pids), 'paper', 'papers')}")

    def tag(self) -> None:
        store = self.screen.store
        pids = self.screen.papers.marked_ids()
        offer = [t for t, _ in sorted(store.tags().items(), key=lambda kv: (-kv[1], kv[0]))]

        def done(tags: list[str] | None) -> None:
            if tags:
                changed = store.add_tags(pids, tags)
                self._done(pids, f"Tagged {plural(len(changed), 'paper', 'papers')}: " + ", ".join(tags))

        self.screen.app.push_screen(TagDialog(f"{plural(len(pids), 'marked paper', 'marked papers')}", offer, []), done)

    def set_status(self, status: Status) -> None:
        pids = self.screen.papers.marked_ids()
        changed = self.screen.store.set_status(pids, status)
        if not changed:
            message = f"Already {BULK_ALREADY[status]}: nothing changed"
        else:
            message = BULK_DONE[status].format(plural(len(changed), "paper", "papers"))
            if len(changed) < len(pids):
                message += f" ({len(pids) - len(changed)} already {BULK_ALREADY[status]})"
        self._done(pids, message)

    def _done(self, pids: list[str], message: str) -> None:
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

"""What is new since last time, in the list: `N` to the next new paper, `ctrl+n` (id `next_unread`) to the next new
paper still untriaged, and where the cursor goes when an ingest or a fetch brings papers. An object of the triage
screen (tui/screens/triage.py). Which papers are new is storage/fresh.py's rule (Store.new_ids).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage.fresh import next_new
from storage.model import Status

from .widgets.header import plural

if TYPE_CHECKING:  # the screen owns this object; only for the type
    from .screens.triage import TriageScreen


class NewPapers:
    def __init__(self, screen: TriageScreen) -> None:
        self.screen = screen
        # Whether the user has moved the cursor or acted since the list opened: then an ingest's new papers are
        # offered in a notice instead of taking the cursor (see arrived).
        self.busy = False
        self.seen: set[str] = set()  # the new papers the screen knew of: an ingest's are those not in it

    def known(self) -> None:
        """The list shows the library as it is now (opened, read at last): its new papers are not news."""
        self.seen = set(self.screen.store.new_ids())

    def jump(self, *, untriaged: bool = False) -> None:
        """To the next new paper in the list (wrapping), or say there is none."""
        screen = self.screen
        store, papers = screen.store, screen.papers
        new = store.new_ids()
        if untriaged:
            state_of = store.state_of
            wanted = lambda pid: pid in new and state_of(pid).status == Status.INBOX  # noqa: E731
        else:
            wanted = new.__contains__
        what = "new untriaged papers" if untriaged else "new papers"
        if not new:
            screen.notify(self._none(what), markup=False)
            return
        index, wrapped = next_new(papers.ids, papers.cursor, wanted) if papers.ids else (None, False)
        if index is None or index == papers.cursor:
            here = " but this one" if index is not None else " in this list"
            screen.notify(f"No more {what}{here}.", markup=False)
            return
        papers.move_to(index)
        if wrapped:
            screen.notify(f"Back at the first of the {what}.", markup=False)

    def _none(self, what: str) -> str:
        if not self.screen.store.loaded:
            return "Still reading the library; try again in a moment."
        return f"No {what} since the last session."

    def arrived(self) -> None:
        """After an ingest or a fetch redrew the list: the papers that became new since `known`, if any, are
        shown. The cursor goes to the first of them only while the user has not moved it since the list opened
        (the ingest at start, `fetch_on_start`: the cursor is still where the app put it). Mid-triage, taking it
        would make the next key act on a paper the user has not read, so a notice offers the jump instead."""
        screen = self.screen
        now = screen.store.new_ids()
        came, self.seen = now - self.seen, set(now)
        if not came:
            return
        papers = screen.papers
        first = next((i for i, pid in enumerate(papers.ids) if pid in came), None)
        jump = screen.app.keys.first("next_new")
        if first is not None and not self.busy and not papers.marked and not screen.find.text:
            papers.set_ids(papers.ids, index=first, arranged=True)  # the list as shown: only the cursor moves
            screen.notify(f"{plural(len(came), 'new paper', 'new papers')}: the cursor is on the first; "
                          f"{jump} goes to the next.", markup=False)
        else:
            where = f" — {jump} to jump" if first is not None else " (not in this list)"
            screen.notify(f"{plural(len(came), 'new paper', 'new papers')}{where}", markup=False)

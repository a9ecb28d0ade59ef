"""`t` and `T`: add tags to / remove a tag from the paper under the cursor, or every marked paper. An object of the
triage screen (tui/screens/triage.py); the dialogs are tui/screens/tag_dialog.py and untag_dialog.py.

With marks the dialogs show the tags of the marked papers with how many of them have each; a bulk change goes
through the Selection (marks cleared, the cursor on the next unmarked paper), like every bulk action.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .screens import TagDialog, UntagDialog
from .widgets.header import plural

if TYPE_CHECKING:  # the screen owns this object; only for the type
    from .screens.triage import TriageScreen


class Tagging:
    def __init__(self, screen: TriageScreen) -> None:
        self.screen = screen

    def _tags_of(self, pids: list[str]) -> dict[str, int]:
        """Every tag of these papers and how many of them have it."""
        have: dict[str, int] = {}
        for pid in pids:
            for t in self.screen.store.state_of(pid).tags:
                have[t] = have.get(t, 0) + 1
        return have

    def add(self) -> None:
        screen, store = self.screen, self.screen.store
        if screen.papers.marked:
            pids = screen.papers.marked_ids()

            def done_marked(tags: list[str] | None) -> None:
                if tags:
                    changed = store.add_tags(pids, tags)
                    screen.selection.done(pids, f"Tagged {plural(len(changed), 'paper', 'papers')}: " + ", ".join(tags))

            title = plural(len(pids), "marked paper", "marked papers")
            screen.app.push_screen(TagDialog(title, store.tags(), self._tags_of(pids), marked=True), done_marked)
            return
        if not (pid := screen.target()):
            return

        def done(tags: list[str] | None) -> None:
            if tags:
                changed = store.add_tags([pid], tags)
                screen.after_change([pid], ("Tagged: " if changed else "Already tagged: ") + ", ".join(tags))

        # the paper's own tags are shown, not offered (completing to them helps nobody)
        screen.app.push_screen(TagDialog(store.title(pid), store.tags(), list(store.state_of(pid).tags)), done)

    def remove(self) -> None:
        """One tag, picked from the paper's (or from those the marked papers have), off it (or all of them)."""
        screen, store = self.screen, self.screen.store
        marked = bool(screen.papers.marked)
        if not marked and not (pid := screen.target()):
            return
        pids = screen.papers.marked_ids() if marked else [pid]
        have = self._tags_of(pids)
        if not have:
            screen.notify("The marked papers have no tags." if marked else "This paper has no tags.", severity="warning")
            return

        def done(tag: str | None) -> None:
            if not tag:
                return
            changed = store.remove_tags(pids, [tag])
            if marked:
                screen.selection.done(pids, f"Removed tag {tag} from {plural(len(changed), 'paper', 'papers')}")
            else:
                screen.after_change(pids, f"Removed tag: {tag}")

        if marked:
            tags = sorted(have, key=lambda t: (-have[t], t))
            title, counts = plural(len(pids), "marked paper", "marked papers"), {t: f"{have[t]} of {len(pids)}" for t in tags}
        else:
            tags, title, counts = list(store.state_of(pid).tags), store.title(pid), None
        screen.app.push_screen(UntagDialog(title, tags, counts), done)

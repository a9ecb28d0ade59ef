"""`Enter`: the paper under the list's cursor, full screen: everything the library knows of it, every link, the
whole abstract. Its keys are tui/keymap.py's READER ones (scrolling, J/K, Esc) and the triage keys both screens
share, which act on this paper only (marks are the list's) and then show the next paper of the view.

The reader always shows the triage screen's cursor paper: it moves that cursor, and the triage screen tells it
(`follow`) whenever the paper to show changed, or its state, or its abstract arrived. Its triage keys are the
triage screen's actions; the list's marks are set aside while it is open (and are back after), so that they act on
the paper on show. Feed text goes into a rich
`Text` piece by piece, never into markup; a long abstract is laid out a piece at a time as it is scrolled to (the
detail pane's way, tui/widgets/detail.py), so the reader opens at once whatever its length.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from storage.display import github_stars, keywords
from storage.links import paper_links
from storage.model import Paper, PaperState, Status

from .. import keymap
from ..keymap import READER, VIEW_TITLES
from ..widgets.detail import (DIM, DetailPane, facts, note_and_abstract, paper_on_show, shown_title, split_text,
                              state_lines)
from ..widgets.footer import TriageFooter
from ..widgets.marks import Marks

if TYPE_CHECKING:
    from .triage import TriageScreen

# the footer's order: the reader's own keys first, then the triage keys, then the App's
_ORDER = {k.id: (k.where != (READER,)) * len(keymap.KEYS) + n for n, k in enumerate(keymap.KEYS)}


def reader_text(paper: Paper, state: PaperState, abstract: str | None, today: str,
                queue_position: int | None = None, no_abstract: str = "no abstract in the feed") -> Text:
    """The reader's content: the detail pane's, with the full author list, every link, HF's extras, and the first
    HEAD_CHARS of the abstract (the rest: `split_text(abstract)[1]`, laid out on scroll)."""
    t = Text(end="")
    t.append(shown_title(paper.title), "bold")
    t.append("\n")
    if paper.authors:
        t.append(", ".join(paper.authors))
        t.append("\n")
    facts(t, paper, today)
    t.append("\n")
    state_lines(t, state, queue_position)
    links = paper_links(paper)
    if links:
        t.append("\n")
        width = max(len(link.label) for link in links)
        stars = github_stars(paper.extra)
        for link in links:
            t.append(f"{link.label:<{width}}  ", DIM)
            t.append(link.url)
            if link.kind == "github" and stars:
                t.append(f"  {stars}", DIM)
            t.append("\n")
    if words := keywords(paper.extra):
        t.append("\nkeywords ", DIM)
        t.append(", ".join(words))
        t.append("\n")
    summary = paper.extra.get("ai_summary")
    if isinstance(summary, str) and summary:
        t.append("\nAI summary (Hugging Face)\n", DIM)
        t.append(summary)
        t.append("\n")
    note_and_abstract(t, state, abstract, no_abstract, heading="abstract\n")
    return t


class ReaderBody(DetailPane, can_focus=False):
    """The detail pane's scrolling, a HEAD_CHARS piece of abstract at a time, over the whole screen."""


class ReaderScreen(Screen[None]):
    BINDINGS = keymap.bindings(app=False, where=READER)

    def __init__(self, triage: TriageScreen) -> None:
        super().__init__()
        self.triage = triage
        self.pid: str | None = None  # the paper on show
        self._marks = triage.papers.marked  # the list's, set aside: the reader's keys act on its paper only
        triage.papers.marked = Marks()

    def compose(self) -> ComposeResult:
        yield Static(id="reader-top", markup=False)
        yield ReaderBody(id="reader-body")
        yield TriageFooter(compact=True, show_command_palette=False)

    @property
    def body(self) -> ReaderBody:
        return self.query_one(ReaderBody)

    def on_mount(self) -> None:
        self.follow()

    @property
    def active_bindings(self):
        return keymap.in_order(super().active_bindings, _ORDER)  # as the triage screen's (see there)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.app.quitting

    # -- what is shown -----------------------------------------------------------------------------------------------
    def follow(self) -> None:
        """Show the triage screen's cursor paper as it is now; back to the list when the view has none left."""
        triage, store = self.triage, self.triage.store
        pid = triage.current
        if pid is None or pid not in store:
            self.notify("No paper left in this view.", markup=False)
            return self.close()
        ids = triage.papers.ids
        top = Text(f"{VIEW_TITLES.get(triage.view, triage.view)} · {triage.papers.cursor + 1:,} of {len(ids):,}",
                   "bold", no_wrap=True, overflow="ellipsis", end="")
        if triage.find.text:
            top.append(f" · matching {' '.join(triage.find.text.split())}", DIM)
        self.query_one("#reader-top", Static).update(top)
        state = store.state_of(pid)
        queue_position = triage.queue_rank(pid) if state.status == Status.QUEUED else None
        paper, abstract, missing = paper_on_show(store, pid, self.app.abstracts)  # the App calls again as more comes
        same, scrolled = pid == self.pid, self.body.scroll_y
        self.pid = pid
        rest = split_text(abstract)[1] if abstract else ""
        self.body.show(reader_text(paper, state, abstract, triage.today, queue_position, missing), pid, rest)
        if same:  # its state changed (a tag, a note): stay where the reader was
            self.body.call_after_refresh(self.body.scroll_to, y=scrolled, animate=False)

    def close(self) -> None:
        triage = self.triage
        triage.reader = None
        listed = set(triage.papers.ids)
        self._marks.discard([pid for pid in self._marks if pid not in listed])  # those that left the view meanwhile
        triage.papers.marked = self._marks
        triage.papers.invalidate()
        triage.refresh_chrome()
        if self.app.screen is self:
            self.app.pop_screen()

    @property
    def plain(self) -> str:
        """The text on show (for tests)."""
        return self.body.plain

    # -- the reader's own keys ---------------------------------------------------------------------------------------
    def action_scroll_down(self) -> None:
        self.body.scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.body.scroll_up(animate=False)

    def action_scroll_page_down(self) -> None:
        self.body.page(1)

    def action_scroll_page_up(self) -> None:
        self.body.page(-1)

    def action_scroll_top(self) -> None:
        self.body.scroll_home(animate=False)

    def action_scroll_bottom(self) -> None:
        self.body.read_all()
        self.body.call_after_refresh(self.body.scroll_end, animate=False)

    def action_next_paper(self) -> None:
        self._move(1)

    def action_previous_paper(self) -> None:
        self._move(-1)

    def _move(self, delta: int) -> bool:
        papers = self.triage.papers
        if not 0 <= papers.cursor + delta < len(papers.ids):
            self.notify("Last paper of the view." if delta > 0 else "First paper of the view.", markup=False)
            return False
        papers.move_by(delta)  # the triage screen calls follow() once the cursor rests
        return True

    def action_close_reader(self) -> None:
        self.close()

    # -- the triage keys: on this paper, then the next paper of the view ---------------------------------------------
    def _then_next(self, act) -> None:
        pid = self.pid
        if pid is None or pid != self.triage.current:
            return
        act()
        if self.triage.current == pid:  # still in the view and not advanced (a star; `advance = false`): step on
            self._move(1)

    def action_star(self) -> None:
        self._then_next(self.triage.action_star)

    def action_queue(self) -> None:
        self._then_next(self.triage.action_queue)

    def action_read(self) -> None:
        self._then_next(self.triage.action_read)

    def action_skip(self) -> None:
        self._then_next(self.triage.action_skip)

    def action_inbox(self) -> None:
        self._then_next(self.triage.action_inbox)

    def action_tag(self) -> None:
        self.triage.action_tag()

    def action_untag(self) -> None:
        self.triage.action_untag()

    def action_note(self) -> None:
        self.triage.action_note()

    def action_undo(self) -> None:
        self.triage.action_undo()

    def action_redo(self) -> None:
        self.triage.action_redo()

    def action_copy(self, kind: str = "link") -> None:
        self.triage.action_copy(kind)

    def action_copy_menu(self) -> None:
        self.triage.action_copy_menu()

    def action_open_browser(self) -> None:
        self.triage.action_open_browser()

    def action_open_pdf(self) -> None:
        self.triage.action_open_pdf()

    def action_open_menu(self) -> None:
        self.triage.action_open_menu()

"""The triage screen: header, paper list, detail pane, search bar, footer; its keys (tui/keymap.py) and actions.

Each action calls one Store method, which writes the change durably before the next key is handled. After it, the
screen is brought up to date: the changed rows, the view (a paper may leave it), the header counts, the detail pane.
Finding (tui/find.py), marks and bulk actions (tui/selection.py), status changes (tui/statuses.py) and sharing
(tui/share.py) are objects of this screen; its actions hand over to them. The App (tui/app.py) keeps quit, help,
the palette and the background work.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.widgets import Label, ProgressBar, Static

from storage.cursor import stays
from storage.store import Store

from .. import keymap
from ..find import Find
from ..newpapers import NewPapers
from ..ranking import ListOrder, why_text
from ..selection import Selection
from ..share import Share
from ..statuses import QUEUE_KEYS, Statuses
from ..tagging import Tagging
from ..widgets.detail import DetailPane, detail_text, paper_on_show, split_text
from ..widgets.empty import empty_view_text
from ..widgets.footer import TriageFooter
from ..widgets.header import HeaderBar
from ..widgets.paper_list import PaperList
from ..widgets.search_bar import SearchBar
from . import NoteEditor
from .reader import ReaderScreen


_ORDER = {k.id: n for n, k in enumerate(keymap.KEYS)}


class TriageScreen(Screen[None]):
    BINDINGS = keymap.bindings(app=False)

    def __init__(self, store: Store, today: str, view: str, start: tuple[list[str], str | None, int]) -> None:
        super().__init__()
        self.store = store
        self.today = today
        self.view = view
        self._start = start  # (ids, paper, index) the list opens on
        self._last_pid: dict[str, str | None] = {}  # the cursor's paper per view, for switching back
        self.find = Find(self)
        self.selection = Selection(self)
        self.tagging = Tagging(self)  # t, T (tui/tagging.py)
        self.statuses = Statuses(self)  # q r x a, J K (tui/statuses.py)
        self.share = Share(self)
        self.list_order = ListOrder(self)  # each view's order (date, interest, upvotes, title), "more like this"
        self.new_papers = NewPapers(self)  # N, next_unread, the cursor after an ingest (tui/newpapers.py)
        self.reader: ReaderScreen | None = None  # Enter's full-screen paper, while it is open

    @property
    def papers(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def current(self) -> str | None:
        return self.papers.current

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    # -- layout ------------------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        if self.store.read_only:
            yield Static("read-only: changes are not saved", id="read-only", markup=False)
        yield HeaderBar(id="header")
        with Container(id="main"):
            yield PaperList(self.store, self.today, id="papers")
            yield DetailPane(id="detail")
            yield Static(id="empty", markup=False)
        yield SearchBar(id="search")
        with Horizontal(id="ingest"):
            yield Label("Ingesting feeds", id="ingest-label")
            yield ProgressBar(id="ingest-bar", show_eta=False)
        yield TriageFooter(compact=True, show_command_palette=False)  # ctrl+p still opens the palette

    def on_mount(self) -> None:
        ids, pid, index = self._start
        self.papers.focus()
        self.papers.arrange = self.list_order.arrange
        self.papers.places = self.list_order.places
        self.papers.set_ids(ids, pid=pid, index=index)
        self.new_papers.known()
        self.refresh_chrome()

    # -- keeping the screen up to date -------------------------------------------------------------------------------
    def refresh_chrome(self) -> None:
        """Header counts and the empty-state message."""
        counts = self.store.counts(self.today)
        counts.update(new=len(self.store.new_ids()), today=self.store.today_count(self.today))  # storage/fresh.py
        self.query_one(HeaderBar).order = self.list_order.label()
        self.query_one(HeaderBar).show(self.view, counts, *self.find.status())
        empty = not self.papers.ids
        self.query_one("#main").set_class(empty, "-empty")
        if empty:
            self.query_one("#empty", Static).update(self._empty_text())
        elif self.focused is None:
            self.papers.focus()

    def show_find(self) -> None:
        self.query_one(HeaderBar).show_find(*self.find.status())

    def _empty_text(self) -> Text:
        if self.find.text:
            return self.find.no_matches()
        return empty_view_text(self.store, self.view, self.today, ingesting=self.app.ingesting, keys=self.app.keys)

    def show_detail(self) -> None:
        self._show_detail()
        if self.reader is not None:  # it shows the cursor's paper too: a move, a change, the abstracts arriving
            self.reader.follow()

    def _show_detail(self) -> None:
        pid = self.current
        pane = self.query_one(DetailPane)
        if pid is None or pid not in self.store:  # not in it: a first-screen id the library lacks (tui/loading.py)
            pane.show(None)
            return
        paper, abstract, missing = paper_on_show(self.store, pid, self.app.abstracts)
        state = self.store.state_of(pid)
        if not self.store.loaded:  # a lazy open: the title and the state until the rest is read (tui/loading.py)
            return pane.show(detail_text(paper, state, None, self.today, self.queue_rank(pid)))
        why = self.list_order.why(pid)
        rest = split_text(abstract)[1] if abstract else ""  # laid out as the reader scrolls to it
        pane.show(detail_text(paper, state, abstract, self.today, self.queue_rank(pid), missing,
                              why_text(why) if why else None), pid, rest)

    def refresh_order(self) -> None:
        """The order changed or was ranked again: header and detail pane (the list arranges itself)."""
        self.refresh_chrome()
        self.show_detail()

    def queue_rank(self, pid: str) -> int | None:
        return self.store.queue_rank(pid)

    def on_paper_list_cursor_moved(self, event: PaperList.CursorMoved) -> None:
        if event.moved:
            self.new_papers.busy = True
        # after a burst of moves the pane waits for the cursor to rest: see DetailPane.follow
        self.query_one(DetailPane).follow(event.pid, self.show_detail, moved=event.moved)

    def reload_view(self, pid: str | None = None, index: int | None = None) -> None:
        if self.find.text:  # the list is a search's hits: search again
            self.find.again(pid)
        else:
            self.papers.set_ids(self.store.view_ids(self.view), pid=pid, index=index)
        self.refresh_chrome()

    def after_change(self, pids: list[str], message: str | None = None, *, focus: str | None = None) -> None:
        """Bring the screen up to date after the store changed these papers' state.

        Where the cursor lands is storage/cursor.py's rule: it stays on its paper; if that paper left the view, it
        keeps its index and so lands on the next paper (the newsboat habit); `focus` puts it on that paper instead,
        when it is listed."""
        papers = self.papers
        papers.invalidate(pids)
        ids, gone, arranged = papers.synced_ids(self.view, pids)
        papers.set_ids(ids, pid=stays(self.current, gone, focus), index=papers.cursor, arranged=arranged)
        self.new_papers.busy = True
        self.refresh_chrome()
        self.save_ui(acted=True)
        self.list_order.changed()  # re-rank in a worker: the cursor stays on its paper when the order comes
        if message:
            self.notify(message, markup=False)

    def save_ui(self, *, acted: bool = False) -> None:
        """Remember view and cursor (on view change, after each action, on quit; not on every j/k), and that the
        session is alive (`acted`: after a change to papers; see storage/fresh.py)."""
        if len(self.store):
            self.store.set_ui(view=self.view, cursor=self.current or "", cursor_index=self.papers.cursor,
                              **self.store.touched_session(acted))
        self.app.saving.check()

    def focus_list(self) -> None:
        if self.papers.ids:
            self.papers.focus()
        else:
            self.set_focus(None)  # the list is hidden behind the empty-state message; keys still reach the screen

    def target(self) -> str | None:
        """The paper an action acts on: the cursor's, or None (and says so) when the list is empty."""
        pid = self.current
        if pid is None:
            self.notify("No paper here.", severity="warning")
        return pid

    @property
    def active_bindings(self):
        """Textual's, in the keymap's order: a key the config remapped would otherwise go last in the footer (and
        split its compact group, "jk move"). Bindings without an id (a focused input's) stay first."""
        found = super().active_bindings
        if self.view != "queue":  # J/K show in the queue's footer only (elsewhere they say why they do nothing)
            found = {key: b._replace(binding=replace(b.binding, show=False)) if b.binding.id in QUEUE_KEYS else b
                     for key, b in found.items()}
        return keymap.in_order(found, _ORDER)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.app.quitting

    # -- moving ------------------------------------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.papers.move_by(1)

    def action_cursor_up(self) -> None:
        self.papers.move_by(-1)

    def action_cursor_first(self) -> None:
        self.papers.move_to(0)

    def action_cursor_last(self) -> None:
        self.papers.move_to(len(self.papers.ids) - 1)

    def action_page_down(self) -> None:
        self.papers.move_by(self.papers.page)

    def action_page_up(self) -> None:
        self.papers.move_by(-self.papers.page)

    def action_next_new(self) -> None:
        self.new_papers.jump()

    def action_next_unread(self) -> None:
        self.new_papers.jump(untriaged=True)

    def action_detail_down(self) -> None:
        self.query_one(DetailPane).page(1)

    def action_detail_up(self) -> None:
        self.query_one(DetailPane).page(-1)

    def action_open_reader(self) -> None:
        if self.target() and self.reader is None:
            self.reader = ReaderScreen(self)
            self.app.push_screen(self.reader)

    def action_view(self, view: str) -> None:
        self._last_pid[self.view] = self.current
        self.find.end()  # a search and marks belong to their view
        self.list_order.leave_like(restore=False)
        self.view = view
        self.list_order.view_changed()
        self.reload_view(pid=self._last_pid.get(view), index=0)
        self.save_ui()
        self.refresh_bindings()  # J/K show in the footer only in the queue

    # -- triage ------------------------------------------------------------------------------------------------------
    def action_star(self) -> None:
        if self.papers.marked:
            return self.selection.star()
        if pid := self.target():
            self.store.toggle_star([pid])
            self.after_change([pid])

    def action_tag(self) -> None:
        self.tagging.add()

    def action_untag(self) -> None:
        self.tagging.remove()

    def action_note(self) -> None:
        if self.selection.refused("note"):
            return
        if not (pid := self.target()):
            return
        old = self.store.state_of(pid).note

        def done(text: str | None) -> None:
            if text is None or text.rstrip() == old:
                return
            self.store.set_note(pid, text)
            self.after_change([pid], "Note saved" if text.strip() else "Note cleared")

        self.app.push_screen(NoteEditor(self.store.title(pid), old), done)

    def action_queue(self) -> None:
        self.statuses.queue()

    def action_read(self) -> None:
        self.statuses.read()

    def action_skip(self) -> None:
        self.statuses.skip()

    def action_inbox(self) -> None:
        self.statuses.inbox()

    def action_queue_down(self) -> None:
        self.statuses.move_in_queue(+1)

    def action_queue_up(self) -> None:
        self.statuses.move_in_queue(-1)

    # -- history -----------------------------------------------------------------------------------------------------
    def _replayed(self, done: tuple[str, list[str]] | None, verb: str, nothing: str) -> None:
        if done is None:
            self.notify(nothing, severity="warning")
            return
        label, pids = done
        # show what changed: the cursor goes to a touched paper still in view (its own paper first)
        focus = self.current if self.current in pids else next(iter(pids), None)
        if focus and not self.store.in_view(self.view, self.store.state_of(focus)):
            focus = next((p for p in pids if self.store.in_view(self.view, self.store.state_of(p))), None)
        self.after_change(pids, self.store.step_message(verb), focus=focus)

    def action_undo(self) -> None:
        self._replayed(self.store.undo(), "Undid", "Nothing to undo")

    def action_redo(self) -> None:
        self._replayed(self.store.redo(), "Redid", "Nothing to redo")

    # -- handed over: finding, marks, sharing ------------------------------------------------------------------------
    def action_search(self) -> None:
        self.find.open()

    def action_filter_tag(self) -> None:
        self.find.pick_tag()

    def action_clear(self) -> None:
        self.find.clear()

    def on_search_bar_changed(self, event: SearchBar.Changed) -> None:
        self.find.typed(event.text)

    def on_search_bar_submitted(self, _: SearchBar.Submitted) -> None:
        self.find.submitted()

    def action_sort(self) -> None:
        self.list_order.menu()

    def action_more_like(self) -> None:
        if self.selection.refused("more_like"):
            return
        if pid := self.target():
            self.list_order.more_like(pid)

    def action_toggle_mark(self) -> None:
        self.selection.toggle()

    def action_mark_all(self) -> None:
        self.selection.mark_all()

    def action_copy(self, kind: str = "link") -> None:
        self.share.copy(kind)

    def action_copy_menu(self) -> None:
        self.share.copy_menu()

    def action_open_browser(self) -> None:
        self.share.open_link("abstract")

    def action_open_pdf(self) -> None:
        self.share.open_link("pdf")

    def action_open_menu(self) -> None:
        self.share.open_menu()

    def action_export_starred(self) -> None:
        self.share.export_starred()

    def action_export_view(self) -> None:
        self.share.export_view()

    # -- for the App's background work -------------------------------------------------------------------------------
    def show_ingest_progress(self, label: str, done: int, total: int | None) -> None:
        self.query_one("#ingest").add_class("-active")
        self.query_one("#ingest-label", Label).update(label)
        self.query_one("#ingest-bar", ProgressBar).update(total=total or None, progress=done)  # 0 bytes: not known

    def hide_ingest_progress(self) -> None:
        self.query_one("#ingest").remove_class("-active")

    def redraw(self) -> None:
        """The whole list again from the store (new papers, the library read at last), the cursor on its paper."""
        self.papers.invalidate()
        self.reload_view(pid=self.current, index=self.papers.cursor)

"""The triage app: header, paper list, detail pane, footer; every key in tui/keymap.py.

Each action calls one Store method, which writes the change durably before the next key is handled. After it, the
screen is brought up to date: the changed rows, the view (a paper may leave it), the header counts, the detail pane.
"""

from __future__ import annotations

import sys
import threading
from typing import Iterable

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Container, Horizontal
from textual.widgets import Label, ProgressBar, Static

from storage.config import Config, config_path
from storage.errors import PapertriageError
from storage.model import Status
from storage.caps import describe
from storage.store import IngestReport, Store

from . import keymap
from .commands import PaperCommands
from .fetching import AppFetch
from .syncing import AppSync
from .keymap import VIEW_TITLES
from .loading import LoadingActions
from .ranking import ListOrder, why_text
from .saving import SavingActions
from .screens import NoteEditor, TagDialog, UntagDialog
from .search import SearchActions, no_matches_text
from .share import ShareActions
from .widgets.detail import DetailPane, detail_text, split_text
from .widgets.empty import empty_view_text
from .widgets.footer import TriageFooter
from .widgets.header import HeaderBar
from .widgets.paper_list import PaperList
from .widgets.search_bar import SearchBar



class PapertriageApp(LoadingActions, SavingActions, SearchActions, ShareActions, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "papertriage"
    BINDINGS = keymap.bindings()
    COMMANDS = App.COMMANDS | {PaperCommands}  # Textual's own (theme, quit, ...) and every action of the app
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # list above detail below 100 columns

    def __init__(
        self, store: Store, *, ingest: Iterable[str] = (), today: str | None = None, config: Config | None = None
    ) -> None:
        super().__init__()
        self.store = store
        store.act_as("app")  # an undo that reaches past this session says the action came from elsewhere
        self.config = config or Config(path=config_path())
        keymap.check_config(self.config)  # a bad [keys] or theme is a start-up error naming its line
        if self.config.theme:
            self.theme = self.config.theme
        self.ingest_paths = [str(p) for p in ingest]
        self.fixed_today = today
        ui = store.ui()
        self.view = ui.get("view") if ui.get("view") in VIEW_TITLES else "inbox"
        self._start_pid = ui.get("cursor") or None
        self._start_index = ui.get("cursor_index") if isinstance(ui.get("cursor_index"), int) else 0
        self._start_ids = store.view_ids(self.view)  # read now: a damaged store fails before any screen is shown
        self._last_pid: dict[str, str | None] = {}  # the cursor's paper per view, for switching back
        self.abstracts = "loading"  # -> "ready" | the error message
        self._painted = threading.Event()
        self.fetch = AppFetch(self, redraw=self._fetched)  # R, fetch_on_start (tui/fetching.py)
        self.sync = AppSync(self, redraw=self._fetched)  # sync_dir: after the first paint, R, quit (tui/syncing.py)
        self.list_order = ListOrder(self)  # date or interest, "more like this" (tui/ranking.py)

    @property
    def today(self) -> str:
        return self.fixed_today or self.store.today()  # the store's clock, as its stamps

    @property
    def papers(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def current(self) -> str | None:
        return self.papers.current

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
        # A worker thread (search, loading) holds the GIL up to the switch interval each time the loop waits for
        # input: 1 ms instead of 5 took a key's median wait during a first abstract search from 49 to 8 ms.
        sys.setswitchinterval(0.001)
        self.papers.focus()
        self.papers.arrange = self.list_order.arrange
        self.papers.set_ids(self._start_ids, pid=self._start_pid, index=self._start_index)
        self._refresh_chrome()
        # The worker starts now (so waiting for workers covers it) but begins after the first paint: parsing the
        # abstracts holds the GIL for a moment.
        self.call_after_refresh(self._painted.set)
        self.run_worker(self._background, thread=True, group="background")
        if self.config.fetch_on_start:  # after the first paint: the screen never waits for the network
            self.call_after_refresh(self.fetch.start)
        self.call_after_refresh(self.sync.start)  # nothing without sync_dir

    # -- keeping the screen up to date -------------------------------------------------------------------------------
    def _refresh_chrome(self) -> None:
        """Header counts and the empty-state message."""
        counts = self.store.counts(self.today)
        self.query_one(HeaderBar).order = self.list_order.label()
        self.query_one(HeaderBar).show(self.view, counts, *self.find_status())
        empty = not self.papers.ids
        self.query_one("#main").set_class(empty, "-empty")
        if empty:
            self.query_one("#empty", Static).update(self._empty_text())
        elif self.focused is None:
            self.papers.focus()

    def _empty_text(self) -> Text:
        if self.filter_text:
            return no_matches_text(self.filter_text, VIEW_TITLES[self.view])
        return empty_view_text(self.store, self.view, self.today, ingesting=bool(self.ingest_paths))

    def _show_detail(self) -> None:
        pid = self.current
        pane = self.query_one(DetailPane)
        if pid is None or pid not in self.store:  # not in it: a first-screen id the library lacks (tui/loading.py)
            pane.show(None)
            return
        if not self.store.loaded:  # a lazy open: the title and the state until the rest is read (tui/loading.py)
            return pane.show(self.loading_detail(pid))
        paper, state = self.store.get(pid), self.store.state_of(pid)
        abstract = {"loading": None, "ready": paper.abstract}.get(self.abstracts, "")
        missing = "no abstract in the feed" if self.abstracts == "ready" else "abstracts could not be loaded"
        why = self.list_order.why(pid)
        rest = split_text(abstract)[1] if abstract else ""
        pane.show(detail_text(paper, state, abstract, self.today, self._queue_rank(pid), missing,
                              why_text(why) if why else None), pid, rest)

    def refresh_order(self) -> None:
        """The order changed or was ranked again: header and detail pane (the list arranges itself)."""
        self._refresh_chrome()
        self._show_detail()

    def action_toggle_order(self) -> None:
        self.list_order.toggle()

    def action_more_like(self) -> None:
        if pid := self._target():
            self.list_order.more_like(pid)

    def _queue_rank(self, pid: str) -> int | None:
        return self.store.queue_rank(pid)

    def on_paper_list_cursor_moved(self, event: PaperList.CursorMoved) -> None:
        # after a burst of moves the pane waits for the cursor to rest: see DetailPane.follow
        self.query_one(DetailPane).follow(event.pid, self._show_detail, moved=event.moved)

    def _reload_view(self, pid: str | None = None, index: int | None = None) -> None:
        if self.filter_text:  # the list is a search's hits: search again
            self.search_again(pid)
        else:
            self.papers.set_ids(self.store.view_ids(self.view), pid=pid, index=index)
        self._refresh_chrome()

    def _after_change(self, pids: list[str], message: str | None = None, *, focus: str | None = None) -> None:
        """Bring the screen up to date after the store changed these papers' state.

        The cursor stays on its paper; if that paper left the view, the cursor keeps its index and so lands on the
        next paper (the newsboat habit). `focus` puts the cursor on that paper instead, when it is listed.
        """
        papers = self.papers
        papers.invalidate(pids)
        ids, gone = papers.synced_ids(self.view, pids)
        current = None if self.current in gone else self.current
        papers.set_ids(ids, pid=focus or current, index=papers.cursor)
        self._refresh_chrome()
        self._save_ui()
        self.list_order.changed()  # re-rank in a worker: the cursor stays on its paper when the order comes
        if message:
            self.notify(message, markup=False)

    def _save_ui(self) -> None:
        """Remember view and cursor (on view change, after each action, on quit; not on every j/k)."""
        if len(self.store):
            self.store.set_ui(view=self.view, cursor=self.current or "", cursor_index=self.papers.cursor)
        self._check_saved()

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

    def action_detail_down(self) -> None:
        self.query_one(DetailPane).page(1)

    def action_detail_up(self) -> None:
        self.query_one(DetailPane).page(-1)

    def action_view(self, view: str) -> None:
        self._last_pid[self.view] = self.current
        self.end_search()  # a search and marks belong to their view
        self.list_order.leave_like(restore=False)
        self.view = view
        self._reload_view(pid=self._last_pid.get(view), index=0)
        self._save_ui()
        self.refresh_bindings()  # J/K show in the footer only in the queue

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._quitting:
            return False
        if action in ("queue_down", "queue_up"):
            return self.view == "queue"
        return True

    # -- triage ------------------------------------------------------------------------------------------------------
    def _target(self) -> str | None:
        pid = self.current
        if pid is None:
            self.notify("No paper here.", severity="warning")
        return pid

    def action_star(self) -> None:
        if self.papers.marked:
            return self.bulk_star()
        if pid := self._target():
            self.store.toggle_star([pid])
            self._after_change([pid])

    def action_tag(self) -> None:
        if self.papers.marked:
            return self.bulk_tag()
        if not (pid := self._target()):
            return
        has = self.store.state_of(pid).tags
        # most used first; the paper's own tags are not offered (completing to them helps nobody)
        offer = [t for t, _ in sorted(self.store.tags().items(), key=lambda kv: (-kv[1], kv[0])) if t not in has]

        def done(tags: list[str] | None) -> None:
            if tags:
                changed = self.store.add_tags([pid], tags)
                self._after_change([pid], ("Tagged: " if changed else "Already tagged: ") + ", ".join(tags))

        self.push_screen(TagDialog(self.store.title(pid), offer, list(has)), done)

    def action_untag(self) -> None:
        if not (pid := self._target()):
            return
        tags = self.store.state_of(pid).tags
        if not tags:
            self.notify("This paper has no tags.", severity="warning")
            return

        def done(tag: str | None) -> None:
            if tag:
                self.store.remove_tags([pid], [tag])
                self._after_change([pid], f"Removed tag: {tag}")

        self.push_screen(UntagDialog(self.store.title(pid), list(tags)), done)

    def action_note(self) -> None:
        if not (pid := self._target()):
            return
        old = self.store.state_of(pid).note

        def done(text: str | None) -> None:
            if text is None or text.rstrip() == old:
                return
            self.store.set_note(pid, text)
            self._after_change([pid], "Note saved" if text.strip() else "Note cleared")

        self.push_screen(NoteEditor(self.store.title(pid), old), done)

    def _set_status(self, status: Status, done: str, already: str) -> None:
        if self.papers.marked:
            return self.bulk_status(status)
        if not (pid := self._target()):
            return
        if not self.store.set_status([pid], status):
            self.notify(already, markup=False)
            self._check_saved()
            return
        if status == Status.QUEUED:
            done = f"Queued (position {self._queue_rank(pid)})"
        self._after_change([pid], done)

    def action_queue(self) -> None:
        pid = self.current
        rank = self._queue_rank(pid) if pid else None
        self._set_status(Status.QUEUED, "Queued", f"Already queued (position {rank})")

    def action_read(self) -> None:
        self._set_status(Status.READ, "Marked read", "Already marked read")

    def action_skip(self) -> None:
        self._set_status(Status.SKIPPED, "Skipped", "Already skipped")

    def action_inbox(self) -> None:
        self._set_status(Status.INBOX, "Back to inbox", "Already in the inbox")

    def _move_in_queue(self, delta: int) -> None:
        if not (pid := self._target()):
            return
        if not self.store.move_in_queue(pid, delta):
            self.notify("Already at the " + ("bottom" if delta > 0 else "top") + " of the queue.")
            return
        self._after_change([pid])

    def action_queue_down(self) -> None:
        self._move_in_queue(+1)

    def action_queue_up(self) -> None:
        self._move_in_queue(-1)

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
        self._after_change(pids, self.store.step_message(verb), focus=focus)

    def action_undo(self) -> None:
        self._replayed(self.store.undo(), "Undid", "Nothing to undo")

    def action_redo(self) -> None:
        self._replayed(self.store.redo(), "Redid", "Nothing to redo")

    # -- background: abstracts, then the feeds given on the command line ---------------------------------------------
    def _background(self) -> None:
        """Runs in a thread. Abstracts first (the detail pane waits for them), then the ingest with progress."""
        self._painted.wait(timeout=2)
        if not self.load_library():  # the rest of the library first (a lazy open), then its abstracts
            return
        try:
            self.store.load_abstracts(self.give_way)
            self._from_thread(self._abstracts_loaded, None)
        except PapertriageError as e:
            self._from_thread(self._abstracts_loaded, str(e))
        if self.ingest_paths:
            self._from_thread(self._ingest_done, self.ingest_with_progress())  # tui/share.py
        if self.abstracts == "ready" and not self._quitting:  # after the ingest, which would drop them
            self.store.warm_search()  # the first search then needs no index build (0.26 s at 100k)

    def _from_thread(self, callback, *args) -> None:
        try:
            self.call_from_thread(callback, *args)
        except RuntimeError:  # the app has already closed
            pass

    def _abstracts_loaded(self, error: str | None) -> None:
        self.abstracts = "ready" if error is None else error
        if error:
            self.notify(f"Abstracts not loaded: {error}", severity="error", markup=False)
        else:
            self.list_order.library_ready()
        self._show_detail()
        self.search_again()  # a search typed meanwhile now finds words in abstracts too

    def action_fetch(self) -> None:
        if self.config.feeds or self.config.sync_dir is None:  # with only a sync folder, R syncs and no more
            self.fetch.start()
        self.sync.start()

    def _fetched(self) -> None:
        self.papers.invalidate()
        self._reload_view(pid=self.current, index=self.papers.cursor)
        self._save_ui()

    def _ingest_done(self, report: IngestReport) -> None:
        self.query_one("#ingest").remove_class("-active")
        self.ingest_paths = []
        cut = f". {describe(report.capped)}" if report.capped else ""
        self.notify(
            f"Ingested {report.entries} entries: {report.new} new papers, {report.merged} repeats merged{cut}",
            markup=False,
        )
        for path, message in report.errors:
            self.notify(f"{path}: {message}", title="Ingest error", severity="error", markup=False, timeout=15)
        self.papers.invalidate()
        self._reload_view(pid=self.current, index=self.papers.cursor)
        self._save_ui()
        self.list_order.changed()


def run_app(store: Store, ingest: Iterable[str] = (), config: Config | None = None) -> int:
    """Run the app on a store; returns the exit code. Startup errors print one line and return 1."""
    try:
        app = PapertriageApp(store, ingest=ingest, config=config)
    except PapertriageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    try:
        app.run()
        if app.sync.quit_error:
            print(f"warning: sync at quit: {app.sync.quit_error} (the next `papertriage sync` sends it)", file=sys.stderr)
        if store.unsaved_error:
            try:
                store.flush()
            except OSError as e:
                print(f"error: {store.state_path}: changes could not be saved ({e.strerror or e})", file=sys.stderr)
                return 1
        return app.return_code or 0
    finally:
        store.close()

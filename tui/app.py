"""The app: the triage screen (tui/screens/triage.py) plus what belongs to the whole app: quit, help, the command
palette, the keys in effect (tui/keymap.py, remapped by the config's [keys]), and the background work (the rest of a
lazily opened library, the abstracts, feeds to ingest).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Iterable

from rich.text import Text
from textual import events
from textual.app import App

from storage.config import Config, config_path
from storage.caps import describe
from storage.errors import PapertriageError
from storage.store import IngestReport, Store

from . import keymap
from .commands import PaperCommands
from .fetching import AppFetch
from .syncing import AppSync
from .keymap import VIEW_TITLES, KeysInEffect
from .loading import GiveWay, ThreadCPU, load_library
from .saving import SaveStatus
from .screens import ConfirmDialog
from .screens.export_dialog import IngestDialog
from .screens.help import HelpScreen
from .screens.triage import TriageScreen
from .widgets.paper_list import PaperList

# A worker thread (search, loading) holds the GIL up to the switch interval each time the loop waits for input: 1 ms
# instead of 5 took a key's median wait during a first abstract search from 49 to 8 ms. Set by run_app, where the
# process starts (and by the benchmarks, which start the app themselves).
SWITCH_INTERVAL = 0.001


class PapertriageApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "papertriage"
    BINDINGS = keymap.bindings(app=True)
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
        self.keys = KeysInEffect.of(self.config)  # what the bindings, help, palette and texts use
        ui = store.ui()
        store.begin_session()  # which papers are new: those since the last session that counts (storage/fresh.py)
        view = ui.get("view") if ui.get("view") in VIEW_TITLES else "inbox"
        index = ui.get("cursor_index") if isinstance(ui.get("cursor_index"), int) else 0
        # the view's ids now: a damaged store fails before any screen is shown
        self._start = (view, (store.view_ids(view), ui.get("cursor") or None, index))
        self.abstracts = "loading"  # -> "ready" | the error message
        self.saving = SaveStatus(self, store)
        self.quitting = False  # once q is taken, keys typed after it (q t, fast) must not open dialogs on a closing app
        self._painted = threading.Event()
        self.give_way = GiveWay(lambda: self.quitting)  # the background reading waits while keys come or we are busy
        self.fetch = AppFetch(self, redraw=self._fetched)  # R, fetch_on_start (tui/fetching.py)
        self.sync = AppSync(self, redraw=self._fetched)  # sync_dir: after the first paint, R, quit (tui/syncing.py)

    @property
    def today(self) -> str:
        return self.fixed_today or self.store.today()  # the store's clock, as its stamps

    @property
    def triage(self) -> TriageScreen:
        return self.screen_stack[0]  # type: ignore[return-value]

    @property
    def papers(self) -> PaperList:
        return self.triage.papers

    @property
    def current(self) -> str | None:
        return self.triage.current

    @property
    def ingesting(self) -> bool:
        return bool(self.ingest_paths)

    def get_default_screen(self) -> TriageScreen:
        view, start = self._start
        return TriageScreen(self.store, self.today, view, start)

    def on_mount(self) -> None:
        self.set_keymap(self.keys.overrides)
        # The worker starts now (so waiting for workers covers it) but begins after the first paint: parsing the
        # abstracts holds the GIL for a moment.
        self.call_after_refresh(self._painted.set)
        self.give_way.watch(ThreadCPU(threading.get_ident()).busy)  # this thread runs the app's loop
        self.run_worker(self._background, thread=True, group="background")
        if self.config.fetch_on_start:  # after the first paint: the screen never waits for the network
            self.call_after_refresh(self.fetch.start)
        self.call_after_refresh(self.sync.start)  # nothing without sync_dir

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.quitting

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.give_way.key_pressed()
        await super().on_event(event)

    # -- help and quit -----------------------------------------------------------------------------------------------
    def action_help(self) -> None:
        keys = self.keys
        self.push_screen(HelpScreen(keys.help_rows(), help_keys=",".join(keys.keys("help")),
                                    palette_key=keys.first("command_palette")))

    async def action_quit(self) -> None:
        self.triage.save_ui()
        self.sync.at_quit()  # with sync_dir: this session's changes go out before the app closes
        err = self.saving.flush()
        if err is None:
            self.quitting = True
            self.exit(0)
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.quitting = True
                self.exit(1, return_code=1)  # run_app tries once more and names what was not saved

        question = f"Some changes could not be saved ({err.strerror or err}). Quit and lose them?"
        self.push_screen(ConfirmDialog(question, yes="Quit anyway", no="Stay"), answered)

    # -- background: the rest of the library, the abstracts, then the feeds given on the command line ---------------
    def from_thread(self, callback, *args) -> None:
        """Call `callback` on the app's loop, from a worker thread; nothing once the app is shutting down (its
        screens may have lost their widgets already) or has closed."""

        def unless_closing() -> None:
            if self.is_running:
                callback(*args)

        try:
            self.call_from_thread(unless_closing)
        except RuntimeError:  # the app has already closed
            pass

    def _background(self) -> None:
        """Runs in a thread. Abstracts first (the detail pane waits for them), then the ingest with progress."""
        self._painted.wait(timeout=2)
        error = load_library(self.store, lambda agreed: self.from_thread(self._library_loaded, agreed), self.give_way)
        if error is not None:
            self.from_thread(self._library_failed, error)
            return
        try:
            self.store.load_abstracts(self.give_way)
            self.from_thread(self._abstracts_loaded, None)
        except PapertriageError as e:
            self.from_thread(self._abstracts_loaded, str(e))
        if self.ingest_paths:
            self.from_thread(self._ingest_done, self._ingest_with_progress())
        if self.abstracts == "ready" and not self.quitting:  # after the ingest, which would drop them
            self.store.warm_search(pace=self.give_way)  # the first search then needs no index build (0.26 s at 100k)

    def _library_loaded(self, agreed: bool) -> None:
        if not agreed:  # the first-screen file was not this library's after all: draw the list from the library
            self.triage.redraw()
        else:  # the new papers are known now (`added` is not in the first-screen file): their marks and count
            self.papers.invalidate()
            self.triage.refresh_chrome()
        self.triage.new_papers.known()
        self.triage.show_detail()

    def _library_failed(self, message: str) -> None:
        self.quitting = True  # keys typed meanwhile must not act on a closing app
        self.exit(1, return_code=1, message=Text(f"error: {message}"))

    def _abstracts_loaded(self, error: str | None) -> None:
        self.abstracts = "ready" if error is None else error
        if error:
            self.notify(f"Abstracts not loaded: {error}", severity="error", markup=False)
        else:
            self.triage.list_order.library_ready()
        self.triage.show_detail()
        self.triage.find.again()  # a search typed meanwhile now finds words in abstracts too

    # -- ingest: the feeds given on the command line, or a file picked from the palette -----------------------------
    def action_ingest_file(self) -> None:
        if self._busy_ingesting():
            return

        def chosen(path: Path | None) -> None:
            if path is not None and not self._busy_ingesting():
                self.ingest_paths = [str(path)]
                self.run_worker(self._ingest_in_thread, thread=True, group="background")

        self.push_screen(IngestDialog(), chosen)

    def library_busy(self) -> bool:
        """Whether something writes or reads the whole library now (the rest of it or the abstracts loading, an
        ingest, a fetch writing): one at a time; an ingest, a fetch's writes and a sync's merge wait for it."""
        return any(w.group == "background" and not w.is_finished for w in self.workers) or self.fetch.writing

    def _busy_ingesting(self) -> bool:
        """True (and says so) while the abstracts load or feeds are read: one reader of the library at a time."""
        busy = self.library_busy()
        if busy:
            self.notify("Still reading feeds or abstracts; try again in a moment.", severity="warning")
        return busy

    def _ingest_in_thread(self) -> None:
        self.from_thread(self._ingest_done, self._ingest_with_progress())

    def _ingest_with_progress(self) -> IngestReport:
        """In a worker thread: ingest `ingest_paths`, the bar moving by bytes merged, within one huge feed too (see
        tui/progress.py), the entries counted beside it."""
        self.from_thread(self._ingest_progress, 0, 0, None)
        try:
            return self.store.ingest(self.ingest_paths, entry_progress=lambda *a: self.from_thread(
                self._ingest_progress, *a))
        except (PapertriageError, OSError) as e:
            return IngestReport(errors=[("ingest", str(e))])

    def _ingest_progress(self, entries: int, done: int, total: int | None) -> None:
        label = f"Ingesting feeds · {entries:,} entries" if entries else "Ingesting feeds"
        self.triage.show_ingest_progress(label, done, total)

    def action_fetch(self) -> None:
        if self.config.feeds or self.config.sync_dir is None:  # with only a sync folder, R syncs and no more
            self.fetch.start()
        self.sync.start()

    def _fetched(self) -> None:
        self.triage.redraw()
        self.triage.new_papers.arrived()
        self.triage.save_ui()

    def _ingest_done(self, report: IngestReport) -> None:
        self.triage.hide_ingest_progress()
        self.ingest_paths = []
        cut = f". {describe(report.capped)}" if report.capped else ""
        self.notify(
            f"Ingested {report.entries} entries: {report.new} new papers, {report.merged} repeats merged{cut}",
            markup=False,
        )
        for path, message in report.errors:
            self.notify(f"{path}: {message}", title="Ingest error", severity="error", markup=False, timeout=15)
        self.triage.redraw()
        self.triage.new_papers.arrived()
        self.triage.save_ui()
        self.triage.list_order.changed()


def run_app(store: Store, ingest: Iterable[str] = (), config: Config | None = None) -> int:
    """Run the app on a store; returns the exit code. Startup errors print one line and return 1."""
    sys.setswitchinterval(SWITCH_INTERVAL)
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

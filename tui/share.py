"""Sharing and finding help: copy (y, Y), open in the browser (o), export Markdown (e, E), help (?), ingest a file.

`ShareActions` is a mixin of the App: it uses the App's store, cursor, notify, workers and screens. Slow or blocking
work (the clipboard helper programs pyperclip shells out to, starting a browser, reading feeds) runs in thread
workers, so the screen never waits for it.
"""

from __future__ import annotations

import threading
import webbrowser
from functools import partial
from pathlib import Path

import pyperclip
from textual.widgets import Label, ProgressBar

from storage.atomic import write_output
from storage.errors import PapertriageError
from storage.bibtex_export import to_bibtex
from storage.export import markdown_link, paper_url, to_markdown
from storage.model import Paper, PaperState
from storage.store import IngestReport

from .keymap import VIEW_TITLES, help_rows
from .screens.copy_menu import CopyMenu
from .screens.export_dialog import ExportDialog, IngestDialog
from .screens.help import HelpScreen

CLIPBOARD_TIMEOUT = 3.0  # seconds to wait for xclip / wl-copy / pbcopy before falling back to OSC 52
SYSTEM, TERMINAL = "system clipboard", "terminal OSC 52"

# what the notification calls each kind of copied text
COPY_NAMES = {"link": "Markdown link", "title": "title", "url": "URL", "bibtex": "BibTeX", "note": "Markdown with note"}


def clip_text(kind: str, p: Paper, s: PaperState) -> str | None:
    """The text `kind` copies of a paper; None when the paper has none (a URL-less paper's URL)."""
    if kind == "link":
        return markdown_link(p)
    if kind == "title":
        return p.title
    if kind == "url":
        return paper_url(p)
    if kind == "bibtex":
        return to_bibtex([(p, s)])
    if kind == "note":
        # the paper as `papertriage export` writes it (linked title, authors, tags, the note quoted), without the
        # export's `# heading` and its blank line
        return to_markdown([(p, s)], group_by="none", heading="").split("\n", 2)[2]
    raise ValueError(f"unknown copy kind {kind!r}")


def system_copy(text: str, timeout: float = CLIPBOARD_TIMEOUT) -> bool:
    """Copy through pyperclip; False when it has no mechanism (SSH, CI), fails, or hangs past `timeout`.

    The copy runs in a daemon thread so that a helper program that never returns cannot hold up the caller or
    the interpreter's exit.
    """
    done: list[bool] = []

    def run() -> None:
        try:
            pyperclip.copy(text)
            done.append(True)
        except Exception:  # PyperclipException when no mechanism; OSError etc. from a broken helper program
            done.append(False)

    worker = threading.Thread(target=run, name="pyperclip", daemon=True)
    worker.start()
    worker.join(timeout)
    return bool(done and done[0])


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class ShareActions:
    """Actions of the App (see tui/keymap.py for their keys). Expects the PapertriageApp attributes."""

    # -- copy --------------------------------------------------------------------------------------------------------
    def action_copy(self, kind: str = "link") -> None:
        if not (pid := self._target()):
            return
        paper = self.store.get(pid)
        text = clip_text(kind, paper, self.store.state_of(pid))
        if not text:
            self.notify("This paper has no URL." if kind == "url" else "Nothing to copy.", severity="warning")
            return
        what = COPY_NAMES[kind]
        if kind == "link" and not paper_url(paper):
            what = "Markdown title (the paper has no URL)"
        self.run_worker(partial(self._copy_in_thread, text, what), thread=True, group="clipboard")

    def _copy_in_thread(self, text: str, what: str) -> None:
        self._from_thread(self._copied, text, what, system_copy(text))

    def _copied(self, text: str, what: str, by_system: bool) -> None:
        if not by_system:
            self.copy_to_clipboard(text)  # the terminal copies it, if it supports OSC 52 (most do, even over SSH)
        self.notify(f"Copied {what} ({SYSTEM if by_system else TERMINAL})", markup=False)

    def action_copy_menu(self) -> None:
        if not (pid := self._target()):
            return

        def picked(kind: str | None) -> None:
            if kind:
                self.action_copy(kind)

        self.push_screen(CopyMenu(self.store.title(pid)), picked)

    # -- browser -----------------------------------------------------------------------------------------------------
    def action_open_browser(self) -> None:
        if not (pid := self._target()):
            return
        url = paper_url(self.store.get(pid))
        if not url:
            self.notify("This paper has no web link to open.", severity="warning")
            return
        self.notify(f"Opening {url}", markup=False)
        self.run_worker(partial(self._open_in_thread, url), thread=True, group="browser")

    def _open_in_thread(self, url: str) -> None:
        try:
            opened = webbrowser.open(url)
        except Exception:  # webbrowser.Error, or a browser command that failed to start
            opened = False
        if not opened:
            message = f"No browser could be started for {url}"
            self._from_thread(partial(self.notify, message, severity="warning", markup=False))

    # -- export ------------------------------------------------------------------------------------------------------
    def action_export_starred(self) -> None:
        ids = self.store.view_ids("starred")
        self._export(ids, "starred", "starred papers", None, "No starred papers to export.")

    def action_export_view(self) -> None:
        """The list as shown: the view, narrowed by the search or tag filter when one is active."""
        title = VIEW_TITLES.get(self.view, self.view)
        heading = None if self.view == "starred" else f"Papers: {self.view} view"  # as `papertriage export`
        what, empty = f"the {title} view", f"Nothing to export: the {title} view is empty."
        query = " ".join(self.filter_text.split())
        if query:
            heading = f"{heading or 'Starred papers'} matching {query}"
            what, empty = f"{what} matching “{query}”", f"Nothing to export: no paper matches “{query}”."
        self._export(list(self.papers.ids), self.view, what, heading, empty)

    def _export(self, ids: list[str], name: str, what: str, heading: str | None, empty: str) -> None:
        if not ids:
            self.notify(empty, severity="warning")
            return

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._write_export(path, ids, heading)

        self.push_screen(ExportDialog(what, len(ids), f"{name}-{self.today}.md"), chosen)

    def _write_export(self, path: Path, ids: list[str], heading: str | None) -> None:
        items = [(self.store.get(pid), self.store.state_of(pid)) for pid in ids]
        text = to_markdown(items, heading=heading, today=self.today)
        try:
            write_output(path, text.encode())
        except OSError as e:
            self.notify(f"Could not write {path}: {e.strerror or e}", title="Export failed", severity="error",
                        markup=False)
            return
        self.notify(f"Exported {plural(len(items), 'paper')} to {path}", markup=False)

    # -- help --------------------------------------------------------------------------------------------------------
    def action_help(self) -> None:
        self.push_screen(HelpScreen(help_rows()))

    # -- ingest a file (from the command palette) --------------------------------------------------------------------
    def action_ingest_file(self) -> None:
        if self._busy_ingesting():
            return

        def chosen(path: Path | None) -> None:
            if path is not None and not self._busy_ingesting():
                self.ingest_paths = [str(path)]
                self.run_worker(self._ingest_in_thread, thread=True, group="background")

        self.push_screen(IngestDialog(), chosen)

    def _busy_ingesting(self) -> bool:
        """True (and says so) while the abstracts load or feeds are read: one reader of the library at a time."""
        busy = any(w.group == "background" and not w.is_finished for w in self.workers) or self.fetch.writing
        if busy:
            self.notify("Still reading feeds or abstracts; try again in a moment.", severity="warning")
        return busy

    def _ingest_in_thread(self) -> None:
        self._from_thread(self._ingest_done, self.ingest_with_progress())

    def ingest_with_progress(self) -> IngestReport:
        """In a worker thread: ingest `ingest_paths`, the bar moving by bytes merged, within one huge feed too (see
        tui/progress.py), the entries counted beside it."""
        self._from_thread(self._ingest_progress, 0, 0, None)
        try:
            return self.store.ingest(self.ingest_paths, entry_progress=partial(self._from_thread, self._ingest_progress))
        except (PapertriageError, OSError) as e:
            return IngestReport(errors=[("ingest", str(e))])

    def _ingest_progress(self, entries: int, done: int, total: int | None) -> None:
        self.query_one("#ingest").add_class("-active")
        label = f"Ingesting feeds · {entries:,} entries" if entries else "Ingesting feeds"
        self.query_one("#ingest-label", Label).update(label)
        self.query_one("#ingest-bar", ProgressBar).update(total=total or None, progress=done)  # 0 bytes: not known

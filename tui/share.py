"""Sharing: copy (y, Y), open in the browser (o the abstract page, p the PDF, L any link), export Markdown (e, E). An
object of the triage screen (tui/screens/triage.py). With marks, y Y o p E act on the marked papers (o and p on a few
only: a tab each); L, a menu of one paper's links, says it takes one.

Slow or blocking work (the clipboard helper programs pyperclip shells out to, starting a browser) runs in thread
workers, so the screen never waits for it.
"""

from __future__ import annotations

import threading
import webbrowser
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pyperclip

from storage.atomic import write_output
from storage.bibtex_export import to_bibtex
from storage.export import markdown_link, paper_url, to_markdown
from storage.links import LABELS, link_of, paper_links
from storage.model import Paper, PaperState

from .keymap import VIEW_TITLES
from .screens.copy_menu import CopyMenu
from .screens.export_dialog import ExportDialog
from .screens.open_menu import OpenMenu

if TYPE_CHECKING:  # the screen owns this object; only for the type
    from .screens.triage import TriageScreen

OPEN_AT_MOST = 10  # o with marks: a browser tab each, so not a hundred
CLIPBOARD_TIMEOUT = 3.0  # seconds to wait for xclip / wl-copy / pbcopy before falling back to OSC 52

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


def clip_texts(kind: str, items: list[tuple[Paper, PaperState]]) -> str | None:
    """The text `kind` copies of several papers (the marked ones): one line (or BibTeX entry, or Markdown item)
    each; None when none has any (no URL among them)."""
    if kind == "bibtex":
        return to_bibtex(items)
    if kind == "note":
        return to_markdown(items, group_by="none", heading="").split("\n", 2)[2]
    texts = [t for t in (clip_text(kind, p, s) for p, s in items) if t]
    return "\n".join(texts) if texts else None


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


class Share:
    def __init__(self, screen: TriageScreen) -> None:
        self.screen = screen

    # -- copy --------------------------------------------------------------------------------------------------------
    def copy(self, kind: str = "link") -> None:
        screen = self.screen
        if screen.papers.marked:
            return self._copy_marked(kind)
        if not (pid := screen.target()):
            return
        paper = screen.store.get(pid)
        text = clip_text(kind, paper, screen.store.state_of(pid))
        if not text:
            screen.notify("This paper has no URL." if kind == "url" else "Nothing to copy.", severity="warning")
            return
        what = COPY_NAMES[kind]
        if kind == "link" and not paper_url(paper):
            what = "Markdown title (the paper has no URL)"
        screen.run_worker(partial(self._copy_in_thread, text, what), thread=True, group="clipboard")

    def _copy_marked(self, kind: str) -> None:
        store = self.screen.store
        items = [(store.get(pid), store.state_of(pid)) for pid in self.screen.papers.marked_ids()]
        text = clip_texts(kind, items)
        if not text:
            self.screen.notify("None of the marked papers has a URL.", severity="warning")
            return
        what = f"{COPY_NAMES[kind]} of {plural(len(items), 'marked paper')}"
        self.screen.run_worker(partial(self._copy_in_thread, text, what), thread=True, group="clipboard")

    def _copy_in_thread(self, text: str, what: str) -> None:
        self.screen.app.from_thread(self._copied, text, what, system_copy(text))

    def _copied(self, text: str, what: str, by_system: bool) -> None:
        if by_system:
            self.screen.notify(f"Copied {what} (system clipboard)", markup=False)
            return
        # The terminal copies it if it supports OSC 52 (most do; tmux needs set-clipboard), but nothing tells the app
        # whether it did: say what was done, not "Copied".
        self.screen.app.copy_to_clipboard(text)
        self.screen.notify(f"{what[0].upper()}{what[1:]} sent to the terminal (OSC 52)", markup=False)

    def copy_menu(self) -> None:
        papers = self.screen.papers
        if papers.marked:
            subject = plural(len(papers.marked_ids()), "marked paper")
        elif pid := self.screen.target():
            subject = self.screen.store.title(pid)
        else:
            return

        def picked(kind: str | None) -> None:
            if kind:
                self.copy(kind)

        self.screen.app.push_screen(CopyMenu(subject), picked)

    # -- browser -----------------------------------------------------------------------------------------------------
    def open_link(self, kind: str) -> None:
        """Open one of the paper's links (storage/links.py: "abstract", "pdf", "hf", ...) in the browser."""
        screen = self.screen
        if screen.papers.marked:
            return self._open_marked(kind)
        if not (pid := screen.target()):
            return
        url = link_of(screen.store.get(pid), kind)
        if not url:
            missing = {"abstract": "This paper has no web link to open.",
                       "pdf": "This paper has no PDF link (no arXiv id, and its feed gave no pdf_url)."}
            screen.notify(missing.get(kind, f"This paper has no {LABELS[kind]}."), severity="warning")
            return
        self.open_url(url)

    def open_url(self, url: str) -> None:
        self.screen.notify(f"Opening {url}", markup=False)
        self.screen.run_worker(partial(self._open_in_thread, url), thread=True, group="browser")

    def open_menu(self) -> None:
        """`L`: every link the paper has, each under a letter."""
        screen = self.screen
        if screen.selection.refused("open_menu") or not (pid := screen.target()):
            return
        links = paper_links(screen.store.get(pid))
        if not links:
            screen.notify("This paper has no web link to open.", severity="warning")
            return

        def picked(url: str | None) -> None:
            if url:
                self.open_url(url)

        screen.app.push_screen(OpenMenu(screen.store.title(pid), links), picked)

    def _open_marked(self, kind: str) -> None:
        screen = self.screen
        urls = [u for u in (link_of(screen.store.get(p), kind) for p in screen.papers.marked_ids()) if u]
        what = "PDF link" if kind == "pdf" else "web link"
        if not urls:
            screen.notify(f"None of the marked papers has a {what} to open.", severity="warning")
            return
        if len(urls) > OPEN_AT_MOST:
            key = screen.app.keys.first("open_pdf" if kind == "pdf" else "open_browser")
            screen.notify(f"Not opening {len(urls)} pages at once: {key} opens at most {OPEN_AT_MOST} marked papers.",
                          severity="warning")
            return
        screen.notify(f"Opening {plural(len(urls), 'PDF' if kind == 'pdf' else 'page')}")
        for url in urls:
            screen.run_worker(partial(self._open_in_thread, url), thread=True, group="browser")

    def _open_in_thread(self, url: str) -> None:
        try:
            opened = webbrowser.open(url)
        except Exception:  # webbrowser.Error, or a browser command that failed to start
            opened = False
        if not opened:
            message = f"No browser could be started for {url}"
            self.screen.app.from_thread(partial(self.screen.notify, message, severity="warning", markup=False))

    # -- export ------------------------------------------------------------------------------------------------------
    def export_starred(self) -> None:
        ids = self.screen.store.view_ids("starred")
        self._export(ids, "starred", "starred papers", None, "No starred papers to export.")

    def export_view(self) -> None:
        """The list as shown: the view, narrowed by the search or tag filter when one is active; with marks, the
        marked papers."""
        view = self.screen.view
        if self.screen.papers.marked:
            ids = self.screen.papers.marked_ids()
            what = plural(len(ids), "marked paper")
            return self._export(ids, f"{view}-marked", what, f"Papers: {what} of the {view} view", "")
        title = VIEW_TITLES.get(view, view)
        heading = None if view == "starred" else f"Papers: {view} view"  # as `papertriage export`
        what, empty = f"the {title} view", f"Nothing to export: the {title} view is empty."
        query = " ".join(self.screen.find.text.split())
        if query:
            heading = f"{heading or 'Starred papers'} matching {query}"
            what, empty = f"{what} matching “{query}”", f"Nothing to export: no paper matches “{query}”."
        self._export(list(self.screen.papers.ids), view, what, heading, empty)

    def _export(self, ids: list[str], name: str, what: str, heading: str | None, empty: str) -> None:
        if not ids:
            self.screen.notify(empty, severity="warning")
            return

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._write_export(path, ids, heading)

        self.screen.app.push_screen(ExportDialog(what, len(ids), f"{name}-{self.screen.today}.md"), chosen)

    def _write_export(self, path: Path, ids: list[str], heading: str | None) -> None:
        store = self.screen.store
        items = [(store.get(pid), store.state_of(pid)) for pid in ids]
        text = to_markdown(items, heading=heading, today=self.screen.today)
        try:
            write_output(path, text.encode())
        except OSError as e:
            self.screen.notify(f"Could not write {path}: {e.strerror or e}", title="Export failed", severity="error",
                               markup=False)
            return
        self.screen.notify(f"Exported {plural(len(items), 'paper')} to {path}", markup=False)

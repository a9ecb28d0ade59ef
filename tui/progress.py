"""Ingest progress that moves within one huge feed: by bytes merged (known before anything is read), with the
entries counted so far. `Store.ingest` reports `entry_progress(entries, bytes_done, bytes_total)` every
PROGRESS_EVERY entries and after each file, and `progress(files_done, files)` after each file.

`TerminalBar` is the `papertriage ingest` bar on stderr (only on a terminal); the app's ProgressBar is fed the same
figures (tui/share.py).
"""

from __future__ import annotations

import sys
from typing import TextIO

WIDTH = 30  # cells of the bar itself


def bar_line(entries: int, done: int, total: int, files: int, nfiles: int, saving: bool = False) -> str:
    """`[#######.......]  24%  12,345 entries  3/100 files`, by bytes: a 1 GB feed moves the bar as it is merged."""
    share = min(1.0, done / total) if total > 0 else (1.0 if saving else 0.0)
    filled = int(WIDTH * share)
    line = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {int(share * 100):3d}%  {entries:,} entries"
    if nfiles > 1:
        line += f"  {files}/{nfiles} files"
    if saving:
        line += "  saving..."
    return line


class TerminalBar:
    """The bar, redrawn in place on `stream` (a terminal: carriage return, erase to the end of the line).

    Redrawn at every report: one short line every PROGRESS_EVERY entries (about ten a second) or file."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.entries = self.done = self.total = self.files = self.nfiles = 0
        self.drawn = False

    @classmethod
    def for_stderr(cls) -> TerminalBar | None:
        """A bar on stderr when it is a terminal; None when it is piped or redirected (logs get no bar)."""
        try:
            tty = sys.stderr.isatty()
        except (AttributeError, ValueError):
            tty = False
        return cls(sys.stderr) if tty else None

    def entry(self, entries: int, done: int, total: int) -> None:
        """`entry_progress` for Store.ingest."""
        self.entries, self.done, self.total = entries, done, total
        self._draw()

    def file(self, files: int, nfiles: int) -> None:
        """`progress` for Store.ingest: after the last file the library is being written."""
        self.files, self.nfiles = files, nfiles
        self._draw()

    def _draw(self) -> None:
        self.drawn = True
        saving = self.nfiles > 0 and self.files == self.nfiles
        line = bar_line(self.entries, self.done, self.total, self.files, self.nfiles, saving)
        self.stream.write(f"\r{line}\x1b[K")
        self.stream.flush()

    def start(self) -> None:
        """Draw the empty bar: reading a big first feed takes a while before anything is merged."""
        self._draw()

    def close(self) -> None:
        """Draw the final state and end the line (when a bar was drawn): what is printed next has its own line."""
        if self.drawn:
            line = bar_line(self.entries, self.done, self.total, self.files, self.nfiles)
            self.stream.write(f"\r{line}\x1b[K\n")
            self.stream.flush()

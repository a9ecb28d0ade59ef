"""Errors the user can act on. Each prints as one line naming the file or id and the problem."""

from __future__ import annotations


class PapertriageError(Exception):
    """Base of every error meant for the user (the CLI prints `error: <str(e)>` and exits 1)."""


class DataFileError(PapertriageError):
    """A library or state file that cannot be read (truncated, garbage, from a newer version)."""

    def __init__(self, path, problem: str, backup=None) -> None:
        self.path, self.problem, self.backup = str(path), problem, backup
        hint = f" (last good copy kept at {backup}; `papertriage doctor --repair` restores it)" if backup else ""
        super().__init__(f"{self.path}: {problem}{hint}")


class UnknownPaper(PapertriageError):
    def __init__(self, pid: str, detail: str = "no such paper") -> None:
        self.pid = pid
        super().__init__(f"{pid}: {detail}")


class SaveError(PapertriageError):
    """A change could not be written (disk full, read-only). The change is kept in memory and retried."""

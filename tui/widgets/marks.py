"""The papers marked for a bulk action (space, V): a set with the few operations the list and the bulk actions use.

Marks belong to the list they were made in (tui/selection.py drops them when the list changes meaning: a view switch,
a new query, a bulk action done). The list redraws a row when its mark changes.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence


class Marks:
    def __init__(self) -> None:
        self._ids: set[str] = set()

    def __contains__(self, pid: object) -> bool:
        return pid in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def toggle(self, pid: str) -> bool:
        """Mark or unmark `pid`; True when it is marked now."""
        if pid in self._ids:
            self._ids.discard(pid)
            return False
        self._ids.add(pid)
        return True

    def add(self, pids: Iterable[str]) -> None:
        self._ids.update(pids)

    def discard(self, pids: Iterable[str]) -> None:
        self._ids.difference_update(pids)

    def clear(self) -> bool:
        """Drop every mark; True when there were any."""
        had = bool(self._ids)
        self._ids.clear()
        return had

    def in_order(self, ids: Sequence[str]) -> list[str]:
        """The marked papers among `ids`, in their order."""
        marked = self._ids
        return [pid for pid in ids if pid in marked] if marked else []

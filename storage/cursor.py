"""Where the list cursor goes when the list changes under it: pure rules, no terminal, tested without one.

The list (tui/widgets/paper_list.py) holds ids and a cursor index; after a change (a paper starred away from the
inbox, a bulk action, an undo) the app asks these functions where the cursor lands, so the habit newsboat users
expect (the cursor keeps its paper; if the paper left the view, it keeps its place and so lands on the next paper) is
written once and tested on plain lists.
"""

from __future__ import annotations

from typing import Container, Iterable, Sequence


def index_after(ids: Sequence[str], *, pid: str | None = None, index: int | None = None, old: int = 0) -> int:
    """The cursor index in `ids`: on `pid` when it is listed, else `index` (clamped), else `old` (clamped).

    `ids[index] == pid` is checked first: the usual case (the cursor's paper stayed put) then needs no search of a
    100,000-id list."""
    if pid is not None and not (index is not None and 0 <= index < len(ids) and ids[index] == pid):
        try:
            index = ids.index(pid)
        except ValueError:
            pass
    return max(0, min(old if index is None else index, len(ids) - 1))


def stays(current: str | None, gone: Container[str], focus: str | None = None) -> str | None:
    """The paper the cursor should stay on after a change: `focus` when given, else the cursor's paper unless it
    left the list (`gone`): then None, and the cursor keeps its index (see index_after)."""
    if focus is not None:
        return focus
    return None if current is None or current in gone else current


def advanced(ids: Sequence[str], index: int, pid: str | None, *, advance: bool = True) -> int:
    """The cursor index after `r`, `x` or `a` on the cursor's paper `pid` (the list `ids` already up to date).

    A paper that left the view left the cursor on the next one (it kept its index); one that stayed (All, Starred,
    `r` in Read) is passed over too, so every view reads like the inbox, unless the config says `advance = false`.
    On the last paper the cursor stays."""
    if advance and pid is not None and 0 <= index < len(ids) - 1 and ids[index] == pid:
        return index + 1
    return index


def next_unmarked(ids: Sequence[str], marked: Container[str], at: int) -> str | None:
    """After a bulk action took the marked papers away: the first unmarked paper from `at` on, else the nearest one
    before it, else None."""
    after = next((pid for pid in _slice(ids, at, len(ids)) if pid not in marked), None)
    return after or next((pid for pid in _slice(ids, at - 1, -1, -1) if pid not in marked), None)


def _slice(ids: Sequence[str], start: int, stop: int, step: int = 1) -> Iterable[str]:
    """ids[start:stop:step] without copying the list (it may hold 100k ids)."""
    return (ids[i] for i in range(start, stop, step))

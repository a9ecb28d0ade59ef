"""The views (inbox, queue, starred, ...) and their counts, as pure functions of the paper order and the states.

Only papers the user touched have a stored state; every other paper is in the inbox. So the inbox is the order
minus a few papers, and the other views come from the (small) state table, never from a state per paper.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from .model import PaperState, Status

VIEWS = ("inbox", "queue", "starred", "read", "skipped", "all")
# One vocabulary: the queue view and the queued status answer to either word (`--view`, `status`, `is:`).
_VIEW_ALIASES = {"queued": "queue"}
_STATUS_ALIASES = {"queue": "queued"}


def view_name(name: str) -> str:
    """The view a user's word names (`queued` is the queue); unknown words come back as they are."""
    low = name.strip().lower()
    return _VIEW_ALIASES.get(low, low)


def status_name(name: str) -> str:
    """The status a user's word names (`queue` is queued); unknown words come back as they are."""
    low = name.strip().lower()
    return _STATUS_ALIASES.get(low, low)


def in_view(view: str, s: PaperState) -> bool:
    view = view_name(view)
    if view == "all":
        return True
    if view == "starred":
        return s.starred
    if view == "queue":
        return s.status == Status.QUEUED
    return s.status.value == view


def view_ids(view: str, order: Iterable[str], states: Mapping[str, PaperState]) -> list[str]:
    """The ids of `order` in `view`; the queue in reading order, the other views in `order`."""
    view = view_name(view)
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r} (one of {', '.join(VIEWS)})")
    if view == "all":
        return list(order)
    if view == "inbox":
        return [pid for pid in order if pid not in states or states[pid].status == Status.INBOX]
    members = {pid for pid, s in states.items() if in_view(view, s)}
    ids = [pid for pid in order if pid in members] if members else []
    if view == "queue":
        ids.sort(key=lambda pid: states[pid].queue_position or 0)
    return ids


def counts(total: int, states: Mapping[str, PaperState], known: Callable[[str], bool], today: str) -> dict[str, int]:
    """Papers per view and triaged `today` (an ISO date), of `total` papers; states of unknown papers don't count."""
    c = {"all": total, "queue": 0, "starred": 0, "read": 0, "skipped": 0, "triaged_today": 0}
    not_inbox = 0
    for pid, s in states.items():
        if not known(pid):
            continue
        if s.starred:
            c["starred"] += 1
        if s.status != Status.INBOX:
            not_inbox += 1
            c[{"queued": "queue"}.get(s.status.value, s.status.value)] += 1
            if s.triaged[:10] == today:
                c["triaged_today"] += 1
    c["inbox"] = total - not_inbox
    return c


def today_summary(states: Iterable[PaperState], today: str) -> dict[str, int]:
    """What was done `today`, by outcome: starred, queued, read, skipped (for the inbox-zero screen)."""
    out = {"starred": 0, "queued": 0, "read": 0, "skipped": 0}
    for s in states:
        if s.updated[:10] != today:
            continue
        if s.starred:
            out["starred"] += 1
        if s.status != Status.INBOX and s.triaged[:10] == today:
            out[s.status.value] += 1
    return out


def queue_rank(states: Mapping[str, PaperState], pid: str) -> int | None:
    """The paper's place in the reading queue (1 = next), None when it is not queued."""
    mine = states[pid].queue_position if pid in states else None
    if mine is None:
        return None
    ahead = (s.queue_position or 0 for s in states.values() if s.status == Status.QUEUED)
    return 1 + sum(1 for pos in ahead if pos < mine)


def next_queue_position(states: Iterable[PaperState]) -> int:
    """The position a paper queued now gets: after every paper queued before."""
    return 1 + max((s.queue_position or 0 for s in states), default=0)

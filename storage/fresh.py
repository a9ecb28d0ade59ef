"""What is new since last time, and what came today: the rule, as pure functions of ISO strings and ids.

A *session* is one run of the app on a writable library. The app records it in the user's UI state (state.json's
`ui.session`, written like the view and cursor: one journal line, see StateStore.set_ui):

    {"start": ISO, "last": ISO, "acted": bool, "since": ISO or ""}

`start` is when it began, `last` the last time it saved the UI (after each action, on a view change, at quit),
`acted` whether the user changed a paper in it, and `since` the threshold it used.

A paper is **new** when it was first ingested (`Paper.added`) after the end (`last`) of the previous session that
*counts*, or when it was ingested during this session (the app's ingest at start, `R`). A session counts when the
user acted in it, or when it lasted at least SEEN_AFTER seconds: that is when the list was seen. So:

- papers `papertriage fetch` ingested this morning, before the app was opened, are new;
- papers ingested in the app during this session are new;
- yesterday's papers are not new today (yesterday's session saw them);
- opening and closing the app twice in a minute, touching nothing, keeps this morning's marks: such a session does
  not count, and the next one takes over its threshold (`since`).

The first session of all (no record) has nothing new but what it ingests itself: every paper is unseen then, and a
mark on each would say nothing.

A paper is **today's** when its first-seen date (its earliest feed date, else the day it was ingested: what the list's
date column shows) is today by the store's clock.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Callable, Iterable, Mapping, Sequence

SEEN_AFTER = 120  # seconds: a session this long counts even if the user changed nothing


def _parse(iso: str) -> datetime | None:
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None


def later(a: str, b: str) -> bool:
    """Whether the ISO time `a` is after `b`. Two stamps of one clock share their length and UTC offset, and then
    the strings compare as the times do; otherwise (a DST change, another machine's stamp) they are parsed."""
    if not a:
        return False
    if not b:
        return True
    if len(a) == len(b) and a[19:] == b[19:]:
        return a > b
    ta, tb = _parse(a), _parse(b)
    if ta is None or tb is None:
        return a > b
    if (ta.tzinfo is None) != (tb.tzinfo is None):  # one naive: compare the wall clocks
        ta, tb = ta.replace(tzinfo=None), tb.replace(tzinfo=None)
    return ta > tb


def counts(session: Mapping) -> bool:
    """Whether a recorded session saw the list: the user acted, or it lasted SEEN_AFTER seconds."""
    if session.get("acted") is True:
        return True
    start, last = _parse(str(session.get("start", ""))), _parse(str(session.get("last", "")))
    if start is None or last is None or (start.tzinfo is None) != (last.tzinfo is None):
        return False
    return (last - start).total_seconds() >= SEEN_AFTER


def begin(previous: object, now: str) -> dict:
    """The record of a session starting `now`, after the `previous` record (None or damaged: the first session)."""
    if not isinstance(previous, Mapping) or not isinstance(previous.get("last"), str):
        since = now  # the first session: only what it ingests itself is new
    elif counts(previous):
        since = previous["last"]
    else:  # a glance (or a crash at once): it takes over the threshold of the session before it
        since = previous.get("since") if isinstance(previous.get("since"), str) else previous["last"]
    return {"start": now, "last": now, "acted": False, "since": since}


def touched(session: Mapping, now: str, acted: bool) -> dict:
    """The session's record after it saved the UI at `now` (`acted`: after a change to papers)."""
    return {**session, "last": now, "acted": bool(session.get("acted")) or acted}


def new_ids(papers: Sequence, since: str, ingested: frozenset[str] | set[str] = frozenset()) -> set[str]:
    """The ids of the papers (with `.id` and `.added`) that are new: added after `since`, or `ingested` (the papers
    this session's own ingests added, whatever their stamp says). An ingest stamps all its papers alike, so a
    library holds a few hundred distinct stamps: those are compared (see `later`), then the papers picked by set
    membership, in two C-speed passes (100k papers: a few ms)."""
    stamps = {p.added for p in papers}
    fresh = {a for a in stamps if later(a, since)}
    out = {p.id for p in papers if p.added in fresh} if fresh else set()
    return out | ingested if ingested else out


def today_count(order: Sequence[str], first_seen: Callable[[str], str], today: str) -> int:
    """Papers first seen `today`. `order` is newest first-seen day first (Store.ordered_ids), so today's papers come
    after any dated later (a feed's clock ahead) and before the rest: only those are looked at."""
    n = 0
    for pid in order:
        day = first_seen(pid)[:10]
        if day < today:
            break
        n += day == today
    return n


def next_new(ids: Sequence[str], cursor: int, wanted: Callable[[str], bool]) -> tuple[int | None, bool]:
    """The index of the next paper after `cursor` that is `wanted`, wrapping past the end: (index, wrapped);
    (None, False) when there is none but maybe the cursor's own. Lazily, in C (compress over map): with a set's
    `__contains__` a whole 100k list without a hit is a few ms."""
    n = len(ids)
    if not n:
        return None, False
    start = cursor + 1
    rest = itertools.chain(itertools.islice(ids, start, None), itertools.islice(ids, 0, start))
    k = next(itertools.compress(itertools.count(), map(wanted, rest)), None)
    if k is None:
        return None, False
    return (start + k) % n, start + k >= n


class News:
    """One Store's side of it: this app session's record, the papers this session's ingests added, the new papers' ids
    (computed once per library and threshold; a row only looks its id up)."""

    def __init__(self, store) -> None:
        self.store = store  # the Store (its ui(), clock and library); not imported: store.py imports this module
        self.session: dict | None = None  # once `begin`: the app's session
        # The papers this session's ingests added: new, by id (a stamp can be shared: a clock of seconds, a test's)
        self.ingested: set[str] = set()
        self._ids: tuple[tuple, set[str]] | None = None  # (what they were computed from, the ids)

    def forget(self) -> None:
        """The library changed (ingest, reload): compute again when asked."""
        self._ids = None

    def begin(self) -> dict:
        """Start an app session. Its record is written with the UI's first save (`touched`), not now: opening the
        app writes nothing, and a session that ends before any save would not count anyway, so the next one
        computes the same threshold without it."""
        self.session = begin(self.store.ui().get("session"), self.store.clock())
        return self.session

    def touched(self, acted: bool) -> dict:
        """{"session": record} after the app saved its UI now (for `set_ui`); {} outside an app session."""
        if self.session is None:
            return {}
        self.session = touched(self.session, self.store.clock(), acted)
        return {"session": self.session}

    def added(self, pids: list[str]) -> None:
        """An ingest added these papers: in an app session they are new, whatever the clock did."""
        if self.session is not None and pids:
            self.ingested = self.ingested | set(pids)  # a new set: the app's thread may be reading the old one

    def warm(self) -> None:
        """In an app session, compute the new papers now (the app's worker calls it after reading the library)."""
        if self.session is not None:
            self.ids()

    def since(self) -> str:
        """The threshold; outside the app (the CLI's `is:new`), the one the next app session will use."""
        if self.session is not None:
            return self.session["since"]
        return begin(self.store.ui().get("session"), self.store.clock())["since"]

    def ids(self) -> set[str]:
        """The new papers. Empty until a lazy open has read the whole library (`added` is not in the first-screen
        file): the app redraws then."""
        library = self.store.library
        since = self.since()
        key = (since, len(library), len(self.ingested), library.loaded)
        if self._ids is None or self._ids[0] != key:
            found = new_ids(library.papers, since, self.ingested) if library.loaded else set()
            self._ids = key, found
        return self._ids[1]

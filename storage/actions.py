"""The user's actions on a Store: each one changes the state durably (one atomic write) and leaves one undo entry.

A part of Store (storage/store.py: `class Store(Actions)`), apart only to keep store.py short: it uses the store's
library, state, clock and search index as its own.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Callable, Iterable

from . import history, views
from .errors import UnknownPaper
from .model import PaperState, Status
from .normalize import clean_note, clean_tags


class Actions:
    """Star, tag, note, status, the reading queue, undo and redo (mixed into Store)."""

    def _ids(self, pids: Iterable[str]) -> list[str]:
        out = []
        for pid in pids:
            if not self.library.has(pid):
                raise UnknownPaper(pid)
            if pid not in out:
                out.append(pid)
        return out

    def _apply(self, label: str, pids: Iterable[str], change: Callable[[PaperState], PaperState]) -> list[str]:
        return self._commit(label, {pid: change(self._copy(pid)) for pid in self._ids(pids)})

    def _copy(self, pid: str) -> PaperState:
        old = self.state_of(pid)
        return replace(old, tags=list(old.tags))

    def _commit(self, label: str, new_states: dict[str, PaperState]) -> list[str]:
        """Write the states that really changed as one action (one durable write, one undo entry)."""
        stamp = self.clock()
        changes = {}
        for pid, new in new_states.items():
            if new != self.state_of(pid):
                new.updated = stamp
                changes[pid] = new
        if changes:
            self._state().apply(label, changes)
            self._search.forget(changes)
        return list(changes)

    def set_star(self, pids: Iterable[str], on: bool) -> list[str]:
        return self._apply("star" if on else "unstar", pids, lambda s: replace(s, starred=on))

    def toggle_star(self, pids: Iterable[str]) -> bool:
        """Star all when any is unstarred, else unstar all. Returns the new starred value."""
        ids = self._ids(pids)
        on = not all(self.state_of(pid).starred for pid in ids)
        self.set_star(ids, on)
        return on

    def add_tags(self, pids: Iterable[str], tags: Iterable[str]) -> list[str]:
        new = clean_tags(tags)
        return self._apply("tag " + ", ".join(new), pids, lambda s: replace(s, tags=s.tags + [t for t in new if t not in s.tags]))

    def remove_tags(self, pids: Iterable[str], tags: Iterable[str]) -> list[str]:
        gone = set(clean_tags(tags))
        return self._apply("untag " + ", ".join(sorted(gone)), pids, lambda s: replace(s, tags=[t for t in s.tags if t not in gone]))

    def set_note(self, pid: str, text: str) -> list[str]:
        return self._apply("note", [pid], lambda s: replace(s, note=clean_note(text).rstrip()))

    def set_status(self, pids: Iterable[str], status: Status | str) -> list[str]:
        status = Status(status)
        stamp = self.clock()
        next_pos = views.next_queue_position(self._states().values())

        def change(s: PaperState) -> PaperState:
            nonlocal next_pos
            if s.status == status:
                return s
            pos = None
            if status == Status.QUEUED:
                pos, next_pos = next_pos, next_pos + 1
            triaged = "" if status == Status.INBOX else (s.triaged or stamp)
            return replace(s, status=status, queue_position=pos, triaged=triaged)

        label = {"queued": "queue", "inbox": "back to inbox", "read": "mark read", "skipped": "skip"}[status.value]
        return self._apply(label, pids, change)

    def queue_ids(self) -> list[str]:
        return self.view_ids("queue")

    def move_in_queue(self, pid: str, delta: int) -> bool:
        """Move a queued paper up (delta < 0) or down the reading queue; False when it cannot move."""
        queue = self.queue_ids()
        if pid not in queue:
            return False
        i = queue.index(pid)
        j = i + delta
        if not 0 <= j < len(queue):
            return False
        queue[i], queue[j] = queue[j], queue[i]
        new_states = {}
        for n, q in enumerate(queue, start=1):
            if self.state_of(q).queue_position != n:
                new_states[q] = replace(self._copy(q), queue_position=n)
        self._commit("move in queue", new_states)
        return True

    def undo(self) -> tuple[str, list[str]] | None:
        return self._stepped(self.state.undo()) if self.state else None

    def redo(self) -> tuple[str, list[str]] | None:
        return self._stepped(self.state.redo()) if self.state else None

    def _stepped(self, done: tuple[str, list[str]] | None) -> tuple[str, list[str]] | None:
        self._search.forget()  # an undo or redo changed states behind the index's back
        return done

    def act_as(self, actor: str) -> None:
        """Who makes this store's actions from now on ("app" or "cli"): recorded in each undo entry."""
        self.actor = actor
        if self.state is not None:
            self.state.by = actor

    def step_message(self, verb: str) -> str:
        """What the last undo or redo did, naming its papers and, when it reached past this session, where the
        action came from: "Undid note on 'Title' (from the command line, yesterday)"."""
        entry = self.state.last_entry if self.state else None
        if entry is None:
            return verb
        titles = [self.library.title(pid) for pid in history.entry_ids(entry) if self.library.has(pid)]
        return history.describe(verb, entry, titles, date.fromisoformat(self.clock()[:10]))

"""The one object the CLI and the app talk to: the library, the user's state, and every action on them.

Each action method is one user action: it changes the state durably (one atomic write) and leaves one undo entry.
The screen never writes files itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Mapping

from . import paths
from .errors import UnknownPaper
from .ingest import PROGRESS_EVERY, gc_paused, merge_files, paths_to_files  # noqa: F401 (PROGRESS_EVERY: API)
from .library import FREEZE_AT, Library
from .model import Paper, PaperState, Status
from .normalize import arxiv_id, clean_note, clean_text, fold
from .query import Query, parse
from .searchindex import SearchIndices
from .state import StateStore, now_iso

VIEWS = ("inbox", "queue", "starred", "read", "skipped", "all")
STATE_FILE = "state.json"


@dataclass
class IngestReport:
    files: int = 0
    entries: int = 0
    new: int = 0
    merged: int = 0  # entries that were repeats of a paper already known (from this or an earlier ingest)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    per_file: list[tuple[str, str, int]] = field(default_factory=list)  # (path, format, entries)
    capped: int = 0  # entries with a field cut to what ingest keeps (see caps.py)


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Lower-case, trimmed, comma-split, de-duplicated tags in the order given."""
    out: list[str] = []
    for raw in tags:
        for t in str(raw).split(","):
            t = " ".join(clean_text(t).lower().split()).lstrip("+#")
            if t and t not in out:
                out.append(t)
    return out


class Store:
    def __init__(self, data_dir: str | Path | None = None, *, lazy: bool = False) -> None:
        """`lazy` (the app): open from the first-screen file when it is fresh; see `load_rest` and library.py."""
        self.dir = paths.data_dir(data_dir)
        with gc_paused(freeze=lambda: len(self.library) >= FREEZE_AT):  # the first-screen columns too (lazy)
            self.library = Library(self.dir, lazy=lazy)
        self._order: list[str] | None = None
        self._search = SearchIndices(self)
        self.state: StateStore | None = None
        self.reload_state()

    def reload(self) -> None:
        """Re-read library and state from disk (after waiting for another writer's lock)."""
        with gc_paused(freeze=lambda: len(self.library) >= FREEZE_AT):
            self.library.load()
        self.reload_state()
        self._forget_indices()

    def reload_state(self) -> None:
        """Re-read only the state (after taking the writer lock: another writer may have written meanwhile)."""
        if self.state is not None:
            self.state.close()
        path = self.dir / STATE_FILE
        self.state = StateStore(path) if path.exists() else None
        self._search.notes.clear()

    def close(self) -> None:
        """Fold this process's journal into the state file. Only the holder of the writer lock calls it."""
        if self.state is not None:
            self.state.close()

    def _forget_indices(self) -> None:
        """After the library changed (ingest, reload): the order and every search index are rebuilt on demand."""
        self._order = None
        self._search.clear()

    # -- state file is created on the first change, so read-only commands never create a data dir ------------------
    def _state(self) -> StateStore:
        if self.state is None:
            self.dir.mkdir(parents=True, exist_ok=True)
            self.state = StateStore(self.dir / STATE_FILE)
        return self.state

    # -- reading ---------------------------------------------------------------------------------------------------
    @property
    def papers(self) -> list[Paper]:
        return self.library.papers

    def __len__(self) -> int:
        return len(self.library)

    def __contains__(self, pid: str) -> bool:
        return self.library.has(pid)

    def title(self, pid: str) -> str:  # a list row's needs: known before the whole library is read (KeyError)
        return self.library.title(pid)

    def first_seen(self, pid: str) -> str:
        return self.library.first_seen(pid)

    @property
    def loaded(self) -> bool:  # False after a lazy open until `load_rest`: `get` and search wait for it
        return self.library.loaded

    def load_rest(self, pace: Callable[[], None] | None = None) -> bool:
        """Read the whole library (lazy open). False when the first-screen file differed: show the list again.
        `pace` is called between pieces of the file (see library.read_papers)."""
        if not (agreed := self.library.load_rest(pace)):
            self._forget_indices()
        return agreed

    def get(self, pid: str) -> Paper:
        try:
            return self.library.by_id[pid]
        except KeyError:
            raise UnknownPaper(pid) from None

    def state_of(self, pid: str) -> PaperState:
        return self.state.get(pid) if self.state else PaperState()

    def abstract(self, pid: str) -> str:
        return self.library.abstract(pid)

    def resolve(self, ref: str) -> str:
        """A paper id from what a person types: the id, an arXiv id (any version, `arXiv:` prefix, abs URL), or a
        unique prefix of an id (4+ characters)."""
        ref = ref.strip()
        if ref in self.library.by_id:
            return ref
        aid = arxiv_id(ref)
        if aid:
            if aid in self.library.by_id:
                return aid
            for p in self.library.papers:
                if p.arxiv_id == aid:
                    return p.id
        if len(ref) >= 4:
            hits = [pid for pid in self.library.by_id if pid.startswith(ref)]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise UnknownPaper(ref, f"ambiguous id prefix ({len(hits)} papers match)")
        raise UnknownPaper(ref, "no such paper (see `papertriage list`)")

    def ordered_ids(self) -> list[str]:
        """Every paper, newest feed date first; within a day, the order of the feed."""
        order = self._order  # once: the app's worker may forget it meanwhile (load_rest)
        if order is None:
            order = self._order = self.library.order()
        return order

    def in_view(self, view: str, s: PaperState) -> bool:
        if view == "all":
            return True
        if view == "starred":
            return s.starred
        if view == "queue":
            return s.status == Status.QUEUED
        return s.status.value == view

    def view_ids(self, view: str = "all", tag: str | None = None, query: str | Query | None = None) -> list[str]:
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r} (one of {', '.join(VIEWS)})")
        get = self.state_of
        order = self.ordered_ids()
        states = self.state.states if self.state else {}
        # Only papers the user touched have a stored state; the rest are in the inbox. So the inbox is the order
        # minus a few papers, and the other views come from the (small) state table, not a state per paper.
        if view == "all":
            ids = list(order)
        elif view == "inbox":
            ids = [pid for pid in order if pid not in states or states[pid].status == Status.INBOX]
        else:
            members = {pid for pid, s in states.items() if self.in_view(view, s)}
            ids = [pid for pid in order if pid in members] if members else []
        if view == "queue":
            ids.sort(key=lambda pid: get(pid).queue_position or 0)
        if tag:
            t = clean_tags([tag])[0] if clean_tags([tag]) else ""
            ids = [pid for pid in ids if t in get(pid).tags]
        if query:
            q = parse(query) if isinstance(query, str) else query
            ids = self.search(ids, q)
        return ids

    def haystack(self, pid: str) -> str:
        """Folded searchable text of a paper: title, authors, tags, note (abstract searched separately)."""
        p, s = self.get(pid), self.state_of(pid)
        return fold(" ".join([p.title, " ".join(p.authors), " ".join(s.tags), s.note, p.arxiv_id, p.id]))

    def matches(self, pid: str, q: Query, *, abstracts: bool = True) -> bool:
        p, s = self.library.by_id[pid], self.state_of(pid)
        if q.with_tags and not all(t in s.tags for t in q.with_tags):
            return False
        if q.without_tags and any(t in s.tags for t in q.without_tags):
            return False
        for what in q.is_:
            if what == "starred" and not s.starred or what == "unstarred" and s.starred:
                return False
            if what == "noted" and not s.note:
                return False
            if what in Status._value2member_map_ and s.status.value != what:
                return False
        if q.since and p.first_seen < q.since:
            return False
        if q.authors and not all(any(a in fold(name) for name in p.authors) for a in q.authors):
            return False
        if q.ids and not any(p.id.lower().startswith(i) or p.arxiv_id.startswith(i) for i in q.ids):
            return False
        if q.words:
            hay = self.haystack(pid)
            missing = [w for w in q.words if w not in hay]
            if missing and abstracts:
                abstract = fold(self.library.abstract(pid))
                missing = [w for w in missing if w not in abstract]
            if missing:
                return False
        return True

    def search(self, ids: Iterable[str], q: Query, *, abstracts: bool = True) -> list[str]:
        """Filter `ids` by the query; free-text hits are ranked by how well the title matches (rapidfuzz).

        Same result as testing `matches` on each paper, but the words are looked up in joined indices first (see
        searchindex.py), so only their hits meet the per-paper tests.
        """
        hits = list(ids)
        if q.words:
            found = self.word_hits(q.words, abstracts=abstracts)
            hits = [pid for pid in hits if pid in found]
        rest = replace(q, words=[])
        if not rest.empty:
            hits = [pid for pid in hits if self.matches(pid, rest, abstracts=abstracts)]
        if q.words and len(hits) > 1:
            hits = self._search.rank_by_title(q.text, hits)
        return hits

    def word_hits(self, words: list[str], *, abstracts: bool = True) -> set[str]:
        """Papers whose text (title, authors, ids, tags, note; abstract too when `abstracts`) has every word."""
        return self._search.word_hits(words, abstracts=abstracts)

    def warm_search(self, *, abstracts: bool = True) -> None:
        """Build the search indices now (e.g. in the app's background worker) rather than at the first query."""
        self._search.warm(abstracts=abstracts)

    def tags(self) -> dict[str, int]:
        return self.state.all_tags() if self.state else {}

    def counts(self, today: str | None = None) -> dict[str, int]:
        today = today or date.today().isoformat()
        c = {"all": len(self.library), "queue": 0, "starred": 0, "read": 0, "skipped": 0, "triaged_today": 0}
        not_inbox = 0
        if self.state:
            for pid, s in self.state.states.items():
                if not self.library.has(pid):
                    continue
                if s.starred:
                    c["starred"] += 1
                if s.status != Status.INBOX:
                    not_inbox += 1
                    c[{"queued": "queue"}.get(s.status.value, s.status.value)] += 1
                    if s.triaged[:10] == today:
                        c["triaged_today"] += 1
        c["inbox"] = c["all"] - not_inbox
        return c

    def today_summary(self, today: str | None = None) -> dict[str, int]:
        """What was done today, by outcome: starred, queued, read, skipped (for the inbox-zero screen)."""
        today = today or date.today().isoformat()
        out = {"starred": 0, "queued": 0, "read": 0, "skipped": 0}
        if self.state:
            for s in self.state.states.values():
                if s.updated[:10] != today:
                    continue
                if s.starred:
                    out["starred"] += 1
                if s.status != Status.INBOX and s.triaged[:10] == today:
                    out[s.status.value] += 1
        return out

    # -- actions ---------------------------------------------------------------------------------------------------
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
        stamp = now_iso()
        changes = {}
        for pid, new in new_states.items():
            if new != self.state_of(pid):
                new.updated = stamp
                changes[pid] = new
        if changes:
            self._state().apply(label, changes)
            for pid in changes:
                self._search.notes.pop(pid, None)
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
        stamp = now_iso()
        state = self.state
        next_pos = 1 + max((s.queue_position or 0 for s in state.states.values()), default=0) if state else 1

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
        if not self.state:
            return None
        done = self.state.undo()
        self._search.notes.clear()
        return done

    def redo(self) -> tuple[str, list[str]] | None:
        if not self.state:
            return None
        done = self.state.redo()
        self._search.notes.clear()
        return done

    # -- sync (storage/sync): states merged from other devices, papers that arrived ------------------------------------
    def synced_states(self) -> dict[str, PaperState]:
        """Every stored (non-default) paper state, for comparing with what the last sync left."""
        return dict(self.state.states) if self.state else {}

    def apply_synced(self, new_states: dict[str, PaperState]) -> list[str]:
        """Write states merged from other devices: durable like an action, but no undo entry (undoing another
        machine's change is a new change of this one, made by the user's own keys)."""
        stamp = now_iso()
        for s in new_states.values():
            s.updated = s.updated or stamp
        self._state().put_synced(new_states)
        for pid in new_states:
            self._search.notes.pop(pid, None)
        return list(new_states)

    def add_papers(self, papers: list[Paper]) -> None:
        """Papers another device ingested, with their ids: added as they are, then the library is saved once."""
        for p in papers:
            if not self.library.has(p.id):
                self.library.add(p)
        self.library.save()
        self._forget_indices()

    def ui(self) -> dict:
        return self.state.ui() if self.state else {}

    def set_ui(self, **values: object) -> None:
        self._state().set_ui(**values)

    # -- ingest ----------------------------------------------------------------------------------------------------
    def ingest(
        self,
        paths_: Iterable[str],
        progress: Callable[[int, int], None] | None = None,
        *,
        entry_progress: Callable[[int, int, int], None] | None = None,
        feed_names: Mapping[str, str] | None = None,
    ) -> IngestReport:
        """Read feeds, merge repeats into the library, write it once. Bad files are reported, the rest ingested.

        `progress(files_done, files)` is called after each file. `entry_progress(entries_done, bytes_done,
        bytes_total)` is called every PROGRESS_EVERY entries and after each file, so that one huge feed still moves
        a bar: bytes are known before anything is read, entries are not. Many big files are read in a helper
        process while the previous one is merged (see ingest.py). `feed_names` (path -> name): the source name of
        a file's papers instead of the file's name (fetched bodies: the subscription's name).
        """
        report = IngestReport()
        files = paths_to_files(paths_, report)
        with gc_paused():
            if merge_files(self.library, files, report, now_iso(), progress, entry_progress, feed_names):
                self.library.save()
                self._forget_indices()
        return report

    def dupes(self) -> list[Paper]:
        """Papers that absorbed repeats, with the reason for each merge in `paper.merges`."""
        return [p for p in self.library.papers if p.merges]

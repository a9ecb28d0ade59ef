"""The one object the CLI and the app talk to: the library, the user's state, and every action on them.

Each action method is one user action: it changes the state durably (one atomic write) and leaves one undo entry.
The screen never writes files itself. Store itself is thin: it holds the pieces together and forwards, as TinyDB's
`TinyDB` forwards to its `Table`. The actions are actions.py, what the views hold is views.py, the search language
is storage/search/, the ingest is ingest.py, the files are library.py and state.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Mapping

from . import fresh, paths, views
from .actions import Actions
from .atomic import sweep_stale_temps
from .errors import UnknownPaper
from .gcpause import gc_paused
from .ingest import PROGRESS_EVERY, IngestReport, ingest as ingest_feeds  # noqa: F401 (PROGRESS_EVERY, IngestReport: API)
from .library import FREEZE_AT, Library
from .model import Paper, PaperState, published_year
from .normalize import arxiv_id, clean_tags
from .search import Query, SearchIndex, parse
from .state import STATE_FILE, StateStore, now_iso
from .views import VIEWS  # noqa: F401 (API)


class Store(Actions):
    actor = "cli"  # who acts through this store: the app sets "app" (an undo entry says where it came from)

    def __init__(
        self, data_dir: str | Path | None = None, *, lazy: bool = False, clock: Callable[[], str] = now_iso,
        read_only: bool = False,
    ) -> None:
        """`lazy` (the app): open from the first-screen file when it is fresh; see `load_rest` and library.py.
        `clock()` gives the ISO time that stamps every change and ingest, and says which day is today.
        `read_only` (a data dir this process cannot write): changes are kept in memory only, never saved."""
        self.dir = paths.data_dir(data_dir)
        self.clock = clock
        self.read_only = read_only
        if not read_only:
            sweep_stale_temps(self.dir)  # an ingest killed mid-save leaves 20-30 MB that no write will ever rename
        with gc_paused(freeze=lambda: len(self.library) >= FREEZE_AT):  # the first-screen columns too (lazy)
            self.library = Library(self.dir, lazy=lazy)
        self._order: list[str] | None = None
        self._search = SearchIndex(self)
        self.news = fresh.News(self)  # what is new since the last app session (storage/fresh.py)
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
        self.state = StateStore(path, read_only=self.read_only, by=self.actor) if path.exists() else None
        self._search.forget()

    def close(self) -> None:
        """Fold this process's journal into the state file. Only the holder of the writer lock calls it."""
        if self.state is not None:
            self.state.close()

    def _forget_indices(self) -> None:
        """After the library changed (ingest, reload): the order and every search index are rebuilt on demand."""
        self._order = None
        self.news.forget()
        self._search.clear()

    # -- state file is created on the first change, so read-only commands never create a data dir ------------------
    def _state(self) -> StateStore:
        if self.state is None:
            if not self.read_only:
                paths.make_data_dir(self.dir)
            self.state = StateStore(self.dir / STATE_FILE, read_only=self.read_only, by=self.actor)
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

    def list_date(self, pid: str) -> str:
        """What a list row says of when: the day the paper was first listed (ISO), or just the year it was published
        when that is another year (a 2006 paper from a .bib ingested today reads "2006", not today). Until a lazy
        open has read the whole library, the listing day."""
        day = self.library.first_seen(pid)
        if self.library.loaded and (paper := self.library.by_id.get(pid)) is not None:
            year = published_year(paper)
            if year and year != day[:4]:
                return year
        return day

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

    def load_abstracts(self, pace: Callable[[], None] | None = None) -> None:
        """Fill every paper's `abstract` (idempotent; the app calls it in a worker after the first paint, with a
        `pace` called between pieces of the file, see library.read_papers)."""
        self.library.load_abstracts(pace)

    @property
    def first_screen_ok(self) -> bool | None:
        """Whether the first-screen file on disk is this library's (None: not looked at yet); see library.py."""
        return self.library.screen_ok

    def write_first_screen(self) -> bool:
        """Write the first-screen file when the one on disk is not this library's (the writer lock's holder)."""
        return self.library.write_first_screen()

    def annotated_ids(self) -> list[str]:
        """The papers with a stored state (tags, note, star, not in the inbox), as a copy: actions may change it."""
        return list(self.state.ids()) if self.state else []

    def today(self) -> str:
        """Today's date (ISO) by the store's clock."""
        return self.clock()[:10]

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

    def _states(self) -> dict[str, PaperState]:
        return self.state.states if self.state else {}

    def in_view(self, view: str, s: PaperState) -> bool:
        return views.in_view(view, s)

    def view_ids(self, view: str = "all", tag: str | None = None, query: str | Query | None = None) -> list[str]:
        ids = views.view_ids(view, self.ordered_ids(), self._states())
        if tag:
            wanted = clean_tags([tag])
            t = wanted[0] if wanted else ""
            ids = [pid for pid in ids if t in self.state_of(pid).tags]
        if query:
            q = parse(query, today=date.fromisoformat(self.today())) if isinstance(query, str) else query
            ids = self.search(ids, q)
        return ids

    def _with_new(self, q: Query) -> Query:
        if "new" in q.is_:
            q.new_ids = self.news.ids()  # each time: an ingest may have brought more since the query was parsed
        return q

    def matches(self, pid: str, q: Query, *, abstracts: bool = True) -> bool:
        """`q.matches` for one paper (its abstract counts once loaded, when `abstracts`)."""
        q = self._with_new(q)
        return q.matches(self.library.by_id[pid], self.state_of(pid), abstracts=abstracts)

    def search(self, ids: Iterable[str], q: Query, *, abstracts: bool = True) -> list[str]:
        """The papers of `ids` that match `q`; free-text hits ranked by how well the title matches (search/index.py)."""
        return self._search.search(ids, self._with_new(q), abstracts=abstracts)

    def word_hits(self, words: list[str], *, abstracts: bool = True) -> set[str]:
        """Papers whose text (title, authors, ids, tags, note; abstract too when `abstracts`) has every word."""
        return self._search.word_hits(words, abstracts=abstracts)

    def warm_search(self, *, abstracts: bool = True, pace: Callable[[], None] | None = None) -> None:
        """Build the search index now (e.g. in the app's background worker, with `pace` called every ~1,000 papers,
        see storage/pacing.py) rather than at the first query."""
        self._search.warm(abstracts=abstracts, pace=pace)

    def tags(self) -> dict[str, int]:
        return self.state.all_tags() if self.state else {}

    def counts(self, today: str | None = None) -> dict[str, int]:
        return views.counts(len(self.library), self._states(), self.library.has, today or self.today())

    def new_ids(self) -> set[str]:
        """The papers that are new (storage/fresh.py: News.ids)."""
        return self.news.ids()

    def is_new(self, pid: str) -> bool:
        return pid in self.news.ids()

    def today_count(self, today: str | None = None) -> int:
        """Papers first seen today (storage/fresh.py): what the list's date column shows as today."""
        return fresh.today_count(self.ordered_ids(), self.library.first_seen, today or self.today())

    def today_summary(self, today: str | None = None) -> dict[str, int]:
        """What was done today, by outcome: starred, queued, read, skipped (for the inbox-zero screen)."""
        return views.today_summary(self._states().values(), today or self.today())

    def queue_rank(self, pid: str) -> int | None:
        """The paper's place in the reading queue (1 = read next), None when it is not queued."""
        return views.queue_rank(self._states(), pid)

    # -- whether every change is on disk -------------------------------------------------------------------------
    @property
    def state_path(self) -> Path:
        return self.dir / STATE_FILE

    @property
    def unsaved_error(self) -> OSError | None:
        """Why the last change could not be written (it is kept in memory and retried), or None: all is on disk."""
        return self.state.unsaved_error if self.state else None

    def flush(self) -> None:
        """Retry a write that failed earlier; raises OSError while it still fails (nothing to do when none did)."""
        if self.state is not None:
            self.state.flush()

    # -- sync (storage/sync): states merged from other devices, papers that arrived ------------------------------------
    def synced_states(self) -> dict[str, PaperState]:
        """Every stored (non-default) paper state, for comparing with what the last sync left."""
        return dict(self.state.states) if self.state else {}

    def apply_synced(self, new_states: dict[str, PaperState]) -> list[str]:
        """Write states merged from other devices: durable like an action, but no undo entry (undoing another
        machine's change is a new change of this one, made by the user's own keys)."""
        stamp = self.clock()
        for s in new_states.values():
            s.updated = s.updated or stamp
        self._state().put_synced(new_states)
        self._search.forget(new_states)
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

    # -- sessions of the app (storage/fresh.py) ----------------------------------------------------------------------
    def begin_session(self) -> dict:
        """Start an app session: its threshold says which papers are new (News.begin)."""
        return self.news.begin()

    def touched_session(self, acted: bool = False) -> dict:
        """{"session": record} after the app saved its UI now (for `set_ui`); {} outside an app session."""
        return self.news.touched(acted)

    # -- ingest ----------------------------------------------------------------------------------------------------
    def ingest(
        self,
        paths_: Iterable[str],
        progress: Callable[[int, int], None] | None = None,
        *,
        entry_progress: Callable[[int, int, int], None] | None = None,
        feed_names: Mapping[str, str] | None = None,
    ) -> IngestReport:
        """Read feeds into the library and save it (see ingest.ingest for the callbacks and `feed_names`)."""
        before = len(self.library.papers)  # an ingest only appends (Library.add)
        report = ingest_feeds(self.library, paths_, self.clock(), progress, entry_progress, feed_names)
        if report.new:
            self.news.added([p.id for p in self.library.papers[before:]])
            self.news.warm()  # here, in the app's worker: not on its thread when the list is redrawn
        if report.changed:
            self._forget_indices()
            from .rank import after_ingest  # here: not on the app's start path

            after_ingest(self)  # rows for the new papers' ranking features (never fails the ingest)
        return report

    def dupes(self) -> list[Paper]:
        """Papers that absorbed repeats, with the reason for each merge in `paper.merges`."""
        return [p for p in self.library.papers if p.merges]

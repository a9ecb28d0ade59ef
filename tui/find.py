"""Finding: `/` live search, `f` tag filter, and Esc. An object of the triage screen (tui/screens/triage.py).

The search runs in a thread worker per keystroke (exclusive, group "search"): the next keystroke cancels it, and the
store's loop over papers stops at the next chunk. Results of an older search are never shown: each search has a
generation number and only the newest one's results are drawn.

The filter applies within the current view; switching views ends it (and drops the marks). Marks belong to the list
they were made in: a new query drops them too (tui/selection.py).
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Callable, Iterator

from rich.text import Text
from textual.worker import get_current_worker

from storage.search import Query, parse_partial, with_tag
from storage.store import Store

from .keymap import VIEW_TITLES
from .screens.tag_filter import TagFilter

if TYPE_CHECKING:  # the screen owns this object; only for the type
    from .screens.triage import TriageScreen

CHUNK = 2000  # papers between two checks for a newer keystroke


class Cancelled(Exception):
    """A newer keystroke started another search: this one stops where it is."""


def checked(ids: list[str], cancelled: Callable[[], bool]) -> Iterator[str]:
    """`ids`, asking `cancelled()` every CHUNK papers: whoever loops over them (the store) stops with Cancelled."""
    for start in range(0, len(ids), CHUNK):
        if cancelled():
            raise Cancelled
        yield from ids[start : start + CHUNK]


def search_passes(
    store: Store, ids: list[str], q: Query, *, abstracts: bool, cancelled: Callable[[], bool]
) -> Iterator[list[str]]:
    """The hits of `q` among `ids`, in two steps so the list answers at once even when abstracts are slow to search:
    first the papers found in titles, authors, tags and notes (ranked by the store); then, when the query has free
    words and `abstracts` (loaded), that list with the papers found only through their abstract appended after."""
    first = store.search(checked(ids, cancelled), q, abstracts=False)
    yield first
    if not (q.words and abstracts):
        return
    found = set(first)
    rest = [pid for pid in checked(ids, cancelled) if pid not in found]
    more = store.search(checked(rest, cancelled), q, abstracts=True)
    if more:
        yield first + more


def view_tag_counts(store: Store, view: str) -> dict[str, int]:
    """How many papers of the view carry each tag. Only papers with a stored state have tags: a pass over those."""
    counts: dict[str, int] = {}
    for pid in store.annotated_ids():
        s = store.state_of(pid)
        if s.tags and pid in store and store.in_view(view, s):
            for t in s.tags:
                counts[t] = counts.get(t, 0) + 1
    return counts


def no_matches_text(query: str, where: str, clear: str = "Esc", search: str = "/") -> Text:
    t = Text(f"No papers in {where} match\n\n", style="bold")
    t.append(query, style="not bold")
    t.append(f"\n\n{clear} clears the search · {search} edits it", style="not bold dim")
    return t


class Find:
    def __init__(self, screen: TriageScreen) -> None:
        self.screen = screen
        self.text = ""  # the query the list is filtered by; "" while the list shows the whole view
        self._query: Query | None = None
        self._origin: tuple[str | None, int] | None = None  # (paper, index) under the cursor when the search began
        self.gen = 0  # bumped by every new search (and by its end): results of an older one are dropped
        # The whole view's ids, as (view, papers.changes, ids): re-read only after a change, not at every keystroke.
        self._whole: tuple[str, int, list[str]] | None = None

    @property
    def store(self) -> Store:
        return self.screen.store

    def status(self) -> tuple[int | None, int]:
        """(matches, marked) for the header: matches is None while no search filters the list."""
        papers = self.screen.papers
        return (len(papers.ids) if self.text else None), len(papers.marked)

    def no_matches(self) -> Text:
        keys = self.screen.app.keys
        return no_matches_text(self.text, VIEW_TITLES[self.screen.view], keys.first("clear"), keys.first("search"))

    # -- search ------------------------------------------------------------------------------------------------------
    def open(self) -> None:
        self._remember_origin()
        self.screen.search_bar.open(self.text)

    def _remember_origin(self) -> None:
        if not self.screen.search_bar.display:  # a new search (not an edit of the one on show)
            papers = self.screen.papers
            self._origin = (papers.current, papers.cursor)
            self._whole = (self.screen.view, papers.changes, list(papers.ids))  # unfiltered yet: the whole view

    def _view_ids(self, view: str, changes: int) -> list[str]:
        """The whole view's ids (thread-safe: a cache entry is only used for the changes it was read at)."""
        whole = self._whole
        if whole is not None and whole[:2] == (view, changes):
            return whole[2]
        ids = self.store.view_ids(view)
        self._whole = (view, changes, ids)
        return ids

    def submitted(self) -> None:
        """Enter keeps the filter and returns to the list; the bar stays, showing the query."""
        if self.screen.search_bar.error:
            self.screen.app.bell()
            return
        if not self.text:
            self._end_filter(restore=True)
            return
        self.screen.focus_list()

    def typed(self, text: str) -> None:
        # A malformed token (`is:` on its way to `is:starred`) is left out and named under the bar: the list shows
        # what the other tokens match, never the matches of the half-typed word (`is`) from a keystroke before.
        q, errors = parse_partial(text, today=date.fromisoformat(self.screen.today))
        self.screen.search_bar.show_error("\n".join(str(e) for e in errors))
        if q.empty:
            if self.text:  # all typed away: the whole view, the cursor back where it was
                papers = self.screen.papers
                self._show_whole_view(*(self._origin or (papers.current, papers.cursor)))
            return
        if text.split() != self.text.split():
            self.screen.selection.drop()
        q = self.screen.list_order.search_query(q)  # in the interest order, +tag ranks by the tag (tui/ranking.py)
        self.text, self._query = text, q
        self.screen.papers.match = partial(self._matches, q)
        self._start_search(keep=None)

    def _abstracts(self) -> bool:
        return self.screen.app.abstracts == "ready"

    def _matches(self, q: Query, pid: str) -> bool:
        return self.store.matches(pid, q, abstracts=self._abstracts())

    def again(self, pid: str | None = None) -> None:
        """Run the search on show again (new papers, abstracts loaded); the cursor stays on `pid` when it is listed."""
        if self._query is not None:
            self._whole = None
            self._start_search(keep=pid or self.screen.current)

    def _start_search(self, keep: str | None) -> None:
        self.gen += 1
        of = (self.screen.view, self.screen.papers.changes)  # the view now (the thread must not read the screen)
        work = partial(self._search_in_thread, self.gen, of, self._query, self._abstracts(), keep)
        self.screen.run_worker(work, thread=True, exclusive=True, group="search")

    def _search_in_thread(self, gen: int, of: tuple[str, int], q: Query, abstracts: bool, keep: str | None) -> None:
        worker = get_current_worker()

        def cancelled() -> bool:
            return worker.is_cancelled or gen != self.gen

        try:
            ids = self._view_ids(*of)
            for n, hits in enumerate(search_passes(self.store, ids, q, abstracts=abstracts, cancelled=cancelled)):
                if cancelled():
                    return
                self.screen.app.from_thread(self.show_hits, gen, hits, keep, n > 0)
        except Cancelled:
            pass

    def show_hits(self, gen: int, hits: list[str], keep: str | None, appended: bool) -> None:
        if gen != self.gen:
            return
        papers = self.screen.papers
        if appended:  # the abstract-only hits came after the first ones: the cursor stays where the user put it
            pid, index = papers.current, papers.cursor
        else:  # the best match first, or the paper the caller keeps
            pid, index = keep, (0 if keep is None else papers.cursor)
        was_empty = not papers.ids
        papers.set_ids(hits, pid=pid, index=index)
        if was_empty or not hits:
            self.screen.refresh_chrome()  # the list and the empty-state message swap
        else:
            self.screen.show_find()

    def _show_whole_view(self, pid: str | None, index: int) -> None:
        self.gen += 1
        self.text, self._query = "", None
        papers = self.screen.papers
        papers.match = None
        self.screen.selection.drop()  # made in the filtered list
        papers.set_ids(list(self._view_ids(self.screen.view, papers.changes)), pid=pid, index=index)
        self.screen.refresh_chrome()

    def _end_filter(self, restore: bool) -> None:
        """Close the bar and show the whole view. The cursor goes back to the paper it was on before the search
        (`restore`: Esc while typing) or stays on the paper found (Esc in the list)."""
        papers = self.screen.papers
        origin = self._origin or (papers.current, papers.cursor)
        here = (papers.current, papers.cursor)
        self.screen.search_bar.close()
        self._origin = None
        self._show_whole_view(*(origin if restore or here[0] is None else here))
        self.screen.focus_list()

    def end(self) -> None:
        """Forget the search and the marks, quietly (a view switch: the caller shows the new list)."""
        self.gen += 1
        self.text, self._query, self._origin = "", None, None
        self.screen.papers.match = None
        self.screen.selection.drop()
        self.screen.search_bar.close()

    def clear(self) -> None:
        """Esc: leave the search bar (cancelling the search); else clear the marks; else clear the filter."""
        bar = self.screen.search_bar
        if bar.editing:
            self._end_filter(restore=True)
        elif self.screen.papers.marked:
            self.screen.selection.drop()
        elif self.screen.list_order.leave_like():  # "more like this" (tui/ranking.py)
            pass
        elif self.text or bar.display:
            self._end_filter(restore=False)

    # -- tag filter --------------------------------------------------------------------------------------------------
    def pick_tag(self) -> None:
        view = self.screen.view
        counts = view_tag_counts(self.store, view)
        where = VIEW_TITLES[view]
        if not counts:
            tag_key = self.screen.app.keys.first("tag")
            self.screen.notify(f"No tagged papers in {where}. Press {tag_key} to tag one.", severity="warning",
                               markup=False)
            return

        def done(tag: str | None) -> None:
            if not tag:
                return
            self._remember_origin()
            text = with_tag(self.text, tag)  # as if `+tag` were typed in the bar
            self.screen.search_bar.open(text, focus=False)
            self.typed(text)
            self.screen.focus_list()

        self.screen.app.push_screen(TagFilter(counts, where), done)

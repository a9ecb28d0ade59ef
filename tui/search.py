"""Finding and selecting: `/` live search, `f` tag filter, marks (space, V), bulk actions on the marks, and Esc.

`SearchActions` is a mixin of the App, like ShareActions: it uses the App's store, view, paper list, header and
`_after_change`. The search runs in a thread worker per keystroke (exclusive, group "search"): the next keystroke
cancels it, and the store's loop over papers stops at the next chunk. Results of an older search are never shown: each
search has a generation number and only the newest one's results are drawn.

The filter applies within the current view; switching views ends it (and drops the marks). Marks belong to the list
they were made in: a new query drops them too, and every bulk action clears them.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Callable, Iterable, Iterator

from rich.text import Text
from textual.worker import get_current_worker

from storage.model import Status
from storage.search import Query, QueryError, parse, with_tag
from storage.store import Store

from .keymap import VIEW_TITLES
from .screens import TagDialog
from .screens.tag_filter import TagFilter
from .widgets.header import HeaderBar, plural
from .widgets.search_bar import SearchBar

CHUNK = 2000  # papers between two checks for a newer keystroke

BULK_DONE = {
    Status.QUEUED: "Queued {}",
    Status.READ: "Marked {} read",
    Status.SKIPPED: "Skipped {}",
    Status.INBOX: "Moved {} back to the inbox",
}
BULK_ALREADY = {Status.QUEUED: "queued", Status.READ: "read", Status.SKIPPED: "skipped", Status.INBOX: "in the inbox"}


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


def no_matches_text(query: str, where: str) -> Text:
    t = Text(f"No papers in {where} match\n\n", style="bold")
    t.append(query, style="not bold")
    t.append("\n\nEsc clears the search · / edits it", style="not bold dim")
    return t


class SearchActions:
    """Actions of the App (see tui/keymap.py for their keys). Expects the PapertriageApp attributes."""

    filter_text = ""  # the query the list is filtered by; "" while the list shows the whole view
    _query: Query | None = None
    _origin: tuple[str | None, int] | None = None  # (paper, index) under the cursor when the search began
    _search_gen = 0  # bumped by every new search (and by its end): results of an older one are dropped
    # The whole view's ids, as (view, papers.changes, ids): re-read only after a change, not at every keystroke.
    _whole: tuple[str, int, list[str]] | None = None

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    def find_status(self) -> tuple[int | None, int]:
        """(matches, marked) for the header: matches is None while no search filters the list."""
        papers = self.papers
        return (len(papers.ids) if self.filter_text else None), len(papers.marked)

    def _show_find(self) -> None:
        self.query_one(HeaderBar).show_find(*self.find_status())

    # -- search ------------------------------------------------------------------------------------------------------
    def action_search(self) -> None:
        self._remember_origin()
        self.search_bar.open(self.filter_text)

    def _remember_origin(self) -> None:
        if not self.search_bar.display:  # a new search (not an edit of the one on show)
            papers = self.papers
            self._origin = (self.current, papers.cursor)
            self._whole = (self.view, papers.changes, list(papers.ids))  # unfiltered yet: the whole view

    def _view_ids(self, view: str, changes: int) -> list[str]:
        """The whole view's ids (thread-safe: a cache entry is only used for the changes it was read at)."""
        whole = self._whole
        if whole is not None and whole[:2] == (view, changes):
            return whole[2]
        ids = self.store.view_ids(view)
        self._whole = (view, changes, ids)
        return ids

    def on_search_bar_changed(self, event: SearchBar.Changed) -> None:
        self._filter_by(event.text)

    def on_search_bar_submitted(self, _: SearchBar.Submitted) -> None:
        """Enter keeps the filter and returns to the list; the bar stays, showing the query."""
        bar = self.search_bar
        if bar.error:
            self.bell()
            return
        if not self.filter_text:
            self._end_filter(restore=True)
            return
        self._focus_list()

    def _filter_by(self, text: str) -> None:
        bar = self.search_bar
        try:
            q = parse(text, today=date.fromisoformat(self.today))
        except QueryError as e:
            bar.show_error(str(e))  # the list keeps the last good query's hits
            return
        bar.show_error("")
        if q.empty:
            if self.filter_text:  # all typed away: the whole view, the cursor back where it was
                self._show_whole_view(*(self._origin or (self.current, self.papers.cursor)))
            return
        if text.split() != self.filter_text.split():
            self._drop_marks()
        q = self.list_order.search_query(q)  # in the interest order, +tag ranks by the tag (tui/ranking.py)
        self.filter_text, self._query = text, q
        self.papers.match = partial(self._matches, q)
        self._start_search(keep=None)

    def _matches(self, q: Query, pid: str) -> bool:
        return self.store.matches(pid, q, abstracts=self.abstracts == "ready")

    def search_again(self, pid: str | None = None) -> None:
        """Run the search on show again (new papers, abstracts loaded); the cursor stays on `pid` when it is listed."""
        if self._query is not None:
            self._whole = None
            self._start_search(keep=pid or self.current)

    def _start_search(self, keep: str | None) -> None:
        self._search_gen += 1
        of = (self.view, self.papers.changes)  # the view as it is now (the thread must not read the App's state)
        work = partial(self._search_in_thread, self._search_gen, of, self._query, self.abstracts == "ready", keep)
        self.run_worker(work, thread=True, exclusive=True, group="search")

    def _search_in_thread(self, gen: int, of: tuple[str, int], q: Query, abstracts: bool, keep: str | None) -> None:
        worker = get_current_worker()

        def cancelled() -> bool:
            return worker.is_cancelled or gen != self._search_gen

        try:
            ids = self._view_ids(*of)
            for n, hits in enumerate(search_passes(self.store, ids, q, abstracts=abstracts, cancelled=cancelled)):
                if cancelled():
                    return
                self._from_thread(self._show_hits, gen, hits, keep, n > 0)
        except Cancelled:
            pass

    def _show_hits(self, gen: int, hits: list[str], keep: str | None, appended: bool) -> None:
        if gen != self._search_gen:
            return
        papers = self.papers
        if appended:  # the abstract-only hits came after the first ones: the cursor stays where the user put it
            pid, index = papers.current, papers.cursor
        else:  # the best match first, or the paper the caller keeps
            pid, index = keep, (0 if keep is None else papers.cursor)
        was_empty = not papers.ids
        papers.set_ids(hits, pid=pid, index=index)
        if was_empty or not hits:
            self._refresh_chrome()  # the list and the empty-state message swap
        else:
            self._show_find()

    def _show_whole_view(self, pid: str | None, index: int) -> None:
        self._search_gen += 1
        self.filter_text, self._query = "", None
        self.papers.match = None
        self._drop_marks()  # made in the filtered list
        self.papers.set_ids(list(self._view_ids(self.view, self.papers.changes)), pid=pid, index=index)
        self._refresh_chrome()

    def _end_filter(self, restore: bool) -> None:
        """Close the bar and show the whole view. The cursor goes back to the paper it was on before the search
        (`restore`: Esc while typing) or stays on the paper found (Esc in the list)."""
        origin = self._origin or (self.current, self.papers.cursor)
        here = (self.current, self.papers.cursor)
        self.search_bar.close()
        self._origin = None
        self._show_whole_view(*(origin if restore or here[0] is None else here))
        self._focus_list()

    def end_search(self) -> None:
        """Forget the search and the marks, quietly (a view switch: the caller shows the new list)."""
        self._search_gen += 1
        self.filter_text, self._query, self._origin = "", None, None
        self.papers.match = None
        self._drop_marks()
        self.search_bar.close()

    def _focus_list(self) -> None:
        if self.papers.ids:
            self.papers.focus()
        else:
            self.set_focus(None)  # the list is hidden behind the empty-state message; keys still reach the App

    def action_clear(self) -> None:
        """Esc: leave the search bar (cancelling the search); else clear the marks; else clear the filter."""
        bar = self.search_bar
        if bar.editing:
            self._end_filter(restore=True)
        elif self.papers.marked:
            self._drop_marks()
        elif self.list_order.leave_like():  # "more like this" (tui/ranking.py)
            pass
        elif self.filter_text or bar.display:
            self._end_filter(restore=False)

    # -- tag filter --------------------------------------------------------------------------------------------------
    def action_filter_tag(self) -> None:
        counts = view_tag_counts(self.store, self.view)
        where = VIEW_TITLES[self.view]
        if not counts:
            self.notify(f"No tagged papers in {where}. Press t to tag one.", severity="warning", markup=False)
            return

        def done(tag: str | None) -> None:
            if not tag:
                return
            self._remember_origin()
            text = with_tag(self.filter_text, tag)  # as if `+tag` were typed in the bar
            self.search_bar.open(text, focus=False)
            self._filter_by(text)
            self._focus_list()

        self.push_screen(TagFilter(counts, where), done)

    # -- marks -------------------------------------------------------------------------------------------------------
    def action_toggle_mark(self) -> None:
        if not (pid := self._target()):
            return
        papers = self.papers
        papers.marked.symmetric_difference_update({pid})
        papers.invalidate([pid])
        papers.move_by(1)
        self._show_find()

    def action_mark_all(self) -> None:
        papers = self.papers
        if not papers.ids:
            self.notify("No paper here.", severity="warning")
            return
        papers.marked.update(papers.ids)
        papers.invalidate()
        self._show_find()

    def _drop_marks(self) -> None:
        papers = self.papers
        if papers.marked:
            papers.marked.clear()
            papers.invalidate()
            self._show_find()

    # -- bulk actions: s t a r x i with marks (app.py hands them over) ---------------------------------------------
    def bulk_star(self) -> None:
        pids = self.papers.marked_ids()
        on = self.store.toggle_star(pids)
        self._bulk_done(pids, f"{'Starred' if on else 'Unstarred'} {plural(len(pids), 'paper', 'papers')}")

    def bulk_tag(self) -> None:
        pids = self.papers.marked_ids()
        offer = [t for t, _ in sorted(self.store.tags().items(), key=lambda kv: (-kv[1], kv[0]))]

        def done(tags: list[str] | None) -> None:
            if tags:
                changed = self.store.add_tags(pids, tags)
                self._bulk_done(pids, f"Tagged {plural(len(changed), 'paper', 'papers')}: " + ", ".join(tags))

        self.push_screen(TagDialog(f"{plural(len(pids), 'marked paper', 'marked papers')}", offer, []), done)

    def bulk_status(self, status: Status) -> None:
        pids = self.papers.marked_ids()
        changed = self.store.set_status(pids, status)
        if not changed:
            message = f"Already {BULK_ALREADY[status]}: nothing changed"
        else:
            message = BULK_DONE[status].format(plural(len(changed), "paper", "papers"))
            if len(changed) < len(pids):
                message += f" ({len(pids) - len(changed)} already {BULK_ALREADY[status]})"
        self._bulk_done(pids, message)

    def _bulk_done(self, pids: list[str], message: str) -> None:
        """After a bulk action: marks cleared; when the cursor's paper left the list, the cursor lands on the next
        unmarked paper (the marked ones around it left too)."""
        papers = self.papers
        focus = None
        if papers.current in papers.marked and not self._still_listed(papers.current):
            focus = self._next_unmarked()
        self._drop_marks()
        self._after_change(pids, message, focus=focus)

    def _still_listed(self, pid: str) -> bool:
        match = self.papers.match
        return self.store.in_view(self.view, self.store.state_of(pid)) and (match is None or match(pid))

    def _next_unmarked(self) -> str | None:
        papers = self.papers
        ids, marked, at = papers.ids, papers.marked, papers.cursor
        after = next((pid for pid in _slice(ids, at, len(ids)) if pid not in marked), None)
        return after or next((pid for pid in _slice(ids, at - 1, -1, -1) if pid not in marked), None)


def _slice(ids: list[str], start: int, stop: int, step: int = 1) -> Iterable[str]:
    """ids[start:stop:step] without copying the list (it may hold 100k ids)."""
    return (ids[i] for i in range(start, stop, step))

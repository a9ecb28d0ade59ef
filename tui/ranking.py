"""The list's order in the app: feed date, interest, HF upvotes or title, one per view (`O`'s menu), "more like
this" (`m`), and the detail pane's "why".

The upvotes and title orders are storage/sort.py's, computed in a worker once the library is read and kept until the
library changes; until then the list stays by date and the header says "sorting…".

The triage screen (tui/screens/triage.py) holds one `ListOrder`. Nothing here runs before the first paint: the ranking worker waits until the app's
background worker has read the library and its abstracts (`library_ready`), and only then imports scikit-learn
(inside storage/rank). Each triage action starts a re-rank in that worker; a newer one makes an older result stale.
When a ranking arrives the list is arranged again around the cursor's paper, so the cursor stays on it.

Orders apply to the whole view through `arrange`, which PaperList calls on every new id list, so views, searches and
the papers an action brings in all follow the order on show. The queue keeps its own order.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text

from storage.search import Query
from storage.sort import KEYED, SORTS, SortKeys

if TYPE_CHECKING:  # pragma: no cover
    from storage.rank import Ranked, Ranker

ORDERS = SORTS  # date, interest, upvotes, title: each view remembers its own (ui "sort"; the queue keeps its own)
LIKE_LIMIT = 200  # "more like this" lists the paper and the most similar papers, not the whole library


class ListOrder:
    def __init__(self, screen) -> None:
        self.screen = screen
        ui = screen.store.ui()
        saved = ui.get("sort") if isinstance(ui.get("sort"), dict) else {}
        self.orders: dict[str, str] = {v: o for v, o in saved.items() if o in ORDERS}  # view -> its order
        # a view never sorted: the one order of before orders were per view (ui "order"), else by date
        self._default = "interest" if ui.get("order") == "interest" else "date"
        self.keys = SortKeys(screen.store)  # the upvotes and title orders, computed in a worker
        self._keying: set[str] = set()  # orders a worker is computing
        self._sort_failed: dict[str, str] = {}  # order -> why it could not be computed (not tried again)
        self._stale = False  # triage happened while the view on show was not in the interest order
        self.ranker: Ranker | None = None
        self.general: Ranked | None = None  # the user's interest over every paper
        self.tagged: Ranked | None = None  # with a single +tag searched in the interest order: that tag's
        self.tag: str | None = None
        self.like: Ranked | None = None  # the "more like this" view, while it is on
        self._like_back: tuple | None = None  # (ids, pid, index, match) to go back to with Esc
        self._pos: dict[str, int] | None = None  # position of each paper in the order that `arrange` uses
        self.ranking = False  # a worker is at it
        self.error = ""
        self._gen = {"interest": 0, "like": 0}  # a result of an older generation is stale
        self._ready = threading.Event()
        self._tell = False

    @property
    def order(self) -> str:
        """The order of the view on show."""
        return self.orders.get(self.screen.view, self._default)

    # -- hooks the app calls -----------------------------------------------------------------------------------------
    def library_ready(self) -> None:
        """The whole library and its abstracts are in memory (the background worker's news)."""
        self._ready.set()
        if self.order == "interest":
            self.rerank()

    def changed(self) -> None:
        """A triage action, undo or ingest changed what the user's papers say."""
        if self.order == "interest":
            self.rerank()
        else:
            self._stale = True

    def view_changed(self) -> None:
        """Another view is on show (before its list is arranged): its own order."""
        if self.order == "interest" and (self.general is None or self._stale) and self._ready.is_set():
            self.rerank()
        self._use()

    def arrange(self, ids: list[str]) -> list[str]:
        if self.tag and not self.screen.find.text:  # the +tag search ended
            self.tag, self.tagged = None, None
            self._use()
        pos, order = self._pos, self.order
        if self.like is None and order in KEYED and self.screen.view != "queue":
            arranged = self.keys.arrange(ids, order)
            if arranged is None:  # not computed for this library yet: by date until the worker has it
                self._compute(order)
                return ids
            return arranged
        if pos is None or (self.like is None and (order != "interest" or self.screen.view == "queue")):
            return ids
        return sorted(ids, key=pos.__getitem__)

    def places(self) -> dict[str, int] | None:
        """Every paper's place in the order on show, when it is upvotes or title and computed (see PaperList)."""
        if self.like is None and self.order in KEYED and self.screen.view != "queue":
            return self.keys.places(self.order)
        return None

    def search_query(self, q: Query) -> Query:
        """In the interest order a single `+tag` ranks by that tag instead of filtering (storage/rank/views.py)."""
        from storage.rank.views import like_tag

        tag = None
        if self.order == "interest" and len(q.with_tags) == 1:
            tag, q = like_tag(q)
        if tag != self.tag:
            self.tag, self.tagged = tag, None
            self._use()
            if tag:
                self.rerank()
        return q

    def label(self) -> str:
        """What the header says about the order."""
        if self.like is not None:
            pid = self.like.ids[0] if self.like.ids else ""
            return f"like: {self.screen.store.title(pid)[:40]}" if pid in self.screen.store else "like this"
        if self.order == "date":
            return "by date"
        if self.order in KEYED:
            if self.order in self._sort_failed:
                return f"by date ({self.order} failed)"
            return f"by {self.order}" + ("" if self.keys.ready(self.order) else " (sorting\u2026)")
        if self.error:
            return "by date (ranking failed)"
        shown = self.tagged if self.tag else self.general
        if shown is None:
            return "by interest (ranking\u2026)" if self.ranking or not self._ready.is_set() else "by interest"
        if not shown.ranked:
            return "by date: " + _short(shown.reason)
        return f"by interest: like +{self.tag}" if self.tag else "by interest"

    def why(self, pid: str) -> list[str]:
        shown = self.like if self.like is not None else (self.tagged if self.tag else self.general)
        if shown is None or not shown.ranked or self.ranker is None or (self.like is None and self.order != "interest"):
            return []
        try:
            return self.ranker.why(shown, pid)
        except Exception:  # noqa: BLE001 - an explanation is never worth a crash
            return []

    # -- actions -----------------------------------------------------------------------------------------------------
    def menu(self) -> None:
        """O: the sort menu for the view on show (the queue keeps its reading order)."""
        from .keymap import VIEW_TITLES
        from .screens import SortMenu

        screen = self.screen
        if screen.view == "queue":
            keys = screen.app.keys
            screen.notify(f"The queue keeps its reading order ({keys.first('queue_down')}/{keys.first('queue_up')} "
                          "move a paper).", markup=False)
            return

        def picked(order: str | None) -> None:
            if order:
                self.choose(order)

        screen.app.push_screen(SortMenu(VIEW_TITLES.get(screen.view, screen.view), self.order), picked)

    def choose(self, order: str) -> None:
        """The order of the view on show, from the sort menu (O); remembered for that view."""
        self.orders[self.screen.view] = order
        self.screen.store.set_ui(sort=dict(self.orders))
        if order == "interest" and (self.general is None or self._stale):
            self.rerank()
        self._use()
        self._tell = self.order == "interest"  # why it falls back to date, once the ranking says so
        self._tell_reason()
        self._rearrange()

    def _tell_reason(self) -> None:
        shown = self.tagged if self.tag else self.general
        if self._tell and shown is not None:
            self._tell = False
            if not shown.ranked:
                self.screen.notify(shown.reason, markup=False)

    def more_like(self, pid: str) -> None:
        """Start the "more like this" view of `pid` (shown when the worker has it)."""
        self._start(("like", pid))

    def leave_like(self, restore: bool = True) -> bool:
        """Esc: back to the list as it was (`restore`; else the caller shows another list). False when no "more
        like this" view is on."""
        self._gen["like"] += 1  # one still being ranked is not shown
        if self.like is None:
            return False
        ids, pid, index, match = self._like_back
        self.like, self._like_back = None, None
        self._use()
        papers = self.screen.papers
        papers.match = match
        if not restore:
            return True
        papers.set_ids([p for p in ids if p in self.screen.store], pid=pid, index=index)
        self.screen.refresh_order()
        return True

    # -- the workers -------------------------------------------------------------------------------------------------
    def _compute(self, order: str) -> None:
        """The upvotes or title order, in a worker once the whole library is read; the list is arranged again then."""
        if order in self._keying or order in self._sort_failed:
            return
        self._keying.add(order)
        self.screen.run_worker(partial(self._compute_work, order), thread=True, group="sort-" + order)

    def _compute_work(self, order: str) -> None:
        from textual.worker import get_current_worker

        app, worker = self.screen.app, get_current_worker()
        # the whole library read (titles and upvotes are in it); not the abstracts, which may fail to load
        while not self._ready.wait(0.1) and not (self.screen.store.loaded and app.abstracts != "loading"):
            if worker.is_cancelled or app.quitting:  # the app is closing: its exit waits for this thread
                return
        try:
            self.keys.compute(order)
            result = None
        except Exception as e:  # noqa: BLE001 - an order is derived data: say so and keep the date order
            result = e
        self.screen.app.call_from_thread(self._computed, order, result)

    def _computed(self, order: str, error: Exception | None) -> None:
        self._keying.discard(order)
        if error is not None:
            self._sort_failed[order] = str(error) or error.__class__.__name__
            self.screen.notify(f"Sorting by {order} failed: {self._sort_failed[order]}", severity="error",
                               markup=False)
            self.screen.refresh_order()
        elif self.order == order and self.like is None:
            if self.keys.ready(order):
                self._rearrange()
            else:  # the library changed meanwhile (an ingest): again, for the library of now
                self._compute(order)

    def rerank(self) -> None:
        self._stale = False
        self._start(("interest", None))

    def _start(self, what: tuple[str, str | None]) -> None:
        kind = what[0]
        self._gen[kind] += 1
        if kind == "interest":
            self.ranking = True
        self.screen.run_worker(partial(self._work, self._gen[kind], what, self.tag), thread=True, exclusive=True,
                            group="rank-" + kind)
        self.screen.refresh_order()

    def _work(self, gen: int, what: tuple[str, str | None], tag: str | None) -> None:
        self._ready.wait()
        if gen != self._gen[what[0]]:
            return
        try:
            from storage.rank import Ranker

            store = self.screen.store
            if self.ranker is None:
                self.ranker = Ranker(store)
            ranker = self.ranker
            every = store.ordered_ids()
            if what[0] == "like":
                like = ranker.like(what[1], every)
                keep = [p for p in like.ids if like.scores.get(p, 0) > 0][:LIKE_LIMIT] if like.ranked else like.ids[:1]
                like = replace(like, ids=keep or like.ids[:1])
                like.positions()
                result = (like, None, None)
            else:
                general = ranker.interest(every)
                tagged = ranker.interest(every, tag=tag) if tag else None
                for done in (general, tagged):
                    if done is not None:
                        done.positions()  # here, not on the app's thread
                result = (None, general, tagged)
        except Exception as e:  # noqa: BLE001 - ranking is derived data: say so and keep the date order
            result = e
        self.screen.app.call_from_thread(self._done, gen, what, tag, result)

    def _done(self, gen: int, what, tag, result) -> None:
        kind = what[0]
        if gen != self._gen[kind]:  # a newer action, or Esc, came meanwhile: its own result will come
            return
        if kind == "interest":
            self.ranking = False
        if isinstance(result, Exception):
            self.error = str(result) or result.__class__.__name__
            self.screen.notify(f"Ranking failed: {self.error}", severity="error", markup=False)
            self.screen.refresh_order()
            return
        like, general, tagged = result
        if like is not None:
            self._show_like(like)
            return
        self.error = ""
        self.general = general
        if tag == self.tag:
            self.tagged = tagged
        self._tell_reason()
        if self.like is None:
            self._use()
            self._rearrange()
        else:
            self.screen.refresh_order()

    def _show_like(self, like: Ranked) -> None:
        papers = self.screen.papers
        if self.like is None:
            self._like_back = (list(papers.ids), papers.current, papers.cursor, papers.match)
        self.like = like
        members = set(like.ids)
        papers.match = members.__contains__  # an action keeps the list to these papers (see PaperList.synced_ids)
        self._use()
        papers.set_ids(list(like.ids), index=0)
        papers.cursor = 0
        self.screen.refresh_order()

    def _use(self) -> None:
        shown = self.like if self.like is not None else (self.tagged if self.tag else self.general)
        self._pos = shown.positions() if shown is not None and shown.ranked else None

    def _rearrange(self) -> None:
        papers = self.screen.papers
        if self._pos is None or (self.like is None and self.order != "interest"):  # back to the view's own order (date, or a search's ranking): list it again
            self.screen.reload_view(pid=papers.current, index=papers.cursor)
        else:
            papers.set_ids(list(papers.ids), pid=papers.current, index=papers.cursor)
        self.screen.refresh_order()


def _short(reason: str) -> str:
    """The header's few words of a fallback reason (the notice and the CLI give it whole)."""
    if reason.startswith("interest order needs"):
        n = reason.split("(you have ", 1)[-1].split(")", 1)[0]
        return f"{n} of 5 papers liked so far"
    return reason.split(":", 1)[0]


def why_text(lines: list[str]) -> Text:
    t = Text(end="")
    for n, line in enumerate(lines):
        if n:
            t.append("  ")
        t.append(line, "green" if line.startswith("+") else "red")
    return t

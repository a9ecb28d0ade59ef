"""The list orders that need no model: by HF upvotes and by title. Pure functions of the library, no terminal.

Each order is computed once per library order (`Store.ordered_ids()`, a new list after every ingest) as every
paper's position; a view or a search is then put in that order with one sort by position, so switching views or
searching never sorts titles again. Ties keep the date order (Python's sort is stable), so a day's papers with the
same upvotes stay as the feed listed them.
"""

from __future__ import annotations

import string
import unicodedata
from typing import Callable, Sequence

from .display import latex_text

SORTS = ("date", "interest", "upvotes", "title")  # every order the app's sort menu and `list --sort` offer
KEYED = ("upvotes", "title")  # the orders computed here ("interest" is storage/rank's)
# skipped at a title's start: ASCII punctuation and spaces, typographic quotes and dashes (digits stay: "3D" sorts
# under 3); a str.lstrip, not a regex: it runs for every paper of the library
_LEAD = string.punctuation + string.whitespace + "\u00a0\u2018\u2019\u201c\u201d\u00ab\u00bb\u201e\u2013\u2014\u00bf\u00a1"


def title_key(title: str) -> str:
    """What a title sorts by: LaTeX read as text (`$\\mathcal{O}(n)$` as O(n), `R\\'{e}nyi` as Renyi), accents and
    case ignored, leading punctuation (quotes, brackets, `$`) skipped."""
    if "\\" in title or "$" in title:
        title = latex_text(title)
    if not title.isascii():
        title = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    folded = title.casefold()
    return folded.lstrip(_LEAD) or folded


def upvotes_of(extra: dict) -> int | None:
    value = extra.get("upvotes")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def order(sort: str, ids: Sequence[str], title: Callable[[str], str], extra: Callable[[str], dict]) -> list[str]:
    """`ids` (in date order) in `sort` order: most upvotes first, papers without upvotes last; titles A to Z."""
    if sort == "title":
        return sorted(ids, key=lambda pid: title_key(title(pid)))
    if sort == "upvotes":
        def key(pid: str) -> int:
            up = upvotes_of(extra(pid))
            return 1 if up is None else -up  # none: after every count, even 0

        return sorted(ids, key=key)
    raise ValueError(f"unknown sort {sort!r} (one of {', '.join(KEYED)})")


class SortKeys:
    """Every paper's place in the upvotes and title orders of one store, kept until the library order changes.

    `compute` does the work (the app runs it in a worker); `arrange` only uses what is computed, so it never sorts
    100,000 titles on the app's thread."""

    def __init__(self, store) -> None:
        self.store = store
        # sort -> (the library order it was made of, the papers in `sort` order, pid -> place in it)
        self._of: dict[str, tuple[list[str], list[str], dict[str, int]]] = {}

    def ready(self, sort: str) -> bool:
        made = self._of.get(sort)
        return made is not None and made[0] is self.store.ordered_ids()

    def compute(self, sort: str) -> None:
        """Make `sort`'s places for the library order of now (the whole library must be read for upvotes: they
        are in each paper's extras)."""
        every = self.store.ordered_ids()
        made = self._of.get(sort)
        if made is None or made[0] is not every:
            by_id = self.store.library.by_id
            ranked = order(sort, every, self.store.title, lambda pid: by_id[pid].extra)
            self._of[sort] = (every, ranked, {pid: n for n, pid in enumerate(ranked)})

    def places(self, sort: str) -> dict[str, int] | None:
        """pid -> place in `sort` for this library order, None when not computed."""
        made = self._of.get(sort)
        return made[2] if made is not None and made[0] is self.store.ordered_ids() else None

    def arrange(self, ids: list[str], sort: str) -> list[str] | None:
        """`ids` in `sort` order, None when that order is not computed for this library (see `compute`).

        `ids` come from this library order (a view, a search): the whole library is the order itself; a big view is
        the order filtered by membership (one pass, no sort); a small one is sorted by place."""
        made = self._of.get(sort)
        if made is None or made[0] is not self.store.ordered_ids():
            return None
        _, ranked, pos = made
        if len(ids) == len(ranked):  # a view or search of this library order with every paper: the order itself
            return list(ranked)
        if len(ids) > len(ranked) // 8:
            members = set(ids)
            out = [pid for pid in ranked if pid in members]
            if len(out) == len(ids):  # else ids the library lacks (or twice): sorted below
                return out
        last = len(pos)  # a paper the library lacks (a first-screen id): after the others
        return sorted(ids, key=lambda pid: pos.get(pid, last))

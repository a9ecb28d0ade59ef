"""The one-line header: every view with its live count (the current one highlighted) and today's progress."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from ..keymap import VIEWS
from .paper_list import fg_style

# counts() keys for the views the header lists
COUNT_KEYS = {"inbox": "inbox", "queue": "queue", "starred": "starred", "read": "read", "all": "all", "skipped": "skipped"}


def plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def header_text(
    view: str,
    counts: dict[str, int],
    current: Style | str = "bold",
    muted: Style | str = "dim",
    matches: int | None = None,
    marked: int = 0,
    fetching: Text | None = None,
    order: str = "",
) -> Text:
    """`Inbox 85 · Queue 12 · Starred 30 · Read 7 · All 200 · Skipped 9   40 triaged today · 45 left`; while a search filters
    the list and while papers are marked, `3 matches · 2 marked` comes before the day's progress (it matters more);
    so does a fetch's progress per feed (`fetching`, tui/fetching.py): on a narrow terminal the day's progress is cut
    first."""
    t = Text(no_wrap=True, overflow="ellipsis", end="")
    t.append(" ")
    for n, (key, name, title) in enumerate(VIEWS):
        if n:
            t.append(" · ", muted)
        t.append(f"{title} {counts.get(COUNT_KEYS[name], 0)}", current if name == view else None)
    if fetching is not None:
        t.append("   ")
        t.append_text(fetching)
    finding = [plural(matches, "match", "matches")] if matches is not None else []
    if marked:
        finding.append(f"{marked:,} marked")
    if finding:
        t.append("   ")
        t.append(" · ".join(finding), current)
    if order:
        t.append("   ")
        t.append(order, current)
    t.append("   ")
    t.append(f"{counts.get('triaged_today', 0)} triaged today · {counts.get('inbox', 0)} left", muted)
    return t


class HeaderBar(Static):
    COMPONENT_CLASSES = {"header--current", "header--muted"}

    _view = "inbox"
    _counts: dict[str, int] = {}
    _find: tuple[int | None, int] = (None, 0)
    _fetch: Text | None = None
    order = ""  # what the list's order is (tui/ranking.py): set it, then `show`

    def show(self, view: str, counts: dict[str, int], matches: int | None = None, marked: int = 0) -> None:
        """Redraw with new counts; `matches` is the length of a search-filtered list (None: no search)."""
        self._view, self._counts, self._find = view, counts, (matches, marked)
        self.update(
            header_text(
                view,
                counts,
                fg_style(self.get_component_rich_style("header--current")),
                fg_style(self.get_component_rich_style("header--muted")),
                matches,
                marked,
                self._fetch,
                order=self.order,
            )
        )

    def show_fetch(self, progress: Text | None) -> None:
        """Show a fetch's progress per feed (None: it ended), with the counts as last shown."""
        self._fetch = progress
        self.show(self._view, self._counts, *self._find)

    def show_find(self, matches: int | None, marked: int) -> None:
        """Redraw the match and mark counts only (the view counts are as last shown: no store pass per key)."""
        if (matches, marked) != self._find:
            self.show(self._view, self._counts, matches, marked)

    @property
    def plain(self) -> str:
        content = self.content
        return content.plain if isinstance(content, Text) else str(content)

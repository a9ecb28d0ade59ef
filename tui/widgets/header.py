"""The one-line header: every view with its live count (the current one highlighted) and today's progress.

It fits the terminal by dropping whole segments, least important first, never by cutting one: a clipped
"Queue 1…" reads as a wrong count. What stays longest (PRIORITY, lowest first): the current view and its count; a
fetch's progress; the search's matches and the marks; the other views, in their order (Skipped goes first); "N new"
(papers since the last session, which N jumps to: storage/fresh.py); the list's order; "N today" (papers first seen
today); the day's progress ("N triaged today", then "N left"). "N new" and "N today" are left out when 0. Within a
group (the views, a fetch's feeds, new and today, the day's progress) a segment that does not fit drops the rest of
that group too, so what stays reads in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from ..keymap import VIEWS
from .paper_list import fg_style

# counts() keys for the views the header lists
COUNT_KEYS = {"inbox": "inbox", "queue": "queue", "starred": "starred", "read": "read", "all": "all", "skipped": "skipped"}

# Display order of the groups, left to right, and the gaps: " · " inside a group, three spaces between groups.
GROUPS = ("views", "fetch", "find", "order", "fresh", "day")
PRIORITY = {"current": 0, "fetch": 1, "find": 2, "views": 3, "new": 3.5, "order": 4, "today": 4.5, "day": 5}
INNER, OUTER = " · ", "   "


def plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


@dataclass
class Segment:
    group: str  # one of GROUPS: where it is drawn
    rank: float  # lower stays longer
    text: Text


def _segments(
    view: str,
    counts: dict[str, int],
    current: Style | str,
    muted: Style | str,
    matches: int | None,
    marked: int,
    fetching: Text | None,
    order: str,
) -> list[Segment]:
    out = []
    for n, (_, name, title) in enumerate(VIEWS):
        label = f"{title} {counts.get(COUNT_KEYS[name], 0):,}"
        if name == view:
            out.append(Segment("views", PRIORITY["current"], Text(label, current)))
        else:
            out.append(Segment("views", PRIORITY["views"] + n / 100, Text(label)))
    if fetching is not None:
        # one segment per feed ("Fetching HF daily 2/5", "cs.CL ✓"): a narrow header keeps the first feeds whole
        for n, part in enumerate(fetching.split(INNER)):
            part.end = ""
            out.append(Segment("fetch", PRIORITY["fetch"] + n / 100, part))
    if matches is not None:
        out.append(Segment("find", PRIORITY["find"], Text(plural(matches, "match", "matches"), current)))
    if marked:
        out.append(Segment("find", PRIORITY["find"] + 0.01, Text(f"{marked:,} marked", current)))
    if order:
        out.append(Segment("order", PRIORITY["order"], Text(order, current)))
    if counts.get("new"):  # actionable (N): bold, and kept longer than the order
        out.append(Segment("fresh", PRIORITY["new"], Text(f"{counts['new']:,} new", current)))
    if counts.get("today"):
        out.append(Segment("fresh", PRIORITY["today"], Text(f"{counts['today']:,} today", muted)))
    out.append(Segment("day", PRIORITY["day"], Text(f"{counts.get('triaged_today', 0):,} triaged today", muted)))
    out.append(Segment("day", PRIORITY["day"] + 0.01, Text(f"{counts.get('inbox', 0):,} left", muted)))
    return out


def _join(segments: list[Segment], muted: Style | str) -> Text:
    """The segments in display order (list order inside a group), with their gaps."""
    t = Text(" ", no_wrap=True, overflow="crop", end="")
    first_group = True
    for group in GROUPS:
        parts = [s for s in segments if s.group == group]
        if not parts:
            continue
        if not first_group:
            t.append(OUTER)
        first_group = False
        for n, s in enumerate(parts):
            if n:
                t.append(INNER, muted)
            t.append_text(s.text)
    return t


def _width(segments: list[Segment]) -> int:
    groups = [g for g in GROUPS if any(s.group == g for s in segments)]
    inner = sum(len([s for s in segments if s.group == g]) - 1 for g in groups)
    return 1 + sum(cell_len(s.text.plain) for s in segments) + cell_len(OUTER) * max(0, len(groups) - 1) + cell_len(
        INNER
    ) * inner


def fit(segments: list[Segment], width: int | None) -> list[Segment]:
    """The segments that fit in `width` cells, most important first (None: all of them), in their original order."""
    if width is None:
        return segments
    kept: list[Segment] = []
    closed: set[str] = set()  # groups that lost a segment: later ones of the group go too
    for s in sorted(segments, key=lambda s: s.rank):
        if s.group in closed:
            continue
        if not kept or _width(kept + [s]) <= width:  # the current view shows even when nothing fits
            kept.append(s)
        else:
            closed.add(s.group)
    return [s for s in segments if s in kept]


def header_text(
    view: str,
    counts: dict[str, int],
    current: Style | str = "bold",
    muted: Style | str = "dim",
    matches: int | None = None,
    marked: int = 0,
    fetching: Text | None = None,
    order: str = "",
    width: int | None = None,
) -> Text:
    """`Inbox 85 · Queue 12 · Starred 30 · Read 7 · All 200 · Skipped 9   by date   118 new · 142 today   40 triaged
    today · 45 left`;
    while a search filters the list and while papers are marked, `3 matches · 2 marked` follows the views, and so
    does a fetch's progress per feed (`fetching`, tui/fetching.py). With a `width`, only what fits (see the module
    docstring for what goes first)."""
    segments = _segments(view, counts, current, muted, matches, marked, fetching, order)
    return _join(fit(segments, width), muted)


class HeaderBar(Static):
    COMPONENT_CLASSES = {"header--current", "header--muted"}

    _view = "inbox"
    _counts: dict[str, int] = {}
    _find: tuple[int | None, int] = (None, 0)
    _fetch: Text | None = None
    _full = Text()
    order = ""  # what the list's order is (tui/ranking.py): set it, then `show`

    def show(self, view: str, counts: dict[str, int], matches: int | None = None, marked: int = 0) -> None:
        """Redraw with new counts; `matches` is the length of a search-filtered list (None: no search)."""
        self._view, self._counts, self._find = view, counts, (matches, marked)
        self._draw()

    def _draw(self) -> None:
        args = (
            self._view,
            self._counts,
            fg_style(self.get_component_rich_style("header--current")),
            fg_style(self.get_component_rich_style("header--muted")),
            *self._find,
            self._fetch,
            self.order,
        )
        self._full = header_text(*args)
        self.update(header_text(*args, width=self.size.width or None))

    def on_resize(self) -> None:
        self._draw()

    def show_fetch(self, progress: Text | None) -> None:
        """Show a fetch's progress per feed (None: it ended), with the counts as last shown."""
        self._fetch = progress
        self._draw()

    def show_find(self, matches: int | None, marked: int) -> None:
        """Redraw the match and mark counts only (the view counts are as last shown: no store pass per key)."""
        if (matches, marked) != self._find:
            self.show(self._view, self._counts, matches, marked)

    @property
    def plain(self) -> str:
        """Everything the header has to say, as on a terminal wide enough for all of it (tests read counts here)."""
        return self._full.plain

    @property
    def shown(self) -> str:
        """What the header shows at its width."""
        content = self.content
        return content.plain if isinstance(content, Text) else str(content)

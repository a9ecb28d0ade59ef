"""The paper list: a virtual list (Textual's Line API) that renders only the rows on screen.

It holds the paper ids of the current view and nothing per paper: 100,000 papers cost one list of strings. Rendered
rows are kept in an LRU keyed by (paper id, width, is-cursor-row) and dropped per paper when its state changes (or
when it is marked or unmarked).

The cursor is a reactive: setting it (keys, a click) redraws the two rows, scrolls, and posts CursorMoved. Where the
cursor goes when the list itself changes is storage/cursor.py's rule.
"""

from __future__ import annotations

import bisect
from typing import Callable, Iterable

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from storage.cursor import index_after
from storage.display import latex_text
from storage.model import Status
from storage.store import Store

from . import STAR, STATUS_MARKS, fmt_date
from .marks import Marks

LEFT = 5  # "▌★•· " before the title: mark, star, new (storage/fresh.py), status
NEW = "•"
MARK = "▌"  # in the first column of a marked row
BULK = 16  # more changed papers than this are synced with sets and one sort
MIN_TITLE = 12


class PaperList(ScrollView, can_focus=True, inherit_bindings=False):
    """Keys live in the triage screen (see tui/keymap.py); this widget only draws rows and tracks the cursor."""

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--marked",
        "paper-list--marker",
        "paper-list--star",
        "paper-list--mark",
        "paper-list--queued",
        "paper-list--tags",
        "paper-list--date",
        "paper-list--done",
        "paper-list--new",
    }

    class CursorMoved(Message):
        """The paper under the cursor changed (or the list changed under it: `moved` False)."""

        def __init__(self, pid: str | None, moved: bool = False) -> None:
            super().__init__()
            self.pid = pid
            self.moved = moved  # a cursor move (keys, a click): many may come in a burst

    cursor: reactive[int] = reactive(0, init=False, repaint=False)  # index in `ids`; the row redraws are ours

    def __init__(self, store: Store, today: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.today = today
        self.ids: list[str] = []
        self._lines: LRUCache[tuple[str, int, bool], Strip] = LRUCache(4096)
        self._styles: dict[tuple[str, bool], Style] = {}  # see _style
        self._rank_of: list[str] | None = None
        self._ranks: dict[str, int] = {}
        self.marked = Marks()  # papers marked for a bulk action (space, V)
        # While a search filters the list: a paper must pass this to stay (or come back) after its state changed.
        self.match: Callable[[str], bool] | None = None
        self.changes = 0  # bumped whenever papers' state changed (see synced_ids): the view's ids may differ now
        self.arrange: Callable[[list[str]], list[str]] | None = None  # the order on show (tui/ranking.py)
        # The places of that order when it has them for every paper (upvotes, title): papers an action brings in are
        # put in their place, so the list needs no arranging again (a filter of 100,000 ids per action).
        self.places: Callable[[], dict[str, int] | None] | None = None

    # -- the data ----------------------------------------------------------------------------------------------------
    @property
    def current(self) -> str | None:
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    def index_of(self, pid: str) -> int:
        """Where `pid` is listed, -1 if not (the cursor row is checked first: it is the usual case)."""
        if self.current == pid:
            return self.cursor
        try:
            return self.ids.index(pid)
        except ValueError:
            return -1

    def set_ids(self, ids: list[str], *, pid: str | None = None, index: int | None = None,
                arranged: bool = False) -> None:
        """Show a new id list; the cursor goes to `pid` if listed, else to `index` (clamped), else stays put.
        `arranged`: the ids are in the order on show already (synced_ids put them so)."""
        self.ids = ids = self.arrange(ids) if self.arrange is not None and not arranged else ids
        # not a move: no watcher (the whole list redraws), and CursorMoved says moved=False
        self.set_reactive(PaperList.cursor, index_after(ids, pid=pid, index=index, old=self.cursor))
        self.virtual_size = Size(0, len(ids))
        self.refresh()
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self.current))

    def synced_ids(self, view: str, pids: list[str]) -> tuple[list[str], set[str], bool]:
        """The view's ids after these papers' state changed, without re-reading the whole library: papers that left
        the view are dropped, papers that joined it are inserted in view order (in the order on show when `places`
        has it). Returns (ids, dropped, whether they are in the order on show already).

        A bulk action may touch thousands of papers: then membership is one set, not a list search per paper."""
        self.changes += 1
        in_view, state_of, match = self.store.in_view, self.store.state_of, self.match
        listed = set(self.ids) if len(pids) > BULK else None
        gone, joined = set(), []
        for pid in pids:
            here = pid in listed if listed is not None else self.index_of(pid) >= 0
            member = in_view(view, state_of(pid)) and (match is None or match(pid))
            if here and not member:
                gone.add(pid)
            elif not here and member:
                joined.append(pid)
        ids = [pid for pid in self.ids if pid not in gone] if gone else list(self.ids)
        self.marked.discard(gone)
        places = self.places() if self.places is not None and view != "queue" else None
        if places is not None and not all(p in places for p in joined):  # not of this library: arranged anew
            places = None
        if view == "queue":  # positions may have changed (J/K, undo of a move): the queue is short, sort it
            ids = sorted(ids + joined, key=lambda p: state_of(p).queue_position or 0)
        elif len(joined) > BULK:  # many at once (undo of a bulk action): one sort
            ids = sorted(ids + joined, key=(places or self._rank()).__getitem__)
        elif joined:
            rank = places or self._rank()
            for p in joined:
                bisect.insort(ids, p, key=rank.__getitem__)
        return ids, gone, places is not None

    def _rank(self) -> dict[str, int]:
        """Paper id -> place in the library order (what every view but the queue is sorted by)."""
        order = self.store.ordered_ids()
        if self._rank_of is not order:
            self._rank_of, self._ranks = order, {pid: n for n, pid in enumerate(order)}
        return self._ranks

    def marked_ids(self) -> list[str]:
        """The marked papers that are listed, in list order."""
        return self.marked.in_order(self.ids)

    def invalidate(self, pids: Iterable[str] | None = None) -> None:
        """Forget rendered rows of these papers (all rows when None) and redraw."""
        if pids is None:
            self._lines.clear()
        else:
            gone = set(pids)
            for key in [k for k in self._lines.keys() if k[0] in gone]:
                self._lines.discard(key)
        self.refresh()

    # -- the cursor --------------------------------------------------------------------------------------------------
    def validate_cursor(self, index: int) -> int:
        return max(0, min(index, len(self.ids) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self.current, moved=True))

    def move_to(self, index: int) -> None:
        if self.ids:
            self.cursor = index

    def move_by(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    @property
    def page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:  # not laid out yet (or hidden): on_resize brings the cursor into view
            return
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_click(self, event: events.Click) -> None:
        self.move_to(round(self.scroll_y) + event.y)

    def on_resize(self) -> None:
        self._lines.clear()
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # a theme change recolours every row
        self._styles.clear()

    # -- drawing -----------------------------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        if not 0 <= index < len(self.ids):
            return Strip.blank(width, self.rich_style)
        pid, selected = self.ids[index], index == self.cursor
        key = (pid, width, selected)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._render_row(pid, width, selected)
            self._lines[key] = strip
        return strip

    def row_text(self, pid: str, width: int) -> str:
        """The plain text of a row (what tests and screen readers see)."""
        return self._row(pid, width, selected=False).plain

    def _render_row(self, pid: str, width: int, selected: bool) -> Strip:
        text = self._row(pid, width, selected)
        segments = list(text.render(self.app.console))
        return Strip(segments, text.cell_len).adjust_cell_length(width, text.style)  # type: ignore[arg-type]

    def _style(self, name: str, fg: bool = True) -> Style:
        """A component style ("" the widget's own), foreground only when `fg`. Kept until the styles change, as the
        rendered rows are: computing them was half of drawing a row (a scroll draws a screenful of new rows)."""
        style = self._styles.get((name, fg))
        if style is None:
            style = self.get_component_rich_style(name) if name else self.rich_style
            style = self._styles[name, fg] = fg_style(style) if fg else style
        return style

    def _row(self, pid: str, width: int, selected: bool) -> Text:
        # Title and date only, not `store.get`: rows are drawn before the whole library is read (a lazy open).
        if pid not in self.store:  # a first-screen id the library turned out not to have, until the list is redrawn
            return Text(" " * width, no_wrap=True, end="")
        state = self.store.state_of(pid)
        marked = pid in self.marked
        if selected:
            base = self._style("paper-list--cursor", fg=False)
        else:
            base = self._style("paper-list--marked" if marked else "", fg=False)
        done = state.status in (Status.READ, Status.SKIPPED)
        text = Text(style=base, no_wrap=True, end="")
        text.append(MARK if marked else " ", self._style("paper-list--marker"))
        text.append(STAR if state.starred else " ", self._style("paper-list--star"))
        if self.store.is_new(pid):
            text.append(NEW, self._style("paper-list--new"))
        else:
            text.append(" ")
        mark_style = "paper-list--queued" if state.status == Status.QUEUED else "paper-list--mark"
        text.append(STATUS_MARKS[state.status], self._style(mark_style))
        text.append(" ")

        day = fmt_date(self.store.list_date(pid), self.today)
        tags = " ".join("#" + t for t in state.tags)
        room = width - LEFT - 1  # one space at the right edge
        right_len = (cell_len(day) + 2 if day else 0) + (cell_len(tags) + 2 if tags else 0)
        if tags and room - right_len < MIN_TITLE:  # tags go first when space is short
            tags_room = max(0, room - MIN_TITLE - (cell_len(day) + 2 if day else 0) - 2)
            tags = _ellipsis(tags, tags_room) if tags_room >= 4 else ""
            right_len = (cell_len(day) + 2 if day else 0) + (cell_len(tags) + 2 if tags else 0)
        if day and room - right_len < MIN_TITLE:
            day, right_len = "", right_len - cell_len(day) - 2
        title_room = max(0, room - right_len)
        title = _ellipsis(latex_text(self.store.title(pid)[:1000]), title_room)  # cached: rows, and latex_text
        text.append(title, self._style("paper-list--done") if done else None)
        text.append(" " * (title_room - cell_len(title)))
        if tags:
            text.append("  ")
            text.append(tags, self._style("paper-list--tags"))
        if day:
            text.append("  ")
            text.append(day, self._style("paper-list--date"))
        text.append(" ")
        return text


def fg_style(style: Style) -> Style:
    """The style without its background, so it can sit on the cursor row (colours stay blended for the theme)."""
    return style.without_color + Style.from_color(style.color)


def _ellipsis(s: str, width: int) -> str:
    """Cut `s` to `width` cells, ending in … when cut."""
    if cell_len(s) <= width:
        return s
    if width <= 0:
        return ""
    t = Text(s)
    t.truncate(width, overflow="ellipsis")
    return t.plain


"""The detail pane: everything about the paper under the cursor, the full abstract last (the pane scrolls).

Feed text is built into a rich `Text` piece by piece, never into a markup string, so `[bold]` in a title stays text.
"""

from __future__ import annotations

from time import monotonic
from typing import Callable

from rich.text import Text
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from storage.display import hf_facts, latex_text, short_authors, venue
from storage.model import Paper, PaperState, Status, published_year
from storage.normalize import arxiv_url

from . import STAR, fmt_date

# Seconds the cursor must rest before the pane follows it during a burst of moves: longer than key repeat's gap
# (30-40 ms) and a terminal's batch of keys, short enough not to be seen as a lag once the keys stop.
FOLLOW_DELAY = 0.05
# Characters of abstract laid out when a paper is shown; the rest follows a piece at a time as the reader scrolls to
# the end. Wrapping costs per character: a 100 KB abstract laid out in full blocked every visit for ~1 s.
HEAD_CHARS = 4_000
STATUS_WORDS = {Status.INBOX: "inbox", Status.QUEUED: "queued", Status.READ: "read", Status.SKIPPED: "skipped"}
DIM = "dim"


def seen_on(paper: Paper, today: str) -> str:
    """"seen on Mar 11 (feed.json), Mar 13 (other.xml) · published Jan 4 2019": every listing, oldest first. A feed
    that gives no listing day (a .bib) counts from the day it was added; the publication date is the source's own."""
    dated = [f"{fmt_date(s.date, today)} ({s.feed})" for s in sorted(paper.sources, key=lambda s: s.date) if s.date]
    undated = [s.feed for s in paper.sources if not s.date and s.feed]
    parts = []
    if dated:
        parts.append("seen on " + ", ".join(dated))
    if undated:
        added = fmt_date(paper.added, today)
        parts.append(("added " + added + " from " if added else "from ") + ", ".join(undated))
    seen = ", ".join(parts)
    published = fmt_date(paper.published, today) or published_year(paper)
    return f"{seen} · published {published}" if published and seen else seen or (published and f"published {published}")


def split_text(text: str, limit: int | None = None) -> tuple[str, str]:
    """`text` cut after `limit` (HEAD_CHARS) characters, at a space when there is one near: (head, rest)."""
    limit = HEAD_CHARS if limit is None else limit
    if len(text) <= limit:
        return text, ""
    cut = text.rfind(" ", limit - 200, limit)
    cut = limit if cut < 0 else cut + 1
    return text[:cut], text[cut:]


def more_text(rest: str) -> Text:
    return Text(f"… {len(rest):,} more characters: scroll on or press ] to read them", DIM, end="")


def shown_title(title: str) -> str:
    """The title as shown: LaTeX as text (storage/display.py), cut when absurdly long (a library from before ingest
    cut titles may hold a 1 MB one)."""
    head, cut = split_text(title)
    return latex_text(head) + "…" if cut else latex_text(head) or "(untitled)"


def facts(t: Text, paper: Paper, today: str) -> None:
    """The id, venue and web page line, when and where it was seen, HF's upvotes: one line each, when known."""
    ident = []
    if paper.arxiv_id:
        ident.append(f"arXiv {paper.arxiv_id}")
    if where := venue(paper.extra):
        ident.append(where)
    url = paper.url or arxiv_url(paper.arxiv_id)
    if url:
        ident.append(url)
    for line in (" · ".join(ident), seen_on(paper, today), hf_facts(paper.extra)):
        if line:
            t.append(line, DIM)
            t.append("\n")


def paper_on_show(store, pid: str, abstracts: str) -> tuple[Paper, str | None, str]:
    """(paper, abstract, what to say when it has none) for the pane and the reader. While a lazy open reads the rest
    of the library (tui/loading.py) the paper is a stub with its title; the abstract is None while abstracts load
    (`abstracts` is the App's: "loading", "ready" or the error)."""
    if not store.loaded:
        return Paper(pid, store.title(pid)), None, ""
    paper = store.get(pid)
    abstract = {"loading": None, "ready": paper.abstract}.get(abstracts, "")
    return paper, abstract, "no abstract in the feed" if abstracts == "ready" else "abstracts could not be loaded"


def state_lines(t: Text, state: PaperState, queue_position: int | None) -> None:
    """What the user did with it: the status (and queue place), the star, the tags."""
    status = STATUS_WORDS[state.status]
    if state.status == Status.QUEUED and queue_position:
        status += f" #{queue_position}"
    t.append("status ", DIM)
    t.append(status)
    if state.starred:
        t.append("  ")
        t.append(f"{STAR} starred", "bold")
    t.append("\n")
    t.append("tags ", DIM)
    t.append(", ".join(state.tags) if state.tags else "none", None if state.tags else DIM)
    t.append("\n")


def detail_text(
    paper: Paper,
    state: PaperState,
    abstract: str | None,
    today: str,
    queue_position: int | None = None,
    no_abstract: str = "no abstract in the feed",
    why: Text | None = None,
) -> Text:
    """The pane's content. `abstract` None means "still loading"; `no_abstract` is said when it is empty.

    Only the abstract's first HEAD_CHARS: the pane shows the rest (`split_text(abstract)[1]`) as it is scrolled to.
    """
    t = Text(end="")
    t.append(shown_title(paper.title), "bold")
    t.append("\n")
    if paper.authors:
        t.append(short_authors(paper.authors), DIM)  # the reader (Enter) lists them all
        t.append("\n")
    facts(t, paper, today)

    t.append("\n")
    state_lines(t, state, queue_position)
    if why:  # what placed it in the interest order (tui/ranking.py)
        t.append("why ", DIM)
        t.append(why)
        t.append("\n")
    note_and_abstract(t, state, abstract, no_abstract)
    return t


def note_and_abstract(t: Text, state: PaperState, abstract: str | None, no_abstract: str, heading: str = "") -> None:
    """The last part of the pane and of the reader (tui/screens/reader.py): the note, then the abstract's first
    HEAD_CHARS under `heading` (the reader's "abstract"; the pane's is a blank line)."""
    if state.note:
        t.append("\nnote\n", DIM)
        t.append(state.note)
        t.append("\n")
    t.append("\n" + heading, DIM if heading else None)
    if abstract is None:
        t.append("loading abstract…", DIM)
    elif abstract:
        t.append(split_text(abstract)[0])
    else:
        t.append(no_abstract, DIM)


class DetailPane(VerticalScroll, can_focus=False):
    """Scrolls with the mouse wheel or `[` / `]`; the keyboard focus stays on the list.

    The pane follows the cursor (`follow`) without being rebuilt for every paper a burst of keys passes over: a new
    content costs a relayout and a re-wrapped abstract, several times what moving the cursor costs.
    """

    shown: str | None = None  # the paper on show, when `show` was told (None: not known)
    _moved = 0.0  # monotonic time of the last cursor move
    _timer: Timer | None = None  # pending: the pane may show another paper than the cursor's until it fires
    _show: Callable[[], None] | None = None
    _wanted: str | None = None  # the cursor's paper as of the last move

    def follow(self, pid: str | None, show: Callable[[], None], *, moved: bool = True) -> None:
        """Bring the pane up to date with `show()`, which renders the cursor's paper (`pid`) as it is when called.

        At once for a change that is not a cursor move (an action, a new list), and for the first move after the
        cursor rested FOLLOW_DELAY (a single j shows its paper in the same frame); moves that follow it closer
        than that (key repeat, a burst of keys) show the paper the cursor is on once it rests for FOLLOW_DELAY.
        """
        now = monotonic()
        self._show, self._wanted = show, pid
        if not moved or now - self._moved >= FOLLOW_DELAY:
            self._cancel()
            show()
        elif self._timer is None:
            self._timer = self.set_timer(FOLLOW_DELAY, self._due)
        if moved:
            self._moved = now

    @property
    def pending(self) -> bool:
        """The cursor moved and the pane has not followed yet."""
        return self._timer is not None

    def _due(self) -> None:
        left = self._moved + FOLLOW_DELAY - monotonic()
        if left > 0.001:  # moved again since the timer was set: wait for the rest (cheaper than a timer per key)
            self._timer = self.set_timer(left, self._due)
            return
        self._timer = None
        # A burst from the terminal is often all handled before the first move's message: that one showed the
        # last paper already, and showing it again would cost another relayout.
        if self._show is not None and (self._wanted is None or self._wanted != self.shown):
            self._show()

    def page(self, pages: int) -> None:
        """Scroll by pages (`]` / `[`): the cursor's paper, shown now if the pane was still waiting to follow it."""

        def scroll() -> None:
            for _ in range(abs(pages)):
                (self.scroll_page_down if pages > 0 else self.scroll_page_up)(animate=False)

        if self._timer is None or self._show is None:
            if pages > 0 and self._rest and self.scroll_y >= self.max_scroll_y - 1:
                return self._read_on()
            return scroll()
        self._cancel()
        self._show()
        self.call_after_refresh(scroll)  # once the new content is laid out: its height bounds the scroll

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    _rest = ""  # the abstract past what is laid out: shown a HEAD_CHARS piece at a time (see `_read_on`)

    def compose(self):
        yield Static(id="detail-body", markup=False)
        yield Static(id="detail-more", markup=False).set_styles("display: none;")

    def show(self, content: Text | None, pid: str | None = None, rest: str = "") -> None:
        """Show `content`, the detail of paper `pid` (None: not a paper's, or not said); `rest` follows on scroll."""
        self.shown = pid
        body = self.query_one("#detail-body", Static)
        body.update(content if content is not None else "")
        self.query(".detail-piece").remove()
        self._rest = rest
        self._show_more()
        self.scroll_home(animate=False)

    def _show_more(self) -> None:
        more = self.query_one("#detail-more", Static)
        more.update(more_text(self._rest) if self._rest else "")
        more.display = bool(self._rest)  # an empty Static still takes a line

    def _read_on(self) -> None:
        """Lay out the next piece of the abstract (the reader scrolled to the end of what is shown)."""
        piece, self._rest = split_text(self._rest)
        self.mount(Static(Text(piece, end=""), classes="detail-piece", markup=False), before="#detail-more")
        self._show_more()

    def read_all(self) -> None:
        """Lay out the whole rest of the abstract (a jump to the end)."""
        if self._rest:
            piece, self._rest = self._rest, ""
            self.mount(Static(Text(piece, end=""), classes="detail-piece", markup=False), before="#detail-more")
            self._show_more()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self._rest and new >= self.max_scroll_y - 1 and new > old:
            self._read_on()

    @property
    def plain(self) -> str:
        """The text on show (for tests)."""
        parts = []
        for static in (self.query_one("#detail-body", Static), *self.query(".detail-piece"),
                       self.query_one("#detail-more", Static)):
            content = static.content
            parts.append(content.plain if hasattr(content, "plain") else str(content))
        return "".join(parts)

"""The detail pane: everything about the paper under the cursor, the full abstract last (the pane scrolls).

Feed text is built into a rich `Text` piece by piece, never into a markup string, so `[bold]` in a title stays text.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from storage.model import Paper, PaperState, Status
from storage.normalize import arxiv_url

from . import STAR, fmt_date

STATUS_WORDS = {Status.INBOX: "inbox", Status.QUEUED: "queued", Status.READ: "read", Status.SKIPPED: "skipped"}
DIM = "dim"


def seen_on(paper: Paper, today: str) -> str:
    """"seen on Mar 11 (feed.json), Mar 13 (other.xml)": every sighting, oldest first; undated ones by feed name."""
    dated = [f"{fmt_date(s.date, today)} ({s.feed})" for s in sorted(paper.sources, key=lambda s: s.date) if s.date]
    undated = [s.feed for s in paper.sources if not s.date and s.feed]
    parts = []
    if dated:
        parts.append("seen on " + ", ".join(dated))
    if undated:
        parts.append("in " + ", ".join(undated) if dated else "seen in " + ", ".join(undated))
    return ", ".join(parts)


def detail_text(
    paper: Paper,
    state: PaperState,
    abstract: str | None,
    today: str,
    queue_position: int | None = None,
    no_abstract: str = "no abstract in the feed",
) -> Text:
    """The pane's content. `abstract` None means "still loading"; `no_abstract` is said when it is empty."""
    t = Text(end="")
    t.append(paper.title or "(untitled)", "bold")
    t.append("\n")
    if paper.authors:
        t.append(", ".join(paper.authors), DIM)
        t.append("\n")
    ident = []
    if paper.arxiv_id:
        ident.append(f"arXiv {paper.arxiv_id}")
    url = paper.url or arxiv_url(paper.arxiv_id)
    if url:
        ident.append(url)
    if ident:
        t.append(" · ".join(ident), DIM)
        t.append("\n")
    seen = seen_on(paper, today)
    if seen:
        t.append(seen, DIM)
        t.append("\n")

    t.append("\n")
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
    if state.note:
        t.append("\nnote\n", DIM)
        t.append(state.note)
        t.append("\n")

    t.append("\n")
    if abstract is None:
        t.append("loading abstract…", DIM)
    elif abstract:
        t.append(abstract)
    else:
        t.append(no_abstract, DIM)
    return t


class DetailPane(VerticalScroll, can_focus=False):
    """Scrolls with the mouse wheel or `[` / `]`; the keyboard focus stays on the list."""

    def compose(self):
        yield Static(id="detail-body", markup=False)

    def show(self, content: Text | None) -> None:
        body = self.query_one("#detail-body", Static)
        body.update(content if content is not None else "")
        self.scroll_home(animate=False)

    @property
    def plain(self) -> str:
        """The text on show (for tests)."""
        body = self.query_one("#detail-body", Static)
        content = body.content
        return content.plain if hasattr(content, "plain") else str(content)

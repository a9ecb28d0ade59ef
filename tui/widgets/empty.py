"""What the list area says when the view has no papers: how to get some, inbox zero with today's summary, or what
fills the other views. Plain `Text`: nothing here is markup."""

from __future__ import annotations

from rich.text import Text

from storage.store import Store

EMPTY_VIEWS = {
    "queue": "The reading queue is empty. Press a on a paper to queue it.",
    "starred": "No starred papers. Press s on a paper to star it.",
    "read": "Nothing marked read yet. Press r on a paper you have read.",
    "skipped": "Nothing skipped. Press x on a paper you will not read.",
    "all": "No papers.",
}


def empty_view_text(store: Store, view: str, today: str, *, ingesting: bool) -> Text:
    if not len(store):
        t = Text("No papers yet.\n\n", style="bold")
        if ingesting:
            t.append("Ingesting the feeds you gave…", style="not bold")
            return t
        t.append("Ingest a feed:    papertriage ingest FEED...\n", style="not bold")
        t.append("or try the demo:  papertriage demo", style="not bold")
        return t
    if view == "inbox":
        done = store.today_summary(today)
        t = Text("Inbox zero ✓\n\n", style="bold")
        t.append(
            f"Today: {done['starred']} starred · {done['queued']} queued · "
            f"{done['skipped']} skipped · {done['read']} read\n\n",
            style="not bold",
        )
        t.append("2 reading queue · 3 starred · 5 all papers", style="not bold dim")
        return t
    return Text(EMPTY_VIEWS.get(view, "Nothing here."))

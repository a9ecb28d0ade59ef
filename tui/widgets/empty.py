"""What the list area says when the view has no papers: how to get some, inbox zero with today's summary, or what
fills the other views. Plain `Text`: nothing here is markup."""

from __future__ import annotations

from rich.text import Text

from storage.store import Store

from ..keymap import KeysInEffect

# {key} is the key in effect for the action named beside the text
EMPTY_VIEWS = {
    "queue": ("The reading queue is empty. Press {key} on a paper to queue it.", "queue"),
    "starred": ("No starred papers. Press {key} on a paper to star it.", "star"),
    "read": ("Nothing marked read yet. Press {key} on a paper you have read.", "read"),
    "skipped": ("Nothing skipped. Press {key} on a paper you will not read.", "skip"),
    "all": ("No papers.", None),
}


def empty_view_text(store: Store, view: str, today: str, *, ingesting: bool, keys: KeysInEffect) -> Text:
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
        shown = (f"{keys.first('view_' + v)} {what}" for v, what in
                 (("queue", "reading queue"), ("starred", "starred"), ("all", "all papers")))
        t.append(" · ".join(shown), style="not bold dim")
        return t
    text, action = EMPTY_VIEWS.get(view, ("Nothing here.", None))
    return Text(text.format(key=keys.first(action)) if action else text)

"""`python -m tui.screenshots [DIR]`: regenerate the README's SVG screenshots (default: ./screenshots).

Each one is the real app, driven by key presses through Textual's test pilot, on the bundled demo feed with some
triage already done (stars, tags, a note, a queue, papers read and skipped). Everything that could vary is fixed:
the terminal size, "today", the clock that stamps the state, the working and home directory (shown by the export
dialog), blinking cursors and notifications; so running it twice writes the same files.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

SIZE = (120, 36)
TODAY = "2026-11-21"
NOW = f"{TODAY}T08:40:00+00:00"
# The demo's first day was ingested and seen yesterday, its second day fetched this morning: the new marks show.
YESTERDAY = "2026-11-20T08:00:00+00:00"
MORNING = f"{TODAY}T07:00:00+00:00"
SEEN = {"start": YESTERDAY, "last": "2026-11-20T18:00:00+00:00", "acted": True, "since": ""}

# The triage done before the screenshots, by title prefix (the demo's ids are content hashes).
NOTED = "Hierarchical Memory for Long-Horizon Web Agents"
NOTE = (
    "Compare with the flat episodic memory of the baseline (section 4).\n"
    "Question for the reading group: does the hierarchy still help on short tasks?"
)
STARRED = ["Sparse Mixture-of-Depths", "Exact Top-$k$", NOTED, "Does Chain-of-Thought", "Agents That Read"]
TAGS = {
    "Sparse Mixture-of-Depths": ["llm", "efficiency"],
    "Exact Top-$k$": ["attention", "efficiency"],
    NOTED: ["agents", "llm"],
    "Does Chain-of-Thought": ["llm", "reasoning"],
    "On the Brittleness of LLM-as-a-Judge": ["llm", "eval"],
    "Agents That Read the Manual": ["agents", "tools"],
    "Preference Optimization with Noisy": ["alignment"],
    "Energy-Based Verifiers": ["reasoning"],
}
QUEUED = ["Energy-Based Verifiers", "Exact Top-$k$", "Test-Time Scaling for Small Models", "Lossless Checkpoint"]
READ = ["Halcyon-2", "Scaling Laws for Sparse Autoencoders in Vision"]
SKIPPED = ["Sign Language Translation", "Robust Watermarking", "Physics-Informed Neural Operators"]


def prepare(data_dir: Path):
    """The demo library with the triage above; returns the Store and the id of the paper with the note."""
    from storage.model import Status
    from storage.store import Store

    from .demo_data import demo_feeds

    clock = [YESTERDAY]
    store = Store(data_dir, clock=lambda: clock[0])  # "triaged today" and every stamp: fixed
    first, *rest = demo_feeds()
    for stamp, feeds in ((YESTERDAY, [first]), (MORNING, rest)):
        clock[0] = stamp
        if (report := store.ingest(feeds)).errors:
            raise SystemExit(f"screenshots: demo feed {report.errors[0][0]}: {report.errors[0][1]}")
    clock[0] = NOW
    by_title = {store.get(pid).title: pid for pid in store.ordered_ids()}

    def ids(prefixes: list[str]) -> list[str]:
        out = []
        for prefix in prefixes:
            hits = [pid for title, pid in by_title.items() if title.startswith(prefix)]
            if len(hits) != 1:
                raise SystemExit(f"screenshots: the demo feed has {len(hits)} papers titled {prefix!r}…")
            out += hits
        return out

    store.set_star(ids(STARRED), True)
    for prefix, tags in TAGS.items():
        store.add_tags(ids([prefix]), tags)
    store.set_note(ids([NOTED])[0], NOTE)
    store.set_status(ids(QUEUED), Status.QUEUED)
    store.set_status(ids(READ), Status.READ)
    store.set_status(ids(SKIPPED), Status.SKIPPED)
    return store, ids([NOTED])[0]


def has_key(key: str) -> bool:
    from textual.keys import _character_to_key

    from .keymap import KEYS

    return any(_character_to_key(k) == key if len(k) == 1 else k == key for x in KEYS for k in x.keys.split(","))


# (file name, the view the app opens on, keys pressed, what it shows, a key it needs that may not exist yet).
# The inbox opens with the cursor on the paper with the note.
SHOTS: list[tuple[str, str, tuple[str, ...], str, str | None]] = [
    ("inbox", "inbox", (), "the inbox with the detail pane", None),
    ("search", "inbox", ("slash", *"+llm is:starred"), "search with tokens", "slash"),
    ("queue", "queue", ("j",), "the reading queue", None),
    ("tag-dialog", "inbox", ("k", "t", *"efficiency, ll"), "adding tags, with completion", None),
    ("note-editor", "inbox", ("n",), "the note editor", None),
    ("help", "inbox", ("question_mark",), "every key (?)", None),
    ("export-dialog", "inbox", ("e",), "exporting the starred papers (e)", None),
    ("command-palette", "inbox", ("ctrl+p", *"copy"), "the command palette (ctrl+p)", None),
    ("reader", "inbox", ("enter",), "a paper full screen (Enter)", "enter"),
    ("sort-menu", "inbox", ("O",), "the sort menu (O)", None),
]


async def take(store, noted: str, out: Path, name: str, view: str, keys: tuple[str, ...]) -> None:
    from textual.widgets import Input, TextArea

    from storage.store import Store

    from .app import PapertriageApp

    store.set_ui(view=view, cursor=noted if view == "inbox" else "", cursor_index=0, session=SEEN)
    app = PapertriageApp(Store(store.dir, clock=lambda: NOW), today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press(*keys)
        await settle(app, pilot)
        for widget in app.screen.query("Input, TextArea"):
            if isinstance(widget, (Input, TextArea)):
                widget.cursor_blink = False
        app.clear_notifications()
        await settle(app, pilot)
        app.save_screenshot(f"{name}.svg", str(out))


async def settle(app, pilot) -> None:
    from .widgets.detail import DetailPane

    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    while any(pane.pending for pane in app.screen_stack[0].query(DetailPane)):  # it follows a burst of moves later
        await pilot.pause(0.01)


async def run(out: Path, home: Path) -> list[str]:
    store, noted = prepare(home / "data")
    written = []
    for name, view, keys, _, needs in SHOTS:
        if needs and not has_key(needs):
            print(f"skipped {name}.svg: the app has no {needs} key yet", file=sys.stderr)
            continue
        await take(store, noted, out, name, view, keys)
        written.append(name)
        print(f"wrote {out / name}.svg")
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else "screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    cwd, old_home = os.getcwd(), os.environ.get("HOME")
    with tempfile.TemporaryDirectory(prefix="papertriage-shots-") as tmp:
        home = Path(tmp)
        (home / "papers").mkdir()
        os.environ["HOME"] = str(home)  # so the export dialog shows the working directory as ~/papers
        os.chdir(home / "papers")
        try:
            asyncio.run(run(out, home))
        finally:
            os.chdir(cwd)
            if old_home is None:
                os.environ.pop("HOME", None)
            else:
                os.environ["HOME"] = old_home
    return 0


if __name__ == "__main__":
    sys.exit(main())

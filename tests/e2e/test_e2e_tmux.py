"""End to end in a real terminal: the installed `papertriage` in tmux, keys sent, the screen read back.

Each step waits for what the user would see before the next key (a dialog open, a count changed): that is how a
person types, and it keeps the tests free of sleeps. What the app wrote is then checked with `papertriage list`.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from support.clihelp import FEEDS, papertriage_cmd, run_process
from support.tmuxhelp import TMUX, Pane, bold_runs, detail_text, list_rows, plain, sgr_codes, until

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(TMUX is None, reason="tmux is not installed")]


@pytest.fixture
def pane(tmp_path):
    with Pane(tmp_path) as p:
        yield p


def app_cmd(data: Path, *args: str) -> list[str]:
    return [*papertriage_cmd(), "--data-dir", str(data), *args]


def listed(data: Path, view: str = "all") -> list[dict]:
    return json.loads(run_process("list", "--json", "--view", view, data_dir=data, check_rc=0).stdout)


@pytest.fixture
def two_days(tmp_path) -> Path:
    """hf_day1 + hf_day2 ingested: 12 papers, all in the inbox."""
    data = tmp_path / "data"
    run_process("ingest", str(FEEDS / "hf_day1.txt"), str(FEEDS / "hf_day2.txt"), data_dir=data, check_rc=0)
    return data


def open_app(pane: Pane, data: Path, *args: str) -> str:
    pane.start(app_cmd(data, *args))
    return pane.wait_for(lambda s: s.startswith(" Inbox") and detail_text(s) != "")  # laid out, a paper shown


def test_triage_keys_reach_the_disk(pane, two_days):
    inbox = [p["title"] for p in listed(two_days, "inbox")]
    assert len(inbox) == 12
    open_app(pane, two_days)
    pane.wait_for(lambda s: detail_text(s).startswith(inbox[0]))

    pane.send("s")
    pane.wait_for("Starred 1")

    pane.send("j", "t")
    pane.wait_for("Add tags")
    pane.type("llm, survey")
    pane.send("Enter")
    pane.wait_for(lambda s: "Add tags" not in s and "#llm #survey" in s)

    pane.send("n")
    pane.wait_for("ctrl+s save")
    pane.type("Read [b]section 3[/b] first")
    pane.wait_for("Read [b]section 3[/b] first")  # every key has arrived in the editor
    pane.send("C-s")
    pane.wait_for(lambda s: "ctrl+s save" not in s and "note Read [b]section 3[/b] first" in detail_text(s))

    pane.send("j", "a")  # the queued paper leaves the inbox: the cursor lands on the next one
    pane.wait_for(lambda s: "Queue 1" in s and detail_text(s).startswith(inbox[3]))
    pane.send("r")
    pane.wait_for(lambda s: "Read 1" in s and detail_text(s).startswith(inbox[4]))
    pane.send("u")  # undo the read: the paper comes back, under the cursor
    pane.wait_for(lambda s: "Read 0" in s and detail_text(s).startswith(inbox[3]))
    pane.send("C-r")
    pane.wait_for(lambda s: "Read 1" in s and "Inbox 10" in s)

    pane.send("2")
    screen = pane.wait_for(lambda s: "status queued #1" in detail_text(s))
    rows = list_rows(screen)
    assert len(rows) == 1 and inbox[2] in rows[0]

    pane.send("q")
    assert pane.wait_exit() == 0

    by_title = {p["title"]: p for p in listed(two_days)}
    expected = {
        inbox[0]: {"starred": True},
        inbox[1]: {"tags": ["llm", "survey"], "note": "Read [b]section 3[/b] first"},
        inbox[2]: {"status": "queued", "queue_position": 1},
        inbox[3]: {"status": "read"},
    }
    default = {"starred": False, "tags": [], "note": "", "status": "inbox", "queue_position": None}
    for title, paper in by_title.items():
        want = {**default, **expected.get(title, {})}
        assert {k: paper[k] for k in default} == want, title


def test_restart_returns_to_the_same_view_and_paper(pane, two_days):
    ids = [p["id"] for p in listed(two_days, "inbox")]
    for pid in (ids[5], ids[2], ids[8]):
        run_process("status", pid, "queued", data_dir=two_days, check_rc=0)
    queue = listed(two_days, "queue")
    assert [p["id"] for p in queue] == [ids[5], ids[2], ids[8]]

    open_app(pane, two_days)
    pane.send("2")
    pane.wait_for(lambda s: "status queued #1" in detail_text(s))
    pane.send("j")
    pane.wait_for(lambda s: detail_text(s).startswith(queue[1]["title"]))
    pane.send("q")
    assert pane.wait_exit() == 0

    open_app(pane, two_days)
    screen = pane.wait_for(lambda s: detail_text(s).startswith(queue[1]["title"]) and "queued #2" in detail_text(s))
    rows = list_rows(screen)
    assert len(rows) == 3 and all("▸" in r for r in rows)  # the queue view, not the inbox
    assert bold_runs(pane.screen(escapes=True).splitlines()[0])[0] == "Queue 3"  # the header marks the view (then the order)
    pane.send("q")
    assert pane.wait_exit() == 0


def test_demo_opens_and_cleans_up(pane, tmp_path):
    from tui.demo_data import build_demo

    reference = build_demo(tmp_path / "reference")
    first = reference.get(reference.view_ids("inbox")[0]).title
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    pane.start([*papertriage_cmd(), "demo"], env={"TMPDIR": str(tmp)})
    pane.wait_for(lambda s: f"All {len(reference)}" in s and detail_text(s).startswith(first))
    assert [p.name[:16] for p in tmp.iterdir()] == ["papertriage-demo"]  # the demo's data lives here
    pane.send("q")
    assert pane.wait_exit() == 0
    assert list(tmp.iterdir()) == []


def test_search_help_and_export(pane, two_days, tmp_path):
    from tui.keymap import KEYS

    out = tmp_path / "out"
    out.mkdir()
    pane.start(app_cmd(two_days), cwd=out)
    pane.wait_for(lambda s: s.startswith(" Inbox") and detail_text(s) != "")

    pane.send("/")
    pane.wait_for(lambda s: any(line.startswith(" /") for line in s.splitlines()[-3:]))  # the search bar is open
    pane.type("kestrel")
    screen = pane.wait_for(lambda s: "2 matches" in s and len(list_rows(s)) == 2)
    assert all("Kestrel-" in row for row in list_rows(screen))
    pane.send("Enter")  # the filter stays; the keys act on the list again, once the footer is back
    quit_key = next(k for k in KEYS if k.action == "quit")
    pane.wait_for(lambda s: f"{quit_key.keys.split(',')[0]} {quit_key.description}" in s.rstrip().splitlines()[-1])
    pane.send("s")
    pane.wait_for(lambda s: "Starred 1" in s and "★" in list_rows(s)[0])
    pane.send("Escape")
    pane.wait_for(lambda s: "matches" not in s and len(list_rows(s)) == 12)

    pane.type("?")
    wanted = [k.description for k in KEYS if not k.footer][:4]  # keys the footer does not show: only help does
    pane.wait_for(lambda s: all(desc in s for desc in wanted))
    pane.send("Escape")
    pane.wait_for(lambda s: len(list_rows(s)) == 12 and not any(desc in s for desc in wanted))

    pane.send("e")
    pane.wait_for("starred-")  # the dialog, with its default file name
    pane.send("Enter")
    pane.wait_for("Exported 1 paper")
    [md] = out.glob("starred-*.md")
    assert "Kestrel-3: Compact Reasoning Models for Edge Devices" in md.read_text()
    pane.send("q")
    assert pane.wait_exit() == 0


def test_keys_typed_after_q_do_not_break_the_exit(pane, two_days):
    """q then t (or n, ?, /) typed fast: the dialogs those keys open must not start on an app that is closing."""
    open_app(pane, two_days)
    pane.type("qtn?/s")
    assert pane.wait_exit() == 0
    assert "Traceback" not in pane.screen(history=True)
    assert sum(p["starred"] for p in listed(two_days)) == 0  # s after q did nothing


# -- hostile feed text ---------------------------------------------------------------------------------------------
CLIPBOARD = "FEED-CLIPBOARD-PAYLOAD"
B64 = base64.b64encode(CLIPBOARD.encode()).decode()
MARKUP_TITLE = "[bold]x[/bold] [/ [link=http://e.x]y[/link] markup"
HOSTILE_FEED = f"""\
Get trending papers in your email inbox!

byAK and the research community

Mar 13, 2026

Alpha \x1b[31mREDWORD\x1b[0m Omega colour study

Plain words and \x1b[41mRED BACKGROUND\x1b[0m and a \x9b31m C1 sequence in an invented abstract.

{MARKUP_TITLE}

The abstract says [red]not red[/red] and [/] and [@click=app.quit]no click[/] in invented words.

Invoice \u202eexe.txt\u202c and \u2066isolated\u2069 bidi

Set \x1b]52;c;{B64}\x07 the clipboard, then \x1b[2J\x1b[H clear the screen, in invented words.

Click \x1b]8;;http://evil.example/\x1b\\here\x1b]8;;\x1b\\ for a hyperlink

A title with an OSC 8 hyperlink and an abstract with another \x1b]52;c;{B64}\x1b\\ clipboard write.
"""
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def check_screen(pane: Pane, top: str = "Inbox 4") -> str:
    """One look at the whole screen: nothing from the feed acts as a terminal sequence or as markup."""
    raw = pane.screen(escapes=True)
    text = plain(raw)
    assert text.splitlines()[0].startswith(" " + top), text  # no clear-screen or cursor move took effect
    assert "\x1b]" not in raw  # no OSC (hyperlink, clipboard) reached the terminal
    # The feed's SGR would change the colour mid-title: no escape between the title's words. The app draws in
    # 256 colours (38;5;N), so the feed's plain red (31, 41) must not show up anywhere.
    assert re.search(r"Alpha [^\x1b\n]*REDWORD[^\x1b\n]*Omega", raw), raw
    assert not sgr_codes(raw) & {31, 41}
    assert not any(ch in text for ch in BIDI)
    assert pane.buffers() == []  # no OSC 52 clipboard write
    return text


def test_hostile_feed_text_is_shown_as_text(pane, tmp_path):
    feed = tmp_path / "hostile.txt"
    feed.write_text(HOSTILE_FEED, encoding="utf-8")
    data = tmp_path / "data"
    run_process("ingest", str(feed), data_dir=data, check_rc=0)
    titles = [p["title"] for p in listed(data, "inbox")]
    assert len(titles) == 4

    open_app(pane, data)
    seen = []
    for n, title in enumerate(titles):
        if n:
            pane.send("j")
        # the title, and the abstract once read (the app reads abstracts after the first paint)
        pane.wait_for(lambda s, t=title: detail_text(s).startswith(t) and "loading abstract" not in detail_text(s))
        seen.append(check_screen(pane))
    rows = list_rows(seen[-1])
    assert any(MARKUP_TITLE in row for row in rows)
    assert any("Invoice exe.txt and isolated bidi" in row for row in rows)
    markup = titles.index(MARKUP_TITLE)
    assert detail_text(seen[markup]).startswith(MARKUP_TITLE)
    assert "says [red]not red[/red] and [/] and [@click=app.quit]no click[/] in" in detail_text(seen[markup])
    pane.send("q")
    assert pane.wait_exit() == 0

    # The check above can fail: in this tmux, a program's OSC 52 write does land in a buffer.
    pane.tmux("new-window", "-d", "--", "printf", f"\x1b]52;c;{B64}\x07")
    until(lambda: pane.buffers() == [CLIPBOARD], what=lambda: f"the control's OSC 52 buffer, have {pane.buffers()}")


def test_escapes_that_reach_the_library_are_not_sent_to_the_terminal(pane, tmp_path):
    """Defence in depth: a note or tag set from a script, or a library written by an older version, is not cleaned
    by a feed reader. The screen must still not pass its escapes to the terminal."""
    data = tmp_path / "data"
    run_process("ingest", str(FEEDS / "hf_day1.txt"), data_dir=data, check_rc=0)
    first = listed(data, "inbox")[0]["id"]
    run_process("note", first, f"Alpha \x1b[31mREDWORD\x1b[0m Omega \x1b]52;c;{B64}\x07 note", data_dir=data, check_rc=0)
    run_process("tag", first, "\x1b[41mtagged", data_dir=data, check_rc=0)
    open_app(pane, data)
    pane.wait_for(lambda s: "REDWORD" in detail_text(s))
    check_screen(pane, "Inbox 8")

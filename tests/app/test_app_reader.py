"""The reader (Enter) in the real app: it opens on the cursor's paper with its text literal, scrolls, goes back on
the same paper, its triage keys act on that paper (not on the list's marks) and then show the next one, and its
open keys reach the browser (a fake one) from a thread."""

from __future__ import annotations

import threading

from textual.widgets._footer import FooterKey

from support.apphelp import make_app, notes, settle
from support.library import HOSTILE_ABSTRACT, HOSTILE_TITLE, INBOX
from storage.model import Status
from storage.store import Store
from tui import share
from tui.screens.open_menu import OpenMenu
from tui.screens.reader import ReaderScreen
from tui.screens.triage import TriageScreen

HF = "https://huggingface.co/papers/2611.01002"


def give_hf_extras(data_dir) -> None:
    store = Store(data_dir)
    paper = store.get(INBOX[1])
    paper.authors = [f"Author {i}" for i in range(40)]
    paper.extra.update(hf_url=HF, upvotes=61, github="https://github.com/x/y", github_stars=23,
                       ai_summary="In [b]short[/b].")
    store.library.save()


async def test_the_reader_shows_scrolls_triages_and_opens(library_dir, monkeypatch, tmp_path):
    give_hf_extras(library_dir)
    opened: list[tuple[str, bool]] = []
    monkeypatch.setattr(share.webbrowser, "open",
                        lambda url: opened.append((url, threading.current_thread() is threading.main_thread())) or True)
    app = make_app(library_dir)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("space", "enter")  # marks the first paper, then reads the one with markup in its title
        await settle(app, pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.pid == INBOX[1]
        shown = reader.plain
        assert shown.startswith(HOSTILE_TITLE + "\n") and HOSTILE_ABSTRACT in shown  # literal, not markup
        assert ", ".join(f"Author {i}" for i in range(40)) in shown  # the whole list (the pane shortens it)
        assert "▲ 61 upvotes" in shown and "https://github.com/x/y  ★ 23" in shown and "In [b]short[/b]." in shown
        assert "Inbox · 2 of 6" in str(reader.query_one("#reader-top").render())
        shown_keys = {k.action: k.key_display for k in reader.query(FooterKey) if k.display}
        assert shown_keys.get("close_reader") == "Esc" and "help" in shown_keys  # the way back fits at 60x20

        await pilot.press("j", "j", "space")  # scrolls the text, not the list
        await settle(app, pilot)
        assert reader.body.scroll_y > 2 and app.current == INBOX[1]
        await pilot.press("g")
        assert reader.body.scroll_y == 0

        await pilot.press("p", "L")  # the PDF; then the open menu's Hugging Face page
        assert isinstance(app.screen, OpenMenu)
        await pilot.press("h")
        await settle(app, pilot)
        assert opened == [("https://arxiv.org/pdf/2611.01002", False), (HF, False)]  # never on the UI thread

        await pilot.press("s")  # starred; it stays in the Inbox, so the reader steps on
        await settle(app, pilot)
        assert Store(library_dir).state_of(INBOX[1]).starred and reader.pid == INBOX[2] == app.current
        assert not Store(library_dir).state_of(INBOX[0]).starred  # the reader's keys leave the marked paper alone
        await pilot.press("x")  # skipped: it leaves the Inbox, the next paper takes its place
        await settle(app, pilot)
        assert Store(library_dir).state_of(INBOX[2]).status == Status.SKIPPED
        assert reader.pid == INBOX[3] and "Inbox · 3 of 5" in str(reader.query_one("#reader-top").render())
        await pilot.press("u")  # undo brings the skipped paper back, on show
        await settle(app, pilot)
        assert reader.pid == INBOX[2] and Store(library_dir).state_of(INBOX[2]).status == Status.INBOX
        await pilot.press("J", "K", "K")
        await settle(app, pilot)
        assert reader.pid == INBOX[1]

        await pilot.press("q")  # back to the list (not quit), on the paper last shown
        await settle(app, pilot)
        assert isinstance(app.screen, TriageScreen) and app.return_code is None and app.current == INBOX[1]
        assert app.papers.marked_ids() == [INBOX[0]]  # the list's marks are back
        await pilot.press("escape")  # clears them
        await pilot.press("enter", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, TriageScreen) and app.current == INBOX[1]

        await pilot.press("space", "space", "p")  # in the list, p opens every marked paper's PDF; L is one paper's
        await settle(app, pilot)
        assert {url for url, _ in opened[2:]} == {f"https://arxiv.org/pdf/{pid}" for pid in INBOX[1:3]}
        await pilot.press("L")
        assert not isinstance(app.screen, OpenMenu) and any("link menu is for one paper" in n for n in notes(app))
        assert not notes(app, "error")

"""With marks, every key that acts on papers acts on the marked ones or says why not (tui/tagging.py, tui/share.py,
Selection.refused): t shows their tags with counts, T removes one of their tags from all, y Y o E take them all;
n, m, J/K say why they take one paper."""

from __future__ import annotations

import pyperclip

from support.apphelp import make_app, notes, settle
from support.library import INBOX, QUEUED

from storage.store import Store
from tui import share
from tui.screens import TagDialog, UntagDialog
from tui.screens.copy_menu import CopyMenu
from tui.screens.export_dialog import ExportDialog

SIZE = (120, 40)
SURVEY, GRAPH = INBOX[4], INBOX[5]  # tagged survey, attention / no tags


async def test_every_paper_key_with_marks_acts_on_all_or_says_why(library_dir, monkeypatch, tmp_path):
    copied: list[str] = []
    opened: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    monkeypatch.setattr(share.webbrowser, "open", lambda url: opened.append(url) or True)
    store = Store(library_dir)
    store.add_tags([GRAPH], ["survey"])
    store.close()
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("g", "space", "G", "k", "space", "space")  # INBOX[0], the survey, the graph paper
        assert len(app.papers.marked) == 3
        for key, says in (("n", "Notes are per paper: Esc clears the marks."),
                          ("m", "More like this starts from one paper: Esc clears the marks.")):
            await pilot.press(key)
            assert notes(app)[-1] == says and app.screen is app.triage
        await pilot.press("t")  # their tags, with how many of them have each
        assert isinstance(app.screen, TagDialog)
        assert "marked have: survey 2, attention 1, retrieval 1" in str(app.screen.query_one("#tag-current").content)
        await pilot.press("escape", "y")
        await settle(app, pilot)
        assert copied[-1].count("](https://arxiv.org/abs/") == 3 and len(copied[-1].splitlines()) == 3
        assert "Copied Markdown link of 3 marked papers" in notes(app)[-1]
        await pilot.press("Y")
        assert isinstance(app.screen, CopyMenu)
        await pilot.press("u")
        await settle(app, pilot)
        assert copied[-1].splitlines() == [f"https://arxiv.org/abs/{p}" for p in (INBOX[0], SURVEY, GRAPH)]
        await pilot.press("o")
        await settle(app, pilot)
        assert sorted(opened) == sorted(f"https://arxiv.org/abs/{p}" for p in (INBOX[0], SURVEY, GRAPH))
        await pilot.press("E")
        assert isinstance(app.screen, ExportDialog) and app.screen.dialog_title == "Export 3 marked papers to Markdown"
        assert app.screen.default == f"inbox-marked-{app.today}.md"
        await pilot.press("escape", "T")  # the union of their tags; one picked goes from all of them
        assert isinstance(app.screen, UntagDialog)
        assert app.screen.tags == ["survey", "attention", "retrieval"] and app.screen.counts["survey"] == "2 of 3"
        await pilot.press("enter")
        assert "Removed tag survey from 2 papers" in notes(app) and not app.papers.marked
        await pilot.press("2", "space", "J")  # in the queue, marks: J/K move one paper
        assert notes(app)[-1] == "J/K move one paper at a time: Esc clears the marks."
        assert app.papers.ids == QUEUED
    after = Store(library_dir)
    assert after.state_of(SURVEY).tags == ["attention"] and after.state_of(GRAPH).tags == []
    assert after.state_of(INBOX[0]).tags == ["retrieval"]

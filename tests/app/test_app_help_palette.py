"""The help screen (?) and the command palette (ctrl+p): every key listed, every action reachable by name."""

from __future__ import annotations

import pyperclip
import pytest
from textual.command import CommandList, CommandPalette

from support.apphelp import make_app, notes, settle
from support.library import INBOX, TODAY, write_day_feed
from storage.store import Store
from tui.commands import commands
from tui.keymap import KEYS, help_rows
from tui.screens.export_dialog import ExportDialog, IngestDialog
from tui.screens.help import HelpScreen, columns, grouped

SIZE = (120, 36)


# -- help --------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("close", ["escape", "question_mark", "q"])
async def test_question_mark_lists_every_key_by_group_and_closes(library_dir, close):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = app.screen.plain
        for group, keys, description in help_rows():
            assert group in shown and f"{keys}  " in shown and description in shown, (group, keys, description)
        assert {"Move", "Triage", "Views", "History", "Share", "App"} <= {g for g, _, _ in help_rows()}
        await pilot.press(close)
        assert not isinstance(app.screen, HelpScreen)
        assert app.return_code is None  # q closed the help, not the app
        await pilot.press("j")
        assert app.current == INBOX[1]  # the list has the keys again


async def test_help_scrolls_to_its_end_with_the_list_keys_at_60x20(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)  # the dialog fits itself to the screen after its first layout (tui/screens/dialog.py)
        screen = app.screen
        body = screen.query_one("#help-body")
        assert body.max_scroll_y > 0 and screen.focused is body
        assert screen.region.contains_region(screen.query_one("#help-dialog").region)  # the box and its key line

        async def scrolled(*keys: str) -> float:
            await pilot.press(*keys)
            for _ in range(300):  # a scroll is animated: wait until it has reached where the keys sent it
                await pilot.wait_for_scheduled_animations()
                if body.scroll_y == body.scroll_target_y:
                    break
                await pilot.pause(0.01)
            return body.scroll_y

        assert await scrolled("j") == 1 and await scrolled("k") == 0
        assert await scrolled("down", "down") == 2 and await scrolled("up") == 1
        assert await scrolled("G") == body.max_scroll_y and await scrolled("g") == 0
        assert await scrolled("pagedown") > 1 and await scrolled("pageup") == 0
        assert await scrolled(*["j"] * (int(body.max_scroll_y) + 2)) == body.max_scroll_y  # j alone reaches the end...
        last = screen.query(".help-rows").last()
        assert body.region.contains_region(last.region)  # ...and the last group is on the screen, whole
        assert isinstance(screen, HelpScreen) and app.current == INBOX[0]  # the keys scrolled, not the list
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


def test_help_columns_keep_groups_whole_and_in_order():
    groups = grouped(help_rows())
    for count in (1, 2, 3):
        laid_out = columns(groups, count)
        assert len(laid_out) == count
        assert [g for column in laid_out for g in column] == groups
    tall = [("A", [("a", "x")] * 10), ("B", [("b", "y")]), ("C", [("c", "z")])]
    assert [[g for g, _ in col] for col in columns(tall, 2)] == [["A"], ["B", "C"]]


# -- command palette ---------------------------------------------------------------------------------------------------
async def palette(app, pilot, text: str) -> list[str]:
    """Open the palette, type `text`, wait for the hits; returns their labels (first line of each prompt)."""
    await pilot.press("ctrl+p", *text)
    await settle(app, pilot)
    assert isinstance(app.screen, CommandPalette)
    hits = app.screen.query_one(CommandList)
    return [str(hits.get_option_at_index(i).prompt).split("\n")[0] for i in range(hits.option_count)]


async def test_palette_switches_views_by_name(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert (await palette(app, pilot, "Views: Queue"))[0] == "Views: Queue"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.triage.view == "queue" and app.papers.ids == ["2611.01004", "2611.01005"]


async def test_palette_offers_every_action_and_textuals_theme(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")  # in the queue, J/K are offered too
        offered = await palette(app, pilot, "")
        for label, _, _ in commands():
            assert label in offered, label
        assert "Theme" in offered  # Textual's own commands stay
        actions = {action for _, _, action in commands()}
        for name in ("star", "tag", "note", "queue", "undo", "redo", "app.help", "copy('link')", "copy_menu",
                     "open_browser", "export_starred", "export_view", "app.ingest_file", "view('queue')"):
            assert name in actions, name
        await pilot.press("escape")
        assert not isinstance(app.screen, CommandPalette)


async def test_palette_leaves_out_queue_moves_outside_the_queue(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "Queue: move down" not in await palette(app, pilot, "move down")


async def test_palette_theme_command_still_changes_the_theme(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        hits = await palette(app, pilot, "theme")
        assert hits[0] == "Theme"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CommandPalette)  # now listing themes
        before = app.theme
        await pilot.press(*"nord", "enter")
        await settle(app, pilot)
        assert app.theme == "nord" != before


async def test_palette_star_acts_on_the_paper_under_the_cursor(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        await palette(app, pilot, "Triage: star")
        await pilot.press("enter")
        await settle(app, pilot)
    assert Store(library_dir).state_of(INBOX[1]).starred


async def test_palette_exports_the_starred_papers(library_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert (await palette(app, pilot, "export starred"))[0] == "Share: export starred"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("enter")
        await settle(app, pilot)
        assert f"Exported 2 papers to {tmp_path / f'starred-{TODAY}.md'}" in notes(app)


async def test_palette_copies_a_bibtex_entry(library_dir, monkeypatch):
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await palette(app, pilot, "copy bibtex")
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(copied) == 1 and copied[0].startswith("@misc{quill2026sparse,")


async def test_palette_opens_the_help(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await palette(app, pilot, "App: help")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)




async def test_palette_ingests_a_feed_file(library_dir, tmp_path, monkeypatch):
    feed = write_day_feed(tmp_path)
    monkeypatch.chdir(tmp_path)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await palette(app, pilot, "ingest")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, IngestDialog)
        await pilot.press(*"nope.txt", "enter")  # a missing file is said in the dialog
        assert isinstance(app.screen, IngestDialog)
        assert "No such file or directory" in str(app.screen.query_one("#path-hint").content)
        app.screen.query_one("Input").value = feed.name  # relative to the working directory
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Ingested 2 entries: 1 new papers, 1 repeats merged" in notes(app)
        assert len(app.papers.ids) == len(INBOX) + 1 and "Quiet Gradients" in app.store.get(app.papers.ids[0]).title
    assert len(Store(library_dir)) == 11


def test_palette_commands_cover_every_key_but_moving():
    actions = {action for _, _, action in commands()}
    for key in KEYS:
        if key.group not in ("Move", "Detail") and key.action not in ("quit", "command_palette") and "list" in key.where:
            assert ("app." if key.app else "") + key.action in actions, key

"""The config's [keys] in the real app: a remapped key acts, the old one is free, and every place that names a key
(footer, help, palette, empty views, notices, the no-match hint) shows the key in effect."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.widgets._footer import FooterKey

from support.apphelp import make_app, notes, settle
from support.library import INBOX
from storage.config import load_config
from storage.store import Store
from tui.screens.help import HelpScreen

SIZE = (120, 36)


def config(tmp_path: Path, keys: str):
    path = tmp_path / "config.toml"
    path.write_text("[keys]\n" + keys, encoding="utf-8")
    return load_config(path)


def footer_keys(app) -> dict[str, str]:
    return {k.action: k.key_display for k in app.screen.query(FooterKey)}


def empty_text(app) -> str:
    return str(app.screen.query_one("#empty").render())


async def test_a_remapped_key_acts_and_help_and_footer_show_it(library_dir, tmp_path):
    app = make_app(library_dir, config=config(tmp_path, 'star = "w"\n'))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")  # the default key is free now
        assert not app.store.state_of(INBOX[0]).starred
        await pilot.press("w")
        assert app.store.state_of(INBOX[0]).starred
        assert footer_keys(app)["star"] == "w"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "w  star" in app.screen.plain and "s  star" not in app.screen.plain
        await pilot.press("escape")
    assert Store(library_dir).state_of(INBOX[0]).starred  # on disk, as any star


async def test_the_footer_keeps_its_order_with_remapped_keys(library_dir, tmp_path):
    app = make_app(library_dir, config=config(tmp_path, 'cursor_down = "n,down"\nnote = "M"\nstar = "w"\n'))
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        shown = [(k.action, k.key_display) for k in app.screen.query(FooterKey)]
        assert shown[:4] == [("cursor_down", "n"), ("cursor_up", "k"), ("star", "w"), ("tag", "t")], shown
        assert ("note", "M") in shown and shown[-2:] == [("help", "?"), ("quit", "q")]


async def test_several_keys_and_swapped_keys(library_dir, tmp_path):
    keys = 'cursor_down = "j,down,ctrl+n"\nstar = "h"\nhelp = "s"\nview_queue = "Q"\n'
    app = make_app(library_dir, config=config(tmp_path, keys))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        assert app.current == INBOX[1]
        await pilot.press("h")
        assert app.store.state_of(INBOX[1]).starred
        await pilot.press("s")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("s")  # the help key in effect closes the help too
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("Q")
        assert app.triage.view == "queue"
        await pilot.press("2")  # not a key any more
        assert app.triage.view == "queue"


async def test_empty_views_and_the_help_name_the_keys_in_effect(bare_library_dir, tmp_path):
    keys = 'star = "w"\nqueue = "ctrl+a"\nread = "ctrl+o"\ncommand_palette = "f2"\n'
    app = make_app(bare_library_dir, config=config(tmp_path, keys))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")  # nothing starred yet
        assert "Press w on a paper to star it." in empty_text(app)
        await pilot.press("2")
        assert "Press ctrl+a on a paper to queue it." in empty_text(app)
        await pilot.press("4")
        assert "Press ctrl+o on a paper you have read." in empty_text(app)
        await pilot.press("question_mark")
        assert "f2 every command by name" in str(app.screen.query_one(".dialog-keys").render())


async def test_inbox_zero_and_no_matches_name_the_keys_in_effect(library_dir, tmp_path):
    keys = 'view_queue = "Q"\nview_starred = "W"\nview_all = "A"\nsearch = "ctrl+f"\nclear = "ctrl+g"\ntag = "ctrl+t"\n'
    app = make_app(library_dir, config=config(tmp_path, keys))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+f", *"zzzzqqq")
        await pilot.pause()
        await settle(app, pilot)
        assert "ctrl+g clears the search · ctrl+f edits it" in empty_text(app)
        await pilot.press("ctrl+g", "4", "f")
        await pilot.pause()
        assert any("Press ctrl+t to tag one." in n for n in notes(app)), notes(app)
        await pilot.press("1", "x", "x", "x", "x", "x", "x")  # skip the whole inbox: inbox zero
        await pilot.pause()
        assert "Q reading queue · W starred · A all papers" in empty_text(app)


async def test_the_palette_shows_the_key_in_effect(library_dir, tmp_path):
    app = make_app(library_dir, config=config(tmp_path, 'star = "w"\n'))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"star")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        options = app.screen.query_one(CommandList)
        shown = " ".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
        assert "key w" in shown and "key s" not in shown

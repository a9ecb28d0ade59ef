"""Issue 10 edges in the app: an age beyond the calendar typed in the search (item 8), a first-screen file that is a
FIFO (item 10), a read-only data dir (item 15)."""

from __future__ import annotations

import gc
import subprocess

import pytest
from support.apphelp import make_app, notes, settle
from support.datadir import snapshot, tmpfs
from support.library import TODAY, build_library
from textual.widgets import Static

from tui.widgets.search_bar import SearchBar

SIZE = (120, 40)


async def test_an_age_before_year_one_in_the_search_is_shown_as_an_error(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        before = list(app.papers.ids)
        await pilot.press("slash", *"@9999y")
        await settle(app, pilot)
        bar = app.query_one(SearchBar)
        assert "too far back" in bar.error and "@9999y" in bar.error
        assert app.papers.ids == before  # the list keeps the last hits; the app is alive
        await pilot.press(*["backspace"] * 6, *"@2100y")
        await settle(app, pilot)
        assert "'@2100y': too far back" in bar.error
        assert app.is_running


async def test_a_fifo_in_place_of_the_first_screen_file_does_not_hang_the_app(library_dir):
    import os

    screen = library_dir / "first-screen.jsonl"
    screen.unlink(missing_ok=True)
    os.mkfifo(screen)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert len(app.papers.ids) == 6  # the inbox, read from library.json
    assert screen.is_file()  # the app wrote a real one in its place


# -- 15: a read-only data dir (a real read-only mount) --------------------------------------------------------------
@pytest.fixture
def read_only_library(tmp_path):
    with tmpfs(tmp_path / "mnt", "4m") as mnt:
        d = build_library(mnt / "data")
        gc.collect()  # the builder's store keeps its journal open until collected: the remount would be "busy"
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        yield d


async def test_a_read_only_data_dir_is_browsed_with_a_banner_and_changes_stay_in_memory(read_only_library):
    from storage import paths
    from storage.store import Store
    from tui.app import PapertriageApp

    d = read_only_library
    assert paths.read_only(d) == "Read-only file system"
    before = snapshot(d)
    app = PapertriageApp(Store(d, lazy=True, read_only=True), today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        banner = app.query_one("#read-only", Static)
        assert banner.display and str(banner.render()) == "read-only: changes are not saved"
        pid = app.papers.ids[0]
        await pilot.press("s")
        await settle(app, pilot)
        assert app.store.state_of(pid).starred  # in memory
        assert notes(app, "error") == []  # no "could not save" for what cannot be saved
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code in (0, None)
    assert snapshot(d) == before


def test_the_command_line_opens_the_app_read_only_and_refuses_writes(read_only_library, capsys, monkeypatch):
    from tui.cli import main

    d = read_only_library
    opened = []
    monkeypatch.setattr("tui.app.run_app", lambda store, ingest, **k: opened.append((store.read_only, ingest)) or 0)
    assert main(["--data-dir", str(d)]) == 0
    assert opened == [(True, [])]  # no lock taken: it could not even be created
    capsys.readouterr()
    for argv in (["star", "2611.01001"], ["note", "2611.01001", "x"], ["ingest", str(d / "library.json")],
                 ["doctor", "--repair"], [str(d / "library.json")]):
        assert main(["--data-dir", str(d), *argv]) == 1, argv
        err = capsys.readouterr().err
        assert err == (f"error: {d}: cannot change a read-only data directory (Read-only file system); nothing was "
                       "changed\n"), argv
    assert main(["--data-dir", str(d), "list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 10

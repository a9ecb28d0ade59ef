"""r, x and a go on to the next paper in every view, not only where the paper leaves it; `advance = false` keeps
the cursor on a paper that stays. (Where the cursor lands is storage/cursor.py's rule: tests/unit.)"""

from __future__ import annotations

from support.apphelp import make_app, notes, settle

from support.library import INBOX, build_library

from storage.config import Config
from storage.store import Store

SIZE = (120, 40)


async def test_r_x_a_advance_in_all_and_starred_and_advance_false_stays(library_dir, tmp_path):
    every = Store(library_dir).view_ids("all")
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5", "g", "r")  # All: the paper stays listed, the cursor goes on
        assert app.papers.ids == every and app.current == every[1]
        await pilot.press("x", "a")
        assert app.current == every[3]
        await pilot.press("g", "r")  # already read: says so and still goes on (a run of r's walks the list)
        assert "Already marked read" in notes(app) and app.current == every[1]
        await pilot.press("3")  # Starred: 2611.01003, 2512.09008
        assert app.current == app.papers.ids[0]
        await pilot.press("r")
        assert app.current == app.papers.ids[1]
        await pilot.press("r")  # the last paper: the cursor stays
        assert app.current == app.papers.ids[1]
    states = Store(library_dir)
    assert [states.state_of(p).status.value for p in every[:3]] == ["read", "skipped", "queued"]

    config = Config(path=tmp_path / "config.toml", advance=False)
    app = make_app(build_library(tmp_path / "other"), config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("g", "x")  # the inbox still moves on: the paper left it
        assert app.current == INBOX[1]
        await pilot.press("5", "g", "r")
        assert app.current == every[0]  # stays on its paper

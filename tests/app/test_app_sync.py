"""Sync in the app (sync_dir set): after the first paint, on R, and at quit."""

from __future__ import annotations

from pathlib import Path

from support.apphelp import settle
from support.library import TODAY, fixed_clock
from storage.config import Config
from storage.store import Store
from storage.sync.run import sync
from tui.app import PapertriageApp

FEEDS = Path(__file__).parents[1] / "fixtures" / "feeds"


def device(path: Path) -> Store:
    s = Store(path, clock=fixed_clock)
    s.ingest([str(FEEDS / "hf_day1.txt")])
    return s


def app_on(path: Path, folder: Path) -> PapertriageApp:
    config = Config(path=path.parent / "config.toml", sync_dir=folder)
    return PapertriageApp(Store(path, lazy=True, clock=fixed_clock), today=TODAY, config=config)


async def test_the_app_syncs_after_its_first_paint_on_R_and_at_quit(tmp_path):
    folder = tmp_path / "Sync"
    folder.mkdir()
    a, b = device(tmp_path / "a"), device(tmp_path / "b")
    first, second = a.view_ids("all")[:2]
    a.set_star([first], True)
    sync(a, folder)
    b.close()
    app = app_on(tmp_path / "b", folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.store.state_of(first).starred  # came in after the first paint
        assert any("Synced: 1 change from" in str(n.message) for n in app._notifications)
        a.add_tags([second], ["from-a"])
        sync(a, folder)
        await pilot.press("R")  # only a sync folder, no feeds: R syncs, no "no feeds" warning
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.store.state_of(second).tags == ["from-a"]
        assert not any("No feeds" in str(n.message) for n in app._notifications)
        app.store.add_tags([first], ["from-b"])  # as a key would
        await pilot.press("q")
    sync(a, folder)
    assert a.state_of(first).tags == ["from-b"]  # sent at quit

"""R in the app, and fetch_on_start: the list stays usable while feeds are fetched; new papers arrive under the
cursor's paper; every failure is said. Against a real server on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.apphelp import header, make_app, notes, settle
from support.library import INBOX
from support.fetchserver import FeedServer, Reply, hf_day
from storage.config import Config, FeedConfig
from storage.fetch.state import STATE_FILE

SIZE = (130, 30)
NEW = [("2611.07001", "Invented Fetched Paper One"), ("2611.07002", "Invented Fetched Paper Two")]


@pytest.fixture
def server():
    s = FeedServer()
    yield s
    s.close()


def config(tmp_path: Path, *feeds: tuple[str, str], **kw) -> Config:
    return Config(path=tmp_path / "config.toml", feeds=tuple(FeedConfig(n, u) for n, u in feeds),
                  fetch_timeout=kw.pop("fetch_timeout", 5.0), **kw)


async def wait_until(pilot, condition, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")


async def test_R_fetches_in_the_background_while_the_list_stays_usable(library_dir, tmp_path, server):
    url = server.route("/hf", Reply(200, hf_day("2026-11-22", NEW), delay=1.5))  # a slow server
    app = make_app(library_dir, config=config(tmp_path, ("HF daily", url)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        assert app.current == INBOX[1]
        await pilot.press("R")
        await pilot.pause()
        assert "Fetching HF daily 0/1" in header(app)
        await pilot.press("j", "s")  # the list answers during the fetch: move, star
        assert app.current == INBOX[2] and app.store.state_of(INBOX[2]).starred
        assert "Fetching HF daily" in header(app) and len(server.seen()) == 1
        await wait_until(pilot, lambda: not app.fetch.running)
        await settle(app, pilot)
        assert app.current == INBOX[2]  # the new papers did not move the cursor off the user's paper
        assert set(p for p, _ in NEW) <= set(app.papers.ids) and len(app.papers.ids) == len(INBOX) + 2
        assert "Fetching" not in header(app) and "Inbox 8" in header(app)
        assert "HF daily: 2 entries, 2 new papers" in notes(app)
        assert "2 new papers — N to jump" in notes(app) and "2 new" in header(app)  # offered, not taken
        await pilot.press("R")  # again: nothing new, said so
        await wait_until(pilot, lambda: not app.fetch.running)
        await settle(app, pilot)
        assert notes(app)[-1] == "HF daily: not modified"


async def test_a_failed_feed_is_a_notice_and_shows_in_feeds(library_dir, tmp_path, server):
    good = server.route("/good", Reply(200, hf_day("2026-11-22", NEW[:1])))
    bad = server.route("/bad", Reply(404, b"gone"))
    app = make_app(library_dir, config=config(tmp_path, ("good", good), ("cs.LG", bad)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        await wait_until(pilot, lambda: not app.fetch.running)
        await settle(app, pilot)
        assert notes(app, "error") == ["cs.LG: HTTP 404 Not Found"]
        assert "good: 1 entry, 1 new paper" in notes(app)  # the other feed is still ingested
        assert "2611.07001" in app.papers.ids
    status = json.loads((library_dir / STATE_FILE).read_text())["feeds"]
    assert status["cs.LG"]["status"] == "error: HTTP 404 Not Found" and status["good"]["status"] == "ok"


async def test_R_without_feeds_says_how_to_add_one(library_dir, tmp_path):
    app = make_app(library_dir, config=config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        assert notes(app, "warning") == [f"No feeds to fetch: add [[feeds]] to {tmp_path / 'config.toml'} "
                                         "(or `papertriage feeds add URL`)"]


async def test_fetch_on_start_begins_after_the_first_paint(library_dir, tmp_path, server):
    url = server.route("/hf", Reply(200, hf_day("2026-11-22", NEW), delay=1.0))
    app = make_app(library_dir, config=config(tmp_path, ("HF daily", url), fetch_on_start=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.papers.ids[: len(INBOX)] == INBOX  # painted from disk, the network still busy
        await wait_until(pilot, lambda: len(server.seen()) == 1)
        assert app.fetch.running and "Fetching HF daily" in header(app)
        await wait_until(pilot, lambda: not app.fetch.running)
        await settle(app, pilot)
        assert app.current == "2611.07001"  # nobody moved the cursor yet: it goes to the first new paper


async def test_offline_each_feed_says_so_and_the_app_keeps_working(library_dir, tmp_path):
    from support.fetchserver import closed_port

    port = closed_port()
    app = make_app(library_dir, config=config(tmp_path, ("a", f"http://127.0.0.1:{port}/a"),
                                              ("b", f"http://127.0.0.1:{port}/b")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        await wait_until(pilot, lambda: not app.fetch.running)
        await settle(app, pilot)
        assert notes(app, "error") == ["a: cannot connect to 127.0.0.1: connection refused",
                                       "b: cannot connect to 127.0.0.1: connection refused"]
        await pilot.press("j")
        assert app.current == INBOX[1] and app.papers.ids == INBOX


async def test_quitting_mid_fetch_is_prompt_and_writes_nothing(library_dir, tmp_path, server):
    import time

    url = server.route("/hf", Reply(200, hf_day("2026-11-22", NEW), delay=3.0))
    app = make_app(library_dir, config=config(tmp_path, ("HF daily", url)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        await wait_until(pilot, lambda: len(server.seen()) == 1)
        start = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - start < 2.0
    assert not (library_dir / STATE_FILE).exists() and not (library_dir / "feeds").exists()

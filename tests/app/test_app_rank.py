"""The interest order in the app: `O i`, `m` (more like this, Esc leaves), the detail pane's "why", a restart."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from storage.rank import model as M
from storage.store import Store

from support.rankfixture import build, of


@pytest.fixture
def data(tmp_path):
    store = build(tmp_path / "data")
    store.set_star(of(store, "d")[:6], True)
    store.close()
    return tmp_path / "data"


def make(data: Path):
    from tui.app import PapertriageApp

    return PapertriageApp(Store(data, lazy=True), today="2026-11-30")


async def settle(app, pilot):
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def header(app) -> str:
    from tui.widgets.header import HeaderBar

    return app.query_one(HeaderBar).plain


def detail(app) -> str:
    from tui.widgets.detail import DetailPane

    return app.query_one(DetailPane).plain


async def test_O_switches_to_interest_keeping_the_cursor_paper_and_persists(data):
    app = make(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        date_order = list(app.papers.ids)
        assert "by date" in header(app)
        await pilot.press("j", "j", "j")
        here = app.current
        await pilot.press("O", "i")
        await settle(app, pilot)
        assert "by interest" in header(app)
        assert app.current == here  # the cursor stays on its paper while the order changes
        assert app.papers.ids != date_order and sorted(app.papers.ids) == sorted(date_order)
        assert all(pid.startswith("d") for pid in app.papers.ids[:10]), app.papers.ids[:10]
        await pilot.press("O", "d")
        await settle(app, pilot)
        assert app.papers.ids == date_order and "by date" in header(app)
        await pilot.press("O", "i")
        await settle(app, pilot)
    assert Store(data).ui().get("sort") == {"inbox": "interest"}


async def test_a_triage_action_re_ranks_and_the_cursor_stays(data):
    store = Store(data)
    store.set_ui(order="interest")
    store.close()
    app = make(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        robots = [p for p in app.papers.ids if p.startswith("r")]
        before = app.papers.ids.index(robots[0])
        app.papers.move_to(app.papers.ids.index(robots[0]))
        for _ in range(4):  # star robot papers: the robot topic climbs
            pid = app.current
            await pilot.press("s")
            await settle(app, pilot)
            assert app.current == pid
            app.papers.move_to(app.papers.ids.index(next(p for p in robots if not app.store.state_of(p).starred)))
        assert app.papers.ids.index(robots[0]) < before


async def test_the_detail_pane_says_why(data):
    store = Store(data)
    store.set_ui(order="interest")
    store.close()
    app = make(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.papers.move_to(0)
        await settle(app, pilot)
        text = detail(app)
        line = next(line for line in text.splitlines() if line.startswith("why "))
        assert "+ " in line
        await pilot.press("O", "d")
        await settle(app, pilot)
        assert not any(line.startswith("why ") for line in detail(app).splitlines())


async def test_m_shows_more_like_this_and_esc_goes_back(data):
    app = make(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.papers.move_to(app.papers.ids.index("r007"))
        before, cursor = list(app.papers.ids), app.papers.cursor
        await pilot.press("m")
        await settle(app, pilot)
        assert app.papers.ids[0] == "r007" and app.current == "r007"
        assert sum(p.startswith("r") for p in app.papers.ids[1:11]) >= 9
        assert "like: Paper 7" in header(app)
        assert any(line.startswith("why ") for line in detail(app).splitlines())
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.papers.ids == before and app.papers.cursor == cursor and "like:" not in header(app)


async def test_under_five_positives_the_header_says_why(tmp_path):
    store = build(tmp_path / "d")
    store.set_star(["d000", "d002"], True)
    store.close()
    app = make(tmp_path / "d")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        date_order = list(app.papers.ids)
        await pilot.press("O", "i")
        await settle(app, pilot)
        assert "by date: 2 of 5 papers liked so far" in header(app)
        assert app.papers.ids == date_order
        assert any("needs 5" in n.message for n in app._notifications)


async def test_a_tag_search_in_interest_order_ranks_like_the_tag(data):
    store = Store(data)
    store.add_tags(["r001", "r003"], ["robots"])
    store.set_ui(order="interest")
    store.close()
    app = make(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.papers.ids[0].startswith("d")
        await pilot.press("slash", *"+robots", "enter")
        await settle(app, pilot)
        assert set(app.papers.ids[:2]) == {"r001", "r003"}
        assert sum(p.startswith("r") for p in app.papers.ids[:12]) >= 10
        assert len(app.papers.ids) == 40  # ranks, does not filter
        assert "like +robots" in header(app)


async def test_restart_keeps_the_order_and_a_stale_model_is_rebuilt(data):
    app = make(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("O", "i")
        await settle(app, pilot)
        first = list(app.papers.ids)
    model_file = data / "rank" / M.MODEL_FILE
    assert model_file.exists()
    app = make(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert "by interest" in header(app) and app.papers.ids == first
    store = Store(data)  # signals changed while the app was closed: the saved model is stale
    store.set_star(of(store, "r")[:3], True)
    store.close()
    from storage.rank import Ranker

    fresh = Ranker(Store(data)).signals().fingerprint()
    assert M.load(data, fresh) is None
    app = make(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert "by interest" in header(app)
    assert M.load(data, fresh) is not None


def test_no_scikit_learn_before_the_first_paint(data):
    """In its own process: other tests in this one have imported scikit-learn already."""
    store = Store(data)
    store.set_ui(order="interest")  # the order that ranks at start: still nothing before the first frame
    store.close()
    code = textwrap.dedent(f"""
        import asyncio, sys
        from storage.store import Store
        from tui.app import PapertriageApp
        assert "sklearn" not in sys.modules
        async def main():
            app = PapertriageApp(Store({str(data)!r}, lazy=True), today="2026-11-30")
            async with app.run_test(size=(100, 30)) as pilot:
                print("at first paint:", "sklearn" in sys.modules, "numpy" in sys.modules)
                for _ in range(3):
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                print("after ranking:", "sklearn" in sys.modules)
        asyncio.run(main())
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "at first paint: False False" in out.stdout and "after ranking: True" in out.stdout

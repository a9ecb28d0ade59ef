"""The detail pane follows the cursor: at once for a single move or an action, once a burst of moves rests.

Whatever acts on "this paper" acts on the cursor's paper, also while the pane still shows another one.
"""

from __future__ import annotations

import pytest
from support.apphelp import cursor_line, detail, make_app, settle
from support.library import INBOX
from storage.display import latex_text
from storage.store import Store
from tui.widgets import detail as detail_module
from tui.widgets.detail import DetailPane

SIZE = (120, 40)


def title_of(library_dir, pid: str) -> str:
    """The title as the pane shows it (LaTeX as text)."""
    return latex_text(Store(library_dir).get(pid).title)


def pane(app) -> DetailPane:
    return app.query_one(DetailPane)


@pytest.fixture
def frozen_clock(monkeypatch):
    """The pane's clock stands still and its delay is long: a burst is a burst however slow the machine is."""
    clock = {"now": 1000.0}
    monkeypatch.setattr(detail_module, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(detail_module, "FOLLOW_DELAY", 30.0)
    return clock


async def test_after_fast_moves_the_pane_shows_the_cursor_paper(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "j", "j", "k")
        await settle(app, pilot)
        assert app.current == INBOX[3]
        assert detail(app).startswith(title_of(library_dir, INBOX[3]))
        assert not pane(app).pending


async def test_a_burst_updates_the_pane_once_the_keys_rest(library_dir, frozen_clock):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j")  # the first move after a rest: shown at once
        assert detail(app).startswith(title_of(library_dir, INBOX[1]))
        await pilot.press("j", "j")  # the clock has not moved: a burst, the pane waits
        await pilot.pause()
        assert app.current == INBOX[3] and pane(app).pending
        assert detail(app).startswith(title_of(library_dir, INBOX[1]))
        frozen_clock["now"] += 31  # the cursor rested: the next single move shows at once again
        await pilot.press("k")
        assert app.current == INBOX[2] and not pane(app).pending
        assert detail(app).startswith(title_of(library_dir, INBOX[2]))


async def test_star_after_fast_moves_stars_the_cursor_paper_and_shows_it(library_dir, frozen_clock):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert pane(app).pending and not detail(app).startswith(title_of(library_dir, INBOX[3]))
        await pilot.press("s")
        await pilot.pause()
        store = Store(library_dir)
        assert store.state_of(INBOX[3]).starred  # the cursor's paper, not the one the pane still showed
        assert not store.state_of(INBOX[1]).starred
        assert "★" in cursor_line(app)
        text = detail(app)  # an action brings the pane to the cursor's paper at once
        assert text.startswith(title_of(library_dir, INBOX[3])) and "★ starred" in text
        assert not pane(app).pending


async def test_the_timer_shows_the_paper_the_cursor_is_on_when_it_fires(library_dir, monkeypatch):
    monkeypatch.setattr(detail_module, "FOLLOW_DELAY", 0.2)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "j", "j", "j")
        await pilot.pause(0.5)
        assert app.current == INBOX[5] and not pane(app).pending
        assert detail(app).startswith(title_of(library_dir, INBOX[5]))


async def test_scrolling_the_pane_after_fast_moves_scrolls_the_cursor_paper(library_dir, frozen_clock):
    app = make_app(library_dir)
    async with app.run_test(size=(120, 14)) as pilot:  # short: the survey's long abstract scrolls
        await settle(app, pilot)
        await pilot.press("j", "j", "j", "j")  # INBOX[4] is the survey
        await pilot.pause()
        assert pane(app).pending
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert not pane(app).pending and detail(app).startswith(title_of(library_dir, INBOX[4]))
        for _ in range(200):  # the pane scrolls once the paper's content is laid out (DetailPane.page)
            if pane(app).scroll_y > 0:
                break
            await pilot.pause(0.01)
        assert pane(app).scroll_y > 0

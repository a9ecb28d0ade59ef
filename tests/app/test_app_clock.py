"""The app's "today" is its store's clock (a constructor argument), the same clock that stamps the actions."""

from __future__ import annotations

import pytest
from support.apphelp import header, settle

from storage.store import Store
from tui.app import PapertriageApp


@pytest.mark.parametrize("now, triaged", [("2026-11-21T18:00:00+00:00", 4), ("2026-11-22T08:00:00+00:00", 0)])
async def test_triaged_today_is_counted_by_the_stores_clock(library_dir, now, triaged):
    app = PapertriageApp(Store(library_dir, lazy=True, clock=lambda: now))  # no today=: the clock says it
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert f"{triaged} triaged today" in header(app)
        await pilot.press("x")  # skip: stamped by the same clock, so it counts as today's
        await settle(app, pilot)
        assert f"{triaged + 1} triaged today" in header(app)

"""Issue 10 edges in the app: an age beyond the calendar typed in the search (item 8), a first-screen file that is a
FIFO (item 10), a read-only data dir (item 15)."""

from __future__ import annotations

from conftest import make_app, settle

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

"""The Skipped view on `6`, with its count in the header."""

from __future__ import annotations

from support.apphelp import header, make_app, settle
from support.library import INBOX, SKIPPED
from storage.store import Store

SIZE = (120, 40)


async def test_6_shows_the_skipped_view_and_its_count(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert f"Skipped {len(SKIPPED)}" in header(app)
        await pilot.press("6")
        assert app.triage.view == "skipped"
        assert app.papers.ids == SKIPPED
        await pilot.press("1", "x")  # skipping one more: the count follows
        await settle(app, pilot)
        assert f"Skipped {len(SKIPPED) + 1}" in header(app)
        await pilot.press("6")
        assert set(app.papers.ids) == {*SKIPPED, INBOX[0]}
    assert Store(library_dir).ui()["view"] == "skipped"  # remembered across restarts, as the other views

"""Screens that fit (issue 11) at 60x20, 80x24, 120x36 and 200x50: the header drops whole segments and refits on
resize. Regions, not snapshots: the SVG snapshots (tests/app/test_snapshots.py) cover 60x20 and 80x24 only."""

from __future__ import annotations

import re

from rich.cells import cell_len
from support.apphelp import make_app, resize, settle

from tui.widgets.header import HeaderBar

SIZES = [(60, 20), (80, 24), (120, 36), (200, 50)]


def segments(text: str) -> set[str]:
    return {s for s in re.split(r" · |   ", text.strip()) if s}


async def test_the_header_of_a_search_fits_every_size_in_whole_segments(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "g")
        await settle(app, pilot)
        bar = app.query_one(HeaderBar)
        assert "4 matches" in bar.plain
        for width, height in SIZES:
            await resize(app, pilot, width, height)
            shown = bar.shown
            assert cell_len(shown) <= width, (width, shown)
            assert segments(shown) <= segments(bar.plain), (width, shown)  # nothing cut mid-segment
            assert "Inbox 6" in shown and "4 matches" in shown, (width, shown)
        assert shown == bar.plain  # 200 columns: all of it

"""A huge abstract is laid out a piece at a time, as the reader scrolls to it, not in full on every visit."""

from __future__ import annotations

from support.apphelp import settle

from storage.model import Paper, Source
from storage.store import Store
from textual.widgets import Static
from tui.app import PapertriageApp
from tui.widgets.detail import HEAD_CHARS, DetailPane

WORDS = "an invented sentence about invented results that goes on and on "


async def test_a_huge_abstract_shows_its_head_and_reads_on_at_the_end(tmp_path):
    huge = (WORDS * 320).strip() + " THE END"  # ~20 KB, five times what a visit lays out
    store = Store(tmp_path / "data")
    store.library.add(Paper(id="2611.00001", title="Huge", abstract=huge, sources=[Source("f.txt", "2026-11-21")]))
    store.library.add(Paper(id="2611.00002", title="Small", abstract="Short.", sources=[Source("f.txt", "2026-11-20")]))
    store.library.save()
    app = PapertriageApp(Store(tmp_path / "data", lazy=True), today="2026-11-21")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        pane = app.query_one(DetailPane)
        body = app.query_one("#detail-body", Static).content.plain
        assert len(body) < HEAD_CHARS + 500  # what is laid out on a visit is bounded, whatever the abstract's size
        assert "more characters: scroll on or press ] to read them" in pane.plain
        assert "THE END" not in pane.plain

        for _ in range(400):  # `]` at the end of what is shown lays out the next piece
            if "THE END" in pane.plain:
                break
            await pilot.press("right_square_bracket")
            await pilot.pause()
        assert pane.plain.endswith("THE END")
        assert " ".join(pane.plain.split()).endswith(" ".join(huge.split()))  # every word, in order

        await pilot.press("j")  # another paper: the pieces go
        await settle(app, pilot)
        assert "Short." in pane.plain and not app.query(".detail-piece")
        await pilot.press("k")
        await settle(app, pilot)
        assert "THE END" not in pane.plain and len(app.query_one("#detail-body", Static).content.plain) < HEAD_CHARS + 500

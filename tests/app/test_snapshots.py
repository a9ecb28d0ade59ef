"""SVG snapshots of the main screens (pytest-textual-snapshot). Update with `pytest --snapshot-update`, then look.

Deterministic by construction: fixed terminal size, fixed "today", fixed clock for the stored state, invented data,
no clock in the header, notifications cleared, no blinking cursors.
"""

from __future__ import annotations

from support.apphelp import make_app, settle
from textual.widgets import Input

SIZE = (120, 30)


def _before(*keys: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(app, pilot)
        await pilot.press(*keys)
        await settle(app, pilot)
        for field in app.screen.query(Input):
            field.cursor_blink = False
        app.clear_notifications()
        await pilot.pause()

    return run_before


def test_inbox(library_dir, snap_compare):
    assert snap_compare(make_app(library_dir), terminal_size=SIZE, run_before=_before())


def test_detail_with_note(library_dir, snap_compare):
    assert snap_compare(make_app(library_dir), terminal_size=SIZE, run_before=_before("G", "k"))


def test_tag_dialog(library_dir, snap_compare):
    assert snap_compare(make_app(library_dir), terminal_size=SIZE, run_before=_before("t", *"llm, sur"))


def test_queue(library_dir, snap_compare):
    assert snap_compare(make_app(library_dir), terminal_size=SIZE, run_before=_before("2", "j"))


def test_narrow_layout(library_dir, snap_compare):
    assert snap_compare(make_app(library_dir), terminal_size=(80, 30), run_before=_before("j"))

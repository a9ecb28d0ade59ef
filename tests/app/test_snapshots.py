"""SVG snapshots of the main screens (pytest-textual-snapshot). Update with `pytest --snapshot-update`, then look.

Deterministic by construction: fixed terminal size, fixed "today", fixed clock for the stored state, invented data,
no clock in the header, notifications cleared, no blinking cursors.

Issue 11's small terminals: the inbox, the note editor and the tag dialog at 60x20 and 80x24 (each snapshot costs
seconds: other sizes are checked by regions in tests/app/test_screen_fit.py).
"""

from __future__ import annotations

import pytest
from support.apphelp import make_app, settle
from textual.widgets import Input, TextArea

SIZE = (120, 30)
SMALL = [pytest.param((60, 20), id="60x20"), pytest.param((80, 24), id="80x24")]


def _before(*keys: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(app, pilot)
        await pilot.press(*keys)
        await settle(app, pilot)
        fields = [f for f in app.screen.query("Input, TextArea") if isinstance(f, (Input, TextArea))]
        # a TextArea shows a steady cursor only if it has the focus when blinking stops: wait for the dialog's focus
        for _ in range(200):
            if not fields or app.screen.focused in fields:
                break
            await pilot.pause(0.01)
        for field in fields:
            field.cursor_blink = False
        app.clear_notifications()
        await pilot.pause()

    return run_before


def test_inbox(library_dir, snap_compare):
    assert snap_compare(make_app(library_dir), terminal_size=SIZE, run_before=_before())


def test_detail_with_note(library_dir, snap_compare):
    assert snap_compare(make_app(library_dir), terminal_size=SIZE, run_before=_before("G", "k"))


def test_queue(library_dir, snap_compare):
    assert snap_compare(make_app(library_dir), terminal_size=SIZE, run_before=_before("2", "j"))


@pytest.mark.parametrize("size", SMALL)
def test_small_inbox(library_dir, snap_compare, size):
    assert snap_compare(make_app(library_dir), terminal_size=size, run_before=_before("j"))


@pytest.mark.parametrize("size", SMALL)
def test_small_note_editor(library_dir, snap_compare, size):
    # the paper with a note: its text in the editor
    assert snap_compare(make_app(library_dir), terminal_size=size, run_before=_before("G", "k", "n"))


@pytest.mark.parametrize("size", SMALL)
def test_small_tag_dialog(library_dir, snap_compare, size):
    assert snap_compare(make_app(library_dir), terminal_size=size, run_before=_before("t", *"llm, sur"))

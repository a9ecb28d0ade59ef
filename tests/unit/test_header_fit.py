"""The header fits its width by dropping whole segments, least important first (tui/widgets/header.py)."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len
from rich.text import Text

from tui.widgets.header import header_text

COUNTS = {"inbox": 85, "queue": 12, "starred": 130, "read": 7, "all": 2000, "skipped": 9, "triaged_today": 40}
VIEWS = ["Inbox 85", "Queue 12", "Starred 130", "Read 7", "All 2,000", "Skipped 9"]


def fetching() -> Text:
    t = Text("Fetching ", style="bold")
    t.append("HF daily")
    t.append(" 2/5", "dim")
    t.append(" · ", "dim")
    t.append("cs.CL ✓")
    t.append(" · ", "dim")
    t.append("cs.LG failed")
    return t


def shown(width: int | None, view: str = "queue", **kw) -> str:
    return header_text(view, COUNTS, width=width, **kw).plain


def segments(text: str) -> list[str]:
    return [s for s in re.split(r" · |   ", text.strip()) if s]


WHOLE = {*VIEWS, "3 matches", "2 marked", "by interest", "40 triaged today", "85 left",
         "Fetching HF daily 2/5", "cs.CL ✓", "cs.LG failed"}


@pytest.mark.parametrize("width", [20, 40, 60, 80, 100, 120, 160, 200])
def test_every_width_shows_whole_segments_that_fit(width):
    text = shown(width, matches=3, marked=2, order="by interest", fetching=fetching())
    assert cell_len(text) <= width
    assert set(segments(text)) <= WHOLE  # never "Queue 1…" or "Starred 13"
    assert "Queue 12" in text  # the current view always stays


def test_wide_enough_shows_everything_in_display_order():
    text = shown(None, matches=3, marked=2, order="by interest", fetching=fetching())
    assert text == (
        " Inbox 85 · Queue 12 · Starred 130 · Read 7 · All 2,000 · Skipped 9   Fetching HF daily 2/5 · cs.CL ✓ · "
        "cs.LG failed   3 matches · 2 marked   by interest   40 triaged today · 85 left"
    )
    assert shown(cell_len(text), matches=3, marked=2, order="by interest", fetching=fetching()) == text


def test_the_days_progress_goes_first_then_the_order_then_the_other_views():
    full = shown(None, order="by date")
    assert shown(len(full) - 1, order="by date").endswith("by date   40 triaged today")
    assert shown(len(" " + " · ".join(VIEWS) + "   by date"), order="by date") == " " + " · ".join(VIEWS) + "   by date"
    at_60 = shown(60, order="by date")
    assert "by date" not in at_60 and "triaged" not in at_60
    # views go from the end of the row: Skipped before All, never one in the middle
    assert at_60 == " Inbox 85 · Queue 12 · Starred 130 · Read 7 · All 2,000"


def test_a_search_and_marks_outlast_the_other_views():
    at_40 = shown(40, matches=3, marked=2)
    assert at_40 == " Queue 12   3 matches · 2 marked"
    assert shown(30, matches=3, marked=2) == " Queue 12   3 matches"


def test_a_fetch_keeps_its_first_feeds_whole():
    assert shown(60, view="inbox", fetching=fetching()) == " Inbox 85   Fetching HF daily 2/5 · cs.CL ✓ · cs.LG failed"
    assert shown(50, view="inbox", fetching=fetching()) == " Inbox 85   Fetching HF daily 2/5 · cs.CL ✓"
    assert shown(40, view="inbox", fetching=fetching()) == " Inbox 85   Fetching HF daily 2/5"


def test_the_current_view_shows_even_when_nothing_fits():
    assert shown(5) == " Queue 12"

"""The triage screen: what it shows, moving around, views, star, empty states, literal feed text, layout."""

from __future__ import annotations

import pytest

from support.apphelp import cursor_line, detail, header, make_app, notes, settle
from support.library import HOSTILE_ABSTRACT, HOSTILE_TITLE, INBOX, LONG_TITLE, TODAY, fixed_clock
from storage.store import Store
from textual.widgets import OptionList
from tui.keymap import KEYS, bindings, help_rows
from tui.widgets.detail import DetailPane
from tui.widgets.paper_list import PaperList

SIZE = (120, 40)


async def test_first_screen_shows_header_list_and_detail(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert header(app) == " Inbox 6 · Queue 2 · Starred 2 · Read 1 · All 10 · Skipped 1   by date   4 today   4 triaged today · 6 left"
        assert app.papers.ids == INBOX
        line = cursor_line(app)
        assert line.startswith("   · Sparse Mixture Routing for Long-Context")
        assert line.rstrip().endswith("#retrieval  Nov 21")
        assert len(line) == app.papers.scrollable_content_region.width
        text = detail(app)
        assert text.startswith("Sparse Mixture Routing for Long-Context Retrieval\nAda Quill, Bo Renn\n")
        assert "arXiv 2611.01001 · https://arxiv.org/abs/2611.01001" in text
        assert "seen on Nov 21 (hf-daily-2026-11-21.txt)" in text
        assert "status inbox" in text and "tags retrieval" in text
        assert "We route tokens sparsely." in text  # the full abstract, once loaded


async def test_list_row_marks_star_status_tags_date_and_ellipsis(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        width = 70
        survey = app.papers.row_text("2611.01003", width)
        assert survey.startswith(" ★ · A Survey of 𝒪(n) Attention Variants")  # LaTeX shown as text
        assert survey.rstrip().endswith("#survey #attention  Nov 19")
        assert app.papers.row_text("2512.09008", width).rstrip().endswith("Dec 30 2025")  # another year
        long_row = app.papers.row_text("2611.01010", width)
        assert len(long_row) == width and "…" in long_row and LONG_TITLE not in long_row
        assert app.papers.row_text("2611.01004", width).startswith("   ▸ Tiny")  # queued
        assert app.papers.row_text("2611.01006", width).startswith("   ✓ ")  # read
        assert app.papers.row_text("2611.01007", width).startswith("   ✗ ")  # skipped


async def test_j_k_and_arrows_move_the_cursor_and_the_detail_follows(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        assert app.current == INBOX[1] and "Not Bold" in cursor_line(app)
        assert detail(app).startswith(HOSTILE_TITLE)
        await pilot.press("down", "down")
        await settle(app, pilot)  # a burst: the pane follows once the keys rest (tests/app/test_app_follow.py)
        assert app.current == INBOX[3]
        assert detail(app).startswith("Workshop Notes on Evaluation Hygiene")
        assert "https://example.org/notes/evaluation-hygiene" in detail(app)
        assert "no abstract in the feed" in detail(app)
        assert "added Nov 21 from notes.bib" in detail(app)  # an undated source: listed the day it was added
        await pilot.press("k")
        assert app.current == INBOX[2]
        await pilot.press("up", "up", "up")  # stops at the top
        assert app.current == INBOX[0]


async def test_g_G_home_end_jump_to_first_and_last(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("G")
        assert app.current == INBOX[-1] and "Graph Neural Operators" in cursor_line(app)
        await pilot.press("g")
        assert app.current == INBOX[0]
        await pilot.press("end")
        assert app.current == INBOX[-1]
        await pilot.press("home")
        assert app.current == INBOX[0]


async def test_page_keys_move_by_a_screenful_and_scroll(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=(120, 8)) as pilot:  # 6 list rows: a page is 5 papers
        await settle(app, pilot)
        await pilot.press("5")  # all 10 papers
        everything = Store(library_dir).view_ids("all")
        assert app.papers.ids == everything
        await pilot.press("pagedown")
        assert app.papers.cursor == 5
        await pilot.press("ctrl+d")
        assert app.papers.cursor == 9  # clamped at the end
        assert app.papers.scroll_y > 0  # the cursor row is on screen
        assert cursor_line(app).strip().startswith("★ · Graph Neural Operators")
        await pilot.press("pageup")
        assert app.papers.cursor == 4
        await pilot.press("ctrl+u")
        assert app.papers.cursor == 0 and app.papers.scroll_y == 0


async def test_s_toggles_the_star_and_writes_it(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        assert cursor_line(app).startswith(" ★ · Sparse")
        assert "Starred 3" in header(app)
        assert "★ starred" in detail(app)
        assert app.current == INBOX[0]  # star leaves the paper where it is
        assert Store(library_dir).state_of(INBOX[0]).starred  # on disk before the next key
        await pilot.press("s")
        assert cursor_line(app).startswith("   · Sparse")
        assert not Store(library_dir).state_of(INBOX[0]).starred


async def test_unstarring_in_starred_view_removes_the_row_and_keeps_the_index(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        assert app.papers.ids == ["2611.01003", "2512.09008"]
        await pilot.press("s")
        assert app.papers.ids == ["2512.09008"] and app.papers.cursor == 0
        assert "Graph Neural Operators" in cursor_line(app)
        assert "Starred 1" in header(app)
        assert Store(library_dir).view_ids("starred") == ["2512.09008"]


async def test_number_keys_switch_views(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        expect = {"2": ["2611.01004", "2611.01005"], "3": ["2611.01003", "2512.09008"], "4": ["2611.01006"]}
        for key, ids in expect.items():
            await pilot.press(key)
            assert app.papers.ids == ids
        await pilot.press("5")
        assert len(app.papers.ids) == 10 and app.triage.view == "all"
        await pilot.press("1")
        assert app.papers.ids == INBOX and app.triage.view == "inbox"
        assert Store(library_dir).ui()["view"] == "inbox"


async def test_switching_back_to_a_view_returns_to_its_paper(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "2", "1")
        assert app.current == INBOX[2]


async def test_hostile_feed_text_is_shown_literally(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        row = cursor_line(app)
        assert "[bold]Not Bold[/bold] and [/ escapes: a [link=http://x]y[/link] study of $x$ *stars*" in row
        text = detail(app)
        assert text.startswith(HOSTILE_TITLE + "\n")
        assert "Cy [Markup] Dee" in text
        assert HOSTILE_ABSTRACT in text
        await pilot.press("j", "j", "j")  # the note holds markup too
        await settle(app, pilot)
        assert "Compare with [b]linear[/b] attention." in detail(app)
        await pilot.press("t", *"[red]x[/red]", "enter")  # and so may a tag
        assert "#[red]x[/red]" in cursor_line(app) and "Tagged: [red]x[/red]" in notes(app)
        await pilot.press("T")
        options = app.screen.query_one(OptionList)
        assert any("[red]x[/red]" in options.render_line(y).text for y in range(options.size.height))
        await pilot.press("escape")


async def test_inbox_zero_shows_todays_summary(bare_library_dir):
    store = Store(bare_library_dir, clock=fixed_clock)  # "today" for the app: see make_app
    ids = store.view_ids("inbox")
    store.set_star(ids[:2], True)
    store.set_status(ids[:3], "queued")
    store.set_status(ids[3:8], "skipped")
    store.set_status(ids[8:9], "read")
    app = make_app(bare_library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.papers.ids == [ids[9]]
        await pilot.press("r")
        assert app.papers.ids == [] and app.query_one("#main").has_class("-empty")
        assert not app.query_one(PaperList).display  # the message replaces the list
        message = app.query_one("#empty").content.plain
        assert "Inbox zero" in message
        assert "Today: 2 starred · 3 queued · 5 skipped · 2 read" in message
        assert "10 triaged today · 0 left" in header(app)


async def test_empty_library_says_how_to_ingest(empty_dir):
    app = make_app(empty_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        message = app.query_one("#empty").content.plain
        assert "papertriage ingest FEED" in message and "papertriage demo" in message
        assert header(app).startswith(" Inbox 0 · Queue 0")
        await pilot.press("j", "s", "u", "q")
        assert "No paper here." in notes(app) and "Nothing to undo" in notes(app)
    assert not empty_dir.exists()  # looking around creates no data dir


async def test_empty_views_explain_themselves(bare_library_dir):
    app = make_app(bare_library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        assert "reading queue is empty" in app.query_one("#empty").content.plain
        await pilot.press("3")
        assert "No starred papers" in app.query_one("#empty").content.plain
        await pilot.press("5")
        assert not app.query_one("#main").has_class("-empty") and len(app.papers.ids) == 10


async def test_layout_is_side_by_side_when_wide_and_stacked_when_narrow(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        papers, pane = app.query_one(PaperList).region, app.query_one(DetailPane).region
        assert pane.x >= papers.right and pane.y == papers.y
    app = make_app(library_dir)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(app, pilot)
        papers, pane = app.query_one(PaperList).region, app.query_one(DetailPane).region
        assert pane.y >= papers.bottom and pane.x == papers.x
        assert "Sparse Mixture" in cursor_line(app)


async def test_detail_pane_scrolls_with_brackets(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=(120, 12)) as pilot:
        await settle(app, pilot)
        await pilot.press("G", "k")  # the survey: a long abstract
        await settle(app, pilot)  # a burst: the pane shows the survey once the keys rest (test_app_follow.py)
        pane = app.query_one(DetailPane)
        assert pane.max_scroll_y > 0 and pane.scroll_y == 0
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert pane.scroll_y > 0
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert pane.scroll_y == 0


def test_every_key_has_an_action_and_the_footer_keys_are_marked():
    from textual.app import App

    from tui.app import PapertriageApp
    from tui.keymap import LIST, READER
    from tui.screens.reader import ReaderScreen
    from tui.screens.triage import TriageScreen

    for key in KEYS:  # the App's keys are the App's (or Textual's) actions, the others their screens'
        name = key.action.split("(")[0]
        owners = [PapertriageApp] if key.app else [s for w, s in ((LIST, TriageScreen), (READER, ReaderScreen))
                                                   if w in key.where]
        for owner in owners:
            assert callable(getattr(owner, f"action_{name}", None)), (key, owner)
        assert key.app or not hasattr(App, f"action_{name}"), key  # no triage action left on the App
    footer = {b.key for b in bindings(app=False) + bindings(app=True) if b.show}
    assert {"s", "t", "n", "a", "r", "x", "u", "q", "1"} <= footer
    assert ("Move", "j ↓", "next paper") in help_rows() and ("Detail", "]", "scroll detail down") in help_rows()
    assert TODAY == "2026-11-21"


@pytest.mark.parametrize("width", [30, 60, 80, 100, 140])
async def test_footer_fits_the_terminal_and_always_shows_help_and_quit(library_dir, width):
    from textual.widgets._footer import FooterKey

    from tui.widgets.footer import TriageFooter

    app = make_app(library_dir)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(app, pilot)
        await pilot.pause(0.05)
        footer = app.query_one(TriageFooter)
        shown = [k for k in footer.query(FooterKey) if k.display and k.parent.display]
        assert {"help", "quit"} <= {k.action for k in shown}
        assert max(k.region.right for k in shown) <= width  # nothing cut at the right edge
        everything = len(footer.query(FooterKey))
        assert (len(shown) == everything) == (width >= 100)  # the full footer where it fits

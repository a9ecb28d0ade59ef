"""Marks and bulk actions: space, V, Esc; s t a r x i on every marked paper; one u undoes the whole bulk action.

Each bulk test checks the screen, then a fresh Store on the same data dir (what was written to disk).
"""

from __future__ import annotations

from support.apphelp import cursor_line, header, make_app, notes, settle
from support.library import INBOX

from storage.store import Store
from tui.screens import TagDialog
from tui.widgets.paper_list import MARK
from tui.widgets.search_bar import SearchBar

SIZE = (120, 40)


async def _marked(app, pilot, *keys: str) -> list[str]:
    await pilot.press(*keys)
    return sorted(app.papers.marked)


async def test_space_marks_and_moves_down_and_unmarks(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert await _marked(app, pilot, "space") == [INBOX[0]]
        assert app.current == INBOX[1]  # moved down
        assert app.papers.row_text(INBOX[0], 80).startswith(MARK + "  · Sparse")  # the mark column
        assert app.papers.row_text(INBOX[1], 80).startswith("   · ")
        assert "1 marked" in header(app)
        assert await _marked(app, pilot, "space", "space") == sorted(INBOX[:3])
        assert "3 marked" in header(app)
        await pilot.press("k")
        assert cursor_line(app).startswith(MARK)  # the cursor row shows its mark too
        assert await _marked(app, pilot, "space") == sorted([INBOX[0], INBOX[1]])  # unmarked
        assert "2 marked" in header(app)


async def test_V_marks_the_whole_list_and_escape_clears(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert await _marked(app, pilot, "V") == sorted(INBOX)
        assert "6 marked" in header(app)
        assert all(app.papers.row_text(p, 80).startswith(MARK) for p in INBOX)
        assert await _marked(app, pilot, "escape") == []
        assert "marked" not in header(app)
        assert not app.papers.row_text(INBOX[0], 80).startswith(MARK)
        await pilot.press("escape")  # nothing left to clear: nothing happens
        assert app.papers.ids == INBOX


async def test_a_view_switch_drops_the_marks(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("V", "5", "r")  # r acts on the cursor paper only
        assert "marked" not in header(app) and "Marked read" in notes(app)
    assert Store(library_dir).view_ids("read") == ["2611.01001", "2611.01006"]  # the first of All, and the one before


async def test_bulk_star_stars_all_then_unstars_all(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("G", "k", "space", "space")  # the survey (starred) and Graph Neural Operators (starred)
        await pilot.press("g", "space")  # and Sparse Mixture Routing (not starred)
        await pilot.press("s")
        assert "Starred 3 papers" in notes(app)
        assert not app.papers.marked and "marked" not in header(app)  # marks are cleared after a bulk action
        assert "Starred 3" in header(app)
        store = Store(library_dir)
        assert all(store.state_of(p).starred for p in (INBOX[0], INBOX[4], INBOX[5]))
        await pilot.press("V", "s")  # all six: some unstarred, so all get starred
        assert Store(library_dir).view_ids("starred") == INBOX
        await pilot.press("V", "s")  # all starred: all unstarred
        assert "Unstarred 6 papers" in notes(app)
    assert Store(library_dir).view_ids("starred") == []


async def test_bulk_tag_tags_every_marked_paper(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("space", "space", "t")
        assert isinstance(app.screen, TagDialog)
        assert "2 marked papers" in str(app.screen.query_one(".dialog-subject").content)
        await pilot.press(*"llm, survey", "enter")
        assert "Tagged 2 papers: llm, survey" in notes(app)
        assert "#llm" in app.papers.row_text(INBOX[1], 120) and not app.papers.marked
    store = Store(library_dir)
    assert store.state_of(INBOX[0]).tags == ["retrieval", "llm", "survey"]
    assert store.state_of(INBOX[1]).tags == ["llm", "survey"]
    assert store.state_of(INBOX[2]).tags == []


async def test_bulk_tag_cancelled_keeps_the_marks(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("space", "space", "t", "escape")
        assert len(app.papers.marked) == 2
    assert Store(library_dir).state_of(INBOX[1]).tags == []


async def test_bulk_read_leaves_the_inbox_and_the_cursor_lands_on_the_next_unmarked(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("space", "j", "space", "space")  # marks 0, 2, 3; the cursor is on 4
        await pilot.press("k")  # on 3: marked, and so is 2 above it
        await pilot.press("r")
        assert app.papers.ids == [INBOX[1], INBOX[4], INBOX[5]]
        assert app.current == INBOX[4]  # the next unmarked paper after the cursor
        assert "Marked 3 papers read" in notes(app)
        assert "Inbox 3" in header(app) and "marked" not in header(app)
    store = Store(library_dir)
    assert [store.state_of(p).status for p in INBOX] == ["read", "inbox", "read", "read", "inbox", "inbox"]


async def test_bulk_skip_of_the_last_papers_lands_on_the_unmarked_one_before(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("G", "k", "space", "space")  # marks the last two; the cursor stays on the last
        await pilot.press("x")
        assert app.papers.ids == INBOX[:4] and app.current == INBOX[3]
        assert "Skipped 2 papers" in notes(app)
    assert Store(library_dir).view_ids("skipped") == ["2611.01003", "2611.01007", "2512.09008"]


async def test_bulk_skip_of_everything_reaches_inbox_zero(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("V", "x")
        assert app.papers.ids == [] and "Inbox zero" in app.query_one("#empty").content.plain
    assert Store(library_dir).view_ids("inbox") == []


async def test_bulk_queue_keeps_the_list_order(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "space", "space", "a")  # marks 1 and 2; the cursor is on 3
        assert "Queued 2 papers" in notes(app)
        assert app.papers.ids == [INBOX[0], INBOX[3], INBOX[4], INBOX[5]] and app.current == INBOX[3]
    assert Store(library_dir).view_ids("queue") == ["2611.01004", "2611.01005", INBOX[1], INBOX[2]]


async def test_bulk_inbox_and_already_there(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        everything = app.papers.ids
        await pilot.press("V", "i")  # four papers were out of the inbox
        assert "Moved 4 papers back to the inbox (6 already in the inbox)" in notes(app)
        assert app.papers.ids == everything  # the All view keeps them all
        await pilot.press("V", "i")
        assert "Already in the inbox: nothing changed" in notes(app)
        assert not app.papers.marked
    assert Store(library_dir).view_ids("inbox") == Store(library_dir).view_ids("all")


async def test_one_u_undoes_the_whole_bulk_action(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("space", "space", "space", "r")
        assert app.papers.ids == INBOX[3:]
        assert [Store(library_dir).state_of(p).status for p in INBOX[:3]] == ["read"] * 3
        await pilot.press("u")
        assert any(n.startswith("Undid mark read on 3 papers ('") for n in notes(app))
        assert app.papers.ids == INBOX and app.current in INBOX[:3]
        assert [Store(library_dir).state_of(p).status for p in INBOX[:3]] == ["inbox"] * 3
        await pilot.press("ctrl+r")
        assert app.papers.ids == INBOX[3:]
    assert [Store(library_dir).state_of(p).status for p in INBOX[:3]] == ["read"] * 3


async def test_marks_in_a_filtered_list_act_on_the_hits_only(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"is:starred", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.papers.ids == ["2611.01003", "2512.09008"]
        await pilot.press("V")
        assert "2 matches · 2 marked" in header(app)
        await pilot.press("x")
        assert app.papers.ids == [] and "Skipped 2 papers" in notes(app)
        assert app.query_one(SearchBar).text == "is:starred"  # the filter stays
        await pilot.press("escape")
        assert app.papers.ids == INBOX[:4]
    assert Store(library_dir).view_ids("skipped") == ["2611.01003", "2611.01007", "2512.09008"]


async def test_a_new_query_drops_the_marks_and_escape_clears_marks_before_the_filter(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"is:starred", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("space")
        assert len(app.papers.marked) == 1
        await pilot.press("escape")  # first Esc: the marks
        assert not app.papers.marked and app.query_one(SearchBar).text == "is:starred"
        await pilot.press("space", "slash", *" @1y")  # a new query: the marks go
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.papers.marked and "marked" not in header(app)

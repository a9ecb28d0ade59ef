"""`/` live search and `f` tag filter: the search language, live filtering, the header count, Esc, views, workers.

Searches run in thread workers; `found` waits for them (and the results they post) before looking.
"""

from __future__ import annotations

import threading

import pytest
from support.apphelp import cursor_line, header, make_app, notes, resize, settle
from support.library import INBOX

from storage.search import parse, tag_token, with_tag
from storage.store import Store
from tui.screens.tag_filter import TagFilter
from tui.find import Cancelled, search_passes
from tui.widgets.paper_list import PaperList
from tui.widgets.header import HeaderBar
from tui.widgets.search_bar import SearchBar

SIZE = (120, 40)
ALL = ["2611.01001", "2611.01002", "2611.01010", "pt-5b1e0c9a", "2611.01004", "2611.01005", "2611.01003",
       "2611.01006", "2611.01007", "2512.09008"]  # the All view: newest first (the undated paper: added today)


async def found(app, pilot, *keys: str) -> list[str]:
    """Press keys, wait for the search workers, return the listed ids."""
    await pilot.press(*keys)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.papers.ids


async def search(app, pilot, text: str) -> list[str]:
    """Replace the query in the bar with `text` (opening the bar if needed) and return the hits."""
    bar = app.query_one(SearchBar)
    if not bar.editing:
        await pilot.press("slash")
    bar.input.value = ""
    return await found(app, pilot, *text)


def test_the_all_view_order_used_here(library_dir):
    """ALL is what the fixture library lists in the All view (guards the expectations below)."""
    assert Store(library_dir).view_ids("all") == ALL


async def test_typing_filters_the_list_live_and_the_header_counts_matches(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        assert app.query_one(SearchBar).editing and app.papers.ids == INBOX  # nothing typed: the whole view
        assert "match" not in header(app)
        # each keystroke narrows: "g" is in Routing, Going, Hygiene, Graph
        assert await found(app, pilot, "g") == ["2611.01001", "2611.01010", "pt-5b1e0c9a", "2512.09008"]
        assert "4 matches" in header(app)
        assert await found(app, pilot, "r") == ["2512.09008"]  # "gr": Graph
        assert "1 match " in header(app) and "Inbox 6" in header(app)
        assert "Graph Neural Operators" in cursor_line(app)
        assert await found(app, pilot, "backspace") == ["2611.01001", "2611.01010", "pt-5b1e0c9a", "2512.09008"]
        assert await found(app, pilot, "backspace") == INBOX
        assert "match" not in header(app)


async def test_words_search_title_authors_tags_note_and_abstract(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        assert await search(app, pilot, "irregular meshes") == ["2512.09008"]  # title words, any order
        assert await search(app, pilot, "meshes irregular") == ["2512.09008"]
        assert await search(app, pilot, "ivy") == ["2611.01003"]  # an author
        assert await search(app, pilot, "retrieval") == ["2611.01001"]  # title and tag
        assert await search(app, pilot, "section") == ["2611.01003"]  # the note
        assert await search(app, pilot, "sparsely") == ["2611.01001"]  # only in the abstract
        assert await search(app, pilot, "nosuchword") == []
        assert "0 matches" in header(app)


async def test_title_hits_come_first_and_abstract_only_hits_after(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        # "token": the title of 2611.01007 (Tokenizers); the abstract of 2611.01001 ("We route tokens sparsely")
        assert await search(app, pilot, "token") == ["2611.01007", "2611.01001"]
        assert app.current == "2611.01007"  # the best match first


async def test_hits_are_ranked_by_how_well_the_title_matches(library_dir):
    Store(library_dir).set_note(INBOX[0], "compare with the graph operators paper")
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        # both have the words; the title of Graph Neural Operators matches them, the other has them in its note
        assert await search(app, pilot, "graph operators") == ["2512.09008", INBOX[0]]
        assert INBOX.index("2512.09008") > INBOX.index(INBOX[0])  # so the list order is the ranking's, not the view's


# The language itself is checked at the store (tests/unit/test_search_language.py); here, that the bar runs it: a tag
# in capitals, is: with -tag, @1d against the app's today, a quoted token, and tokens with free text.
WIRED = [
    ("+SURVEY", ["2611.01003"]),
    ("is:starred -survey", ["2512.09008"]),
    ("@1d", ["2611.01001", "2611.01002", "2611.01010", "pt-5b1e0c9a", "2611.01004", "2611.01005"]),  # Nov 20+
    ('"au:Jon Table"', ["2611.01003"]),
    ("is:starred @7d attention", ["2611.01003"]),
]


async def test_search_tokens(library_dir):
    """The search bar's hits for a few token queries (one app for all: the cases share nothing)."""
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        for query, expected in WIRED:
            assert await search(app, pilot, query) == expected, query
            assert app.query_one(SearchBar).error == "", query


# Each malformed token's message: tests/unit/test_search_language.py. Here, two of them as the bar shows them.
MALFORMED = [
    ("is:bogus", "is: takes one of"),
    ("au:", "au: needs a name"),
]


def error_lines(app) -> list[str]:
    """The lines the search bar's error box draws, each of them on the screen (not cut by the bar or the screen)."""
    bar = app.query_one(SearchBar)
    box = bar.query_one("#search-error")
    assert app.screen.region.contains_region(bar.region) and bar.region.contains_region(box.region)
    return [box.render_line(y).text.strip() for y in range(box.size.height)]


async def test_a_malformed_token_is_shown_in_full_and_the_list_shows_what_the_rest_matches(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        bar = app.query_one(SearchBar)
        for bad, says in MALFORMED:
            before = await search(app, pilot, "graph ")
            assert before == ["2512.09008"]
            bar.input.insert_text_at_cursor(bad)  # pasted: one change
            hits = await found(app, pilot)
            assert says in bar.error and bad in bar.error, bad
            assert bar.has_class("-error") and bar.query_one("#search-error").display
            assert hits == before, bad  # what "graph" matches: no crash, nothing lost
            await pilot.press("enter")  # a broken query cannot be kept
            assert bar.editing
            await found(app, pilot, *["backspace"] * len(bad))
            assert bar.error == "" and not bar.has_class("-error")
        assert await found(app, pilot, "-") == ["2512.09008"]  # "graph -": a -tag being typed is no error
        assert bar.error == ""
        assert await search(app, pilot, "+") == INBOX and bar.error  # typing on fixes it
        assert await found(app, pilot, *"survey") == ["2611.01003"] and bar.error == ""

        # is:starred typed key by key: at "is:" the list leaves the word "is"'s matches for what the rest matches
        # (nothing else: the whole inbox), and names the token; "is:star" reads well again.
        assert len(await search(app, pilot, "is")) == 5
        assert await found(app, pilot, ":") == INBOX and "'is:'" in bar.error
        assert "match" not in header(app)  # the whole view, not a search's hits
        assert await found(app, pilot, *"star") == ["2611.01003", "2512.09008"] and bar.error == ""
        assert await search(app, pilot, "sparse au") == []
        assert await found(app, pilot, ":") == ["2611.01001"]  # "sparse", not the stale "sparse au"

        # the message in full, wrapped under the query, at 80 and at 60 columns
        await search(app, pilot, "graph is:bogus")
        message = " ".join(bar.error.split())
        for size in ((80, 24), (60, 20)):
            await resize(app, pilot, *size)
            lines = error_lines(app)
            assert len(lines) >= 2 and message in " ".join(lines), (size, lines)
            assert all(len(line) < size[0] for line in lines)
            shown = app.query_one(HeaderBar).shown
            assert "1 match" in shown and len(shown) <= size[0], shown  # the search's header fits too


async def test_escape_while_typing_clears_and_returns_to_the_same_paper(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j")
        assert app.current == INBOX[2]
        hits = await search(app, pilot, "a")
        assert len(hits) > 3 and app.current == hits[0]
        await pilot.press("down", "down")  # ↓/↑ move the list cursor while typing
        assert app.current == hits[2] and app.query_one(SearchBar).editing
        assert await found(app, pilot, "escape") == INBOX
        assert app.current == INBOX[2] and app.papers.has_focus
        bar = app.query_one(SearchBar)
        assert not bar.display and bar.text == ""
        assert "match" not in header(app)


async def test_enter_keeps_the_filter_and_returns_to_the_list(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        hits = await search(app, pilot, "is:starred")
        await pilot.press("enter")
        bar = app.query_one(SearchBar)
        assert app.papers.has_focus and bar.display and bar.text == "is:starred"  # the bar shows the filter
        await pilot.press("j")  # list keys work again
        assert app.current == hits[1] and app.papers.ids == hits
        await pilot.press("slash")  # edits the same query
        assert bar.editing and bar.text == "is:starred"
        assert await found(app, pilot, *" graph") == ["2512.09008"]
        await pilot.press("enter")
        assert "1 match" in header(app)
        assert await found(app, pilot, "escape") == ALL  # Esc in the list clears the filter...
        assert app.current == "2512.09008"  # ...and keeps the paper found, now among the others
        assert not bar.display


async def test_enter_on_an_empty_query_closes_the_bar(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "slash", "enter")
        assert not app.query_one(SearchBar).display and app.papers.has_focus and app.current == INBOX[1]


async def test_no_matches_says_so_and_escape_still_works(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert await search(app, pilot, "tiny") == []  # Tiny Recursive Planners is queued: not in the inbox
        message = app.query_one("#empty").content.plain
        assert "No papers in Inbox match" in message and "tiny" in message
        assert not app.query_one(PaperList).display
        await pilot.press("enter")
        assert await found(app, pilot, "escape") == INBOX
        assert app.query_one(PaperList).display


async def test_the_search_applies_within_the_view_and_a_view_switch_ends_it(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        assert await search(app, pilot, "protein") == ["2611.01005"]
        assert await search(app, pilot, "is:starred") == []  # nothing starred in the queue
        await pilot.press("enter", "1")
        assert app.papers.ids == INBOX and not app.query_one(SearchBar).display
        assert await search(app, pilot, "is:starred") == ["2611.01003", "2512.09008"]


async def test_triage_in_a_filtered_list_keeps_the_filter(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert await search(app, pilot, "is:starred") == ["2611.01003", "2512.09008"]
        await pilot.press("enter", "s")  # unstarred: it no longer matches
        assert app.papers.ids == ["2512.09008"] and "1 match" in header(app)
        await pilot.press("u")  # undo brings it back into the filtered list
        assert app.papers.ids == ["2611.01003", "2512.09008"]
        await pilot.press("r")  # marked read: it leaves the inbox
        assert app.papers.ids == ["2512.09008"]


async def test_search_runs_in_a_worker_thread_and_only_the_last_query_shows(library_dir, monkeypatch):
    threads = []
    real = Store.search

    def spy(self, ids, q, **kw):
        threads.append(threading.current_thread())
        return real(self, ids, q, **kw)

    monkeypatch.setattr(Store, "search", spy)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5", "slash", *"is:starred graph")  # no pause between keys: most searches are cancelled
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.papers.ids == ["2512.09008"]
        assert threads and threading.main_thread() not in threads


def test_search_passes_stop_when_cancelled(library_dir):
    store = Store(library_dir)
    ids = store.view_ids("all") * 1000  # enough papers for several chunks
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(Cancelled):
        list(search_passes(store, ids, parse("graph"), abstracts=True, cancelled=cancelled))
    assert len(asked) == 3  # checked chunk by chunk, stopped at the first "yes"


def test_search_passes_first_without_then_with_abstracts(library_dir):
    store = Store(library_dir)
    passes = list(search_passes(store, ALL, parse("token"), abstracts=True, cancelled=lambda: False))
    assert passes == [["2611.01007"], ["2611.01007", "2611.01001"]]
    for q, abstracts, expected in [("token", False, [["2611.01007"]]), ("+survey", True, [["2611.01003"]])]:
        assert list(search_passes(store, ALL, parse(q), abstracts=abstracts, cancelled=lambda: False)) == expected


async def test_a_stale_result_is_not_shown(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await search(app, pilot, "graph")
        app.triage.find.show_hits(app.triage.find.gen - 1, ["2611.01001"], None, False)  # an older search answering late
        assert app.papers.ids == ["2512.09008"]


# -- f: filter by tag ------------------------------------------------------------------------------------------------
@pytest.fixture
def tagged_dir(library_dir):
    store = Store(library_dir)
    store.add_tags([INBOX[0], INBOX[1]], ["llm"])
    store.add_tags(["2611.01004"], ["llm", "planning"])  # queued: not counted in the inbox
    store.add_tags([INBOX[2]], ["new topic"])
    return library_dir


def _option_texts(screen) -> list[str]:
    from textual.widgets import OptionList

    options = screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_f_lists_the_views_tags_with_counts_and_filters_by_the_choice(tagged_dir):
    app = make_app(tagged_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j")
        await pilot.press("f")
        assert isinstance(app.screen, TagFilter)
        options = ["llm (2)", "attention (1)", "new topic (1)", "retrieval (1)", "survey (1)"]
        assert _option_texts(app.screen) == options
        assert await found(app, pilot, "enter") == [INBOX[0], INBOX[1]]  # the first: llm
        bar = app.query_one(SearchBar)
        assert bar.display and bar.text == "+llm" and app.papers.has_focus
        assert "2 matches" in header(app)
        await pilot.press("escape")
        assert app.papers.ids == INBOX and app.current == INBOX[0]  # Esc in the list: stays on the paper


async def test_f_typing_narrows_and_a_tag_with_a_space_is_quoted(tagged_dir):
    app = make_app(tagged_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f", *"top")
        assert _option_texts(app.screen) == ["new topic (1)"]
        assert await found(app, pilot, "enter") == [INBOX[2]]
        assert app.query_one(SearchBar).text == "'+new topic'"


async def test_f_replaces_a_tag_filter_and_keeps_the_words(tagged_dir):
    app = make_app(tagged_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await search(app, pilot, "+survey plan")
        await pilot.press("enter", "f", *"llm")
        assert await found(app, pilot, "enter") == ["2611.01004"]  # llm papers with "plan": Tiny Recursive Planners
        assert app.query_one(SearchBar).text == "plan +llm"


async def test_f_escape_cancels_and_counts_follow_the_view(tagged_dir):
    app = make_app(tagged_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "f")
        assert _option_texts(app.screen) == ["llm (1)", "planning (1)"]
        await pilot.press("escape")
        assert not isinstance(app.screen, TagFilter)
        assert app.papers.ids == ["2611.01004", "2611.01005"] and not app.query_one(SearchBar).display


async def test_f_without_tags_says_so(bare_library_dir):
    app = make_app(bare_library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        assert not isinstance(app.screen, TagFilter)
        assert "No tagged papers in Inbox. Press t to tag one." in notes(app)


def test_tag_tokens_round_trip():
    assert tag_token("llm") == "+llm"
    assert parse(tag_token("new topic")).with_tags == ["new topic"]
    assert parse(tag_token("it's")).with_tags == ["it's"]
    assert with_tag("graph +old -x is:starred", "llm") == "graph -x is:starred +llm"
    assert parse('+"new   Topic"').with_tags == ["new topic"] and parse("+#llm").with_tags == ["llm"]
    assert parse("is:star is:queue").is_ == ["starred", "queued"]


def test_keymap_has_find_and_select_rows():
    from tui.keymap import bindings, help_rows

    rows = help_rows()
    assert ("Find", "/", "search") in rows and ("Find", "f", "filter by tag") in rows
    assert {("Select", "Space"), ("Select", "V"), ("Select", "Esc")} <= {(g, k) for g, k, _ in rows}
    assert "slash" in {b.key for b in bindings(app=False) if b.show}  # `/ search` in the footer

"""`O`: the sort menu (date, interest, upvotes, title), one order per view, remembered across a restart."""

from __future__ import annotations

from support.apphelp import header, make_app, notes, settle
from support.library import INBOX, give_upvotes

from storage.store import Store
from tui.screens import SortMenu

SIZE = (120, 40)
UPVOTES = {"2611.01010": 40, "2611.01003": 12, "2611.01001": 12, "2611.01006": 5}
BY_UPVOTES = ["2611.01010", "2611.01001", "2611.01003", "2611.01002", "pt-5b1e0c9a", "2512.09008"]  # 12s: by date


async def test_sort_menu_orders_each_view_and_a_restart_keeps_them(library_dir):
    give_upvotes(library_dir, UPVOTES)
    every = Store(library_dir).view_ids("all")
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.papers.ids == INBOX and "by date" in header(app)
        await pilot.press("j", "O")
        assert isinstance(app.screen, SortMenu)
        await pilot.press("escape")  # cancelled: nothing changes
        assert not isinstance(app.screen, SortMenu) and app.papers.ids == INBOX
        await pilot.press("O", "u")
        await settle(app, pilot)
        assert app.papers.ids == BY_UPVOTES and "by upvotes" in header(app)
        assert app.current == INBOX[1]  # the cursor stays on its paper
        await pilot.press("5")  # another view: its own order
        assert app.papers.ids == every and "by date" in header(app)
        await pilot.press("O", "t")
        await settle(app, pilot)
        titles = [app.store.title(p) for p in app.papers.ids]
        assert titles[:3] == ["A Survey of $\\mathcal{O}(n)$ Attention Variants", app.store.title("2611.01010"),
                              "Benchmarking Multilingual Speech Tokenizers"] and "by title" in header(app)
        await pilot.press("1")
        assert app.papers.ids == BY_UPVOTES
        await pilot.press("O", "enter")  # the menu opens on the order on show: Enter keeps it
        assert app.papers.ids == BY_UPVOTES and "by upvotes" in header(app)
        await pilot.press("r")  # an action keeps the order (the paper leaves, the cursor goes on)
        assert app.papers.ids == [p for p in BY_UPVOTES if p != INBOX[1]] and app.current == "pt-5b1e0c9a"
        await pilot.press("u")  # back in the inbox: in its place by upvotes (PaperList.places), not by date
        assert app.papers.ids == BY_UPVOTES
        await pilot.press("G", "space", "k", "space", "x", "u")  # a bulk action and its undo: the same
        assert app.papers.ids == BY_UPVOTES
        await pilot.press("2", "O")  # the queue keeps its reading order
        assert not isinstance(app.screen, SortMenu)
        assert "The queue keeps its reading order (J/K move a paper)." in notes(app)
    assert Store(library_dir).ui()["sort"] == {"inbox": "upvotes", "all": "title"}
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        assert app.papers.ids[:2] == [p for p in BY_UPVOTES if p in app.store.view_ids("inbox")][:2]
        assert "by upvotes" in header(app)


async def test_title_order_needs_the_library_not_the_abstracts(library_dir):
    (library_dir / "abstracts.json").write_text("{not json")  # they fail to load: titles are in the library
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("O", "t")
        await settle(app, pilot)
        assert "by title" in header(app) and "sorting" not in header(app)
        assert app.papers.ids[0] == "2611.01003"  # A Survey of $\mathcal{O}(n)$ ...

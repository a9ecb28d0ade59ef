"""The app on a lazily opened library (as the CLI opens it): the list, the views and the actions on a paper's state
work from the first-screen file before the rest of the library is read; the detail pane fills in once it is.

`held` stops the reading of the rest (Library.load_rest) until the test lets it go, as a slow 100k-paper library.json
would; `settle` waits for workers, so it is used only after the release.
"""

from __future__ import annotations

import contextlib
import os
import threading

import pytest
from support.apphelp import cursor_line, detail, header, make_app, settle
from support.library import INBOX, sample_papers

from storage import firstscreen
from storage.firstscreen import FIRST_SCREEN_FILE, display_order
from storage.library import Library
from storage.model import Status
from storage.store import Store
from textual.worker import WorkerCancelled
from tui.widgets.search_bar import SearchBar

SIZE = (120, 40)


@pytest.fixture
def held(monkeypatch):
    """(gate, entered): the rest of the library is read only once `gate` is set; `entered` says a thread waits."""
    gate, entered = threading.Event(), threading.Event()
    real = Library.load_rest

    def slow(self, *pace):
        if not self.loaded:
            entered.set()
            gate.wait(30)
        return real(self, *pace)

    monkeypatch.setattr(Library, "load_rest", slow)
    yield gate, entered
    gate.set()  # never leave a worker waiting, whatever the test did


async def until(pilot, test) -> None:
    for _ in range(400):
        if test():
            return
        await pilot.pause(0.01)
    raise AssertionError("never happened")


async def test_the_list_paints_before_the_library_is_read_and_the_detail_fills_in(library_dir, held):
    gate, entered = held
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, entered.is_set)  # the worker is reading the rest (held): what shows comes from the file
        await pilot.pause(0.1)
        assert not app.store.loaded
        assert app.papers.ids == INBOX
        line = cursor_line(app)
        assert line.startswith("   · Sparse Mixture Routing for Long-Context")
        assert line.rstrip().endswith("#retrieval  Nov 21")
        assert header(app) == " Inbox 6 · Queue 2 · Starred 2 · Read 1 · All 10 · Skipped 1   by date   4 today   4 triaged today · 6 left"
        text = detail(app)
        assert text.startswith("Sparse Mixture Routing for Long-Context Retrieval\n")
        assert "status inbox" in text and "tags retrieval" in text and "loading" in text
        assert "Ada Quill" not in text and "arXiv" not in text  # not read yet
        await pilot.press("G", "g")  # scrolling works meanwhile
        assert app.current == INBOX[0] and not app.store.loaded

        gate.set()
        await settle(app, pilot)
        assert app.store.loaded
        text = detail(app)
        assert text.startswith("Sparse Mixture Routing for Long-Context Retrieval\nAda Quill, Bo Renn\n")
        assert "seen on Nov 21 (hf-daily-2026-11-21.txt)" in text and "We route tokens sparsely." in text


async def test_actions_before_the_library_is_read_land_on_the_right_paper(library_dir, held):
    gate, entered = held
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, entered.is_set)
        await pilot.press("j", "s")  # star the second paper
        assert app.current == INBOX[1] and cursor_line(app).startswith(" ★ ")
        await pilot.press("r")  # mark it read: it leaves the inbox, the cursor goes on to the next
        assert app.papers.ids == [INBOX[0], *INBOX[2:]] and app.current == INBOX[2]
        await pilot.press("t", *"later", "enter")  # the tag dialog needs only the title
        assert "#later" in cursor_line(app)
        assert "Inbox 5" in header(app) and "Starred 3" in header(app) and "Read 2" in header(app)
        assert not app.store.loaded
        on_disk = Store(library_dir)
        assert on_disk.state_of(INBOX[1]).starred and on_disk.state_of(INBOX[1]).status == Status.READ
        assert on_disk.state_of(INBOX[2]).tags == ["later"] and not on_disk.state_of(INBOX[0]).starred

        gate.set()
        await settle(app, pilot)
        assert app.papers.ids == [INBOX[0], *INBOX[2:]] and app.current == INBOX[2]
        assert "tags later" in detail(app) and "Eve Long" in detail(app)


async def test_a_search_typed_before_the_library_is_read_waits_for_it(library_dir, held):
    gate, entered = held
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, entered.is_set)
        await pilot.press("slash", *"sparse")
        await pilot.pause(0.1)
        assert app.query_one(SearchBar).editing and app.papers.ids == INBOX  # no hits yet, nothing wrong shown
        gate.set()
        await settle(app, pilot)
        assert app.papers.ids == ["2611.01001"]
        assert "1 match" in header(app)


async def test_a_first_screen_file_that_was_wrong_is_redrawn_from_the_library(library_dir, held):
    gate, entered = held
    papers = display_order(sample_papers())
    papers[0], papers[1] = papers[1], papers[0]
    papers[1].title = "A Title From Nowhere"  # (the paper listed first in truth)
    source = firstscreen.identity(library_dir / "library.json")
    (library_dir / FIRST_SCREEN_FILE).write_bytes(b"".join(firstscreen.dump(papers, source)))
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, entered.is_set)
        assert app.papers.ids[:2] == [INBOX[1], INBOX[0]]
        gate.set()
        await settle(app, pilot)
        assert app.papers.ids == INBOX and app.current == INBOX[1]  # the cursor stays on its paper
        assert "A Title From Nowhere" not in app.papers.row_text(INBOX[0], 100)
        assert "Sparse Mixture Routing" in app.papers.row_text(INBOX[0], 100)
    fresh = Store(library_dir, lazy=True)  # and the file was put right
    assert not fresh.loaded and fresh.title(INBOX[0]) == sample_papers()[0].title


async def test_an_old_library_opens_and_gets_its_first_screen_file(library_dir):
    (library_dir / FIRST_SCREEN_FILE).unlink()
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        assert app.store.loaded  # no file: read at once, as before
        await settle(app, pilot)
        assert app.papers.ids == INBOX and "Ada Quill" in detail(app)
    assert (library_dir / FIRST_SCREEN_FILE).exists()
    assert not Store(library_dir, lazy=True).loaded


async def test_a_library_damaged_behind_a_good_first_screen_file_closes_the_app_with_the_error(library_dir):
    path = library_dir / "library.json"
    st = path.stat()
    with open(path, "r+b") as f:  # same size, mtime and inode: only reading it tells
        f.write(b"#" * 16)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    app = make_app(library_dir)
    exits = []
    real_exit = app.exit
    app.exit = lambda *a, **kw: exits.append(kw.get("message")) or real_exit(*a, **kw)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):  # the app may close, cancelling its worker, before it returns
            await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 1
    message = str(exits[0])
    assert message.startswith(f"error: {path}: ") and "not valid JSON" in message  # as an eager open says it

"""The app's background reading of library.json and abstracts.json gives way to keys (tui/loading.py): between two
pieces of a file (storage/pieces.py) it waits while keys come in, so a key right after the first paint does not wait
for the whole file's parse."""

from __future__ import annotations

import threading
import time

from support.apphelp import make_app, settle

from storage import pieces
from storage.library import Library
from tui import loading

SIZE = (120, 40)


async def test_the_worker_reads_both_files_in_pieces_and_waits_while_keys_come(library_dir, monkeypatch):
    monkeypatch.setattr(pieces, "PIECE", 64)  # the sample library in many pieces
    monkeypatch.setattr(pieces, "MAX_CARRY", 10**9)
    monkeypatch.setattr(loading, "QUIET", 2.0)  # the worker's first wait comes well inside it, on a busy machine too
    gate, entered = threading.Event(), threading.Event()
    paces: list[tuple[str, float]] = []
    real_rest, real_abstracts = Library.load_rest, Library.load_abstracts

    def traced(name, pace):
        if pace is None:  # a read that is not the worker's
            return None

        def call():
            entered.set()
            gate.wait(30)  # the first piece waits until the test has pressed a key
            before = app.give_way._left
            pace()
            paces.append((name, before - app.give_way._left))
        return call

    monkeypatch.setattr(Library, "load_rest", lambda self, pace=None: real_rest(self, traced("library", pace)))
    monkeypatch.setattr(Library, "load_abstracts",
                        lambda self, pace=None: real_abstracts(self, traced("abstracts", pace)))
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        while not entered.is_set():
            await pilot.pause(0.01)
        await pilot.press("j")
        gate.set()
        await settle(app, pilot)
        assert app.store.loaded and app.abstracts == "ready"
    names = [name for name, _ in paces]
    assert names.count("library") > 3 and names.count("abstracts") > 3  # paced between pieces of both files
    assert paces[0][1] > 0  # the first piece after the key waited for the keys to rest
    assert sum(waited for _, waited in paces) <= loading.GIVE_WAY_BUDGET


async def test_give_way_returns_at_once_without_keys_and_waits_at_most_the_budget(library_dir, monkeypatch):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        left = app.give_way._left
        app.give_way()  # no key yet
        assert app.give_way._left == left
        app.give_way._last_key = start = time.monotonic()  # a key just now (pressing one takes its time on a busy machine)
        app.give_way()  # on the loop's thread here: it sleeps, so no key can come, and it returns after QUIET
        assert loading.QUIET * 0.5 <= time.monotonic() - start and app.give_way._left < left
        monkeypatch.setattr(app.give_way, "_left", 0.0)
        app.give_way._last_key = start = time.monotonic()
        app.give_way()  # budget spent: no more waiting, however many keys come
        assert time.monotonic() - start < loading.QUIET * 0.5

"""The app's background reading of library.json and abstracts.json gives way to keys and to the app's own work
(tui/loading.py): between two pieces of a file (storage/pieces.py) it waits while keys come in or the app's thread is
busy, so a key right after the first paint does not wait for the whole file's parse."""

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


async def test_the_worker_waits_while_the_apps_thread_is_busy(library_dir, monkeypatch):
    """No key at all: the app's own thread at work (Textual building the screen after the first paint, a frame being
    drawn) is enough for the worker to wait (the GiveWay logic itself: tests/unit/test_pacing.py)."""
    monkeypatch.setattr(pieces, "PIECE", 64)
    monkeypatch.setattr(pieces, "MAX_CARRY", 10**9)
    gate, entered = threading.Event(), threading.Event()
    waited: list[float] = []
    real_rest = Library.load_rest

    def traced(self, pace=None):
        if pace is None:
            return real_rest(self)

        def first_waits():
            if not waited:
                entered.set()
                gate.wait(30)
                before = app.give_way._left
                pace()
                waited.append(before - app.give_way._left)
            pace()
        return real_rest(self, first_waits)

    monkeypatch.setattr(Library, "load_rest", traced)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        while not entered.is_set():
            await pilot.pause(0.01)
        gate.set()
        busy_until = time.monotonic() + 0.3  # this thread (the app's loop) at work, as Textual's after the first paint
        while time.monotonic() < busy_until:
            sum(range(1000))
        await settle(app, pilot)
        assert app.store.loaded and app.abstracts == "ready"
    assert waited and waited[0] > 0  # the worker's first piece after the gate waited for the busy thread
    assert app.give_way._left >= 0

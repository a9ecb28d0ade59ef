"""The background reading's long loops call `pace` (storage/pacing.py), and the app's GiveWay waits there while the
app's thread is busy or keys come in (tui/loading.py): at 100k papers the worker otherwise took every other turn of
the GIL from Textual's start-up work after the first paint, and the first keys waited for both."""

from __future__ import annotations

import threading
import time

import pytest

from storage import pacing, pieces
from storage.library import Library
from storage.model import Paper, Source
from storage.store import Store
from tui import loading
from tui.loading import GiveWay, ThreadCPU

N = 3 * pacing.EVERY + 5


def test_paced_gives_every_item_in_order_and_paces_after_each_full_stretch():
    calls: list[int] = []
    seen: list[int] = []
    for x in pacing.paced(range(25), lambda: calls.append(len(seen)), every=10):
        seen.append(x)
    assert seen == list(range(25))
    assert calls == [10, 20]  # after each stretch of 10, before the next item; none after the short last one
    assert list(pacing.paced(iter(range(5)), None)) == list(range(5))


@pytest.fixture
def big_library(tmp_path, monkeypatch):
    """A library of N papers in one piece per file: every `pace` call then comes from a loop, not between pieces."""
    lib = Library(tmp_path)
    for n in range(N):
        lib.add(Paper(f"p{n}", f"Title {n}", f"Abstract {n}", ["A"], "", "", [Source("f", f"2026-11-{1 + n % 9:02d}")]))
    lib.save()
    monkeypatch.setattr(pieces, "PIECE", 1 << 30)
    return tmp_path


def test_reading_and_indexing_a_big_library_pace_inside_their_loops(big_library):
    store = Store(big_library, lazy=True)
    assert not store.loaded  # the first-screen file agrees: load_rest reads library.json and checks the file
    calls = {"rest": 0, "abstracts": 0, "search": 0}

    def counter(name):
        def pace():
            calls[name] += 1
        return pace

    assert store.load_rest(counter("rest"))
    store.load_abstracts(counter("abstracts"))
    store.warm_search(pace=counter("search"))
    # rest: the id checks, by_id, the display order, the first-screen check's ids and days (~3 calls each)
    assert calls["rest"] >= 6 * 3
    assert calls["abstracts"] >= 3  # assigning the abstracts to the papers
    assert calls["search"] >= 6  # the title/author index and the abstract index
    assert store.get(f"p{N - 1}").abstract == f"Abstract {N - 1}"
    assert store.view_ids("all", query="abstract") and len(store.view_ids("all", query=f"title {N - 1}")) == 1


def _spin(stop: threading.Event) -> None:
    while not stop.is_set():
        sum(range(1000))


def test_thread_cpu_tells_a_busy_thread_from_an_idle_one():
    stop, idle = threading.Event(), threading.Event()
    busy = threading.Thread(target=_spin, args=(stop,))
    waiting = threading.Thread(target=idle.wait)
    busy.start()
    waiting.start()
    try:
        hot, cold = ThreadCPU(busy.ident), ThreadCPU(waiting.ident)
        if hot._clock is None:
            pytest.skip("no per-thread CPU clock on this platform (the reading then gives way to keys alone)")
        time.sleep(0.1)  # this thread sleeps: the spinning one has the GIL and a core to itself
        assert hot.busy() and not cold.busy()
    finally:
        stop.set()
        idle.set()
        busy.join()
        waiting.join()


def test_give_way_waits_while_the_app_is_busy_or_keys_came_and_within_its_budget(monkeypatch):
    monkeypatch.setattr(loading, "SLICE", 0.001)
    monkeypatch.setattr(loading, "GIVE_WAY_BUDGET", 0.3)
    way = GiveWay(lambda: False)
    way()  # nothing watched, no key: at once
    assert way._left == loading.GIVE_WAY_BUDGET
    looks = iter([True, True, True, False])
    way.watch(lambda: next(looks))
    way()  # busy three looks, then not: three slices waited
    assert way._left == pytest.approx(loading.GIVE_WAY_BUDGET - 3 * loading.SLICE)
    way.watch(lambda: False)
    way.key_pressed()
    start = time.monotonic()
    way()  # a key just now: waits until none came for QUIET
    assert time.monotonic() - start >= loading.QUIET * 0.9
    way.watch(lambda: True)  # busy for good: the budget ends the waiting
    way()
    assert way._left <= 0
    start = time.monotonic()
    way()  # budget spent: no more waiting
    assert time.monotonic() - start < loading.QUIET * 0.5
    stopped = GiveWay(lambda: True)
    stopped.watch(lambda: True)
    stopped()  # the app is quitting: no wait at all
    assert stopped._left == loading.GIVE_WAY_BUDGET

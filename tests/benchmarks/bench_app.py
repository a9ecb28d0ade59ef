"""The app in-process (Textual's headless driver): start to first painted list, cursor keys, peak memory.

    python tests/benchmarks/bench_app.py --data DIR [--keys 200]
    python tests/benchmarks/bench_app.py --data DIR --start-keys

Start: from just before `Store(DIR, lazy=True)` (as the CLI opens it for the app; imports already done) to the first
frame the screen composes with the list filled; rest_loaded_s is when the background worker had read the rest of
the library (storage/firstscreen.py). Keys: each cursor key (j down 50 rows, k up 50, and again: the same moves at
every library size) is handed to the app's driver queue as the terminal driver would, then the script
yields to the event loop until the app has moved the cursor ("handled") and until the next frame is composed
("painted"); one key at a time, so every figure is one key's own latency, not a harness's fixed wait. Frames are
seen through `App._display` (the one call each composed frame goes through), wrapped on this instance only.
--start-keys: only keys from the first frame on, while the app is still reading (see `start_keys`).
Memory: peak resident set after the abstracts worker finished and the keys were handled, and again after a first
search over abstracts ran in a thread worker while more keys were pressed (the app's background worker builds the
search indices once the abstracts are in, so the figures after it include them and the search does not build them).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import benchlib
from textual import events

from storage.search import parse
from storage.store import Store
from tui.app import SWITCH_INTERVAL, PapertriageApp
from tui.widgets.detail import DetailPane

SIZE = (120, 40)
SEARCH = "calibration robotic"  # a query over abstracts too, run while keys are pressed
BURST = 60  # keys queued at once
ZIGZAG = 50  # rows down then up again, so that 200 moves fit in a 100-paper list and every key moves the cursor


class Frames:
    """Timestamps of the frames the app composes (wraps this app instance's `_display`)."""

    def __init__(self, app: PapertriageApp) -> None:
        self.times: list[float] = []
        inner = app._display

        def display(screen, renderable) -> None:
            inner(screen, renderable)
            if renderable is not None:
                self.times.append(time.perf_counter())

        app._display = display  # type: ignore[method-assign]


async def _until(test, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not test():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0)


async def zigzag_key(app: PapertriageApp, n: int, span: int) -> float:
    """Send the `n`th key of a zigzag (`span` rows down with j, then up with k) to the driver's queue, as the terminal
    driver would; the milliseconds until the cursor has moved."""
    before = app.papers.cursor
    key = "j" if (n // span) % 2 == 0 else "k"
    event = events.Key(key, key)
    event.set_sender(app)
    start = time.perf_counter()
    app._driver.send_message(event)
    await _until(lambda: app.papers.cursor != before)
    return (time.perf_counter() - start) * 1000


async def measure(data: Path, keys: int) -> dict:
    sys.setswitchinterval(SWITCH_INTERVAL)  # as run_app sets it where the process starts
    t0 = time.perf_counter()
    store = Store(data, lazy=True)
    t_store = time.perf_counter()
    rest: list[float] = []
    load_rest = store.load_rest

    def timed_load_rest(*pace) -> bool:
        agreed = load_rest(*pace)
        rest.append(time.perf_counter())
        return agreed

    store.load_rest = timed_load_rest  # type: ignore[method-assign]
    app = PapertriageApp(store, today=benchlib.TODAY)
    t_init = time.perf_counter()
    frames = Frames(app)
    result: dict = {"bench": "app", "papers": len(store)}
    async with app.run_test(size=SIZE) as pilot:
        await _until(lambda: bool(frames.times) and bool(app.papers.ids))
        first = frames.times[0]
        result.update(store_load_s=round(t_store - t0, 3), app_init_s=round(t_init - t_store, 3),
                      first_paint_s=round(first - t0, 3))
        await app.workers.wait_for_complete()  # abstracts, so that keys meet the steady state
        await pilot.pause()
        result["rest_loaded_s"] = round(rest[0] - t0, 3) if rest else None  # None: read at once (no lazy open)
        handled, painted = [], []
        driver = app._driver
        span = min(ZIGZAG, len(app.papers.ids) - 1)
        for n in range(keys):
            before, seen = app.papers.cursor, len(frames.times)
            key = "j" if (n // span) % 2 == 0 else "k"  # down `span` rows, up again, ...: every key moves
            event = events.Key(key, key)
            event.set_sender(app)
            start = time.perf_counter()
            driver.send_message(event)
            await _until(lambda: app.papers.cursor != before)
            handled.append((time.perf_counter() - start) * 1000)
            await _until(lambda: len(frames.times) > seen)
            painted.append((frames.times[-1] - start) * 1000)
        result["keys"] = keys
        result["moves"] = len(handled)
        result["burst"] = await burst(app, frames, min(BURST, len(app.papers.ids) - 1))
        result["key_handled"] = benchlib.stats(handled)
        result["key_painted"] = benchlib.stats(painted)
        result["peak_rss_mb"] = benchlib.peak_rss_mb()
        result.update(await keys_during_search(app, store))
        await pilot.press("q")
    return result


async def start_keys(data: Path, seconds: float = 2.5, every: float = 0.02) -> dict:
    """Keys from the first frame on, one every `every` seconds for `seconds`, while the app's background worker
    reads the rest of the library and the abstracts: how long each waits until the app has handled it (the cursor
    moved). A key the worker's parse holds up waits as long as that parse holds the GIL."""
    store = Store(data, lazy=True)
    app = PapertriageApp(store, today=benchlib.TODAY)
    frames = Frames(app)
    handled: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await _until(lambda: bool(frames.times) and bool(app.papers.ids))
        first = frames.times[0]
        span = min(ZIGZAG, len(app.papers.ids) - 1)
        n = 0
        while time.perf_counter() - first < seconds:
            start = time.perf_counter()
            handled.append(await zigzag_key(app, n, span))
            n += 1
            await asyncio.sleep(max(0.0, start + every - time.perf_counter()))
        loaded_at = None if not store.loaded else "during"
        await app.workers.wait_for_complete()
        await pilot.press("q")
    return {"bench": "app_start_keys", "papers": len(store), "seconds": seconds, "every_ms": every * 1000,
            "start_keys": benchlib.stats(handled), "rest_loaded": loaded_at or "after",
            "peak_rss_mb": benchlib.peak_rss_mb()}


async def burst(app: PapertriageApp, frames: Frames, keys: int) -> dict:
    """`keys` cursor-down keys queued at once (key repeat, or a paste of keys into a terminal): the time until the
    app has handled them all and composed a frame showing the cursor on its last row ("painted"), and until it
    composed a frame after the detail pane took that row's paper ("pane": the pane may follow a burst later)."""
    pane = app.query_one(DetailPane)
    app.papers.move_to(0)
    await _until(lambda: app.papers.cursor == 0)
    await asyncio.sleep(0.3)  # the pane follows the move to the top, and the keys come after a rest
    want = app.store.get(app.papers.ids[keys]).title
    start = time.perf_counter()
    for _ in range(keys):
        event = events.Key("j", "j")
        event.set_sender(app)
        app._driver.send_message(event)
    await _until(lambda: app.papers.cursor == keys)
    handled = time.perf_counter()
    seen = len(frames.times)
    await _until(lambda: len(frames.times) > seen)
    painted = frames.times[-1]
    await _until(lambda: pane.plain.startswith(want))
    seen = len(frames.times)
    await _until(lambda: len(frames.times) > seen)
    return {"keys": keys, "handled_ms": round((handled - start) * 1000, 1),
            "painted_ms": round((painted - start) * 1000, 1), "pane_ms": round((frames.times[-1] - start) * 1000, 1)}


async def keys_during_search(app: PapertriageApp, store: Store) -> dict:
    """Cursor keys while a first abstract search runs in a thread worker, as the app runs its searches: how long
    each key waits for the app then. (Before the app warmed the indices in its background worker, this search
    built them too.)"""
    done: list[float] = []
    ids = store.view_ids("all")

    def work() -> None:
        start = time.perf_counter()
        store.search(ids, parse(SEARCH), abstracts=True)
        done.append(time.perf_counter() - start)

    app.papers.move_to(0)
    span = min(10, len(app.papers.ids) - 1)
    app.run_worker(work, thread=True, group="bench")
    handled = []
    n = 0
    while not done or not handled:  # at least one key, however quick the search
        handled.append(await zigzag_key(app, n, span))
        n += 1
    await app.workers.wait_for_complete()
    return {"search_in_worker_s": round(done[0], 3), "keys_during_search": benchlib.stats(handled),
            "peak_rss_after_search_mb": benchlib.peak_rss_mb()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--keys", type=int, default=200)
    ap.add_argument("--start-keys", action="store_true",
                    help="only: a key every 20 ms for 2.5 s from the first frame on (see start_keys)")
    args = ap.parse_args()
    # A copy without state: the app saves its cursor on quit, and every run must start at the top.
    data = benchlib.fresh_copy(args.data, args.data.parent / f"{args.data.name}-app-run")
    benchlib.emit(asyncio.run(start_keys(data) if args.start_keys else measure(data, args.keys)))


if __name__ == "__main__":
    main()

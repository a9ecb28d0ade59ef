"""The reader (Enter) in-process (Textual's headless driver): how long opening it takes, and stepping to the next
paper in it (J), as the abstract grows.

    python tests/benchmarks/bench_reader.py --data DIR [--sizes 1000,10000,100000] [--runs 5]

DIR is any data dir (benchlib.library makes synthetic ones); a copy is used. In the copy the first two Inbox papers
get an abstract of each size in turn (invented words). Each figure is from handing the key to the app's driver
queue, as the terminal driver would, to the first frame composed with the reader showing that paper: Enter from
the list, J from the paper before. The reader lays out the abstract's first HEAD_CHARS (tui/widgets/detail.py) and
the rest as it is scrolled to, so opening should not grow with the abstract.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import benchlib
from bench_app import Frames, _until
from textual import events

from storage.store import Store
from tui.app import SWITCH_INTERVAL, PapertriageApp
from tui.screens.reader import ReaderScreen

SIZE = (120, 40)
WORDS = "routing sparse tokens across layers keeps long context cheap while quality holds on every benchmark "


def _abstract(chars: int) -> str:
    return (WORDS * (chars // len(WORDS) + 1))[:chars]


def set_abstracts(data: Path, chars: int) -> list[str]:
    store = Store(data)
    ids = store.view_ids("inbox")[:2]
    for pid in ids:
        store.get(pid).abstract = _abstract(chars)
    store.library.changing()
    store.library.save()
    return ids


async def _key(app: PapertriageApp, frames: Frames, key: str, shown) -> float:
    seen = len(frames.times)
    event = events.Key(key, None if len(key) > 1 else key)
    event.set_sender(app)
    start = time.perf_counter()
    app._driver.send_message(event)
    await _until(shown)
    await _until(lambda: len(frames.times) > seen)
    return (frames.times[-1] - start) * 1000


async def measure(data: Path, chars: int, runs: int) -> dict:
    sys.setswitchinterval(SWITCH_INTERVAL)
    ids = set_abstracts(data, chars)
    app = PapertriageApp(Store(data, lazy=True), today=benchlib.TODAY)
    frames = Frames(app)
    opened, stepped = [], []
    async with app.run_test(size=SIZE) as pilot:
        await _until(lambda: bool(frames.times) and bool(app.papers.ids))
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(runs):
            app.papers.move_to(0)
            await pilot.pause()
            on = lambda pid: lambda: isinstance(app.screen, ReaderScreen) and app.screen.pid == pid  # noqa: E731
            opened.append(await _key(app, frames, "enter", on(ids[0])))
            stepped.append(await _key(app, frames, "J", on(ids[1])))
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("q")
    return {"bench": "reader", "papers": len(app.store), "abstract_chars": chars, "runs": runs,
            "open_ms": benchlib.stats(opened), "next_paper_ms": benchlib.stats(stepped)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    for chars in (int(s) for s in args.sizes.split(",")):
        data = benchlib.fresh_copy(args.data, args.data.parent / f"{args.data.name}-reader-run")
        benchlib.emit(asyncio.run(measure(data, chars, args.runs)))


if __name__ == "__main__":
    main()

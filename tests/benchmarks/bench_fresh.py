"""What is new since last time, at 100k papers (storage/fresh.py): what the app pays for the marks and the header.

    python tests/benchmarks/bench_fresh.py --data DIR      # DIR: a library (benchlib.library makes one)
    python tests/benchmarks/bench_fresh.py --papers 100000 # makes (once) and uses WORK/libs/p100000

new_ids: the one pass over the library that finds the new papers (after open, after each ingest), with every paper
new (the threshold before the ingest stamp) and with none (after it); then the cached lookup a row makes per paper
(`Store.is_new`), timed over every paper. today: the header's "N today" count (walks only the newest days of the
order). next_new: `N` when no paper of a 100k list is new (the whole list scanned: the worst case).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import benchlib
from storage.fresh import next_new
from storage.store import Store

REPEATS = 5


def _ms(f) -> float:
    t = time.perf_counter()
    f()
    return (time.perf_counter() - t) * 1000


def measure(data: Path) -> dict:
    store = Store(data)
    papers = store.papers
    stamp = papers[0].added
    out: dict = {"papers": len(papers)}
    store.begin_session()
    for name, since in (("all_new", "2000-01-01T00:00:00" + stamp[19:]), ("none_new", stamp)):
        samples = []
        for _ in range(REPEATS):
            store.news.session = {**store.news.session, "since": since}
            store.news.forget()
            samples.append(_ms(store.new_ids))
        out[f"new_ids_{name}"] = benchlib.stats(samples)
    ids = store.ordered_ids()
    per_row = _ms(lambda: [store.is_new(pid) for pid in ids]) * 1000 / len(ids)
    out["is_new_per_row_us"] = round(per_row, 3)
    today = store.first_seen(ids[0])[:10]
    out["today_count"] = benchlib.stats([_ms(lambda: store.today_count(today)) for _ in range(REPEATS)])
    out["today_papers"] = store.today_count(today)
    new = store.new_ids()  # none: the worst case for N
    out["next_new_none"] = benchlib.stats([_ms(lambda: next_new(ids, 0, new.__contains__)) for _ in range(REPEATS)])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path)
    ap.add_argument("--papers", type=int, default=100_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/papertriage-bench"))
    args = ap.parse_args()
    data = args.data or benchlib.library(args.work, args.papers)
    benchlib.emit({**measure(data), "machine": benchlib.machine()})


if __name__ == "__main__":
    main()

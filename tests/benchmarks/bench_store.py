"""Store-level figures on a big library: one action until durable on disk, and search.

    python tests/benchmarks/bench_store.py star --data DIR --annotated N
    python tests/benchmarks/bench_store.py search --data DIR
    python tests/benchmarks/bench_store.py sort --data DIR

star: N papers get a stored state first (tags, notes, stars, statuses, as a heavy user leaves them), written straight
into state.json at the current schema (going through N separate actions would take N full writes just to set up).
Then each star toggle is timed from the call to its return: `Store.toggle_star` returns only after the atomic write
and its fsyncs, so the figure is "until durable".

search: `Store.search` over every paper with one query matched against titles/authors/tags/notes and one against
abstracts too; the first call (which builds the search index) is reported apart from the repeated ones.

sort: the upvotes and title orders (storage/sort.py): computing every paper's place once (the app does it in a
worker, once per library order), then putting a view in that order, which the app does on every new list (a view
switch, an action, a search): the whole library, a view of 90% of it (the inbox of a heavy user), 1%. The synthetic
feeds carry no upvotes: half the papers get a count in memory first.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import benchlib
from storage.search import parse
from storage.state import SCHEMA_VERSION
from storage.store import Store

STAR_SAMPLES = 40
TITLE_QUERIES = ("sparse attention", "kalo", "models")  # few, some, many hits
ABSTRACT_QUERIES = ("calibration robotic", "zero-shot transfer", "stability")


def _seed_state(data: Path, ids: list[str], n: int) -> None:
    states = {}
    for i, pid in enumerate(ids[:n]):
        states[pid] = {
            "starred": i % 3 == 0,
            "tags": [f"topic{i % 40}"] + (["later"] if i % 7 == 0 else []),
            "note": f"note {i}: worth a second look for the ablations" if i % 5 == 0 else "",
            "status": ("read", "skipped", "inbox", "read")[i % 4],
            "queue_position": None,
            "updated": "2026-11-20T10:00:00+00:00",
            "triaged": "2026-11-20T10:00:00+00:00" if i % 4 != 2 else "",
        }
    doc = {"state": states, "meta": {"schema": {"version": SCHEMA_VERSION}}}
    (data / "state.json").write_text(json.dumps(doc, separators=(",", ":")))


def star(src: Path, annotated: int) -> dict:
    data = benchlib.fresh_copy(src, src.parent / f"{src.name}-star{annotated}")
    ids = Store(data).ordered_ids()
    if annotated:
        _seed_state(data, ids, annotated)
    store = Store(data)
    samples = []
    targets = ids[annotated:annotated + STAR_SAMPLES] or ids[:STAR_SAMPLES]
    for pid in targets:
        start = time.perf_counter()
        store.toggle_star([pid])
        samples.append((time.perf_counter() - start) * 1000)
    return {"bench": "star", "papers": len(store), "annotated": annotated,
            "state_file_kb": round((data / "state.json").stat().st_size / 1024), **benchlib.stats(samples),
            "append_fsync": _append_floor(data)}


def _append_floor(data: Path) -> dict:
    """What one action costs when appended to a journal instead: one short line written and fsynced (the floor
    for "until durable" on this disk, whatever the library size)."""
    line = json.dumps({"label": "star", "before": {"x": None}, "after": {"x": {"starred": True, "tags": [],
                       "note": "", "status": "inbox", "updated": "2026-11-23T10:00:00+00:00"}}}).encode() + b"\n"
    samples = []
    with open(data / "journal-probe.log", "ab") as f:
        for _ in range(STAR_SAMPLES):
            start = time.perf_counter()
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
            samples.append((time.perf_counter() - start) * 1000)
    return benchlib.stats(samples)


def _timed(store: Store, ids: list[str], text: str, abstracts: bool) -> dict:
    q = parse(text)
    start = time.perf_counter()
    hits = store.search(ids, q, abstracts=abstracts)
    first = time.perf_counter() - start
    repeats = []
    for _ in range(3):
        start = time.perf_counter()
        store.search(ids, q, abstracts=abstracts)
        repeats.append((time.perf_counter() - start) * 1000)
    return {"query": text, "abstracts": abstracts, "hits": len(hits), "first_ms": round(first * 1000, 1),
            "median_ms": round(sorted(repeats)[1], 1)}


def search(src: Path) -> dict:
    store = Store(src)
    ids = store.view_ids("all")
    start = time.perf_counter()
    store.library.load_abstracts()
    abstracts_load = time.perf_counter() - start
    start = time.perf_counter()
    store.warm_search(abstracts=True)
    warm = time.perf_counter() - start
    queries = [_timed(store, ids, t, False) for t in TITLE_QUERIES]
    queries += [_timed(store, ids, t, True) for t in ABSTRACT_QUERIES]
    return {"bench": "search", "papers": len(store), "abstracts_load_s": round(abstracts_load, 3),
            "index_build_s": round(warm, 3), "queries": queries, "peak_rss_mb": benchlib.peak_rss_mb()}


def _ms(run, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return round(sorted(samples)[len(samples) // 2], 1)


def sort(src: Path) -> dict:
    import random

    from storage.sort import KEYED, SortKeys

    store = Store(src)
    every = store.ordered_ids()
    rng = random.Random(7)
    for p in store.papers:
        if rng.random() < 0.5:
            p.extra["upvotes"] = rng.randrange(300)
    views = {"all": every, "90%": [p for p in every if rng.random() < 0.9], "1%": every[::100]}
    keys = SortKeys(store)
    out = {}
    for order in KEYED:
        start, cpu = time.perf_counter(), time.process_time()
        keys.compute(order)
        out[order] = {"compute_ms": round((time.perf_counter() - start) * 1000, 1),
                      "compute_cpu_ms": round((time.process_time() - cpu) * 1000, 1),
                      **{f"arrange_{name}_ms": _ms(lambda ids=ids: keys.arrange(ids, order)) for name, ids in views.items()}}
    out["date_view_copy_ms"] = _ms(lambda: list(every))  # the floor: what the date order costs per list
    # what the interest order does per list, for comparison: a sort by place (here the title order's places)
    title_order = keys.arrange(every, "title")
    pos = {pid: n for n, pid in enumerate(title_order)}
    out["sort_by_place_90%_ms"] = _ms(lambda: sorted(views["90%"], key=pos.__getitem__))
    return {"bench": "sort", "papers": len(store), **out, "load_average": os.getloadavg()[0],
            "peak_rss_mb": benchlib.peak_rss_mb()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("star", "search", "sort"))
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--annotated", type=int, default=0)
    args = ap.parse_args()
    benchlib.emit(star(args.data, args.annotated) if args.what == "star" else
                  search(args.data) if args.what == "search" else sort(args.data))


if __name__ == "__main__":
    main()

"""Ingest + dedupe of N synthetic entries into an empty library, checked against the generator's known answer.

    python tests/benchmarks/bench_ingest.py N --work DIR

Runs in its own process, so the peak memory reported is the ingest's (reading, dedupe and the final save).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import benchlib
from storage.store import Store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("entries", type=int)
    ap.add_argument("--work", type=Path, required=True)
    args = ap.parse_args()
    feeds, truth = benchlib.feed(args.work, args.entries)  # made before the clock starts
    data = args.work / "ingest" / f"n{args.entries}"
    shutil.rmtree(data, ignore_errors=True)
    baseline_rss = benchlib.peak_rss_mb()
    clock = benchlib.Clock()
    store = Store(data)
    report = store.ingest([str(feeds)])
    wall, cpu = clock.wall, clock.cpu
    papers = len(store)
    files = sorted(feeds.iterdir())
    clock = benchlib.Clock()
    again = store.ingest([str(feeds)])  # the same feeds again: must change nothing (issue 10, item 1)
    reingest_wall = clock.wall
    benchlib.emit({
        "bench": "ingest",
        "entries": report.entries,
        "files": len(files),
        "feed_mb": round(sum(f.stat().st_size for f in files) / 1e6, 1),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "entries_per_s": round(report.entries / wall),
        "peak_rss_mb": benchlib.peak_rss_mb(),
        "helper_peak_rss_mb": benchlib.children_peak_rss_mb(),  # the feed-reading helper process, when used
        "rss_before_mb": baseline_rss,
        "papers": papers,
        "expected_papers": truth["distinct_papers"],
        "correct": papers == truth["distinct_papers"] and not report.errors,
        "reingest_new": again.new,
        "reingest_wall_s": round(reingest_wall, 2),
        "errors": report.errors[:3],
        "library_mb": round(sum((data / n).stat().st_size for n in ("library.json", "abstracts.json")) / 1e6, 1),
    })
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()

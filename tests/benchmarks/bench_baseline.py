"""Side by side on the same records: our blocked Deduper vs. an all-pairs rapidfuzz `cdist` over every title.

    python tests/benchmarks/bench_baseline.py N --work DIR

The baseline is what one writes first: title keys, `cdist(keys, keys, scorer=ratio, score_cutoff=90)` on all cores,
then every pair at or above the cutoff joined into one paper (union-find). Both sides start from the same parsed
records; reading the feed is not timed. `cdist` needs numpy; without it the baseline is reported as skipped.
"""

from __future__ import annotations

import argparse

import benchlib
from storage.dedupe import Deduper
from storage.normalize import title_key
from storage.readers import read


def _records(feeds):
    return [rec for path in sorted(feeds.iterdir()) for rec in read(str(path)).records]


def ours(records) -> tuple[float, int]:
    clock = benchlib.Clock()
    deduper = Deduper([])
    new = sum(deduper.add(rec, "2026-01-01T00:00:00+00:00").is_new for rec in records)
    return clock.wall, new


def all_pairs(records, cutoff: int = 90) -> tuple[float, int, float]:
    import numpy as np
    from rapidfuzz import fuzz, process

    clock = benchlib.Clock()
    keys = [title_key(rec.title) for rec in records]
    scores = process.cdist(keys, keys, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, dtype=np.uint8,
                           workers=-1)
    matrix_mb = scores.nbytes / 1e6
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows, cols = np.nonzero(scores)
    for i, j in zip(rows.tolist(), cols.tolist()):
        if i < j:
            a, b = find(i), find(j)
            if a != b:
                parent[b] = a
    distinct = sum(1 for i in range(len(keys)) if find(i) == i)
    return clock.wall, distinct, matrix_mb


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("entries", type=int)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    from pathlib import Path

    feeds, truth = benchlib.feed(Path(args.work), args.entries)
    records = _records(feeds)
    our_wall, our_papers = ours(records)
    result = {
        "bench": "baseline",
        "entries": len(records),
        "expected_papers": truth["distinct_papers"],
        "ours_s": round(our_wall, 3),
        "ours_papers": our_papers,
        "ours_correct": our_papers == truth["distinct_papers"],
    }
    try:
        import numpy  # noqa: F401
    except ImportError:
        result["baseline"] = "skipped: numpy is not installed (rapidfuzz cdist needs it)"
    else:
        wall, distinct, matrix_mb = all_pairs(records)
        result.update({
            "baseline_s": round(wall, 3),
            "baseline_papers": distinct,
            "baseline_correct": distinct == truth["distinct_papers"],
            "baseline_matrix_mb": round(matrix_mb, 1),
            "baseline_workers": "all cores",
            "speedup": round(wall / our_wall, 1),
        })
    result["peak_rss_mb"] = benchlib.peak_rss_mb()
    benchlib.emit(result)


if __name__ == "__main__":
    main()

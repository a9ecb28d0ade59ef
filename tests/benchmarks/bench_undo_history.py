"""State file size and a CLI `star` after many bulk actions (issue 10, item 4).

    python tests/benchmarks/bench_undo_history.py --papers 5000 --toggles 42 --work DIR

Builds a library of N invented papers, stars/unstars all of them `toggles` times through the Store (each one bulk
action with an undo entry), closes it, then reports state.json's size and the wall time of `papertriage star ID`
in a fresh process (median of 5).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from storage.model import Paper, Source
from storage.store import Store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--papers", type=int, default=5000)
    ap.add_argument("--toggles", type=int, default=42)
    ap.add_argument("--work", type=Path, required=True)
    args = ap.parse_args()
    data = args.work / "undo-history"
    shutil.rmtree(data, ignore_errors=True)
    store = Store(data)
    pids = [f"p{i:06d}" for i in range(args.papers)]
    for pid in pids:
        store.library.add(Paper(id=pid, title=f"Invented paper {pid}", sources=[Source("f.txt", "2026-11-20")]))
    store.library.save()
    t = time.perf_counter()
    for n in range(args.toggles):
        store.set_star(pids, n % 2 == 0)
    toggles_s = time.perf_counter() - t
    store.close()
    size = (data / "state.json").stat().st_size
    runs = []
    for i in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tui.cli", "--data-dir", str(data), "star", pids[i]], check=True,
                       capture_output=True)
        runs.append(time.perf_counter() - t)
    print(json.dumps({"bench": "undo_history", "papers": args.papers, "toggles": args.toggles,
                      "state_json_mb": round(size / 1e6, 2), "cli_star_s": round(statistics.median(runs), 2),
                      "toggles_s": round(toggles_s, 1)}))
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()

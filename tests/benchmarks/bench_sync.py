"""Sync figures: 10,000 changes from another device merged into a 100,000-paper library, and change-file size.

    python tests/benchmarks/bench_sync.py --papers 100000 --changes 10000 --work DIR

Two data dirs hold the same library (hard links, as benchlib.fresh_copy) and share one sync folder. Both sync once
(each writes its library's paper records: reported as `first_sync_s`). Then device A makes `changes` changes (stars,
tags, notes, statuses on random papers, in bulk actions of 100) and syncs; device B's `sync()` is timed from the call
to its return (`sync_in_s`, the target ≤ 2 s), and so is the whole `papertriage sync` command in a fresh process
(`command_s`: it also reads the library). `bytes_per_1000_actions` is the size of A's change file per 1,000
single-paper actions.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import benchlib
from storage.store import Store
from storage.sync.run import sync


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--papers", type=int, default=100_000)
    ap.add_argument("--changes", type=int, default=10_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/pt-bench"))
    ap.add_argument("--profile", action="store_true", help="print where B's sync spends its time (stderr)")
    args = ap.parse_args()
    lib = benchlib.library(args.work, args.papers)
    root = args.work / "sync"
    shutil.rmtree(root, ignore_errors=True)
    a, b, folder = root / "a", root / "b", root / "Sync"
    benchlib.fresh_copy(lib, a)
    benchlib.fresh_copy(lib, b)
    sa, sb = Store(a), Store(b)
    t = time.perf_counter()
    sync(sa, folder)
    sync(sb, folder)
    first = (time.perf_counter() - t) / 2
    ids = sa.view_ids("all")
    rng = random.Random(7)
    done = 0
    while done < args.changes:
        batch = rng.sample(ids, 100)
        kind = done // 100 % 4
        if kind == 0:
            sa.set_star(batch, True)
        elif kind == 1:
            sa.add_tags(batch, [f"topic{rng.randrange(30)}"])
        elif kind == 2:
            sa.set_status(batch, rng.choice(["read", "skipped", "queued"]))
        else:
            for pid in batch:
                sa.set_note(pid, f"note {done}: see the ablation in section {rng.randrange(9)}")
        done += 100
    before = {p.name for p in (folder / (a / "device-id").read_text().strip()).glob("*.jsonl")}
    report_a = sync(sa, folder)
    (new_file,) = [p for p in (folder / (a / "device-id").read_text().strip()).glob("*.jsonl") if p.name not in before]
    size = new_file.stat().st_size
    sa.close()
    # B as it is now, copied (same device: neither copy has anything to send), for the command-line figure
    sb.close()
    c = root / "c"
    shutil.copytree(b, c)
    sb = Store(b)
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    t, cpu = time.perf_counter(), time.process_time()
    report_b = sync(sb, folder)
    sync_in, sync_in_cpu = time.perf_counter() - t, time.process_time() - cpu
    if args.profile:
        prof.disable()
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    sb.close()
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tui.cli", "--data-dir", str(c), "sync", str(folder)], check=True,
                   capture_output=True, cwd=benchlib.ROOT)
    command = time.perf_counter() - t
    benchlib.emit({
        "bench": "sync", "papers": len(ids), "changes": report_a.changes_out, "first_sync_s": round(first, 2),
        "sync_in_s": round(sync_in, 3), "sync_in_cpu_s": round(sync_in_cpu, 3),
        "load_average": round(os.getloadavg()[0], 1), "changes_in": sum(report_b.changes_in.values()), "command_s": round(command, 2),
        "change_file_bytes": size, "bytes_per_1000_actions": round(size / report_a.changes_out * 1000),
        "peak_rss_mb": benchlib.peak_rss_mb(),
    })


if __name__ == "__main__":
    main()

"""The benchmark suite in one command: every figure of BENCHMARKS.md, measured in one run.

    python tests/benchmarks/run.py                      # full run (the 1M-entry ingest takes minutes)
    python tests/benchmarks/run.py --skip-1m            # everything but the 1M ingest
    python tests/benchmarks/run.py --quick              # tiny sizes: checks that the suite works (CI smoke test)

Synthetic feeds and libraries are made once in the work dir (default /tmp/papertriage-bench) and reused. Each
measurement runs in a fresh process (its own peak memory, no warm caches from another); results go to
WORK/results.json and a Markdown summary to stdout. Figures are reported as measured, never judged: the suite has
no pass/fail on time.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import benchlib

FULL = {"ingest": [10_000, 100_000, 1_000_000], "baseline": 10_000, "small": 100, "big": 100_000, "keys": 200,
        "term_keys": 60, "annotated": [100, 10_000, 100_000], "runs": 3}
QUICK = {"ingest": [300], "baseline": 300, "small": 20, "big": 200, "keys": 5, "term_keys": 5,
         "annotated": [0, 20], "runs": 1}


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def run(work: Path, cfg: dict, terminal: bool, log=print) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    out: dict = {"machine": benchlib.machine(), "config": cfg}
    w = str(work)

    def save() -> None:  # after every stage: a late failure keeps what was measured
        (work / "results.json").write_text(json.dumps(out, indent=2, sort_keys=True))

    out["ingest"] = []
    for n in cfg["ingest"]:
        benchlib.feed(work, n)  # generated outside the timed process
        log(f"ingest {n:,} entries ...")
        out["ingest"].append(benchlib.run_script("bench_ingest.py", str(n), "--work", w))
        save()
    log(f"all-pairs baseline at {cfg['baseline']:,} entries ...")
    out["baseline"] = benchlib.run_script("bench_baseline.py", str(cfg["baseline"]), "--work", w)
    small, big = benchlib.library(work, cfg["small"]), benchlib.library(work, cfg["big"])
    log("app in-process ...")
    out["app"] = [benchlib.run_script("bench_app.py", "--data", str(lib), "--keys", str(cfg["keys"]))
                  for lib in (small, big)]
    save()
    log("star until durable ...")
    out["star"] = [benchlib.run_script("bench_store.py", "star", "--data", str(big), "--annotated", str(n))
                   for n in cfg["annotated"]]
    log("search ...")
    out["search"] = benchlib.run_script("bench_store.py", "search", "--data", str(big))
    save()
    if terminal:
        log("real terminal (tmux) ...")
        keys, runs = str(cfg["term_keys"]), str(cfg["runs"])
        out["terminal"] = [benchlib.run_script("bench_terminal.py", "ours", "--data", str(lib), "--keys", keys,
                                               "--runs", runs) for lib in (small, big)]
        save()
        log("keys right after start (tmux) ...")
        out["after_start"] = [benchlib.run_script("bench_terminal.py", "after-start", "--data", str(lib), "--keys",
                                                  keys, "--runs", runs) for lib in (small, big)]
        save()
        log("newsboat on the same items ...")
        out["newsboat"] = []
        for lib in (small, big):
            try:
                out["newsboat"].append(benchlib.run_script(
                    "bench_terminal.py", "newsboat", "--work", w, "--entries", str(benchlib.library_entries(lib)),
                    "--keys", keys, "--runs", runs))
            except RuntimeError as e:  # another program's trouble must not lose our own figures
                out["newsboat"].append({"skipped": f"newsboat run failed: {str(e)[-300:]}"})
    out["ratios"] = ratios(out)
    save()
    return out


def ratios(r: dict) -> dict:
    small, big = r["app"]
    q = {
        "first_paint_big_over_small": _ratio(big["first_paint_s"], small["first_paint_s"]),
        "key_handled_big_over_small": _ratio(big["key_handled"]["median_ms"], small["key_handled"]["median_ms"]),
        "key_painted_big_over_small": _ratio(big["key_painted"]["median_ms"], small["key_painted"]["median_ms"]),
    }
    ing = r["ingest"]
    for a, b in zip(ing, ing[1:]):
        per_a, per_b = a["wall_s"] / a["entries"], b["wall_s"] / b["entries"]
        q[f"ingest_time_per_entry_{b['entries']}_over_{a['entries']}"] = _ratio(per_b, per_a)
    if "terminal" in r:
        q["terminal_first_paint_big_over_small"] = _ratio(r["terminal"][1]["first_paint"]["median_ms"],
                                                          r["terminal"][0]["first_paint"]["median_ms"])
        if "after_start" in r:
            small_a, big_a = r["after_start"]
            for d in ("0.5s", "1s"):
                q[f"keys_after_start_{d}_big_over_small"] = _ratio(big_a[f"after_{d}"]["settle"]["median_ms"],
                                                                   small_a[f"after_{d}"]["settle"]["median_ms"])
        for size, ours, nb in zip(("small", "big"), r["terminal"], r.get("newsboat", [])):
            if "skipped" in nb:
                continue
            q[f"terminal_first_paint_ours_over_newsboat_{size}"] = _ratio(ours["first_paint"]["median_ms"],
                                                                          nb["first_paint"]["median_ms"])
            q[f"terminal_settle_ours_over_newsboat_{size}"] = _ratio(ours["settle"]["median_ms"],
                                                                     nb["settle"]["median_ms"])
    return q


def markdown(r: dict) -> str:
    m = r["machine"]
    lines = [f"Measured {m['date']} on {m['cores']} cores ({m['cpu']}), {m['memory_mb']} MB RAM, Python {m['python']}, "
             f"load average at start {m['load_average']}.", "",
             "| ingest entries | papers (expected) | correct | wall s | CPU s | entries/s | peak RSS MB (helper) |",
             "|---:|---:|:-:|---:|---:|---:|---:|"]
    for i in r["ingest"]:
        ok = "yes" if i["correct"] else "NO"
        lines.append(f"| {i['entries']:,} | {i['papers']:,} ({i['expected_papers']:,}) | {ok} | {i['wall_s']} "
                     f"| {i['cpu_s']} | {i['entries_per_s']:,} | {i['peak_rss_mb']} ({i.get('helper_peak_rss_mb', '-')}) |")
    b = r["baseline"]
    lines += ["", f"Baseline at {b['entries']:,} entries: ours {b['ours_s']} s ({b['ours_papers']:,} papers), "
              f"all-pairs cdist {b.get('baseline_s', '-')} s ({b.get('baseline_papers', b.get('baseline'))} papers), "
              f"expected {b['expected_papers']:,}.", ""]
    for a in r["app"]:
        lines.append(f"- app {a['papers']:,} papers: first paint {a['first_paint_s']} s (store {a['store_load_s']} s, "
                     f"rest of the library read at {a.get('rest_loaded_s')} s),"
                     f" key handled median {a['key_handled']['median_ms']} ms, painted "
                     f"{a['key_painted']['median_ms']} ms, peak RSS {a['peak_rss_mb']} MB, keys during a first "
                     f"abstract search {a['keys_during_search']['median_ms']} ms (p90 {a['keys_during_search']['p90_ms']})"
                     f", peak RSS after it {a['peak_rss_after_search_mb']} MB")
    for s in r["star"]:
        lines.append(f"- star until durable, {s['annotated']:,} annotated: median {s['median_ms']} ms, "
                     f"p90 {s['p90_ms']} ms")
    for q in r["search"]["queries"]:
        lines.append(f"- search {q['query']!r} abstracts={q['abstracts']}: {q['hits']:,} hits, first "
                     f"{q['first_ms']} ms, again {q['median_ms']} ms")
    for t in r.get("terminal", []):
        lines.append(f"- terminal {t['papers']:,} papers: first paint {t['first_paint']['median_ms']} ms, "
                     f"{t['keys']} keys settle {t['settle']['median_ms']} ms (detail pane "
                     f"{t['pane_settle']['median_ms']} ms)")
    for t in r.get("after_start", []):
        lines.append(f"- terminal {t['papers']:,} papers, {t['keys']} keys sent 0.5 s / 1 s after the first paint: "
                     f"settle {t['after_0.5s']['settle']['median_ms']} / {t['after_1s']['settle']['median_ms']} ms")
    for nb in r.get("newsboat", []):
        if "skipped" in nb:
            lines.append(f"- newsboat: {nb['skipped']}")
            continue
        lines.append(f"- newsboat {nb['items']:,} items: reload {nb['reload_s']} s, first paint "
                     f"{nb['first_paint']['median_ms']} ms, {nb['keys']} keys settle {nb['settle']['median_ms']} ms")
    lines += ["", "Ratios: " + json.dumps(r["ratios"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/papertriage-bench"))
    ap.add_argument("--quick", action="store_true", help="tiny sizes, no terminal: a check that the suite runs")
    ap.add_argument("--skip-1m", action="store_true", help="leave out the 1,000,000-entry ingest")
    ap.add_argument("--no-terminal", action="store_true", help="leave out the tmux and newsboat measurements")
    args = ap.parse_args(argv)
    cfg = dict(QUICK if args.quick else FULL)
    if args.skip_1m:
        cfg["ingest"] = [n for n in cfg["ingest"] if n < 1_000_000]
    result = run(args.work, cfg, terminal=not (args.quick or args.no_terminal),
                 log=lambda s: print(s, file=sys.stderr, flush=True))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

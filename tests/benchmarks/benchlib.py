"""What the benchmark scripts share: synthetic data dirs, peak memory, the machine, and one JSON line per result.

Each bench_*.py runs as its own process (so its peak memory is its own) and prints one JSON object as its last line
of output; run.py starts them and gathers those lines. Nothing here asserts on time: figures are reported, not judged.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from anywhere: the project's packages must import
    sys.path.insert(0, str(ROOT))

from storage import synth  # noqa: E402

TODAY = "2026-11-23"  # a fixed "today" for the app, so relative dates render the same on every run


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def children_peak_rss_mb() -> float:
    """The largest peak resident memory among this process's finished children."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def emit(result: dict) -> None:
    """The one line run.py reads: the script's result as JSON."""
    print(json.dumps(result, sort_keys=True), flush=True)


def read_result(stdout: str) -> dict:
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no JSON result in the output:\n{stdout[-2000:]}")


def run_script(name: str, *args: str, timeout: float = 3600) -> dict:
    """Run tests/benchmarks/<name> in a fresh interpreter and return its JSON result (its own peak memory)."""
    script = Path(__file__).with_name(name)
    proc = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{name} {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return read_result(proc.stdout)


def feed(work: Path, entries: int) -> tuple[Path, dict]:
    """A synthetic HF page feed of `entries` entries, one file per day (made once per work dir), and its truth."""
    out = work / "feeds" / f"n{entries}"
    truth = synth.truth_path(out)
    if not truth.exists():
        shutil.rmtree(out, ignore_errors=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        distinct = synth.write_feed(out, entries, split=True)
        truth.write_text(json.dumps({"entries": entries, "distinct_papers": distinct, "seed": 7,
                                     "format": "hf-page", "split": True}))
    return out, json.loads(truth.read_text())


def entries_for_papers(papers: int) -> int:
    """Feed entries that give about `papers` distinct papers (the generator repeats ~15% of entries)."""
    return max(1, round(papers / 0.849))


def library(work: Path, papers: int) -> Path:
    """A data dir holding a library of about `papers` papers (ingested once per work dir, no user state)."""
    from storage.firstscreen import FIRST_SCREEN_FILE
    from storage.store import Store

    path = work / "libs" / f"p{papers}"
    done = path / ".complete"
    if not done.exists():
        shutil.rmtree(path, ignore_errors=True)
        entries = entries_for_papers(papers)
        feeds, truth = feed(work, entries)
        while truth["distinct_papers"] < papers:  # the repeat share wanders on small feeds: top up
            entries += max(1, round((papers - truth["distinct_papers"]) / 0.849))
            feeds, truth = feed(work, entries)
        Store(path).ingest([str(feeds)])
        done.write_text(str(entries))
    if not (path / FIRST_SCREEN_FILE).exists():  # made before there was one: as the app's first start would
        Store(path).library.write_first_screen()
    return path


def library_entries(path: Path) -> int:
    """How many feed entries the library at `path` was made from (so other apps can get the same items)."""
    return int((path / ".complete").read_text() or 0)


def fresh_copy(src: Path, dst: Path) -> Path:
    """A data dir with the library files of `src` (hard links: nothing the app writes changes them) and no state."""
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(parents=True)
    for name in ("library.json", "abstracts.json", "first-screen.jsonl"):
        if (src / name).exists():
            os.link(src / name, dst / name)
    return dst


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    try:
        mem = next(int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    except (OSError, StopIteration, ValueError):
        mem = None
    versions = {}
    for mod in ("textual", "rapidfuzz", "tinydb"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:  # a missing or odd module only leaves its version out of the report
            try:
                from importlib.metadata import version

                versions[mod] = version(mod)
            except Exception:
                pass
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_mb": mem,
        "python": platform.python_version(),
        "os": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "versions": versions,
    }


class Clock:
    """Wall and CPU seconds since creation."""

    def __init__(self) -> None:
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()

    @property
    def wall(self) -> float:
        return time.perf_counter() - self.wall0

    @property
    def cpu(self) -> float:
        return time.process_time() - self.cpu0


def stats(samples: list[float]) -> dict:
    """Median, mean, p90 and max of a list of milliseconds."""
    s = sorted(samples)
    return {
        "n": len(s),
        "median_ms": round(s[len(s) // 2], 3),
        "mean_ms": round(sum(s) / len(s), 3),
        "p90_ms": round(s[min(len(s) - 1, int(len(s) * 0.9))], 3),
        "max_ms": round(s[-1], 3),
    }

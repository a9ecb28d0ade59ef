"""The app in a real terminal (tmux), and newsboat beside it on the same synthetic items when it is installed.

    python tests/benchmarks/bench_terminal.py ours --data DIR [--keys 60] [--runs 3]
    python tests/benchmarks/bench_terminal.py after-start --data DIR [--delays 0.5,1] [--keys 60] [--runs 3] [--boost]
    python tests/benchmarks/bench_terminal.py newsboat --work DIR --entries N [--keys 60] [--runs 3]

ours: `papertriage --data-dir COPY` starts in a 120x40 tmux pane; first paint is the time from starting it until the
first paper's title shows. After the abstracts are in (the detail pane shows an abstract) and the app has been idle
for half a second (no CPU used: it has finished starting, see `Terminal.wait_idle`), KEYS cursor-down keys go in with
one send-keys call; settle is the time until the list shows the paper KEYS rows down (the list scrolls with the
cursor, so that row shows when the cursor gets there), pane_settle until the detail pane shows that paper's title.

after-start: the same 60 keys, sent DELAY seconds after the first title showed (the app is still reading the rest
of the library and its abstracts in its background worker then); settle is the time from send-keys until the list
shows the paper KEYS rows down, pane_settle until the detail pane shows its title, loaded from the first paint until
the detail pane shows an abstract (the whole library and its abstracts are read). One fresh app per run and delay.

--boost (ours, after-start): the app and tmux at a higher priority than the other jobs of a shared machine (see
termlib.Terminal); say so with the figures.

newsboat: the same generator's items as one RSS file (no dedupe: newsboat lists every entry). reload is
`newsboat -x reload` into an empty cache; first paint is start until the feed list shows, plus Enter until the
first article row shows; settle is KEYS Down keys until the highlighted row carries index KEYS + 1.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import time
from pathlib import Path

import benchlib
import termlib
from storage import synth
from storage.store import Store


def _papertriage() -> list[str]:
    exe = Path(sys.executable).with_name("papertriage")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "tui.cli"]


def ours(src: Path, keys: int, runs: int, boost: bool = False) -> dict:
    ids = Store(src).view_ids("inbox")
    titles = [Store(src).get(pid).title for pid in (ids[0], ids[min(keys, len(ids) - 1)])]
    first, target = titles[0][:40], titles[1][:40]
    target_words = " ".join(titles[1].split()[:5])
    paints, settles, panes = [], [], []
    for run in range(runs):
        data = benchlib.fresh_copy(src, src.parent / f"{src.name}-term{run}")
        with termlib.Terminal(src.parent, boost=boost) as term:
            t0 = term.start([*_papertriage(), "--data-dir", str(data)], cwd=benchlib.ROOT)
            seen, _ = term.wait(lambda s: first in s)
            paints.append((seen - t0) * 1000)
            term.wait(lambda s: "We introduce" in s)  # the detail pane has its abstract: the worker is done
            term.wait_idle()
            t0 = term.keys(*["Down"] * keys)
            seen, _ = term.wait(lambda s: target in split_panes(s)[0])
            settles.append((seen - t0) * 1000)
            seen, _ = term.wait(lambda s: split_panes(s)[1].startswith(target_words))
            panes.append((seen - t0) * 1000)
            term.keys("q")
            term.wait_exit()
    return {"bench": "terminal", "app": "papertriage", "papers": len(ids), "keys": keys,
            "first_paint": benchlib.stats(paints), "settle": benchlib.stats(settles),
            "pane_settle": benchlib.stats(panes)}


def after_start(src: Path, keys: int, runs: int, delays: list[float], boost: bool = False) -> dict:
    store = Store(src)
    ids = store.view_ids("inbox")
    first, target = store.get(ids[0]).title[:40], store.get(ids[min(keys, len(ids) - 1)]).title
    target_words = " ".join(target.split()[:5])
    target = target[:40]
    out: dict = {"bench": "terminal_after_start", "app": "papertriage", "papers": len(ids), "keys": keys, "boost": boost}
    settles: dict[float, list[float]] = {d: [] for d in delays}
    panes: dict[float, list[float]] = {d: [] for d in delays}
    loaded: dict[float, list[float]] = {d: [] for d in delays}
    for run in range(runs):
        for delay in delays:  # alternating, so that both delays see the same moments of the machine's load
            data = benchlib.fresh_copy(src, src.parent / f"{src.name}-after{run}")
            with termlib.Terminal(src.parent, boost=boost) as term:
                term.start([*_papertriage(), "--data-dir", str(data)], cwd=benchlib.ROOT)
                painted, _ = term.wait(lambda s: first in s)
                time.sleep(max(0.0, painted + delay - time.perf_counter()))
                t0 = term.keys(*["Down"] * keys)
                seen, _ = term.wait(lambda s: target in split_panes(s)[0])
                settles[delay].append((seen - t0) * 1000)
                seen, _ = term.wait(lambda s: split_panes(s)[1].startswith(target_words))
                panes[delay].append((seen - t0) * 1000)
                seen, _ = term.wait(lambda s: "We introduce" in s)  # quit only once it has started: a clean exit
                loaded[delay].append((seen - painted) * 1000)
                term.keys("q")
                term.wait_exit()
    for delay in delays:
        out[f"after_{delay:g}s"] = {"settle": benchlib.stats(settles[delay]),
                                    "pane_settle": benchlib.stats(panes[delay]),
                                    "loaded": benchlib.stats(loaded[delay])}
    return out


def split_panes(screen: str) -> tuple[str, str]:
    """(the list, the detail pane's words) of a wide-layout screen: the pane is right of its "▏" border, its text
    wrapped, so it is given as its words joined by single spaces."""
    left, right = [], []
    for line in screen.split("\n")[1:]:  # the first row is the header
        a, _, b = line.partition("▏")
        left.append(a)
        right.append(b)
    return "\n".join(left), " ".join(" ".join(right).split())


def write_rss(path: Path, entries: int) -> int:
    """The generator's entries as RSS 2.0 items (one per entry, in feed order); returns the item count."""
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Synthetic papers</title>'
                "<link>http://example.org/</link><description>papertriage benchmark</description>\n")
        for i, (day, title, abstract) in enumerate(synth.generate(entries)):
            f.write(f"<item><title>{html.escape(title)}</title><link>http://example.org/p/{i}</link>"
                    f"<guid>synth-{i}</guid><pubDate>{day}T00:00:00Z</pubDate>"
                    f"<description>{html.escape(abstract)}</description></item>\n")
        f.write("</channel></rss>\n")
    return entries


def newsboat(work: Path, entries: int, keys: int, runs: int) -> dict:
    exe = shutil.which("newsboat")
    if exe is None:
        return {"bench": "terminal", "app": "newsboat", "skipped": "newsboat is not installed"}
    home = work / "newsboat" / f"n{entries}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    feed = home / "feed.xml"
    write_rss(feed, entries)
    (home / "urls").write_text(f"file://{feed}\n")
    (home / "config").write_text('auto-reload no\nconfirm-exit no\narticlelist-format "%4i %t"\n'
                                 "show-keymap-hint no\n")
    argv = [exe, "-u", str(home / "urls"), "-c", str(home / "cache.db"), "-C", str(home / "config")]
    clock = benchlib.Clock()
    subprocess.run([*argv, "-x", "reload"], check=True, capture_output=True, timeout=3600)
    reload_s = clock.wall
    starts, opens, settles = [], [], []
    want = f"{keys + 1:4d} "
    for _ in range(runs):
        with termlib.Terminal(home) as term:
            t0 = term.start(argv, cwd=home)
            seen, _ = term.wait(lambda s: "Synthetic papers" in s)
            starts.append((seen - t0) * 1000)
            t0 = term.keys("Enter")
            seen, _ = term.wait(lambda s: "   1 " in s and "Articles in feed" in s)
            opens.append((seen - t0) * 1000)
            t0 = term.keys(*["Down"] * keys)
            seen, _ = term.wait(lambda s: any(r.startswith(want) for r in termlib.highlighted_rows(s, "44")),
                                escapes=True)
            settles.append((seen - t0) * 1000)
            term.keys("q", "q")
            term.wait_exit()
    return {"bench": "terminal", "app": "newsboat", "items": entries, "keys": keys, "reload_s": round(reload_s, 2),
            "start_to_feeds": benchlib.stats(starts), "open_articles": benchlib.stats(opens),
            "first_paint": benchlib.stats([a + b for a, b in zip(starts, opens)]), "settle": benchlib.stats(settles)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("app", choices=("ours", "after-start", "newsboat"))
    ap.add_argument("--delays", default="0.5,1", help="after-start: seconds after the first paint, comma-separated")
    ap.add_argument("--data", type=Path)
    ap.add_argument("--work", type=Path)
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--keys", type=int, default=60)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--boost", action="store_true", help="ours, after-start: the app at a higher priority (termlib)")
    args = ap.parse_args()
    if args.app == "ours":
        benchlib.emit(ours(args.data, args.keys, args.runs, args.boost))
    elif args.app == "after-start":
        benchlib.emit(after_start(args.data, args.keys, args.runs, [float(d) for d in args.delays.split(",")],
                                  args.boost))
    else:
        benchlib.emit(newsboat(args.work, args.entries, args.keys, args.runs))


if __name__ == "__main__":
    main()

"""`papertriage fetch [NAME...] [--since DAY]` and `papertriage feeds [--json] | add URL | remove NAME`.

fetch: the network half runs without the writer lock (an arXiv backfill can take a while and should not keep the
app from opening); the writes (bodies, library, fetch.json) take it like `ingest`. One line per feed: the summary
on stdout, each failure as `error: <feed>: <why>` on stderr; exit 1 when any feed failed, the others ingested.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TextIO

from storage import paths
from storage.errors import PapertriageError
from storage.lock import WRITE_WAIT, WriterLock
from storage.store import Store



def add_parsers(sub) -> None:
    s = sub.add_parser("fetch", help="fetch the [[feeds]] of the config and ingest them")
    s.add_argument("names", nargs="*", metavar="NAME", help="only these feeds (default: all)")
    s.add_argument("--since", metavar="YYYY-MM-DD", help="{date} feeds: fetch every day from this one (max 14 days)")
    s = sub.add_parser("feeds", help="list the subscriptions (last fetch, status, papers); add or remove one")
    s.add_argument("--json", action="store_true", help="print a JSON array")
    fs = s.add_subparsers(dest="feeds_command", metavar="add|remove")
    a = fs.add_parser("add", help="add a [[feeds]] subscription to the config file (its comments are kept)")
    a.add_argument("url", metavar="URL")
    a.add_argument("--name", metavar="N", help="default: from the URL (the arXiv category, `HF daily`, ...)")
    a.add_argument("--tag", dest="tags", action="append", default=[], metavar="T",
                   help="tag given to papers first seen in this feed (repeatable)")
    r = fs.add_parser("remove", help="remove a subscription from the config file (its papers stay)")
    r.add_argument("name", metavar="NAME")


# -- fetch -------------------------------------------------------------------------------------------------------
def parse_since(value: str | None, today: date) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise PapertriageError(f"--since: expected a day as YYYY-MM-DD, not {value!r}") from None
    if day > today:
        raise PapertriageError(f"--since: {day.isoformat()} is in the future")
    return day


def choose_feeds(config, names: list[str]) -> tuple:
    if not config.feeds:
        raise PapertriageError(f"{config.path}: no [[feeds]] to fetch (`papertriage feeds add URL` adds one)")
    if not names:
        return config.feeds
    by_name = {f.name.casefold(): f for f in config.feeds}
    unknown = [n for n in names if n.casefold() not in by_name]
    if unknown:
        known = ", ".join(f.name for f in config.feeds)
        raise PapertriageError(f"{config.path}: no feed named {unknown[0]!r} (feeds: {known})")
    chosen = []
    for n in names:
        if by_name[n.casefold()] not in chosen:
            chosen.append(by_name[n.casefold()])
    return tuple(chosen)


def cmd_fetch(args: argparse.Namespace, config) -> int:
    from storage.fetch.http import HttpClient
    from storage.fetch.run import fetch_feeds

    today = date.today()
    since = parse_since(args.since, today)
    feeds = choose_feeds(config, args.names)
    data_dir = paths.data_dir(args.data_dir)
    lock = WriterLock(data_dir)
    lock.acquire(wait=WRITE_WAIT).release()  # the app is open: say so now, not after the whole fetch

    @contextmanager
    def writing():
        with lock.acquire(wait=WRITE_WAIT):
            store = Store(data_dir)  # read only now: as another writer left it, and not held during the network
            try:
                yield store
            finally:
                store.close()

    bar = FetchBar.for_stderr()
    try:
        with HttpClient(timeout=config.fetch_timeout) as client:
            report = fetch_feeds(data_dir, feeds, client, today=today, since=since,
                                 progress=bar.update if bar else None, writing=writing)
    finally:
        if bar:
            bar.close()
    for line in report.warnings:
        print(line, file=sys.stderr)
    for fr in report.feeds:
        summary = fr.summary()
        if summary:
            print(summary)
            sys.stdout.flush()  # stdout and stderr lines in feed order on a terminal
        for line in fr.error_lines():
            print(line, file=sys.stderr)
    return 1 if report.failed else 0


class FetchBar:
    """One line on stderr, redrawn as requests end: `fetching  HF daily 2/5  cs.CL done  cs.LG 1 failed`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.feeds: dict[str, tuple[int, int, int]] = {}
        self.lock = threading.Lock()

    @classmethod
    def for_stderr(cls) -> FetchBar | None:
        try:
            tty = sys.stderr.isatty()
        except (AttributeError, ValueError):
            tty = False
        return cls(sys.stderr) if tty else None

    def update(self, event) -> None:  # from the fetch threads
        with self.lock:
            self.feeds[event.name] = (event.done, event.total, event.errors)
            self.stream.write(f"\r{self.line()}\x1b[K")
            self.stream.flush()

    def line(self) -> str:
        parts = []
        for name, (done, total, errors) in self.feeds.items():
            if errors:
                parts.append(f"{name} {errors} failed")
            elif done == total:
                parts.append(f"{name} done")
            else:
                parts.append(f"{name} {done}/{total}")
        return "fetching  " + "  ".join(parts)

    def close(self) -> None:
        with self.lock:
            if self.feeds:
                self.stream.write("\r\x1b[K")
                self.stream.flush()


# -- feeds -------------------------------------------------------------------------------------------------------
def cmd_feeds(args: argparse.Namespace, config) -> int:
    if args.feeds_command == "add":
        return feeds_add(config, args.url, args.name, args.tags)
    if args.feeds_command == "remove":
        return feeds_remove(config, args.name)
    rows = feed_rows(Store(args.data_dir), config)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print(f"No subscriptions in {config.path}: `papertriage feeds add URL` adds one.", file=sys.stderr)
    for r in rows:
        when = r["last_fetch"].replace("T", " ")[:16] + " UTC" if r["last_fetch"] else "never fetched"
        status = f", {r['last_status']}" if r["last_status"] else ""
        tags = f"  [{', '.join(r['tags'])}]" if r["tags"] else ""
        print(f"{r['name']}: {r['papers']} papers ({r['inbox']} in inbox); last fetch {when}{status}{tags}")
        print(f"    {r['url']}")
    return 0


def feed_rows(store: Store, config) -> list[dict]:
    from storage.fetch.state import FetchState

    state = FetchState.load(store.dir)
    names = {f.name for f in config.feeds}
    papers = {n: 0 for n in names}
    inbox = {n: 0 for n in names}
    in_inbox = set(store.view_ids("inbox"))
    for p in store.papers:
        for feed in {s.feed for s in p.sources if s.feed in names}:
            papers[feed] += 1
            inbox[feed] += p.id in in_inbox
    rows = []
    for f in config.feeds:
        st = state.feeds.get(f.name)
        rows.append({
            "name": f.name, "url": f.url, "tags": list(f.tags),
            "last_fetch": st.last_fetch if st else "", "last_ok": st.last_ok if st else "",
            "last_status": st.status if st else "", "papers": papers[f.name], "inbox": inbox[f.name],
        })
    return rows


def _config_doc(path: Path):
    import tomlkit

    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except OSError as e:
        raise PapertriageError(f"{path}: cannot read ({e.strerror or e})") from None
    return tomlkit.parse(text)


def _write_config(path: Path, doc) -> None:
    import tomlkit

    from storage.atomic import atomic_write
    from storage.config import parse_config

    text = tomlkit.dumps(doc)
    parse_config(text, path)  # never write a config that would not load (raises ConfigError naming the line)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text.encode(), backup=True)
    except OSError as e:
        raise PapertriageError(f"{path}: cannot write ({e.strerror or e}); nothing was changed") from None


def feeds_add(config, url: str, name: str | None, tags: list[str]) -> int:
    import re

    import tomlkit

    from storage.fetch.feeds import default_name

    url = url.strip()
    if not re.match(r"^https?://[^/\s]+", url):
        raise PapertriageError(f"{url}: a feed URL must start with http:// or https://")
    name = (name or default_name(url)).strip()
    if not name:
        raise PapertriageError("--name: a feed's name cannot be empty")
    for f in config.feeds:
        if f.name.casefold() == name.casefold():
            raise PapertriageError(f"{config.path}:{f.line}: a feed named {f.name!r} exists already (--name N)")
        if f.url == url:
            raise PapertriageError(f"{config.path}:{f.line}: {url} is already subscribed as {f.name!r}")
    doc = _config_doc(config.path)
    feeds = doc.get("feeds")
    if feeds is None:
        feeds = tomlkit.aot()
        doc.append("feeds", feeds)
    elif len(feeds) and not feeds[-1].as_string().endswith("\n\n"):
        feeds[-1].add(tomlkit.nl())  # a blank line between the user's last feed and the new one
    table = tomlkit.table()
    table.add("name", name)
    table.add("url", url)
    if tags:
        table.add("tags", [t.strip() for t in tags])
    table.add(tomlkit.nl())  # a blank line before whatever table follows
    feeds.append(table)
    _write_config(config.path, doc)
    print(f"added {name!r} to {config.path}; `papertriage fetch` gets it", file=sys.stderr)
    return 0


def feeds_remove(config, name: str) -> int:
    from storage.fetch.feeds import HF_DAILY

    doc = _config_doc(config.path)
    feeds = doc.get("feeds")
    index = next((i for i, t in enumerate(feeds or []) if str(t.get("name", "")).casefold() == name.casefold()), None)
    cats = [str(c) for c in doc.get("arxiv", [])]
    cat = next((i for i, c in enumerate(cats) if c.strip().casefold() == name.casefold()), None)
    if index is not None:
        gone = str(feeds[index]["name"])
        del feeds[index]
        if not len(feeds):
            del doc["feeds"]
    elif cat is not None:  # from the shortcut `arxiv = [...]`
        gone = cats[cat].strip()
        del doc["arxiv"][cat]
        if not len(doc["arxiv"]):
            del doc["arxiv"]
    elif name.casefold() == HF_DAILY[0].casefold() and doc.get("hf") is True:  # from `hf = true`
        gone = HF_DAILY[0]
        del doc["hf"]
    else:
        known = ", ".join(f.name for f in config.feeds) or "none"
        raise PapertriageError(f"{config.path}: no feed named {name!r} (feeds: {known})")
    _write_config(config.path, doc)
    print(f"removed {gone!r} from {config.path} (its papers stay in the library)", file=sys.stderr)
    return 0

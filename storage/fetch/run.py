"""One fetch: ask every feed's URLs (network, no lock held), then keep what came back and ingest it (under the
writer lock), then remember the validators and statuses (fetch.json).

A body is kept only when it reads as a feed: it is written beside its final name, read by storage.readers like any
file, and moved into place as `<data dir>/feeds/<feed>/<day or timestamp>.<ext>`; an HTML error page or an arXiv
API error feed is reported instead. Kept bodies go through `Store.ingest` with the feed's name as their source, so
`dupes` names the feed, and a re-fetch of the same papers is a no-op (same feed, same date: no new sighting).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import commit, prepare
from ..paths import DIR_MODE, make_data_dir
from .feeds import MAX_DAYS, Request, complete_through, folder_name, is_dated, requests_for
from .http import FetchError, Fetched, HttpClient
from .state import FetchState, UrlMemo

if TYPE_CHECKING:
    from ..store import Store

FEEDS_DIR = "feeds"
EXTENSIONS = {"hf-json": "json", "hf-page": "txt", "arxiv-atom": "xml", "arxiv-rss": "xml", "bibtex": "bib"}
MAX_PARALLEL = 6  # politeness groups fetched at once


def plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


@dataclass
class Outcome:
    """What the network gave for one request."""

    request: Request
    fetched: Fetched | None = None
    error: str = ""
    offline: bool = False


@dataclass
class FeedProgress:
    name: str
    done: int
    total: int
    errors: int = 0


@dataclass
class FeedReport:
    name: str
    dated: bool
    requests: int = 0
    ok: int = 0  # requests answered: new body, same body, or 304
    not_modified: int = 0
    entries: int = 0
    new: int = 0
    errors: list[str] = field(default_factory=list)  # one reason per failed request ("2026-11-30: HTTP 503 ...")
    offline: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    @property
    def status(self) -> str:
        if self.errors:
            return "error: " + "; ".join(self.errors)
        return "not modified" if self.ok == self.not_modified else "ok"

    def summary(self) -> str | None:
        """`HF daily: 3 days, 142 entries, 118 new papers` / `cs.CL: not modified`; None when nothing succeeded."""
        if not self.ok:
            return None
        if self.ok == self.not_modified:
            return f"{self.name}: not modified"
        parts = [plural(self.ok, "day")] if self.dated else []
        parts += [plural(self.entries, "entry", "entries"), plural(self.new, "new paper")]
        if self.not_modified and self.dated:
            parts.append(f"{self.not_modified} not modified")
        return f"{self.name}: " + ", ".join(parts)

    def error_lines(self) -> list[str]:
        return [f"error: {self.name}: {e}" for e in self.errors]


@dataclass
class FetchReport:
    feeds: list[FeedReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)
    library_size: int = 0

    @property
    def failed(self) -> bool:
        return any(f.failed for f in self.feeds)

    @property
    def new(self) -> int:
        return sum(f.new for f in self.feeds)


# -- network -----------------------------------------------------------------------------------------------------
def plan(feeds: Sequence, state: FetchState, today: date, since: date | None = None) -> list[Request]:
    out: list[Request] = []
    for feed in feeds:
        out += requests_for(feed, today, state.feed(feed.name).done_through, since)
    return out


def fetch_all(
    requests: list[Request],
    state: FetchState,
    client: HttpClient,
    progress: Callable[[FeedProgress], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> list[Outcome]:
    """Every request's outcome, in the order given. One thread per politeness group (one connection per host at a
    time, the arXiv gap kept by the client); groups in parallel. Threads are daemons: an interrupted CLI exits, and
    when `stop()` turns true (the app quits) this returns at once, raising Cancelled, leaving them to die with the
    process."""
    outcomes = [Outcome(r) for r in requests]
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(requests):
        groups.setdefault(_group(client, r.url), []).append(i)
    totals: dict[str, int] = {}
    for r in requests:
        totals[r.feed] = totals.get(r.feed, 0) + 1
    done = {name: 0 for name in totals}
    errors = {name: 0 for name in totals}
    lock = threading.Lock()
    if progress:
        for name, total in totals.items():
            progress(FeedProgress(name, 0, total))

    def work(indices: list[int]) -> None:
        for i in indices:
            o = outcomes[i]
            memo = state.url(o.request.url)
            try:
                o.fetched = client.get(o.request.url, etag=memo.etag, last_modified=memo.last_modified)
            except FetchError as e:
                o.error, o.offline = e.message, e.offline
            except Exception as e:  # noqa: BLE001 - a bug must fail one request, not hang the fetch
                o.error = f"unexpected error ({type(e).__name__}: {e})"
            with lock:
                name = o.request.feed
                done[name] += 1
                errors[name] += bool(o.error)
                event = FeedProgress(name, done[name], totals[name], errors[name])
            if progress:
                progress(event)

    batches = list(groups.values())
    for start in range(0, len(batches), MAX_PARALLEL):
        threads = [threading.Thread(target=work, args=(b,), daemon=True) for b in batches[start:start + MAX_PARALLEL]]
        for t in threads:
            t.start()
        for t in threads:
            while t.is_alive():
                t.join(0.1)  # in slices, so that Ctrl-C reaches the main thread and `stop` is heard
                if stop and stop():
                    raise Cancelled()
    return outcomes


class Cancelled(Exception):
    """The fetch was stopped before anything was written: nothing kept, nothing remembered."""


def _group(client: HttpClient, url: str) -> str:
    from urllib.parse import urlsplit

    return client.politeness.group(urlsplit(url).hostname or "")


# -- keeping and ingesting ---------------------------------------------------------------------------------------
def keep_and_ingest(
    store: Store,
    feeds: Sequence,
    outcomes: list[Outcome],
    state: FetchState,
    *,
    today: date,
    now: datetime | None = None,
    add_tags: Callable[[list[str], list[str]], object] | None = None,
) -> FetchReport:
    """Keep the bodies that read as feeds, ingest them, tag new papers, save fetch.json. Call under the lock.

    `add_tags(ids, tags)` (default: store.add_tags) gives a feed's tags to its new papers; the app passes one that
    runs on its own thread, where every other change to the user's state is made."""
    now = now or datetime.now(timezone.utc)
    stamp = now.isoformat(timespec="seconds")
    report = FetchReport()
    if state.problem:
        report.warnings.append(f"warning: {state.path}: {state.problem}")
    by_name = {f.name: f for f in feeds}
    reports = {f.name: FeedReport(f.name, is_dated(f.url)) for f in feeds}
    kept: dict[str, str] = {}  # path -> feed name
    memos: dict[str, UrlMemo] = {}  # applied once the bodies are ingested
    day_results: dict[str, list[tuple[str, bool]]] = {}
    for o in outcomes:
        r = o.request
        fr = reports[r.feed]
        fr.requests += 1
        ok = _keep_one(store.dir, o, state.url(r.url), fr, kept, memos, now)
        if r.day:
            day_results.setdefault(r.feed, []).append((r.day, ok))

    new_by_feed: dict[str, list[str]] = {}
    if kept:
        before = set(store.library.by_id)
        ingest = store.ingest(list(kept), feed_names=kept)
        for path, message in ingest.errors:
            reports[kept[path]].errors.append(f"{Path(path).name}: {message}")
        for path, _fmt, entries in ingest.per_file:
            reports[kept[path]].entries += entries
        for pid, p in store.library.by_id.items():
            if pid not in before:
                new_by_feed.setdefault(p.sources[0].feed if p.sources else "", []).append(pid)
                report.new_ids.append(pid)
    for name, ids in new_by_feed.items():
        if name in reports:
            reports[name].new = len(ids)
            tags = list(getattr(by_name[name], "tags", ()) or ())
            if tags:
                (add_tags or store.add_tags)(ids, tags)

    state.urls.update(memos)
    for name, fr in reports.items():
        if not fr.requests:
            continue
        st = state.feed(name)
        st.last_fetch, st.status, st.entries, st.new = stamp, fr.status, fr.entries, fr.new
        if not fr.failed:
            st.last_ok = stamp
        if name in day_results:
            st.done_through = complete_through(today, st.done_through, day_results[name])
    state.forget_days_before((today - timedelta(days=2 * MAX_DAYS)).isoformat())
    state.problem = ""
    try:
        state.save()
    except OSError as e:  # the papers are in; only the memory of this fetch is lost: the next one asks again
        report.warnings.append(f"warning: {state.path}: could not save ({e.strerror or e}); the next fetch "
                               "asks for the same again")
    report.feeds = [fr for fr in reports.values() if fr.requests]
    report.library_size = len(store)
    return report


def _keep_one(data_dir: Path, o: Outcome, memo: UrlMemo, fr: FeedReport, kept: dict[str, str],
              memos: dict[str, UrlMemo], now: datetime) -> bool:
    """Handle one outcome; True when the request succeeded (for the backfill)."""
    r = o.request
    where = f"{r.day}: " if r.day else ""
    if o.error:
        fr.errors.append(where + o.error)
        fr.offline = fr.offline or o.offline
        return False
    got = o.fetched
    new_memo = UrlMemo(got.etag or memo.etag, got.last_modified or memo.last_modified, memo.sha256, r.day)
    if got.status == 304:
        fr.ok += 1
        fr.not_modified += 1
        memos[r.url] = new_memo
        return True
    digest = hashlib.sha256(got.body).hexdigest()
    if digest == memo.sha256:  # the server ignores validators, but nothing changed
        fr.ok += 1
        fr.not_modified += 1
        memos[r.url] = new_memo
        return True
    try:
        path = _keep_body(data_dir, r, got, now)
    except _NotAFeed as e:
        fr.errors.append(where + str(e))
        return False
    except OSError as e:
        fr.errors.append(where + f"cannot keep the body under {data_dir / FEEDS_DIR} ({e.strerror or e})")
        return False
    new_memo.sha256 = digest
    memos[r.url] = new_memo
    kept[str(path)] = r.feed
    fr.ok += 1
    return True


class _NotAFeed(Exception):
    pass


def _keep_body(data_dir: Path, r: Request, got: Fetched, now: datetime) -> Path:
    from ..readers import FeedError, detect, read

    fmt = detect(got.body)
    if fmt is None:
        raise _NotAFeed(_why_not(got))
    folder = data_dir / FEEDS_DIR / folder_name(r.feed)
    made = not folder.is_dir()
    make_data_dir(data_dir)
    for d in (folder.parent, folder):  # private like the data dir (mkdir's parents=True would not give them the mode)
        d.mkdir(mode=DIR_MODE, exist_ok=True)
    name = r.day or now.strftime("%Y-%m-%dT%H%M%SZ")
    final = folder / f"{name}.{EXTENSIONS.get(fmt, 'txt')}"
    tmp = prepare(final, got.body)
    try:
        read(tmp)  # exactly as `papertriage ingest` will read it
    except BaseException as e:
        tmp.unlink(missing_ok=True)
        if made:
            _rmdir_quietly(folder)
        if isinstance(e, FeedError):
            raise _NotAFeed(e.message) from None
        raise
    commit(final, tmp, backup=False)
    return final


def _rmdir_quietly(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def _why_not(got: Fetched) -> str:
    head = got.body[:4096].lstrip().lower()
    if "html" in got.content_type.lower() or head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return f"the server sent an HTML page, not a feed (HTTP {got.status} from {got.final_url or got.url})"
    if not got.body.strip():
        return f"empty answer (HTTP {got.status})"
    return "not a feed papertriage reads (expected Hugging Face daily papers JSON or page text, arXiv RSS or Atom)"


# -- both halves -------------------------------------------------------------------------------------------------
def names_unknown(feeds: Sequence, names: Iterable[str]) -> list[str]:
    known = {f.name for f in feeds}
    return [n for n in names if n not in known]


def fetch_feeds(
    data_dir: Path,
    feeds: Sequence,
    client: HttpClient,
    *,
    today: date | None = None,
    since: date | None = None,
    progress: Callable[[FeedProgress], None] | None = None,
    writing: Callable[[], AbstractContextManager[Store]] | None = None,
    add_tags: Callable[[list[str], list[str]], object] | None = None,
    stop: Callable[[], bool] | None = None,
) -> FetchReport:
    """Fetch `feeds` (FeedConfig-likes: name, url, tags) and ingest what came back into the data dir's library.

    The network half holds no lock and reads no library; `writing()` gives the Store to write to, around the writes
    (the CLI opens it under the writer lock; the app gives its own, whose lock it holds). Default: a Store opened
    then. fetch.json is re-read inside, in case another fetch finished meanwhile.
    """
    today = today or date.today()
    data_dir = Path(data_dir)
    state = FetchState.load(data_dir)
    outcomes = fetch_all(plan(feeds, state, today, since), state, client, progress, stop)
    if writing is None:
        from ..store import Store

        writing = lambda: nullcontext(Store(data_dir))  # noqa: E731
    with writing() as store:
        return keep_and_ingest(store, feeds, outcomes, FetchState.load(data_dir), today=today, add_tags=add_tags)

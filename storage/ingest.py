"""Ingest: read feed files, merge their records into the library, save it once, and say what happened (`ingest`).

Reading a feed (decoding, detecting, parsing) costs about as much as merging its records. With many or big files
and a second core, files are read in a helper process while this one merges the previous file, so the two halves
overlap. Small ingests (a daily feed) stay in-process: starting the helper costs more than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from .caps import cap_record
from .gcpause import gc_paused
from .library import Library
from .model import Record

# The readers (feedparser) and dedupe (rapidfuzz) are imported inside the functions that use them, not for a cycle
# (they import nothing of this module) but so that they load only when an ingest runs, never at the app's start.
if TYPE_CHECKING:
    from .readers import FeedResult

_RECORD_FIELDS = tuple(f.name for f in fields(Record))  # in the order Record(*row) takes them
PROGRESS_EVERY = 1000  # entries between two `entry_progress` calls while one feed is merged
PARALLEL_MIN_BYTES = 4 * 1024 * 1024  # below this much feed text (~5,000 entries), a helper is not worth starting
IN_FLIGHT = 3  # files read ahead by the helper (bounds the memory held in parsed records)


@dataclass
class IngestReport:
    files: int = 0
    entries: int = 0
    new: int = 0
    merged: int = 0  # entries that were repeats of a paper already known (from this or an earlier ingest)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    per_file: list[tuple[str, str, int]] = field(default_factory=list)  # (path, format, entries)
    capped: int = 0  # entries with a field cut to what ingest keeps (see caps.py)
    changed: bool = False  # a paper was added or changed, and the library saved


def ingest(
    library: Library,
    paths: Iterable[str],
    stamp: str,
    progress: Callable[[int, int], None] | None = None,
    entry_progress: Callable[[int, int, int], None] | None = None,
    feed_names: Mapping[str, str] | None = None,
) -> IngestReport:
    """Read feeds, merge repeats into `library`, save it once. Bad files are reported, the rest ingested.

    `stamp` (an ISO time) dates the new papers. `progress(files_done, files)` is called after each file.
    `entry_progress(entries_done, bytes_done, bytes_total)` is called every PROGRESS_EVERY entries and after each
    file, so that one huge feed still moves a bar: bytes are known before anything is read, entries are not. Many
    big files are read in a helper process while the previous one is merged (see `read_feeds`). `feed_names`
    (path -> name): the source name of a file's papers instead of the file's name (fetched bodies: the
    subscription's name).
    """
    report = IngestReport()
    files = paths_to_files(paths, report)
    with gc_paused():
        if merge_files(library, files, report, stamp, progress, entry_progress, feed_names):
            library.save()
            report.changed = True
    return report


def file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:  # `read` reports the file
        return 0


def read_one(path: str) -> FeedResult | tuple[str, str]:
    """`read(path)`, with a FeedError returned as (path, message): it crosses the process boundary as plain data."""
    from .readers import FeedError, read

    try:
        return read(path)
    except FeedError as e:
        return (e.path, e.message)


def helper_main() -> None:
    """The helper process: paths in on stdin, `read_one` results out on stdout, both as pickle frames."""
    import pickle
    import sys
    import warnings

    warnings.simplefilter("ignore")
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = open(os.devnull, "w")  # nothing a reader might print can mix into the results
    while True:
        try:
            path = pickle.load(source)
        except EOFError:
            return
        pickle.dump(_pack(read_one(path)), sink, protocol=pickle.HIGHEST_PROTOCOL)
        sink.flush()


def _pack(result: FeedResult | tuple[str, str]) -> tuple:
    """A result as plain tuples: they cross the pipe several times faster than Record objects."""
    if isinstance(result, tuple):
        return ("error", *result)
    rows = [tuple(getattr(rec, name) for name in _RECORD_FIELDS) for rec in result.records]
    return ("ok", result.path, result.format, rows)


def _unpack(packed: tuple) -> FeedResult | tuple[str, str]:
    from .readers import FeedResult

    if packed[0] == "error":
        return packed[1], packed[2]
    _, path, fmt, rows = packed
    return FeedResult(path=path, format=fmt, records=[Record(*row) for row in rows])


class _Helper:
    """A child interpreter running `helper_main`. Not multiprocessing: its spawn re-runs the caller's main script,
    which breaks any script that calls Store.ingest at top level; `python -c` imports only this module."""

    def __init__(self) -> None:
        import subprocess
        import sys

        code = f"import sys; sys.path[:0] = {sys.path!r}; from storage.ingest import helper_main; helper_main()"
        self.proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)

    def send(self, path: str) -> None:
        import pickle

        pickle.dump(path, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self.proc.stdin.flush()

    def receive(self) -> FeedResult | tuple[str, str]:
        import pickle

        return _unpack(pickle.load(self.proc.stdout))

    def close(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def read_feeds(files: list[str], sizes: list[int]) -> Iterator[FeedResult | tuple[str, str]]:
    """Each file's FeedResult or (path, error message), in order; read ahead in a helper process when worth it.

    Should the helper fail (cannot start, dies), the files it has not answered for are read here instead.
    """
    done = 0
    if len(files) > 1 and sum(sizes) >= PARALLEL_MIN_BYTES and (os.cpu_count() or 1) > 1:
        helper = None
        try:
            helper = _Helper()
            sent = 0
            for sent, path in enumerate(files[:IN_FLIGHT], start=1):
                helper.send(path)
            while done < len(files):
                result = helper.receive()
                done += 1
                if sent < len(files):  # keep it busy while this file is merged
                    helper.send(files[sent])
                    sent += 1
                yield result
        except Exception:  # noqa: BLE001 - whatever went wrong with the helper, the files left are read below
            pass
        finally:
            if helper is not None:
                helper.close()
    for path in files[done:]:
        yield read_one(path)


def merge_files(
    library: Library,
    files: list[str],
    report: IngestReport,
    stamp: str,
    progress: Callable[[int, int], None] | None = None,
    entry_progress: Callable[[int, int, int], None] | None = None,
    feed_names: Mapping[str, str] | None = None,
) -> bool:
    """Merge every file's records into `library` (in memory), filling `report`; True when any paper changed.

    `feed_names` (path -> name) names a file's source when its file name does not (a fetched body is called
    after its day; its papers were seen in the feed "HF daily")."""
    from .dedupe import Deduper

    library.load_abstracts()
    library.changing()
    deduper = Deduper(library.papers)
    sizes = [file_size(path) for path in files]
    total_bytes, bytes_done = sum(sizes), 0
    for n, (path, result) in enumerate(zip(files, read_feeds(files, sizes))):
        report.files += 1
        if isinstance(result, tuple):
            report.errors.append(result)
            records = []
        else:
            records = result.records
            report.per_file.append((path, result.format, len(records)))
            if feed_names and path in feed_names:
                for rec in records:
                    rec.feed = feed_names[path]
        for i, rec in enumerate(records, start=1):
            report.entries += 1
            if cap_record(rec):
                report.capped += 1
            res = deduper.add(rec, stamp)
            if res.is_new:
                library.add(res.paper)
                report.new += 1
            else:
                report.merged += 1
            if entry_progress and i % PROGRESS_EVERY == 0:
                entry_progress(report.entries, bytes_done + sizes[n] * i // len(records), total_bytes)
        bytes_done += sizes[n]
        if entry_progress:
            entry_progress(report.entries, bytes_done, total_bytes)
        if progress:
            progress(n + 1, len(files))
    return bool(deduper.papers_changed())


def paths_to_files(paths: Iterable[str], report: IngestReport) -> list[str]:
    from .readers import FeedError, expand_paths

    try:
        return expand_paths(paths)
    except FeedError as e:
        report.errors.append((e.path, e.message))
        return []

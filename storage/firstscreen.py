"""The first-screen file: what the app's list needs before its first frame, without reading library.json.

At 100k papers library.json is 28 MB and about a second of parsing into Paper objects, but a list row needs only a
paper's id, title and first-seen date, and the list needs them in display order. `first-screen.jsonl` holds just
those, as JSON lines:

    ["id", ...]                        every paper, newest first-seen date first (the order of `display_order`)
    [["2026-11-23", 812], ...]         their first-seen dates, run-length coded (the order sorts by them)
    ["title", ...]                     their titles, TITLES_PER_LINE a line, as many lines as that takes
    {"schema": 1, "count": N, "library": [size, mtime_ns, inode], "crc32": C}

A line of titles is parsed when a row first needs one of them: the first screen shows a few dozen, and parsing all
100k titles was a third of reading the file. The last line is the seal: which library.json the columns were made
from, and the CRC-32 of the lines before it. It is last so the file can be written in pieces (a million papers
never sit in memory twice as JSON).

It is a cache; library.json stays the truth. `Library.save` writes it after library.json with the same atomic
helpers. Every save writes a new library.json and renames it over the old one (whose inode lives on as the .bak),
so size, mtime and inode change together when the library changes: a file made from another library.json, or
damaged, truncated, from a newer version, or missing reads as None and the caller loads the whole library.
"""

from __future__ import annotations

import json
import os
import zlib
from itertools import islice
from pathlib import Path
from typing import Callable, Iterator

from .model import Paper
from .pacing import paced
from .regular import read_regular

FIRST_SCREEN_FILE = "first-screen.jsonl"
SCHEMA = 1
TITLES_PER_LINE = 1024
_CHUNK = 4096  # entries per piece of a column as it is written


def first_seen(p: Paper) -> str:
    """`p.first_seen`, quicker for the usual paper seen in one feed (it orders 100k papers at every save and open)."""
    if len(p.sources) == 1:
        return p.sources[0].date or p.added[:10]
    return p.first_seen


def display_order(papers: list[Paper], pace: Callable[[], None] | None = None) -> list[Paper]:
    """Newest first-seen date first; within a day, the order of the feed.

    By day, not by `sorted`: a sort of 100k papers is one C call that holds the GIL for 50-170 ms (the app's worker
    orders the library while keys come in), where filling a list per day is Python steps that give it up, and the
    days (a few hundred) are all that is sorted. The same order as a stable sort by day, newest first. `pace`, when
    given, is called every ~1,000 papers (storage/pacing.py)."""
    by_day: dict[str, list[Paper]] = {}
    for p in paced(papers, pace):
        day = first_seen(p)
        if (same := by_day.get(day)) is None:
            by_day[day] = [p]
        else:
            same.append(p)
    out: list[Paper] = []
    for day in sorted(by_day, reverse=True):
        out += by_day[day]
    return out


def identity(path: Path) -> list[int] | None:
    """What tells one library.json from the next: [size, mtime_ns, inode]; None when it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


class FirstScreen:
    """The columns of a first-screen file, and a paper's place in them. Titles are parsed a line at a time."""

    __slots__ = ("ids", "days", "pos", "_raw", "_spans", "_titles")

    def __init__(self, ids: list[str], days: list[str], raw: bytes, spans: list[tuple[int, int]]) -> None:
        self.ids, self.days = ids, days
        self.pos = dict(zip(ids, range(len(ids))))
        self._raw, self._spans = raw, spans  # where each line of titles is in the file's bytes
        self._titles: list[list[str] | None] = [None] * len(spans)

    def __len__(self) -> int:
        return len(self.ids)

    def title(self, i: int) -> str:
        """The title of the i-th paper; ValueError when its line does not hold the titles it should."""
        k, j = divmod(i, TITLES_PER_LINE)
        line = self._titles[k]
        if line is None:  # two threads may both parse it: the same list either way
            start, end = self._spans[k]
            line = json.loads(self._raw[start:end])
            want = min(TITLES_PER_LINE, len(self.ids) - k * TITLES_PER_LINE)
            if type(line) is not list or len(line) != want or not set(map(type, line)) <= {str}:
                raise ValueError(f"line {k + 3} of titles is damaged")
            self._titles[k] = line
        return line[j]

    def agrees(self, ordered: list[Paper], pace: Callable[[], None] | None = None) -> bool:
        """True when these columns are what `ordered` (the whole library, in display order) would give. `pace` is
        called after each line of titles (see library.read_papers)."""
        if (self.ids != [p.id for p in paced(ordered, pace)]
                or self.days != [first_seen(p) for p in paced(ordered, pace)]):
            return False
        # Each line of titles against what `dump` writes for these papers, byte for byte: parsing every line (the
        # lines not shown yet are not parsed) was most of this check's 0.13 s at 100k.
        raw = self._raw
        for k, (start, end) in enumerate(self._spans):
            titles = [p.title for p in ordered[k * TITLES_PER_LINE : (k + 1) * TITLES_PER_LINE]]
            if raw[start:end] != _title_line(titles):
                return False
            if pace is not None:
                pace()
        return True


def _title_line(titles: list[str]) -> bytes:
    return json.dumps(titles, ensure_ascii=False, separators=(",", ":")).encode()


def _runs(days: list[str]) -> list[list]:
    runs: list[list] = []
    for day in days:
        if runs and runs[-1][0] == day:
            runs[-1][1] += 1
        else:
            runs.append([day, 1])
    return runs


def _column(items: list, end: bytes) -> Iterator[bytes]:
    """`items` as a JSON array in byte pieces (byte for byte one json.dumps), then `end`."""
    yield b"["
    sep, it = "", iter(items)
    while chunk := list(islice(it, _CHUNK)):
        yield (sep + json.dumps(chunk, ensure_ascii=False, separators=(",", ":"))[1:-1]).encode()
        sep = ","
    yield b"]" + end


def dump(ordered: list[Paper], library: list[int]) -> Iterator[bytes]:
    """The file for `ordered` (papers in display order) made from the library.json whose identity is `library`."""
    crc = 0

    def lines() -> Iterator[bytes]:  # JSON escapes control characters: a list is one line
        yield from _column([p.id for p in ordered], b"\n")
        yield from _column(_runs([first_seen(p) for p in ordered]), b"\n")
        for start in range(0, len(ordered), TITLES_PER_LINE):
            yield _title_line([p.title for p in ordered[start : start + TITLES_PER_LINE]]) + b"\n"

    for piece in lines():
        crc = zlib.crc32(piece, crc)
        yield piece
    seal = {"schema": SCHEMA, "count": len(ordered), "library": library, "crc32": crc}
    yield json.dumps(seal, separators=(",", ":")).encode() + b"\n"


def read(path: Path, library_path: Path) -> FirstScreen | None:
    """The first-screen file at `path` when it was made from the library.json at `library_path` as it is now, and is
    whole; None otherwise (never raises: the caller then reads library.json)."""
    want = identity(library_path)
    if want is None:
        return None
    try:
        raw = read_regular(path)  # a FIFO here would block the open, and the app's first paint, for ever
    except OSError:
        return None
    spans, start = [], 0  # each line's (start, end): found, not split, so the titles are not copied
    while (end := raw.find(b"\n", start)) >= 0:
        spans.append((start, end))
        start = end + 1
    if start != len(raw) or len(spans) < 3:  # not ending in a newline: cut short
        return None
    try:
        seal_at = spans.pop()[0]
        seal = json.loads(raw[seal_at:])
        if (type(seal) is not dict or seal.get("schema") != SCHEMA or seal.get("library") != want
                or seal.get("crc32") != zlib.crc32(memoryview(raw)[:seal_at])):
            return None
        n = seal.get("count")
        if type(n) is not int or len(spans) != 2 + -(-n // TITLES_PER_LINE):
            return None
        ids, runs = (json.loads(raw[a:b]) for a, b in spans[:2])
        if not (type(ids) is list and type(runs) is list and len(ids) == n and set(map(type, ids)) <= {str}):
            return None
        days: list[str] = []
        for run in runs:
            day, k = run  # ValueError/TypeError when it is not a pair
            if type(day) is not str or type(k) is not int or k < 1:
                return None
            days += [day] * k
        if len(days) != n:
            return None
        screen = FirstScreen(ids, days, raw, spans[2:])
        if len(screen.pos) != n or "" in screen.pos:  # an id twice, or an empty one: not what a save writes
            return None
        return screen
    except (ValueError, TypeError, RecursionError):
        return None

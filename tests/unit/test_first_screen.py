"""The first-screen file (storage/firstscreen.py): written on every save, used by a lazy open, and only a cache.

A lazy Store answers the list's questions (order, titles, dates, counts, views, actions on a paper's state) from it
without reading library.json; anything missing, stale or damaged falls back to reading library.json, silently.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support.library import INBOX, sample_papers
from storage import firstscreen, library
from storage.errors import DataFileError
from storage.firstscreen import FIRST_SCREEN_FILE, display_order
from storage.model import Paper, Source
from storage.store import Store

FIRST_SCREEN = Path(FIRST_SCREEN_FILE)


@pytest.fixture
def no_library_reads(monkeypatch):
    """Fails the test if library.json is parsed (what a lazy open must not do)."""
    calls = []

    def spy(path):
        calls.append(path)
        raise AssertionError("library.json was read")

    monkeypatch.setattr(library, "read_papers", spy)
    return calls


def lazy(data_dir: Path) -> Store:
    return Store(data_dir, lazy=True)


def list_view(store: Store) -> list[tuple[str, str, str]]:
    return [(pid, store.title(pid), store.first_seen(pid)) for pid in store.ordered_ids()]


def test_save_writes_it_and_a_lazy_open_uses_only_it(library_dir, monkeypatch):
    eager = Store(library_dir)
    assert (library_dir / FIRST_SCREEN).exists()
    expected = list_view(eager)
    assert [pid for pid, _, _ in expected] == [p.id for p in display_order(sample_papers())]

    reads = []
    real = library.read_papers
    monkeypatch.setattr(library, "read_papers", lambda path: reads.append(path) or real(path))
    store = lazy(library_dir)
    assert not store.loaded and reads == []
    assert list_view(store) == expected
    assert len(store) == 10 and "2611.01003" in store and "nope" not in store
    assert store.view_ids("inbox") == INBOX
    assert store.counts("2026-11-21") == eager.counts("2026-11-21")
    assert reads == []  # all of that from the first-screen file

    paper = store.get("2611.01003")  # needs the rest: read now, once
    assert paper.authors == ["Ivy Survey", "Jon Table", "Kim Chart"] and store.loaded and len(reads) == 1
    assert list_view(store) == expected and store.view_ids("inbox") == INBOX


def test_actions_before_the_rest_is_read_do_not_read_it(library_dir, no_library_reads):
    store = lazy(library_dir)
    pid = INBOX[2]
    store.toggle_star([pid])
    store.set_status([INBOX[0]], "read")
    store.add_tags([pid], ["later"])
    assert not store.loaded and no_library_reads == []
    assert store.view_ids("inbox") == INBOX[1:]
    again = lazy(library_dir)
    assert again.state_of(pid).starred and again.state_of(pid).tags == ["later"]
    assert again.state_of(INBOX[0]).status == "read"


def test_library_of_the_previous_version_opens_and_gets_the_file(library_dir):
    (library_dir / FIRST_SCREEN).unlink()  # as the previous version left it
    store = lazy(library_dir)
    assert store.loaded and store.view_ids("inbox") == INBOX  # read library.json, as before
    assert store.library.write_first_screen() is True  # the app does this (it holds the writer lock)
    assert store.library.write_first_screen() is False  # once
    assert not lazy(library_dir).loaded
    assert list_view(lazy(library_dir)) == list_view(Store(library_dir))


def test_an_eager_open_writes_only_a_missing_or_stale_file(library_dir):
    before = (library_dir / FIRST_SCREEN).stat().st_mtime_ns
    assert Store(library_dir).library.write_first_screen() is False  # fresh already
    assert (library_dir / FIRST_SCREEN).stat().st_mtime_ns == before


def _stale_by_touch(d: Path) -> None:
    st = (d / "library.json").stat()
    os.utime(d / "library.json", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


def _stale_by_copy(d: Path) -> None:  # same bytes, same mtime, another file (a restore, `cp -p`)
    shutil.copy2(d / "library.json", d / "lib.tmp")
    os.replace(d / "lib.tmp", d / "library.json")


def _truncated(d: Path) -> None:
    raw = (d / FIRST_SCREEN).read_bytes()
    (d / FIRST_SCREEN).write_bytes(raw[: len(raw) // 2])


def _bit_flip(d: Path) -> None:  # still valid JSON, same length: only the checksum tells
    raw = bytearray((d / FIRST_SCREEN).read_bytes())
    at = raw.index(b"Sparse")
    raw[at] = ord("T")
    (d / FIRST_SCREEN).write_bytes(bytes(raw))


def _replace_first_screen(text: str):
    return lambda d: (d / FIRST_SCREEN).write_text(text)


def _newer_schema(d: Path) -> None:
    raw = (d / FIRST_SCREEN).read_text()
    (d / FIRST_SCREEN).write_text(raw.replace('{"schema":1,', '{"schema":99,'))


def _sealed(d: Path, ids: list, titles: list, runs: list, count: int) -> None:
    """A file with a good seal (identity, checksum) around wrong columns: what only the structure checks catch."""
    import json
    import zlib

    body = b"".join(json.dumps(c).encode() + b"\n" for c in (ids, runs, titles))
    seal = {"schema": 1, "count": count, "library": firstscreen.identity(d / "library.json"), "crc32": zlib.crc32(body)}
    (d / FIRST_SCREEN).write_bytes(body + json.dumps(seal).encode() + b"\n")


DAMAGE = {
    "missing": lambda d: (d / FIRST_SCREEN).unlink(),
    "library touched": _stale_by_touch,
    "library replaced by a copy": _stale_by_copy,
    "truncated": _truncated,
    "a flipped byte": _bit_flip,
    "empty": _replace_first_screen(""),
    "garbage": _replace_first_screen("\x00\xff not json\n{]\n"),
    "a directory": lambda d: ((d / FIRST_SCREEN).unlink(), (d / FIRST_SCREEN).mkdir()),
    "newer schema": _newer_schema,
    "count differs": lambda d: _sealed(d, ["a", "b"], ["A", "B"], [["2026-01-01", 2]], 3),
    "an id twice": lambda d: _sealed(d, ["a", "a"], ["A", "B"], [["2026-01-01", 2]], 2),
    "an id not a string": lambda d: _sealed(d, ["a", 7], ["A", "B"], [["2026-01-01", 2]], 2),
    "dates do not add up": lambda d: _sealed(d, ["a", "b"], ["A", "B"], [["2026-01-01", 1]], 2),
    "a date run damaged": lambda d: _sealed(d, ["a", "b"], ["A", "B"], [["2026-01-01", 2, 5]], 2),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_missing_stale_or_damaged_file_means_a_full_read(library_dir, damage):
    expected = list_view(Store(library_dir))
    DAMAGE[damage](library_dir)
    store = lazy(library_dir)  # no error, no warning: it is a cache
    assert store.loaded
    assert list_view(store) == expected and store.view_ids("inbox") == INBOX


def test_a_file_that_disagrees_with_the_library_is_found_out_when_the_rest_is_read(library_dir):
    """Seal and identity right, columns wrong (a writer's bug, or a stat that did not change): load_rest compares
    and says so, and from then on everything comes from the library."""
    papers = display_order(sample_papers())
    papers[0], papers[1] = papers[1], papers[0]
    papers[2] = Paper(papers[2].id, "A Title From Nowhere", sources=[Source("x", "2030-01-01")])
    source = firstscreen.identity(library_dir / "library.json")
    (library_dir / FIRST_SCREEN).write_bytes(b"".join(firstscreen.dump(papers, source)))
    store = lazy(library_dir)
    assert not store.loaded and store.ordered_ids()[:2] == [INBOX[1], INBOX[0]]
    assert store.load_rest() is False
    assert store.ordered_ids() == [p.id for p in display_order(sample_papers())]
    assert store.title(papers[2].id) == sample_papers()[2].title
    assert store.load_rest() is True  # read already
    assert store.library.write_first_screen() is True  # the app replaces it
    assert list_view(lazy(library_dir)) == list_view(Store(library_dir))


def test_a_damaged_line_of_titles_behind_a_good_seal_is_answered_from_the_library(library_dir):
    """Titles are checked when their line is first parsed (a row needs one): a bad line reads the library instead."""
    store = Store(library_dir)
    ids = store.ordered_ids()
    runs = [[day, 1] for day in (store.first_seen(pid) for pid in ids)]
    for bad in (["too", "few"], [1] * len(ids)):
        _sealed(library_dir, ids, bad, runs, len(ids))
        fresh = lazy(library_dir)
        assert not fresh.loaded and fresh.ordered_ids() == ids  # ids and dates are checked at open
        assert fresh.title(ids[3]) == store.title(ids[3]) and fresh.loaded
    _sealed(library_dir, ids, [store.title(p) for p in ids], runs, len(ids))  # good columns: used as they are
    fresh = lazy(library_dir)
    assert [fresh.title(p) for p in ids] == [store.title(p) for p in ids] and not fresh.loaded


def test_many_papers_over_several_lines_of_titles(tmp_path):
    n = 2 * firstscreen.TITLES_PER_LINE + 5
    store = Store(tmp_path)
    for i in range(n):  # newest last in the feed, so the order reverses it
        day = f"2026-{1 + i % 12:02d}-01"
        store.library.add(Paper(f"p{i:05d}", f"Title \\ \"{i}\" ünï", sources=[Source("f", day)]))
    store.library.save()
    eager, fresh = Store(tmp_path), lazy(tmp_path)
    assert not fresh.loaded and len(fresh) == n
    assert list_view(fresh) == list_view(eager)
    assert fresh.load_rest() is True  # and the file agrees with the library, line for line


def test_save_replaces_it_and_an_ingest_after_a_lazy_open_keeps_it_fresh(library_dir):
    store = lazy(library_dir)
    store.library.add(Paper("2612.00001", "A Newer Paper", sources=[Source("d.txt", "2026-12-01")]))
    assert store.library.write_first_screen() is False  # memory differs from library.json: not from these
    store.library.save()
    fresh = lazy(library_dir)
    assert not fresh.loaded
    assert fresh.ordered_ids()[0] == "2612.00001" and fresh.title("2612.00001") == "A Newer Paper"
    assert len(fresh) == 11


def test_a_first_screen_file_that_cannot_be_written_does_not_fail_the_save(library_dir, monkeypatch):
    real = library.prepare

    def prepare(path, data):
        if Path(path).name == FIRST_SCREEN_FILE:
            raise OSError(28, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(library, "prepare", prepare)
    store = Store(library_dir)
    store.library.add(Paper("2612.00001", "A Newer Paper", sources=[Source("d.txt", "2026-12-01")]))
    store.library.save()  # no error: the library is saved, the old first-screen file is stale now
    fresh = lazy(library_dir)
    assert fresh.loaded and fresh.ordered_ids()[0] == "2612.00001"
    assert not [p for p in library_dir.iterdir() if p.name.endswith(".tmp")]


def test_a_library_damaged_in_place_fails_when_the_rest_is_read(library_dir):
    """Same size, mtime and inode, other bytes (a bad disk): the lazy open cannot tell; reading the rest says what
    an eager open would have said, every time it is asked, without parsing again."""
    path = library_dir / "library.json"
    st = path.stat()
    raw = path.read_bytes()
    with open(path, "r+b") as f:
        f.write(b"#" * 16 + raw[16:32])
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    store = lazy(library_dir)
    assert not store.loaded and store.view_ids("inbox") == INBOX
    with pytest.raises(DataFileError):
        store.load_rest()
    with pytest.raises(DataFileError):
        store.get(INBOX[0])
    assert store.title(INBOX[0]) == sample_papers()[0].title  # the list still answers
    with pytest.raises(DataFileError):
        Store(library_dir)  # as the eager open says


def test_empty_and_new_data_dirs(tmp_path, empty_dir):
    assert lazy(empty_dir).loaded and len(lazy(empty_dir)) == 0 and not empty_dir.exists()
    store = Store(tmp_path / "d")
    store.library.save()  # an empty library still gets its (empty) first-screen file
    fresh = lazy(tmp_path / "d")
    assert not fresh.loaded and len(fresh) == 0 and fresh.view_ids("all") == []

"""Damaged data files and failed saves, through the real CLI in subprocesses.

A truncated, garbage, non-UTF-8 or newer-version library.json / abstracts.json / state.json: every command says so
in one line naming the file and the backup, without a traceback, and never overwrites it; `doctor --repair`
restores the backup and keeps the damaged copy. A save that fails (disk full, read-only) changes no file.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage import atomic, journal
from storage.errors import SaveError
from storage.model import Paper, Source
from storage.store import Store

from support.clihelp import run, run_process
from support.datadir import snapshot, tmpfs

FEED = """Get trending papers in your email inbox!

Mar 14, 2026

Cartographer: Mapping Long-Horizon Web Tasks to Subgoals

We map web tasks to subgoals with an invented planner and an invented benchmark of 300 tasks.
"""
FILES = ("library.json", "abstracts.json", "state.json")


def make_data(d: Path) -> Path:
    """Library and state, each written twice, so every file has a good .bak."""
    store = Store(d)
    for i in range(3):
        store.library.add(Paper(id=f"2611.0100{i}", title=f"Invented Paper {i}", abstract=f"Abstract {i}.",
                                sources=[Source("seed.txt", "2026-11-20")]))
    store.library.save()
    store.library.add(Paper(id="2611.01009", title="Invented Paper 9", abstract="Abstract 9.",
                            sources=[Source("seed.txt", "2026-11-21")]))
    store.library.save()
    store.set_star(["2611.01000"], True)
    store.add_tags(["2611.01001"], ["keep"])
    store.close()  # the state file: written when created and again here, from its journal
    for name in FILES:
        assert atomic.backup_path(d / name).exists()
    return d


def truncate(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def garbage(raw: bytes) -> bytes:
    return bytes((i * 151 + 7) % 256 for i in range(300))


def bad_utf8(raw: bytes) -> bytes:
    i = raw.index(b"Invented") if b"Invented" in raw else raw.index(b'"', 2) + 1
    return raw[:i] + b"\xff\xfe\xc3" + raw[i:]


def newer(raw: bytes) -> bytes:
    data = json.loads(raw)
    if "schema" in data:
        data["schema"] = 99
    else:
        data["meta"]["schema"]["version"] = 99
    return json.dumps(data).encode()


DAMAGE = {"truncated": truncate, "garbage": garbage, "invalid-utf8": bad_utf8, "newer-version": newer}
PROBLEM = {"truncated": "not valid JSON", "garbage": "not valid JSON", "invalid-utf8": "not valid JSON",
           "newer-version": "written by a newer papertriage (schema 99"}


def one_line_error(proc, path: Path) -> str:
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: "), proc.stderr
    assert str(path) in proc.stderr and f"{path.name}.bak" in proc.stderr, proc.stderr
    return proc.stderr


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("name", FILES)
def test_damaged_file_is_named_kept_and_repaired(tmp_path, name, damage):
    d = make_data(tmp_path / "data")
    path = d / name
    good_backup = atomic.backup_path(path).read_bytes()
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    feed = tmp_path / "feed.txt"
    feed.write_text(FEED)
    before = snapshot(d)

    # Reading and writing commands refuse in one line, naming the file and its backup; nothing is written.
    assert PROBLEM[damage] in one_line_error(run("list", "--json", data_dir=d), path)
    writer = ("star", "2611.01002") if name == "state.json" else ("ingest", str(feed))
    one_line_error(run(*writer, data_dir=d), path)
    if name != "abstracts.json":  # the plain list never needs the abstracts
        one_line_error(run("list", data_dir=d), path)
    one_line_error(run("export", "--view", "all", data_dir=d), path)
    assert snapshot(d) == before

    proc = run("doctor", data_dir=d, check_rc=1)
    assert f"DAMAGED {path}" in proc.stdout and "--repair" in proc.stdout
    assert snapshot(d) == before
    proc = run("doctor", "--repair", data_dir=d, check_rc=0)
    assert f"restored from {name}.bak" in proc.stdout
    kept = [p for p in d.iterdir() if p.name.startswith(f"{name}.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == before[name]  # the damaged copy, byte for byte
    assert path.read_bytes() == good_backup

    listed = json.loads(run("list", "--json", data_dir=d, check_rc=0).stdout)
    assert {p["id"] for p in listed} >= {"2611.01000", "2611.01001", "2611.01002"}
    run(*writer, data_dir=d, check_rc=0)  # and it is writable again


def test_damage_without_a_backup_names_the_file_only(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    (d / "state.json").write_bytes(b'{"state": {"a": {"starred": tr')
    proc = run("list", data_dir=d, check_rc=1)
    assert str(d / "state.json") in proc.stderr and ".bak" not in proc.stderr and proc.stderr.count("\n") == 1
    proc = run("doctor", "--repair", data_dir=d, check_rc=1)
    assert "no good backup" in proc.stdout
    assert (d / "state.json").read_bytes() == b'{"state": {"a": {"starred": tr'


@pytest.mark.parametrize(
    "name, content",
    [
        ("state.json", {"meta": {"schema": {"version": 2}}, "state": {"a": {"status": "bogus"}}}),
        ("state.json", {"meta": {"schema": {"version": 2}}, "state": {"a": {"tags": 5}}}),
        ("state.json", {"meta": {"schema": {"version": 2}, "history": {"undo": "x"}}, "state": {}}),
        ("state.json", {"meta": {"schema": {"version": "two"}}, "state": {}}),
        ("library.json", {"schema": 2, "papers": [{"id": "a", "title": 5}]}),
        ("library.json", {"schema": 2, "papers": [{"id": "a"}, {"id": "a"}]}),
        ("library.json", {"schema": 2, "papers": [{"title": "no id"}]}),
        ("abstracts.json", {"schema": 2, "abstracts": {"a": ["not", "text"]}}),
    ],
)
def test_valid_json_with_a_damaged_inside_is_a_clear_error(tmp_path, name, content):
    d = tmp_path / "data"
    d.mkdir()
    (d / "library.json").write_text(json.dumps({"schema": 2, "papers": [{"id": "a", "title": "A"}]}))
    (d / name).write_text(json.dumps(content))
    before = snapshot(d)
    proc = run("list", "--json", data_dir=d, check_rc=1)
    assert str(d / name) in proc.stderr and proc.stderr.count("\n") == 1
    assert snapshot(d) == before


# -- failed saves ------------------------------------------------------------------------------------------------------
ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def fail_fsync(monkeypatch):
    """A disk that fills up while saving: the data reaches the temp file but cannot be made durable."""

    def fsync(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", fsync)


def read_only(monkeypatch, only: str = ""):
    """A read-only data dir: the temp file cannot even be created (for names containing `only`)."""
    real = open

    def fake_open(path, mode="r", *a, **k):
        if ("w" in mode or "a" in mode) and only in str(path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real(path, mode, *a, **k)

    monkeypatch.setattr(atomic, "open", fake_open, raising=False)
    monkeypatch.setattr(journal, "open", fake_open, raising=False)  # its appends, too


@pytest.mark.parametrize("failure", [fail_fsync, read_only])
def test_a_failed_state_save_keeps_the_change_in_memory_and_no_file_changes(tmp_path, monkeypatch, failure):
    d = make_data(tmp_path / "data")
    store = Store(d)
    before = snapshot(d)
    failure(monkeypatch)
    store.set_star(["2611.01002"], True)
    assert store.state_of("2611.01002").starred and store.state.unsaved_error is not None
    assert snapshot(d) == before  # neither state.json nor its .bak, and no temp file left
    store.add_tags(["2611.01002"], ["later"])  # more changes while the disk is full pile up in memory
    monkeypatch.undo()
    store.state.flush()  # the retry once there is room again
    assert store.state.unsaved_error is None
    again = Store(d)
    assert again.state_of("2611.01002").starred and again.state_of("2611.01002").tags == ["later"]


@pytest.mark.parametrize("only", ["abstracts.json", "library.json"])
def test_a_failed_library_save_changes_neither_library_file(tmp_path, monkeypatch, only):
    d = make_data(tmp_path / "data")
    feed = tmp_path / "feed.txt"
    feed.write_text(FEED)
    store = Store(d)
    before = snapshot(d)
    read_only(monkeypatch, only)  # library.json failing means abstracts.json was already replaced: it is put back
    with pytest.raises(SaveError) as e:
        store.ingest([str(feed)])
    assert str(e.value).startswith(f"{d / only}: could not save (Read-only file system)")
    assert snapshot(d) == before


WRAPPER = """
import errno, os, sys
import storage.atomic as atomic
import storage.journal as journal
mode = sys.argv[1]
def fsync(fd):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
def fake_open(path, m="r", *a, **k):
    if "w" in m or "a" in m:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
    return open(path, m, *a, **k)
if mode == "full":
    atomic.os.fsync = fsync
else:
    atomic.open = journal.open = fake_open
from tui.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("mode, reason", [("full", "No space left on device"), ("ro", "Read-only file system")])
def test_cli_on_a_full_or_read_only_disk(tmp_path, mode, reason):
    d = make_data(tmp_path / "data")
    feed = tmp_path / "feed.txt"
    feed.write_text(FEED)
    before = snapshot(d)
    for args, target in ((["star", "2611.01002"], "state.json"), (["ingest", str(feed)], "abstracts.json"),
                         (["note", "2611.01001", "a note"], "state.json")):
        proc = subprocess.run([sys.executable, "-c", WRAPPER, mode, "--data-dir", str(d), *args],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert proc.stderr.count("\n") == 1, proc.stderr
        assert proc.stderr.startswith(f"error: {d / target}: could not save ({reason})"), proc.stderr
        assert snapshot(d) == before


# -- a real full / read-only filesystem (needs `mount`, i.e. root; skipped elsewhere) -----------------------------------


@pytest.fixture
def tiny_fs(tmp_path):
    with tmpfs(tmp_path / "mnt", "256k") as mnt:
        yield mnt


def fill(mnt: Path) -> Path:
    filler = mnt / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as e:
        assert e.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def test_real_full_disk(tiny_fs, tmp_path):
    d = make_data(tiny_fs / "data")
    feed = tmp_path / "feed.txt"
    feed.write_text(FEED)
    filler = fill(tiny_fs)
    before = snapshot(d)
    for args, target in ((["star", "2611.01002"], "state.json"), (["ingest", str(feed)], "abstracts.json")):
        proc = run(*args, data_dir=d, check_rc=1)
        assert proc.stderr.count("\n") == 1, proc.stderr
        assert proc.stderr.startswith(f"error: {d / target}: could not save (No space left on device)"), proc.stderr
        assert snapshot(d) == before
    filler.unlink()
    run("star", "2611.01002", data_dir=d, check_rc=0)
    run("ingest", str(feed), data_dir=d, check_rc=0)


def test_real_read_only_data_dir(tiny_fs):
    d = make_data(tiny_fs / "data")
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_fs)], check=True)
    listed = json.loads(run("list", "--json", data_dir=d, check_rc=0).stdout)  # reading still works
    assert len(listed) == 4
    proc = run("star", "2611.01002", data_dir=d, check_rc=1)
    assert proc.stderr.count("\n") == 1 and str(d) in proc.stderr and "Read-only" in proc.stderr, proc.stderr


def test_temp_files_of_killed_writers_are_swept_but_a_live_writers_are_not(tmp_path):
    d = make_data(tmp_path / "data")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid, live_pid = int(dead.stdout), os.getppid()
    stale = [d / f".state.json.{dead_pid}.tmp", d / f".library.json.{dead_pid}.baktmp"]
    live = d / f".state.json.{live_pid}.tmp"
    for p in (*stale, live):
        p.write_bytes(b"half a write")
    run_process("star", "2611.01002", data_dir=d, check_rc=0)  # a new process: its first write sweeps the directory
    assert not any(p.exists() for p in stale) and live.exists()

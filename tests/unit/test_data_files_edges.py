"""Issue 10 items 10, 12-14, 16: data files that are not regular files, export through symlinks and into devices,
file modes kept and private by default, temp files of killed writes, and a journal damaged in the middle."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from storage.store import Store
from support.clihelp import FEEDS, cli

HF = FEEDS / "hf_daily_2024-05-28.json"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# -- 10: special files where data files belong -----------------------------------------------------------------------
def test_doctor_repair_moves_aside_a_journal_that_is_a_directory(library_dir, capsys):
    journal = library_dir / "state.journal"
    for p in journal.iterdir() if journal.is_dir() else ():
        p.unlink()
    journal.unlink()
    journal.mkdir()
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "doctor")
    assert code == 1 and err == ""
    assert f"DAMAGED {journal}: cannot read: not a regular file (a directory)" in out
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "doctor", "--repair")
    assert code == 0 and err == "", err
    first = out.splitlines()[0]
    assert first.startswith(f"{journal}: not a regular file (a directory); moved aside as state.journal.damaged-")
    assert not journal.exists() and [p for p in library_dir.iterdir() if p.name.startswith("state.journal.damaged")]
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "star", "2611.01001")
    assert code == 0, err


def test_a_fifo_in_place_of_the_first_screen_file_does_not_block_the_open(library_dir):
    screen = library_dir / "first-screen.jsonl"
    screen.unlink(missing_ok=True)
    os.mkfifo(screen)
    store = Store(library_dir, lazy=True)  # would block for ever in open() before
    assert len(store) == 10 and store.loaded


def test_a_fifo_in_place_of_the_library_is_one_line(library_dir, capsys):
    lib = library_dir / "library.json"
    lib.unlink()
    os.mkfifo(lib)
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "list")
    assert code == 1
    assert err.startswith(f"error: {lib}: cannot read: not a regular file (a FIFO)") and err.count("\n") == 1


# -- 12: export -o ----------------------------------------------------------------------------------------------------
def test_export_writes_through_a_symlink_and_keeps_the_mode(library_dir, tmp_path, capsys):
    target, link = tmp_path / "target.md", tmp_path / "link.md"
    target.write_text("old")
    os.chmod(target, 0o600)
    link.symlink_to(target)
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "export", "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("# Starred papers") and mode(target) == 0o600


def test_export_into_a_device_or_fifo_writes_into_it(library_dir, tmp_path, capsys):
    # A null device of our own: a broken export run as root must not replace the machine's /dev/null.
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (OSError, AttributeError) as e:
        pytest.skip(f"cannot make a device node here: {e}")
    before = os.stat(null)
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "export", "-o", str(null))
    assert code == 0, err
    after = os.stat(null)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino and after.st_rdev == before.st_rdev
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader waiting, as `cat pipe` would
    try:
        code, out, err = cli(capsys, "--data-dir", str(library_dir), "export", "-o", str(fifo))
        assert code == 0, err
        assert os.read(reader, 1 << 16).startswith(b"# Starred papers")
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "export", "-o", str(tmp_path))
    assert code == 1 and err == f"error: {tmp_path}: cannot write (is a directory)\n"


def test_a_new_export_file_gets_the_usual_mode(library_dir, tmp_path, capsys):
    old = os.umask(0o022)
    try:
        assert cli(capsys, "--data-dir", str(library_dir), "export", "-o", str(tmp_path / "new.md"))[0] == 0
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.md") == 0o644  # an export is for sharing, unlike the data files


# -- 13: data file modes ----------------------------------------------------------------------------------------------
def test_new_data_files_are_private_and_the_data_dir_is_700(tmp_path, capsys):
    data = tmp_path / "fresh"
    old = os.umask(0o022)
    try:
        assert cli(capsys, "--data-dir", str(data), "ingest", str(HF))[0] == 0
        assert cli(capsys, "--data-dir", str(data), "note", "2405.90001", "private")[0] == 0
    finally:
        os.umask(old)
    assert mode(data) == 0o700
    files = [p for p in data.iterdir() if p.is_file()]  # (rank/ is a directory of its own helper)
    assert {p.name for p in files} >= {"library.json", "abstracts.json", "state.json", "state.journal", "lock"}
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}


def test_a_save_keeps_the_mode_the_user_gave(library_dir, capsys):
    for name in ("state.json", "library.json", "abstracts.json"):
        os.chmod(library_dir / name, 0o640)
    assert cli(capsys, "--data-dir", str(library_dir), "note", "2611.01001", "a note")[0] == 0
    store = Store(library_dir)
    store.state.flush()
    store.state._snapshot(raise_error=True)  # the state file itself rewritten, not only the journal appended
    assert cli(capsys, "--data-dir", str(library_dir), "ingest", str(HF))[0] == 0
    assert {n: mode(library_dir / n) for n in ("state.json", "library.json", "abstracts.json")} == {
        "state.json": 0o640, "library.json": 0o640, "abstracts.json": 0o640}


# -- 14: temp files of killed writes ----------------------------------------------------------------------------------
def fold(data: Path) -> None:
    """Everything so far into state.json, so the journal starts empty."""
    store = Store(data)
    store.state._snapshot(raise_error=True)
    store.close()


def _dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_temp_files_of_killed_writes_are_reported_by_doctor_and_swept_at_open(library_dir, capsys):
    dead = _dead_pid()
    stale = library_dir / f".library.json.{dead}.tmp"
    stale.write_bytes(b"x" * 200_000)
    live = library_dir / f".abstracts.json.{os.getppid()}.tmp"  # a live process's write in progress
    live.write_bytes(b"y")
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "doctor")
    assert code == 0
    assert (f"stale   {stale}: left by a write that was killed (0.2 MB); removed at the next open or by "
            "`papertriage doctor --repair`") in out
    assert str(live) not in out
    assert stale.exists()  # doctor only reports
    assert cli(capsys, "--data-dir", str(library_dir), "list")[0] == 0
    assert not stale.exists() and live.exists()


def test_doctor_repair_removes_them(library_dir, capsys):
    stale = library_dir / f".state.json.{_dead_pid()}.baktmp"
    stale.write_bytes(b"x")
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "doctor", "--repair")
    assert code == 0 and f"{stale}: removed (left by a write that was killed)" in out
    assert not stale.exists()


# -- 16: a journal damaged in the middle --------------------------------------------------------------------------------
def test_repair_keeps_the_good_lines_after_a_damaged_one(library_dir, capsys):
    journal = library_dir / "state.journal"
    fold(library_dir)
    store = Store(library_dir)
    store.set_star(["2611.01001"], True)  # action A
    store.add_tags(["2611.01002"], ["lost"])  # action B: its line gets damaged
    store.set_note("2611.01010", "after the damage")  # action C
    store.set_star(["2611.01003"], False)  # action D
    store.state.journal.close()
    lines = journal.read_bytes().splitlines(keepends=True)
    assert len(lines) == 4
    seqs = [json.loads(line)["seq"] for line in lines]
    lines[1] = lines[1][:20] + b"\x00garbage\n"
    journal.write_bytes(b"".join(lines))
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "list")
    assert code == 1 and "line 2 is damaged" in err
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "doctor", "--repair")
    assert code == 0, out + err
    said = out.splitlines()[0]
    assert said.startswith(f"{journal}: kept the 3 good line(s); dropped line 2 (not valid JSON) (action(s) "
                           f"{seqs[1]}: lost; the later ones replay without them, the undo history may miss those "
                           "steps); the damaged file was kept as state.journal.damaged-"), said
    store = Store(library_dir)
    assert store.state_of("2611.01001").starred  # before the damage
    assert store.state_of("2611.01010").note == "after the damage"  # after it: kept
    assert not store.state_of("2611.01003").starred
    assert "lost" not in store.state_of("2611.01002").tags  # the damaged action is the one that is gone
    store.set_star(["2611.01002"], True)  # and the journal goes on
    store.close()
    assert Store(library_dir).state_of("2611.01002").starred


def test_repair_fills_the_gap_when_the_first_line_is_damaged(library_dir, capsys):
    journal = library_dir / "state.journal"
    fold(library_dir)
    store = Store(library_dir)
    store.set_star(["2611.01001"], True)
    store.set_note("2611.01010", "second")
    store.state.journal.close()
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(b"{broken\n" + lines[1])
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "doctor", "--repair")
    assert code == 0 and "kept the 1 good line(s); dropped line 1 (not valid JSON)" in out
    assert Store(library_dir).state_of("2611.01010").note == "second"


def test_a_line_out_of_order_after_the_damage_is_dropped_too(tmp_path):
    from storage.journal import salvage

    journal = tmp_path / "state.journal"
    recs = [{"seq": 1}, "bad", {"seq": 3}, {"seq": 2}, {"seq": 4}]
    journal.write_bytes(b"".join((json.dumps(r).encode() if r != "bad" else b"}{") + b"\n" for r in recs))
    saved = salvage(journal)
    assert (saved.kept, saved.lost) == (3, [2])
    assert saved.dropped == ["line 2 (not valid JSON)", "line 4 (action 2 out of order)"]
    assert [json.loads(x)["seq"] for x in journal.read_bytes().splitlines()] == [1, 2, 3, 4]

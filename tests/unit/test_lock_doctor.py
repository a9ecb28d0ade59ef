"""One writer per data directory (two real processes) and `papertriage doctor` on damaged files."""

import json
import subprocess
import sys
import textwrap

import pytest

from storage.lock import LockedError, WriterLock
from storage.model import Paper, Source
from storage.store import Store

from support.clihelp import run


def make_library(d, n=3):
    s = Store(d)
    for i in range(n):
        s.library.add(Paper(id=f"p{i}", title=f"Paper {i}", abstract="a", sources=[Source("f", "2026-03-01")]))
    s.library.save()
    return Store(d)


@pytest.fixture
def holder(tmp_path):
    """A second real process holding the writer lock, as an open app would."""
    code = textwrap.dedent(f"""
        import sys, time
        from storage.lock import WriterLock
        WriterLock({str(tmp_path)!r}, command="papertriage (test holder)").acquire()
        print("locked", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    yield proc
    proc.kill()
    proc.wait()


def test_second_writer_is_refused_naming_the_holder(tmp_path, holder):
    make_library(tmp_path)
    with pytest.raises(LockedError) as e:
        WriterLock(tmp_path).acquire(wait=0.2)
    assert f"pid {holder.pid}" in str(e.value) and "test holder" in str(e.value)
    proc = run("star", "p1", data_dir=tmp_path, check_rc=1)
    assert "in use by another papertriage" in proc.stderr and str(holder.pid) in proc.stderr
    assert proc.stderr.count("\n") == 1
    proc = run(data_dir=tmp_path, check_rc=1)  # a second app refuses before drawing anything
    assert "in use by another papertriage" in proc.stderr


def test_readers_work_while_locked(tmp_path, holder):
    make_library(tmp_path)
    listed = json.loads(run("list", "--json", data_dir=tmp_path, check_rc=0).stdout)
    assert [p["id"] for p in listed] == ["p2", "p1", "p0"] or len(listed) == 3
    run("export", data_dir=tmp_path, check_rc=0)
    run("dupes", data_dir=tmp_path, check_rc=0)


def test_lock_is_released_when_the_holder_dies(tmp_path, holder):
    make_library(tmp_path)
    holder.kill()
    holder.wait()
    run("star", "p1", data_dir=tmp_path, check_rc=0)
    assert Store(tmp_path).state_of("p1").starred


def test_writer_waits_briefly_for_the_lock(tmp_path):
    make_library(tmp_path)
    code = "import time; from storage.lock import WriterLock; l = WriterLock(%r).acquire(); print('x', flush=True); time.sleep(0.5)" % str(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    proc.stdout.readline()
    run("star", "p2", data_dir=tmp_path, check_rc=0)  # waits up to 2 s, the holder exits after 0.5 s
    proc.wait()
    assert Store(tmp_path).state_of("p2").starred


def test_doctor_reports_and_repairs_a_damaged_state_file(tmp_path):
    s = make_library(tmp_path)
    s.set_star(["p0"], True)
    s.close()  # the state file is rewritten from the journal here, and again below: the .bak has p0 starred
    s.add_tags(["p1"], ["keep"])
    s.close()
    state = tmp_path / "state.json"
    state.write_bytes(state.read_bytes()[:40])  # truncated by a crash of something else
    proc = run("list", data_dir=tmp_path, check_rc=1)
    assert str(state) in proc.stderr and "state.json.bak" in proc.stderr
    proc = run("doctor", data_dir=tmp_path, check_rc=1)
    assert "DAMAGED" in proc.stdout and "--repair" in proc.stdout
    damaged = state.read_bytes()
    proc = run("doctor", "--repair", data_dir=tmp_path, check_rc=0)
    assert "restored from state.json.bak" in proc.stdout
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("state.json.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    s = Store(tmp_path)
    assert s.state_of("p0").starred  # the backup holds the state before the last write


def test_doctor_on_garbage_library_without_backup(tmp_path):
    (tmp_path / "library.json").write_bytes(b"\x00\x01garbage")
    proc = run("doctor", "--repair", data_dir=tmp_path, check_rc=1)
    assert "no good backup" in proc.stdout
    assert (tmp_path / "library.json").read_bytes() == b"\x00\x01garbage"


def test_doctor_reports_a_damaged_journal_and_repair_keeps_the_lines_before_it(tmp_path):
    s = make_library(tmp_path)
    s.set_star(["p0"], True)
    s.add_tags(["p1"], ["keep"])
    journal = tmp_path / "state.journal"
    good = journal.read_bytes()
    journal.write_bytes(good + b"\x00\x00garbage from a bad disk\n" + good.splitlines(keepends=True)[0])
    damaged = journal.read_bytes()
    proc = run("list", data_dir=tmp_path, check_rc=1)
    assert proc.stderr.count("\n") == 1 and f"{journal}: line 3 is damaged" in proc.stderr
    proc = run("doctor", data_dir=tmp_path, check_rc=1)
    assert "DAMAGED" in proc.stdout and str(journal) in proc.stdout and "ok      " + str(tmp_path / "state.json") in proc.stdout
    proc = run("doctor", "--repair", data_dir=tmp_path, check_rc=0)
    assert "kept the 2 good line(s)" in proc.stdout
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("state.journal.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert journal.read_bytes() == good
    s = Store(tmp_path)
    assert s.state_of("p0").starred and s.state_of("p1").tags == ["keep"]

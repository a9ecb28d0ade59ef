"""A SIGKILL at any step of `papertriage sync` loses nothing, and the next sync finishes the job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from storage.store import Store
from storage.sync.run import KILL_ENV

FEEDS = Path(__file__).parents[1] / "fixtures" / "feeds"


def run_sync(data: Path, folder: Path, kill_at: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if kill_at:
        env[KILL_ENV] = kill_at
    return subprocess.run([sys.executable, "-m", "tui.cli", "--data-dir", str(data), "sync", str(folder)],
                          env=env, capture_output=True, text=True, timeout=60)


def state(data: Path) -> dict:
    s = Store(data)
    return {pid: (st.starred, sorted(st.tags), st.note, st.status.value) for pid in s.view_ids("all")
            if (st := s.state_of(pid)) and not st.is_default()}


@pytest.mark.parametrize("step", ["written", "papers", "merged", "saved"])
def test_kill_during_sync_then_sync_again(tmp_path, step):
    folder = tmp_path / "Sync"
    folder.mkdir()
    a, b = tmp_path / "a", tmp_path / "b"
    sb = Store(b)
    sb.ingest([str(FEEDS / "hf_day1.txt")])
    sa = Store(a)
    sa.ingest([str(FEEDS / "hf_day1.txt"), str(FEEDS / "hf_day2.txt")])
    pids = sb.view_ids("all")[:3] + [p for p in sa.view_ids("all") if p not in sb][:1]
    sa.set_star(pids[:3], True)
    sa.set_note(pids[-1], "from a")  # a paper b lacks: it must arrive with its note
    sa.close()
    sb.add_tags([pids[0]], ["from-b"])
    sb.set_status([pids[1]], "read")
    sb.close()
    assert run_sync(a, folder).returncode == 0
    killed = run_sync(b, folder, kill_at=step)
    assert killed.returncode == -signal.SIGKILL
    again = run_sync(b, folder)
    assert again.returncode == 0 and "Traceback" not in again.stderr
    assert run_sync(a, folder).returncode == 0
    assert run_sync(b, folder).returncode == 0
    want = {pids[0]: (True, ["from-b"], "", "inbox"), pids[1]: (True, [], "", "read"), pids[2]: (True, [], "", "inbox"),
            pids[-1]: (False, [], "from a", "inbox")}
    assert state(a) == state(b) == want

"""Crash safety: a child applying random actions through Store is killed with SIGKILL at a random moment.

After every kill the data dir must open cleanly (every file and its .bak), the writer lock must be free, and the
state must equal a model replayed from the acknowledged actions, with the one in-flight action applied or not.
The child and its protocol are in support/torture_child.py.

    pytest tests/e2e/test_torture.py             # 25 kills (part of the test command)
    pytest -s -m torture                         # 220 kills; prints "N/N kills survived, 0 acknowledged actions lost"
    TORTURE_KILLS=1000 TORTURE_SEED=7 pytest -s tests/e2e/test_torture.py
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from storage import doctor
from storage.atomic import _pid_alive, backup_path
from storage.library import read_abstracts
from storage.lock import WriterLock
from storage.model import Paper, Source
from storage.store import Store

from support.clihelp import run_process
import support.torture_child
from support.torture_child import feed_text

KILLS, DEEP_KILLS = 25, 220  # by default; under `-m torture` (TORTURE_KILLS overrides both)
SEED = int(os.environ.get("TORTURE_SEED", "20261121"))
CHILD = Path(support.torture_child.__file__)
HISTORY_LIMIT = 200
DEFAULT = (False, (), "", "inbox")


# -- the model: what the state must be after a list of actions ----------------------------------------------------
@dataclass
class Model:
    state: dict = field(default_factory=dict)  # pid -> (starred, tags, note, status); default states left out
    queue: list = field(default_factory=list)  # queued pids in reading order
    undo: list = field(default_factory=list)  # snapshots (state, queue) before each undoable action
    redo: list = field(default_factory=list)
    titles: set = field(default_factory=set)  # the library

    def copy(self) -> Model:
        return Model(dict(self.state), list(self.queue), list(self.undo), list(self.redo), set(self.titles))

    def _snap(self) -> tuple:
        return dict(self.state), tuple(self.queue)

    def _restore(self, snap: tuple) -> None:
        self.state, self.queue = dict(snap[0]), list(snap[1])

    def _set(self, pid: str, **change) -> None:
        starred, tags, note, status = self.state.get(pid, DEFAULT)
        new = dict(starred=starred, tags=tags, note=note, status=status) | change
        value = (new["starred"], new["tags"], new["note"], new["status"])
        if value == DEFAULT:
            self.state.pop(pid, None)
        else:
            self.state[pid] = value

    def apply(self, a: dict) -> None:
        op = a["op"]
        if op == "ingest":
            self.titles.update(feed_text(a["seed"], a["count"])[1])
            return
        if op in ("undo", "redo"):
            src, dst = (self.undo, self.redo) if op == "undo" else (self.redo, self.undo)
            if src:
                dst.append(self._snap())
                self._restore(src.pop())
            return
        before = self._snap()
        pids = list(dict.fromkeys(a.get("pids", [a.get("pid")])))
        for pid in pids:
            tags = self.state.get(pid, DEFAULT)[1]
            if op == "star":
                self._set(pid, starred=a["on"])
            elif op == "tag":
                self._set(pid, tags=tags + tuple(t for t in a["tags"] if t not in tags))
            elif op == "untag":
                self._set(pid, tags=tuple(t for t in tags if t not in a["tags"]))
            elif op == "note":
                self._set(pid, note=a["text"].rstrip())
            elif op == "status":
                old = self.state.get(pid, DEFAULT)[3]
                if old != a["status"]:
                    if old == "queued":
                        self.queue.remove(pid)
                    if a["status"] == "queued":
                        self.queue.append(pid)
                    self._set(pid, status=a["status"])
            elif op == "move":
                i = self.queue.index(pid) if pid in self.queue else -1
                j = i + a["delta"]
                if i >= 0 and 0 <= j < len(self.queue):
                    self.queue[i], self.queue[j] = self.queue[j], self.queue[i]
        if (self.state, tuple(self.queue)) != before:  # a no-op leaves no undo entry
            self.undo = (self.undo + [before])[-HISTORY_LIMIT:]
            self.redo = []


def observe(store: Store) -> tuple:
    """What the model describes, read from disk by a fresh Store (the one Checker.check opened)."""
    state = {}
    for pid in store.library.by_id:
        s = store.state_of(pid)
        value = (s.starred, tuple(s.tags), s.note, s.status.value)
        if value != DEFAULT:
            state[pid] = value
    history = store.state._history if store.state else {"undo": [], "redo": []}
    titles = {p.title for p in store.papers}
    return state, store.view_ids("queue"), len(history["undo"]), len(history["redo"]), titles


def expected(m: Model) -> tuple:
    return m.state, m.queue, len(m.undo), len(m.redo), m.titles


# -- the data dir checks after each kill ------------------------------------------------------------------------------
class Checker:
    """The data dir checks after each kill. doctor.check reads every file and its .bak, and its verdict depends only
    on their bytes: when none changed since the last kill (the child was killed before it wrote), it is not run again.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.checked: bytes | None = None  # the digest of the files doctor.check last passed

    def digest(self) -> bytes:
        h = hashlib.blake2b()
        for path in sorted(self.data_dir.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return h.digest()

    def check(self) -> Store:
        """Checks the files and returns a fresh Store on them."""
        WriterLock(self.data_dir, command="torture parent").acquire(wait=0).release()  # the kill freed the lock
        digest = self.digest()
        if digest != self.checked:
            for f in doctor.check(self.data_dir):
                assert f.ok, f"{f.path}: {f.message}"
                if backup_path(f.path).exists():
                    assert f.backup_ok, f"{backup_path(f.path)} does not parse"
            self.checked = digest
        store = Store(self.data_dir)
        abstracts = read_abstracts(self.data_dir / "abstracts.json") or {}
        missing = [p.id for p in store.papers if not abstracts.get(p.id)]
        assert not missing, f"papers without their abstract: {missing[:5]}"
        return store


def make_library(data_dir: Path) -> set[str]:
    store = Store(data_dir)
    for i in range(40):
        store.library.add(Paper(id=f"2611.{i:05d}", title=f"Seed Paper Number {i}", abstract=f"Abstract {i}.",
                                sources=[Source("seed.txt", f"2026-11-{1 + i % 20:02d}")]))
    store.library.save()
    return {p.title for p in store.papers}


class Server:
    """The fork server (torture_child.py) and a thread that queues its output lines."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        assert self.next_line() == "server ready"

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("eof")

    def next_line(self, timeout: float = 60) -> str:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("the torture child stopped answering") from None

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def run_round(server: Server, seed: int, data_dir: Path, work: Path, delay: float) -> tuple[list[dict], dict | None]:
    """One child, killed `delay` seconds after it is ready: (acknowledged actions, the in-flight one or None)."""
    server.proc.stdin.write(f"run {seed} {data_dir} {work}\n")
    line = server.next_line()
    assert line.startswith("ready "), line
    pid = int(line.split()[1])
    threading.Event().wait(delay)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    acked, pending = [], None
    while True:
        line = server.next_line()
        kind, _, rest = line.partition(" ")
        if kind == "do":
            n, _, action = rest.partition(" ")
            pending = (int(n), json.loads(action))
        elif kind == "ack":
            assert pending and pending[0] == int(rest), line
            acked.append(pending[1])
            pending = None
        elif kind == "fail":
            raise AssertionError(f"child (seed {seed}) failed:\n{json.loads(rest)}")
        elif kind == "dead":
            assert rest.split()[0] == str(pid), line
            return acked, (pending[1] if pending else None)
        else:
            raise AssertionError(f"unexpected line from the child: {line!r}")


def lost_actions(start: Model, acked: list[dict], seen: tuple) -> str:
    """How many acknowledged actions the disk is missing: the longest replayed prefix that matches."""
    m = start.copy()
    prefixes = [expected(m.copy())]
    for a in acked:
        m.apply(a)
        prefixes.append(expected(m.copy()))
    for k in range(len(acked), -1, -1):
        if prefixes[k] == seen:
            return str(len(acked) - k)
    return "unknown (the state matches no prefix of the acknowledged actions)"


def kills_wanted(config: pytest.Config) -> int:
    """TORTURE_KILLS if set; DEEP_KILLS when the run asked for the torture marker (`-m torture`); else KILLS."""
    if os.environ.get("TORTURE_KILLS"):
        return int(os.environ["TORTURE_KILLS"])
    asked = re.sub(r"\bnot\s+torture\b", "", config.getoption("markexpr") or "")
    return DEEP_KILLS if re.search(r"\btorture\b", asked) else KILLS


@pytest.mark.torture
def test_sigkill_at_random_moments_loses_no_acknowledged_action(tmp_path, request):
    kills = kills_wanted(request.config)
    data_dir, work = tmp_path / "data", tmp_path / "work"
    model = Model(titles=make_library(data_dir))
    rng = random.Random(SEED)
    server = Server()
    checker = Checker(data_dir)
    total_acked = survived = 0
    in_flight_applied = in_flight_not = in_flight_noop = 0
    try:
        for kill in range(1, kills + 1):
            # Mostly mid-sequence; one kill in four lands within the first few actions (state file creation included).
            delay = rng.uniform(0.0, 0.02) if rng.random() < 0.25 else rng.uniform(0.02, 0.25)
            seed = SEED * 1000 + kill
            acked, in_flight = run_round(server, seed, data_dir, work, delay)
            store = checker.check()
            start = model.copy()
            for a in acked:
                model.apply(a)
            seen = observe(store)
            candidates = [model]
            if in_flight is not None:
                with_it = model.copy()
                with_it.apply(in_flight)
                candidates.append(with_it)
            match = next((m for m in candidates if expected(m) == seen), None)
            if match is None:
                summary = (f"{survived}/{kills} kills survived; kill {kill} (child seed {seed}, {len(acked)} acked, "
                           f"in flight {in_flight}) lost {lost_actions(start, acked, seen)} acknowledged actions")
                print(summary)
                raise AssertionError(summary)
            if len(candidates) == 2 and expected(candidates[0]) == expected(candidates[1]):
                in_flight_noop += 1
            elif len(candidates) == 2:
                in_flight_applied += match is not model
                in_flight_not += match is model
            model = match
            survived += 1
            total_acked += len(acked)
    finally:
        server.close()

    # The next writer (a new process: each one sweeps once) clears the temp files the last killed child left.
    run_process("note", Store(data_dir).papers[0].id, f"written after {survived} kills", data_dir=data_dir, check_rc=0)
    run_process("doctor", data_dir=data_dir, check_rc=0)
    # (A temp file whose pid a new process has taken since is kept on purpose: it could be that process's.)
    leftovers = [p.name for p in data_dir.iterdir()
                 if p.name.endswith((".tmp", ".baktmp")) and not _pid_alive(int(p.name.rsplit(".", 2)[1]))]
    summary = (f"{survived}/{kills} kills survived, 0 acknowledged actions lost "
               f"({total_acked} actions acknowledged; the action in flight at the kill was on disk {in_flight_applied} "
               f"times, not yet {in_flight_not} times, a no-op {in_flight_noop} times; {len(model.titles)} papers; seed {SEED})")
    print("\n" + summary)
    assert survived == kills and not leftovers, f"{summary}; temp files left: {leftovers}"
    assert total_acked > kills, summary  # the children really worked between kills

"""`papertriage sync`: write this device's changes out, merge every device's changes in.

The order of the steps is what makes a kill at any point harmless: this device's changes are found by comparing
the state with what the last sync left (`base`), stamped, and written to a new file first; then papers that arrived
are added to the library, then the merged state is written to the state journal, and only then is sync.json (the
registers and what was read) replaced. A kill before that last step means the next sync reads the same files again
and finds the same result; a change written twice is harmless.
"""

from __future__ import annotations

import json
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_write
from ..errors import DataFileError, PapertriageError
from ..model import Paper, PaperState
from ..state import load_json_file
from . import registers as R
from .clock import Clock, Stamp, as_stamp, wall_ms
from .files import Change, FileRead, change_files, device_id, read_file, write_changes

SYNC_FILE = "sync.json"
KILL_ENV = "PAPERTRIAGE_TEST_SYNC_KILL"  # tests/unit/test_sync_kill.py: SIGKILL this process at a named step
VERSION = 1


@dataclass
class SyncReport:
    device: str
    changes_in: dict[str, int] = field(default_factory=dict)  # device -> register writes that won here
    papers_in: int = 0
    changes_out: int = 0
    papers_out: int = 0
    damaged: int = 0  # lines skipped (torn or damaged); read again when their file changes
    pending: int = 0  # states kept for papers this library does not have yet
    write_error: str = ""

    def lines(self) -> list[str]:
        out = [f"{n} change{'s' * (n != 1)} from {dev}" for dev, n in sorted(self.changes_in.items()) if n]
        if self.papers_in:
            out.append(f"{self.papers_in} new paper{'s' * (self.papers_in != 1)}")
        if not out:
            out.append("nothing new from other devices")
        sent = f"{self.changes_out} change{'s' * (self.changes_out != 1)}"
        if self.papers_out:
            sent += f" and {self.papers_out} paper{'s' * (self.papers_out != 1)}"
        out.append(f"sent {sent}" if (self.changes_out or self.papers_out) else "nothing to send")
        if self.pending:
            out.append(f"{self.pending} paper{'s' * (self.pending != 1)} not in this library yet: their state waits")
        if self.damaged:
            out.append(f"{self.damaged} damaged or half-arrived line{'s' * (self.damaged != 1)} skipped (read again when complete)")
        return out


class SyncState:
    """sync.json: this device's clock, the merged registers, every note text, what was read and sent."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / SYNC_FILE
        d = load_json_file(self.path) or {}
        if d and d.get("version") != VERSION:
            raise DataFileError(self.path, f"unknown sync file version {str(d.get('version'))[:20]!r}")
        self.device = device_id(data_dir)
        self.clock = Clock(self.device, as_stamp(d.get("clock")) or (0, 0, self.device))
        self.registers: R.Registers = d.get("registers", {})
        self.notes: dict[str, dict[str, str]] = d.get("notes", {})
        self.pending: set[str] = set(_strings(d.get("pending", []), self.path))  # in the registers, not the library
        self.seen: dict[str, list] = d.get("seen", {})  # change file (relative) -> [size, mtime_ns]
        self.exported: set[str] = set(_strings(d.get("exported", []), self.path))
        self.mine: list[str] = d.get("mine", [])  # the files this device wrote
        self.unsent: list[str] = d.get("unsent", [])  # change lines a failed write still owes
        self.devices: dict[str, list] = d.get("devices", {})  # device -> greatest stamp read from it
        self.last_sync: str = d.get("last_sync", "")
        self.dir: str = d.get("dir", "")  # the sync folder these were read from
        self._check()

    def _check(self) -> None:
        """A sync.json edited by hand or damaged into the wrong shape is one line naming it, never a traceback."""
        shapes = {"registers": dict, "notes": dict, "seen": dict, "mine": list, "unsent": list, "devices": dict,
                  "last_sync": str, "dir": str}
        for name, kind in shapes.items():
            if not isinstance(getattr(self, name), kind):
                raise DataFileError(self.path, f"damaged content ({name} is not a {kind.__name__}); move it aside "
                                    "and sync again: every change is in the sync folder")
        for regs in self.registers.values():
            if not isinstance(regs, dict) or not all(isinstance(v, list) and len(v) == 2 and as_stamp(v[0])
                                                     for v in regs.values()):
                raise DataFileError(self.path, "damaged content (a register is not [stamp, value]); move it aside "
                                    "and sync again: every change is in the sync folder")

    def save(self) -> None:
        d = {"version": VERSION, "device": self.device, "clock": list(self.clock.last), "registers": self.registers,
             "notes": self.notes, "pending": sorted(self.pending), "seen": self.seen,
             "exported": sorted(self.exported), "mine": self.mine, "unsent": self.unsent,
             "devices": self.devices, "last_sync": self.last_sync, "dir": self.dir}
        atomic_write(self.path, json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode())


def _strings(value: object, path: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(path, "damaged content (a list of paper ids is not one); move it aside and sync again")
    return value


def base_fields(st: SyncState, pid: str) -> dict[str, object]:
    """What this device's state of a paper was when the last sync ended (the registers, unless it was pending)."""
    regs = None if pid in st.pending else st.registers.get(pid)
    return R.fields_of_registers(regs) if regs else R.DEFAULT


def local_changes(st: SyncState, states: dict[str, PaperState], known) -> list[Change]:
    """Every register this device changed since the last sync, stamped by when the paper changed."""
    found: list[tuple[int, str, str, object]] = []
    for pid in set(states) | {p for p in st.registers if p not in st.pending}:
        if not known(pid):
            continue
        local = states.get(pid) or PaperState()
        for name, value in R.differences(base_fields(st, pid), R.fields_of(local)).items():
            found.append((wall_ms(local.updated), pid, name, value))
    found.sort(key=lambda c: (c[0], c[1], c[2]))
    return [Change(st.clock.stamp(wall), pid, name, value) for wall, pid, name, value in found]


@dataclass
class Incoming:
    """What the sync folder holds that this device has not read: read without touching the store (a worker can)."""

    state: SyncState
    sync_dir: Path
    reads: list[tuple[str, list, FileRead]] = field(default_factory=list)  # (relative path, [size, mtime], read)


def read_incoming(data_dir: Path, sync_dir: Path, known=lambda pid: False) -> Incoming:
    """`known(pid)`: the library has it, so its paper record need not be parsed (the first sync reads every paper
    record of every other device: most of them are papers this library has)."""
    sync_dir = Path(sync_dir)
    if not sync_dir.exists():  # never made here: an unmounted drive would get a folder on the local disk
        raise PapertriageError(f"{sync_dir}: no such sync folder (create it, or mount the drive it is on)")
    if not sync_dir.is_dir():
        raise PapertriageError(f"{sync_dir}: the sync folder is not a folder")
    st = SyncState(data_dir)
    if st.dir != str(sync_dir.resolve()):  # another folder than last time: read all of it, write all again
        st.dir, st.seen = str(sync_dir.resolve()), {}
    incoming = Incoming(st, sync_dir)
    for device, path, fst in change_files(sync_dir):  # ours too: a conflict copy may hold another's writes
        rel, key = f"{device}/{path.name}", [fst.st_size, fst.st_mtime_ns]
        if st.seen.get(rel) != key:
            incoming.reads.append((rel, key, read_file(device, path, skip_paper=known)))
    return incoming


def sync(store, sync_dir: Path) -> SyncReport:
    """Merge every device's changes under `sync_dir` into `store` and write this device's out. The caller holds the
    writer lock. A read-only or missing sync folder still merges what can be read; what could not be written is
    kept in sync.json and written by the next sync."""
    if not store.loaded:
        store.load_rest()
    return merge(store, read_incoming(store.dir, sync_dir, store.library.has))


def merge(store, incoming: Incoming) -> SyncReport:
    """The part of a sync that changes things: on the thread that owns the store (the app's, or the CLI)."""
    st, sync_dir = incoming.state, incoming.sync_dir
    if not store.loaded:
        store.load_rest()
    report = SyncReport(st.device)
    lib = store.library

    # 1. this device's changes, stamped before anything new is merged (see clock.py)
    outgoing = local_changes(st, store.synced_states(), lib.has)
    first = outgoing[0].stamp if outgoing else None
    for c in outgoing:
        R.write(st.registers, st.notes, c.pid, c.name, c.stamp, c.value)
    report.changes_out = len(outgoing)
    lines = [c.line().decode() for c in outgoing]
    mine = sync_dir / st.device
    lost = bool(st.mine) and not any((mine / name).exists() for name in st.mine)
    if lost:  # this device's folder was deleted: write everything it knows again (stamps keep their order)
        lines = [Change(tuple(v[0]), pid, name, v[1]).line().decode()  # type: ignore[arg-type]
                 for pid, regs in st.registers.items() for name, v in regs.items()] + lines
        st.exported.clear()
    papers = [p for p in lib.papers if p.id not in st.exported]
    if papers:
        lib.load_abstracts()  # a paper record travels whole
    stamp = st.clock.stamp(0)
    first = first or stamp
    lines += [Change(stamp, p.id, paper=p.to_dict()).line().decode() for p in papers]
    report.papers_out = len(papers)

    # 2. write them (with what an earlier failed write still owes)
    owed = st.unsent + lines
    st.unsent = []
    if owed:
        try:
            name = write_changes(sync_dir, st.device, [line.encode() for line in owed], first)
            _kill_point("written")
            st.mine.append(name)
            written = (sync_dir / st.device / name).stat()
            st.seen[f"{st.device}/{name}"] = [written.st_size, written.st_mtime_ns]  # its changes are merged already
            st.exported.update(p.id for p in papers)
        except OSError as e:
            st.unsent = owed
            report.write_error = f"{sync_dir / st.device}: cannot write ({e.strerror or e}); kept for the next sync"

    # 3. what the other devices wrote
    arrived: dict[str, Paper] = {}
    touched: set[str] = set()
    for rel, key, read in incoming.reads:
        report.damaged += read.damaged
        for c in read.changes:
            st.clock.seen(c.stamp)
            if list(c.stamp) > st.devices.get(c.stamp[2], [0, 0, ""]):
                st.devices[c.stamp[2]] = list(c.stamp)
            if c.paper is not None:
                if not lib.has(c.pid) and c.pid not in arrived:
                    arrived[c.pid] = Paper.from_dict(c.paper)
                st.exported.add(c.pid)
            elif R.write(st.registers, st.notes, c.pid, c.name, c.stamp, c.value):
                touched.add(c.pid)
                if c.stamp[2] != st.device:
                    report.changes_in[c.stamp[2]] = report.changes_in.get(c.stamp[2], 0) + 1
        if not read.damaged:  # a torn file is read again once it is whole
            st.seen[rel] = key

    # 4. papers that arrived, then the merged state, then sync.json
    if arrived:
        store.add_papers(list(arrived.values()))
        report.papers_in = len(arrived)
        _kill_point("papers")
    states = store.synced_states()
    new_states = {}
    for pid in touched | set(arrived) | set(st.pending):
        if not lib.has(pid):
            continue
        local = states.get(pid) or PaperState()
        merged = R.state_of(st.registers.get(pid), local)
        if not R.same_state(merged, local):
            new_states[pid] = merged
    if new_states:
        store.apply_synced(new_states)
    _kill_point("merged")
    st.pending = {pid for pid in st.registers if not lib.has(pid)}
    report.pending = len(st.pending)
    st.last_sync = store.clock()
    st.save()
    _kill_point("saved")
    return report


def _kill_point(step: str) -> None:
    if os.environ.get(KILL_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class DeviceStatus:
    device: str
    files: int
    last: Stamp | None
    seen: bool  # every file of it was read by this device, as it is now


def status(data_dir: Path, sync_dir: Path) -> tuple[str, list[DeviceStatus]]:
    st = SyncState(data_dir)
    out: dict[str, DeviceStatus] = {}
    for device, path, fst in change_files(Path(sync_dir)):
        d = out.setdefault(device, DeviceStatus(device, 0, None, True))
        d.files += 1
        if st.seen.get(f"{device}/{path.name}") != [fst.st_size, fst.st_mtime_ns]:
            d.seen = False
    for device, d in out.items():
        last = st.devices.get(device)
        d.last = tuple(last) if last else None  # type: ignore[assignment]
    return st.device, sorted(out.values(), key=lambda d: d.device)


def note_history(data_dir: Path, pid: str) -> list[tuple[Stamp, str]]:
    """Every note text written for a paper on any device, oldest first."""
    st = SyncState(data_dir)
    out = []
    for key, text in st.notes.get(pid, {}).items():
        wall, counter, device = key.split(".", 2)
        out.append(((int(wall), int(counter), device), text))
    return sorted(out)


"""`papertriage doctor`: check every data file, and on request restore the last good backup of a damaged one.

A damaged file is never overwritten or deleted: repair moves it aside as `<name>.damaged-<time>` first. Temp files
left by a write that was killed are reported (and removed by --repair, as by the next open).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .atomic import atomic_write, backup_path, stale_temps, sweep_stale_temps
from .errors import DataFileError
from .library import ABSTRACTS_FILE, LIBRARY_FILE, read_abstracts, read_papers
from .journal import Journal, journal_path, salvage
from .jsonfile import load_json_file
from .regular import is_regular_or_absent
from .state import STATE_FILE, StateStore, realign_journal

JOURNAL_FILE = journal_path(Path(STATE_FILE)).name


@dataclass
class Finding:
    path: Path
    ok: bool
    message: str
    backup_ok: bool = False
    stale: bool = False  # a temp file of a killed write: not damage, only space


def _read_journal_after_state(path: Path) -> None:
    """The journal's lines, and that they follow state.json (whose own damage is state.json's finding)."""
    Journal(path).read()
    state = path.with_name(STATE_FILE)
    if state.exists():
        try:
            StateStore(state)
        except DataFileError as e:
            if e.path == str(path):
                raise


_READERS = {LIBRARY_FILE: read_papers, ABSTRACTS_FILE: read_abstracts, STATE_FILE: StateStore,
            JOURNAL_FILE: _read_journal_after_state}


def _problem(path: Path, role: str) -> str | None:
    """None when `path` opens cleanly as the file `role` (a .bak is checked as the file it backs up)."""
    try:
        _READERS[role](path)
    except DataFileError as e:
        if e.path != str(path):
            return None  # the state file is fine; its journal's damage is the journal's own finding
        return e.problem
    return None


def check(data_dir: Path) -> list[Finding]:
    findings = []
    for name in (LIBRARY_FILE, ABSTRACTS_FILE, STATE_FILE, JOURNAL_FILE):
        path = Path(data_dir) / name
        if not path.exists():
            findings.append(Finding(path, True, "absent (created when needed)"))
            continue
        problem = _problem(path, name)
        bak = backup_path(path)
        bak_ok = bak.exists() and _problem(bak, name) is None
        if problem is None:
            findings.append(Finding(path, True, "ok", bak_ok))
        else:
            findings.append(Finding(path, False, problem, bak_ok))
    for tmp in stale_temps(Path(data_dir)):
        try:
            n = tmp.stat().st_size
            size = f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n} bytes"
        except OSError:
            continue
        findings.append(Finding(tmp, True, f"left by a write that was killed ({size}); removed at the next open or "
                                "by `papertriage doctor --repair`", stale=True))
    return findings


def _move_aside(path: Path) -> Path:
    aside = path.with_name(f"{path.name}.damaged-{datetime.now().strftime('%Y%m%d-%H%M%S')}")
    path.rename(aside)
    return aside


def _snapshot_seq(state: Path) -> int:
    """The last journal action state.json holds (0 when it cannot tell: state.json's damage is its own finding)."""
    try:
        data = load_json_file(state) or {}
        seq = ((data.get("meta") or {}).get("journal") or {}).get("seq", 0)
    except (DataFileError, AttributeError):
        return 0
    return seq if isinstance(seq, int) else 0


def repair(data_dir: Path) -> list[str]:
    """Restore each damaged file from its good backup; returns what was done, one line each."""
    done = []
    for f in check(data_dir):
        if f.ok:
            continue
        if not f.backup_ok and not is_regular_or_absent(f.path):  # a directory or FIFO: nothing in it to keep
            aside = _move_aside(f.path)
            done.append(f"{f.path}: {f.message.removeprefix('cannot read: ')}; moved aside as {aside.name} (a new "
                        "one is created when needed)")
            continue
        if f.path.name == JOURNAL_FILE and "does not follow" in f.message:
            n = realign_journal(f.path.with_name(STATE_FILE))
            done.append(f"{f.path}: its {n} action(s) now replay on top of {STATE_FILE} (the undo history may miss "
                        "some steps)")
            continue
        if f.path.name == JOURNAL_FILE:  # no backup: it is the actions since the last snapshot; keep what is good
            saved = salvage(f.path, _snapshot_seq(f.path.with_name(STATE_FILE)))
            what = f"kept the {saved.kept} good line(s)"
            if saved.dropped:
                what += "; dropped " + ", ".join(saved.dropped)
            if saved.lost:
                what += (f" (action(s) {', '.join(map(str, saved.lost))}: lost; the later ones replay without "
                         "them, the undo history may miss those steps)")
            done.append(f"{f.path}: {what}; the damaged file was kept as {saved.aside.name}")
            continue
        if not f.backup_ok:
            done.append(f"{f.path}: damaged ({f.message}) and no good backup to restore; left as it is")
            continue
        good = backup_path(f.path).read_bytes()
        aside = _move_aside(f.path)
        atomic_write(f.path, good, backup=False)  # a crash here leaves no half-copied file in its place
        done.append(f"{f.path}: restored from {backup_path(f.path).name}; the damaged file was kept as {aside.name}")
        if f.path.name == STATE_FILE and (n := _replay_on_restored(f.path)):
            done.append(f"{f.path.with_name(JOURNAL_FILE)}: its {n} action(s) since then replay on top of it")
    for tmp in sweep_stale_temps(Path(data_dir)):
        done.append(f"{tmp}: removed (left by a write that was killed)")
    return done


def _replay_on_restored(state: Path) -> int:
    """The journal's actions on top of a state.json just put back from its .bak (0 when it has none or is damaged:
    then it is the journal's own finding)."""
    try:
        return realign_journal(state)
    except DataFileError:
        return 0

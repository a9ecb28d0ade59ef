"""The sync folder on disk: one folder per device, immutable change files, read whatever state they arrive in.

`DIR/<device>/<first stamp>.jsonl` holds one change a line. A device writes only its own folder and only new files
(temp name, fsync, rename), so a sync tool never has to merge a file; what it delivers may still be half-written,
out of order, twice, or renamed as a conflict copy (`*.sync-conflict-*`, `* (conflicted copy …)*`): every `.jsonl`
file in every device folder is read, a line that does not parse whole is skipped (and read again when the file
grows), and a change seen twice changes nothing.
"""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..atomic import fsync_dir
from ..library import _check_papers
from ..normalize import clean_note
from .clock import Stamp, as_stamp

DEVICE_FILE = "device-id"


def device_id(data_dir: Path) -> str:
    """This data dir's device id, made once (host name + random part) and kept in `device-id`."""
    path = data_dir / DEVICE_FILE
    try:
        text = path.read_text(encoding="utf-8").strip()
        if re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", text):
            return text
    except (OSError, UnicodeDecodeError):
        pass
    host = re.sub(r"[^a-z0-9]+", "-", socket.gethostname().lower()).strip("-")[:40] or "device"
    made = f"{host}-{uuid.uuid4().hex[:8]}"
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = data_dir / f".{DEVICE_FILE}.{os.getpid()}.tmp"
    tmp.write_text(made + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return made


@dataclass
class Change:
    stamp: Stamp
    pid: str
    name: str = ""  # register name; "" for a paper record
    value: object = None
    paper: dict | None = None

    def line(self) -> bytes:
        d: dict = {"c": list(self.stamp), "p": self.pid}
        if self.paper is not None:
            d["paper"] = self.paper
        else:
            d["f"], d["v"] = self.name, self.value
        return json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def parse_line(raw: bytes) -> Change | None:
    """One change, or None for a line that is damaged, torn or not a change (never raises)."""
    try:
        d = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return to_change(d)


def to_change(d: object) -> Change | None:
    from .registers import valid_value

    if not isinstance(d, dict) or not isinstance(d.get("p"), str) or not d["p"]:
        return None
    stamp = as_stamp(d.get("c"))
    if stamp is None:
        return None
    if "paper" in d:
        paper = d["paper"]
        if not (isinstance(paper, dict) and paper.get("id") == d["p"] and isinstance(paper.get("title"), str)):
            return None
        try:  # the checks a library file gets on open: a wrong type added here would break every later open
            _check_papers([paper])
        except (KeyError, TypeError):
            return None
        return Change(stamp, d["p"], paper=paper)
    name, value = d.get("f"), d.get("v")
    if isinstance(name, str) and valid_value(name, value):
        if name == "note":  # as set_note keeps it: no terminal escapes from another device reach `show`/`history`
            value = clean_note(value).rstrip()  # type: ignore[arg-type]
        return Change(stamp, d["p"], name, value)
    return None


@dataclass
class FileRead:
    path: Path
    device: str
    changes: list[Change] = field(default_factory=list)
    damaged: int = 0  # lines that did not parse (a torn last line counts here until the file is whole)


def change_files(sync_dir: Path) -> Iterator[tuple[str, Path, os.stat_result]]:
    """(device, path, stat) of every change file under the sync dir, conflict copies included."""
    try:
        devices = sorted(os.scandir(sync_dir), key=lambda e: e.name)
    except FileNotFoundError:
        return
    for dev in devices:
        if dev.name.startswith(".") or not dev.is_dir(follow_symlinks=False):
            continue
        try:
            entries = sorted(os.scandir(dev.path), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if e.name.startswith(".") or not e.name.endswith(".jsonl"):
                continue
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                yield dev.name, Path(e.path), st


_PAPER_LINE = re.compile(rb'^\{"c":\[[0-9]+,[0-9]+,"[^"]*"\],"p":"([^"\\]+)","paper":')


def read_file(device: str, path: Path, skip_paper=lambda pid: False) -> FileRead:
    """Every whole change in a file. A paper record whose id `skip_paper` knows is passed over unparsed."""
    out = FileRead(path, device)
    try:
        raw = path.read_bytes()
    except OSError:
        out.damaged += 1
        return out
    lines = []
    for line in raw.split(b"\n"):
        if not line.strip():
            continue
        paper = _PAPER_LINE.match(line)
        if paper and line.endswith(b"}") and skip_paper(paper.group(1).decode("utf-8", "replace")):
            continue
        lines.append(line)
    try:  # one parse for the whole file (ten times faster than a parse a line); a bad line: a line at a time
        parsed = json.loads(b"[" + b",".join(lines) + b"]")
    except (ValueError, UnicodeDecodeError, RecursionError):
        parsed = None
    if parsed is not None and len(parsed) != len(lines):  # a line held "{...},{...}": read it as one bad line
        parsed = None
    for i, line in enumerate(lines):
        change = to_change(parsed[i]) if parsed is not None else parse_line(line)
        if change is None:
            out.damaged += 1
        else:
            out.changes.append(change)
    return out


def write_changes(sync_dir: Path, device: str, lines: list[bytes], first: Stamp) -> str:
    """Write one new file of change lines into this device's folder, named by its first stamp; returns the name.
    Raises OSError (a read-only folder, a full disk)."""
    folder = sync_dir / device
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{first[0]:013d}-{first[1]:06d}.jsonl"
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:
            f.writelines(lines)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, folder / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(folder)
    return name

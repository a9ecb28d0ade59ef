"""Schema migrations: a data file written by an older papertriage is upgraded when it is opened.

Each step turns the content of version N into version N+1 (dict in, new dict out) and knows nothing about files.
`upgrade` runs the steps from the file's version to the current one, keeps the old file as `<name>.v<N>.bak`,
and replaces the file atomically. A file already at the current version is not touched, so opening it again is a
no-op, and a crash half-way leaves either the old file (migrated again next time) or the new one.

What version 1 was:
- state.json: a paper's tags were one comma-separated string ("nlp, to read") and the queued status was spelled
  "queue". Undo/redo entries hold paper states too, so they are migrated the same way.
- library.json: `sources` was a list of "feed@date" strings ("hf-daily.txt@2026-03-13"; "notes.bib@" has no date).
- abstracts.json: the same in version 2; its step only moves the version number.
What version 2 was:
- state.json: the same, but every action rewrote it; version 3 adds state.journal (one line per action since the
  file was written). The step only moves the number, so that papertriage of version 2 refuses the file instead of
  opening it without the journal's last actions.
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Callable, TypeVar

from .atomic import atomic_write, existing_backup
from .errors import DataFileError

STATE, LIBRARY, ABSTRACTS = "state", "library", "abstracts"
T = TypeVar("T")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Unmigratable(ValueError):
    """Content an old version could not have written; reported as a damaged file."""


# -- state.json ---------------------------------------------------------------------------------------------------
def _paper_state_v1(d: object) -> None:
    if d is None:  # an undo entry's "no state" (the paper was at the default)
        return
    if not isinstance(d, dict):
        raise _Unmigratable(f"paper state is {type(d).__name__}, not an object")
    tags = d.get("tags", "")
    if isinstance(tags, str):
        out: list[str] = []
        for t in tags.split(","):
            t = " ".join(t.split())
            if t and t not in out:
                out.append(t)
        d["tags"] = out
    elif not isinstance(tags, list):  # a list already: a file that was half-upgraded by hand; keep it
        raise _Unmigratable(f"tags are {type(tags).__name__}")
    if d.get("status") == "queue":
        d["status"] = "queued"


def state_v1_to_v2(data: dict) -> dict:
    table = data.get("state") or {}
    if not isinstance(table, dict):
        raise _Unmigratable("the state table is not an object")
    for d in table.values():
        _paper_state_v1(d)
    history = (data.get("meta") or {}).get("history") or {}
    for side in ("undo", "redo"):
        for entry in history.get(side, []):
            for key in ("before", "after"):
                for d in (entry.get(key) or {}).values():
                    _paper_state_v1(d)
    return data


def state_v2_to_v3(data: dict) -> dict:
    return data  # v3 adds the journal beside the file; the number keeps a v2 papertriage from ignoring it


def _state_version(data: dict) -> object:
    return ((data.get("meta") or {}).get("schema") or {}).get("version")


def _set_state_version(data: dict, version: int) -> None:
    data.setdefault("meta", {})["schema"] = {"version": version}


# -- library.json / abstracts.json ---------------------------------------------------------------------------------
def _source_v1(s: object) -> dict:
    if isinstance(s, dict):
        return s
    if not isinstance(s, str):
        raise _Unmigratable(f"source is {type(s).__name__}")
    feed, sep, day = s.rpartition("@")
    if sep and (day == "" or _ISO_DAY.fullmatch(day)):
        return {"feed": feed, "date": day}
    return {"feed": s, "date": ""}  # an "@" inside the feed name, no date


def library_v1_to_v2(data: dict) -> dict:
    papers = data.get("papers")
    if not isinstance(papers, list):
        raise _Unmigratable("the paper list is not a list")
    for p in papers:
        if not isinstance(p, dict):
            raise _Unmigratable(f"paper is {type(p).__name__}, not an object")
        sources = p.get("sources", [])
        if not isinstance(sources, list):
            raise _Unmigratable(f"sources of {str(p.get('id', '?'))[:40]!r} are not a list")
        p["sources"] = [_source_v1(s) for s in sources]
    return data


def abstracts_v1_to_v2(data: dict) -> dict:
    return data


def _file_version(data: dict) -> object:
    return data.get("schema")


def _set_file_version(data: dict, version: int) -> None:
    data["schema"] = version


# -- the registry -------------------------------------------------------------------------------------------------
Step = Callable[[dict], dict]
STEPS: dict[str, dict[int, Step]] = {  # kind -> {N: step from N to N+1}
    STATE: {1: state_v1_to_v2, 2: state_v2_to_v3},
    LIBRARY: {1: library_v1_to_v2},
    ABSTRACTS: {1: abstracts_v1_to_v2},
}
_VERSION: dict[str, tuple[Callable[[dict], object], Callable[[dict, int], None]]] = {
    STATE: (_state_version, _set_state_version),
    LIBRARY: (_file_version, _set_file_version),
    ABSTRACTS: (_file_version, _set_file_version),
}


def migrate_data(kind: str, path: Path, data: dict, version: int, target: int) -> dict:
    """`data` (at `version`) brought to `target`, as a new dict; DataFileError when it cannot be."""
    steps = STEPS[kind]
    out = copy.deepcopy(data)
    for n in range(version, target):
        step = steps.get(n)
        if step is None:
            raise DataFileError(path, f"schema {n} is not one papertriage ever wrote (no migration from it)",
                                existing_backup(path))
        try:
            out = step(out)
        except (_Unmigratable, AttributeError, TypeError, ValueError) as e:
            raise DataFileError(path, f"cannot migrate from schema {n}: damaged content ({e})",
                                existing_backup(path)) from None
        _VERSION[kind][1](out, n + 1)
    return out


def old_copy_path(path: Path, version: int, raw: bytes) -> Path | None:
    """Where to keep the old file: `<name>.v<N>.bak`, or None when that already holds these very bytes.

    An existing `.v<N>.bak` with other content (an old file migrated once before) is never replaced: the next free
    `<name>.v<N>.<k>.bak` is used instead.
    """
    candidates = [path.with_name(f"{path.name}.v{version}.bak")]
    candidates += [path.with_name(f"{path.name}.v{version}.{k}.bak") for k in range(1, 100)]
    for candidate in candidates:
        try:
            if candidate.read_bytes() == raw:
                return None
        except FileNotFoundError:
            return candidate
    raise OSError(f"too many old copies of {path.name}")


def _persist(kind: str, path: Path, data: dict, version: int) -> None:
    raw = path.read_bytes()
    if _VERSION[kind][0](json.loads(raw)) != version:
        return  # another process migrated it since we read it
    keep = old_copy_path(path, version, raw)
    if keep is not None:
        os.link(path, keep)  # the old file itself, by a hard link: no copy, and it survives the replace below
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    atomic_write(path, payload)


def is_backup(path: Path) -> bool:
    """A kept copy (`.bak`, `.v1.bak`, `.damaged-...`): read, checked, but never rewritten."""
    return path.name.endswith(".bak") or ".damaged-" in path.name


def upgrade(kind: str, path: Path, data: dict, version: int, target: int, check: Callable[[dict], T]) -> T:
    """`check(data)`, after migrating `data` (read from `path`) to `target` and writing it back when it was older.

    `check` validates the content and raises DataFileError: it runs before anything is written, so a damaged old
    file is reported and left as it is rather than replaced by its migrated form. The old file is kept as
    `<name>.v<N>.bak`. A file that cannot be rewritten (read-only directory, disk full) is still returned migrated,
    in memory; it stays at its old version and is migrated again on the next open. Backups (`.bak`, ...) are
    migrated in memory only.
    """
    if version >= target:
        return check(data)
    new = migrate_data(kind, path, data, version, target)
    result = check(new)
    if not is_backup(path):
        try:
            _persist(kind, path, new, version)
        except (OSError, ValueError):
            pass
    return result

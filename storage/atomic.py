"""Durable file replacement: a file is either its old or its new content, never half of each.

Write a temp file beside the target, fsync it, `os.replace` it over the target, then fsync the directory so the
rename itself survives a power cut. The previous content is kept as `.bak` (a hard link, so no copy); the link is
moved into place only after the new file is, so a failed write changes neither the file nor its `.bak`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

_TMP_SUFFIXES = (".tmp", ".baktmp")
_swept: set[Path] = set()  # directories already cleared of dead processes' temp files by this process


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def existing_backup(path: Path) -> Path | None:
    """The `.bak` of `path` when there is one (for error messages that point the user at it)."""
    bak = backup_path(Path(path))
    return bak if bak.exists() else None


def fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # some filesystems do not let a directory be opened; the rename is still atomic there
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, someone else's
        return True
    return True


def sweep_stale_temps(directory: Path) -> None:
    """Remove `.<name>.<pid>.tmp` / `.baktmp` files left by a process killed mid-write (its pid no longer runs).

    A live writer's temp file is never touched; a dead one's was never renamed into place, so it holds nothing.
    """
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not name.startswith(".") or not name.endswith(_TMP_SUFFIXES):
            continue
        pid = name.rsplit(".", 2)[-2]
        if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def prepare(path: Path, data: bytes | Iterable[bytes]) -> Path:
    """Write `data` to a temp file beside `path` and fsync it; returns the temp file for `commit`.

    `data` may be an iterable of byte chunks, so that a big file (a million papers) never sits whole in memory.
    Raises OSError (disk full, read-only directory, ...) with no file left behind. Splitting the write lets a caller
    prepare several files before replacing any, so a full disk changes none of them.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            if isinstance(data, (bytes, bytearray, memoryview)):
                f.write(data)
            else:
                for chunk in data:
                    f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return tmp


def commit(path: Path, tmp: Path, *, backup: bool = True) -> None:
    """Move a prepared temp file over `path`, keeping the previous content as `path.bak` when asked."""
    path = Path(path)
    bak_tmp: Path | None = None
    try:
        if backup and path.exists():
            # The current file is the last good state: link it (no copy, no space needed) before replacing it.
            bak_tmp = path.with_name(f".{path.name}.{os.getpid()}.baktmp")
            try:
                bak_tmp.unlink(missing_ok=True)
                os.link(path, bak_tmp)
            except OSError:
                bak_tmp = None
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        if bak_tmp is not None:
            _unlink_quietly(bak_tmp)
        raise
    if bak_tmp is not None:
        try:
            os.replace(bak_tmp, backup_path(path))
        except OSError:  # the new file is in place; only the backup is one write older
            _unlink_quietly(bak_tmp)
    fsync_dir(path.parent)
    if path.parent not in _swept:
        _swept.add(path.parent)
        sweep_stale_temps(path.parent)


def atomic_write(path: Path, data: bytes, *, backup: bool = True) -> None:
    """Replace `path` with `data` atomically and durably; keep the previous content as `path.bak` when asked.

    Raises OSError (disk full, read-only directory, ...) with `path` and its `.bak` untouched.
    """
    commit(path, prepare(path, data), backup=backup)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass

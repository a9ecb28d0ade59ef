"""Durable file replacement: a file is either its old or its new content, never half of each.

Write a temp file beside the target, fsync it, `os.replace` it over the target, then fsync the directory so the
rename itself survives a power cut. The previous content is kept as `.bak` (a hard link, so no copy); the link is
moved into place only after the new file is, so a failed write changes neither the file nor its `.bak`.

A replaced file keeps its mode (and, written by root, its owner): `chmod 600 state.json` stays 600. A new data file
is created 600, since notes are private. `write_output` (exports) writes through symlinks and into special files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable

_TMP_SUFFIXES = (".tmp", ".baktmp")
DATA_FILE_MODE = 0o600
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


def temp_files(directory: Path) -> list[tuple[Path, int | None]]:
    """The `.<name>.<pid>.tmp` / `.baktmp` files in `directory`, with the pid that wrote each (None: no pid)."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []
    out = []
    for entry in entries:
        name = entry.name
        if not name.startswith(".") or not name.endswith(_TMP_SUFFIXES):
            continue
        pid = name.rsplit(".", 2)[-2]
        out.append((Path(entry.path), int(pid) if pid.isdigit() else None))
    return out


def stale_temps(directory: Path) -> list[Path]:
    """Temp files no write will ever rename: the process named in them no longer runs."""
    me = os.getpid()
    return [path for path, pid in temp_files(directory) if pid is not None and pid != me and not _pid_alive(pid)]


def sweep_stale_temps(directory: Path) -> list[Path]:
    """Remove temp files left by a process killed mid-write (an ingest's are 20-30 MB); returns those removed.

    A live writer's temp file is never touched; a dead one's was never renamed into place, so it holds nothing.
    """
    removed = []
    for path in stale_temps(directory):
        try:
            os.unlink(path)
        except OSError:
            continue
        removed.append(path)
    return removed


def _new_file_mode(path: Path, mode: int | None) -> tuple[int | None, os.stat_result | None]:
    """The mode a replacement of `path` gets: the existing file's, else `mode` (None: the umask's default)."""
    try:
        st = os.stat(path)
    except OSError:
        return mode, None
    if not stat.S_ISREG(st.st_mode):
        return mode, None
    return stat.S_IMODE(st.st_mode), st


def prepare(path: Path, data: bytes | Iterable[bytes], *, mode: int | None = DATA_FILE_MODE) -> Path:
    """Write `data` to a temp file beside `path` and fsync it; returns the temp file for `commit`.

    `data` may be an iterable of byte chunks, so that a big file (a million papers) never sits whole in memory.
    Raises OSError (disk full, read-only directory, ...) with no file left behind. Splitting the write lets a caller
    prepare several files before replacing any, so a full disk changes none of them.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    keep, old = _new_file_mode(path, mode)
    try:
        create = 0o666 if keep is None else keep
        with open(tmp, "wb", opener=lambda name, flags: os.open(name, flags, create)) as f:
            fd = f.fileno()
            if keep is not None:
                os.fchmod(fd, keep)  # exactly that mode, whatever the umask
            if old is not None and os.geteuid() == 0 and (old.st_uid, old.st_gid) != (0, 0):
                try:  # root editing a user's data dir must not leave the user's files owned by root
                    os.fchown(fd, old.st_uid, old.st_gid)
                except OSError:
                    pass
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


def atomic_write(path: Path, data: bytes, *, backup: bool = True, mode: int | None = DATA_FILE_MODE) -> None:
    """Replace `path` with `data` atomically and durably; keep the previous content as `path.bak` when asked.

    A new file gets `mode` (None: the umask's default), an existing one keeps its own.
    Raises OSError (disk full, read-only directory, ...) with `path` and its `.bak` untouched.
    """
    commit(path, prepare(path, data, mode=mode), backup=backup)


def write_output(path: Path, data: bytes) -> None:
    """Write a file the user named (an export): through a symlink to the file it names, into a device or FIFO as
    it is (`-o /dev/stdout`, `/dev/null`: the node is never replaced), and else atomically, keeping the mode of the
    file it replaces (a new one gets the umask's default). Raises OSError."""
    path = Path(path)
    try:
        st = os.stat(path)  # follows symlinks
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "is a directory", str(path))
        with open(path, "wb") as f:
            f.write(data)
        return
    atomic_write(Path(os.path.realpath(path)), data, backup=False, mode=None)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass

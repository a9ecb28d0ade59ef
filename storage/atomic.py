"""Durable file replacement: a file is either its old or its new content, never half of each.

Write a temp file beside the target, fsync it, keep the current file as `.bak` (a hard link, so no copy), `os.replace`
the temp file over the target, then fsync the directory so the rename itself survives a power cut.
"""

from __future__ import annotations

import os
from pathlib import Path


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


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


def atomic_write(path: Path, data: bytes, *, backup: bool = True) -> None:
    """Replace `path` with `data` atomically and durably; keep the previous content as `path.bak` when asked.

    Raises OSError (disk full, read-only directory, ...) with `path` untouched.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if backup and path.exists():
            # The current file is the last good state: keep it as .bak by linking, not copying.
            bak_tmp = path.with_name(f".{path.name}.{os.getpid()}.baktmp")
            try:
                if bak_tmp.exists():
                    bak_tmp.unlink()
                os.link(path, bak_tmp)
                os.replace(bak_tmp, backup_path(path))
            except OSError:
                bak_tmp.unlink(missing_ok=True)
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise
    fsync_dir(path.parent)

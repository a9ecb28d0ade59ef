"""Reading a data file only when it is a regular file: a FIFO in its place would block the open for ever (the app
hung on a blank screen), a directory would raise IsADirectoryError far from any message the user can act on."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


class NotRegularFile(OSError):
    """`path` exists but is not a regular file; `strerror` says what it is ("not a regular file (a FIFO)")."""


def kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def not_regular(path: Path, mode: int) -> NotRegularFile:
    return NotRegularFile(errno.EINVAL, f"not a regular file ({kind(mode)})", str(path))


def read_regular(path: Path) -> bytes:
    """The bytes of `path`; FileNotFoundError when absent, NotRegularFile when it is not a regular file, OSError."""
    # O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer; fstat then refuses it.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise not_regular(Path(path), st.st_mode)
        os.set_blocking(fd, True)
        with open(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


def is_regular_or_absent(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True

"""Where the data lives: --data-dir, else $PAPERTRIAGE_DATA_DIR, else the platform's user data directory."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import platformdirs

ENV_VAR = "PAPERTRIAGE_DATA_DIR"


DIR_MODE = 0o700  # notes are private: a new data dir is the user's alone


def make_data_dir(directory: Path) -> None:
    """Create the data dir (and its parents) if missing; a new data dir gets DIR_MODE."""
    Path(directory).mkdir(mode=DIR_MODE, parents=True, exist_ok=True)


def read_only(directory: Path) -> str | None:
    """Why this process cannot write in the data dir ("Read-only file system", "Permission denied"); None when it
    can, or when the dir does not exist yet."""
    directory = Path(directory)
    if not directory.is_dir():
        return None
    try:
        if os.statvfs(directory).f_flag & os.ST_RDONLY:
            return os.strerror(errno.EROFS)
    except (OSError, AttributeError):
        pass
    return None if os.access(directory, os.W_OK) else os.strerror(errno.EACCES)


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("papertriage", appauthor=False))

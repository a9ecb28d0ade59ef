"""Where the data lives: --data-dir, else $PAPERTRIAGE_DATA_DIR, else the platform's user data directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "PAPERTRIAGE_DATA_DIR"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("papertriage", appauthor=False))

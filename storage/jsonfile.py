"""Reading one of papertriage's JSON data files (library, abstracts, state): damage is a DataFileError."""

from __future__ import annotations

import json
from pathlib import Path

from .atomic import backup_path
from .errors import DataFileError
from .regular import read_regular


def load_json_file(path: Path) -> dict | None:
    """Parse a JSON object file; None when absent. Damage is a DataFileError naming the file and its backup."""
    try:
        raw = read_regular(path)  # a FIFO in its place would block for ever, a directory is no file
    except FileNotFoundError:
        return None
    except OSError as e:
        raise DataFileError(path, f"cannot read: {e.strerror or e}") from None
    bak = backup_path(path)
    bak_hint = bak if bak.exists() else None
    if not raw.strip():
        raise DataFileError(path, "file is empty (truncated?)", bak_hint)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise DataFileError(path, f"not valid JSON ({str(e)[:80]})", bak_hint) from None
    except RecursionError:
        raise DataFileError(path, "not valid JSON (nested too deeply)", bak_hint) from None
    if not isinstance(data, dict):
        raise DataFileError(path, "unexpected content (not a JSON object)", bak_hint)
    return data

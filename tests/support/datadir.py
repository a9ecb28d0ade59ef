"""Looking at a data dir from a test: its files' bytes, and a real small filesystem to put one on."""

from __future__ import annotations

import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest


def snapshot(d: Path) -> dict[str, bytes]:
    """Every data file's bytes (not the lock), to show that a refused or failed change left them as they were."""
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if p.is_file() and p.name != "lock"}


@contextmanager
def tmpfs(mnt: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` ("256k", "4m") mounted at `mnt` (created); skips the test where mounting is not allowed
    (it needs root). Unmounted lazily at the end, so an open file cannot make the test fail there."""
    mnt.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)], capture_output=True)
    except OSError:
        pytest.skip("no mount command")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)

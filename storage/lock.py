"""One writer per data directory.

An advisory `flock` on `<data dir>/lock`: the kernel drops it when the holder dies, so a crash or SIGKILL never leaves
a stale lock. The file names the holder (pid, command, start time) so the refusal can say who it is.
Readers (list, export, dupes) take no lock: every file is replaced atomically, so they always see a whole file.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

from . import paths
from .errors import PapertriageError

LOCK_FILE = "lock"
WRITE_WAIT = 2.0  # seconds a writing command waits for the app or another writer before refusing


class LockedError(PapertriageError):
    def __init__(self, data_dir: Path, holder: dict) -> None:
        self.holder = holder
        who = f"pid {holder.get('pid', '?')}"
        if holder.get("command"):
            who += f", `{holder['command']}`"
        if holder.get("since"):
            who += f", since {holder['since']}"
        super().__init__(f"{data_dir}: in use by another papertriage ({who}); close it first or try again")


class WriterLock:
    def __init__(self, data_dir: Path, command: str = "") -> None:
        self.dir = Path(data_dir)
        self.path = self.dir / LOCK_FILE
        self.command = command or " ".join(["papertriage", *sys.argv[1:]])[:120]
        self._fd: int | None = None

    def holder(self) -> dict:
        try:
            return json.loads(self.path.read_text() or "{}")
        except (OSError, ValueError):
            return {}

    def acquire(self, wait: float = 0.0) -> WriterLock:
        """Take the lock, waiting up to `wait` seconds; raises LockedError naming the holder."""
        if self._fd is not None:
            return self
        paths.make_data_dir(self.dir)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:  # a read-only data dir: say so in one line, as a failed save would
            raise PapertriageError(f"{self.path}: could not save ({e.strerror or e}); nothing was changed") from None
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockedError(self.dir, self.holder()) from None
                time.sleep(0.05)
        info = {"pid": os.getpid(), "command": self.command, "since": datetime.now().isoformat(timespec="seconds")}
        try:  # the holder info only serves the refusal message: a full disk must not stop the lock itself
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
        except OSError:
            pass
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> WriterLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

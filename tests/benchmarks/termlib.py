"""A real terminal for the benchmarks: a private tmux server, keys in with send-keys, the screen out by polling.

Polling is tight (a capture every POLL seconds, each costing a few milliseconds), so a figure is the time until the
screen first shows the awaited state, give or take one capture.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path
from typing import Callable

TMUX = shutil.which("tmux")
POLL = 0.002
CONFIG = "set -g default-terminal xterm-256color\nset -g status off\nset -s escape-time 0\nset -g history-limit 100\n"
_SGR = re.compile(r"\x1b\[([0-9;]*)m")


class Terminal:
    """`boost`: on a machine that other jobs share, the program's and the tmux server's scheduler groups get nice -10
    (Linux with autogroups, as root; /proc/PID/autogroup), so that the others take less of the cores from them: the
    closest this gets to a quiet machine. Each tmux session is a group of its own, so a plain `nice` does not do it."""

    def __init__(self, workdir: Path, width: int = 120, height: int = 40, boost: bool = False) -> None:
        if TMUX is None:
            raise RuntimeError("tmux is not installed")
        self.width, self.height, self.boost = width, height, boost
        self.socket = f"ptbench-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.config = Path(workdir) / f"{self.socket}.conf"
        self.config.write_text(CONFIG)

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE", "NO_COLOR")
               and not k.startswith("TEXTUAL")}
        env["TERM"] = "xterm-256color"
        return subprocess.run([TMUX, "-L", self.socket, "-f", str(self.config), *args], capture_output=True,
                              text=True, env=env, timeout=60)

    def tmux(self, *args: str) -> str:
        return self._run(*args).stdout

    def wait_exit(self, timeout: float = 120.0) -> None:
        """Wait until the program has quit (its session is gone): killing it mid-quit can leave its files locked."""
        deadline = time.perf_counter() + timeout
        while self._run("has-session", "-t", "main").returncode == 0:
            if time.perf_counter() > deadline:
                raise TimeoutError("the program did not quit")
            time.sleep(0.05)

    def start(self, argv: list[str], cwd: Path | None = None) -> float:
        """Start `argv` in a fresh session; returns the perf_counter time just before the start."""
        args = ["new-session", "-d", "-s", "main", "-x", str(self.width), "-y", str(self.height)]
        if cwd:
            args += ["-c", str(cwd)]
        t0 = time.perf_counter()
        self.tmux(*args, "--", *argv)
        if self.boost:
            server = int(self.tmux("display-message", "-p", "#{pid}").strip())
            for pid in (self.pid(), server):
                try:
                    Path(f"/proc/{pid}/autogroup").write_text("-10")
                except OSError as e:
                    raise RuntimeError(f"--boost: cannot raise the priority of {pid} ({e})") from e
        return t0

    def keys(self, *keys: str) -> float:
        """Send several tmux key names in one send-keys call; returns the time just before it."""
        t0 = time.perf_counter()
        self.tmux("send-keys", "-t", "main", *keys)
        return t0

    def screen(self, escapes: bool = False) -> str:
        return self.tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "main")

    def wait(self, test: Callable[[str], bool], timeout: float = 120.0, escapes: bool = False) -> tuple[float, str]:
        """Poll until `test(screen)`; returns (the perf_counter time it was first seen, that screen)."""
        deadline = time.perf_counter() + timeout
        while True:
            screen = self.screen(escapes)
            now = time.perf_counter()
            if test(screen):
                return now, screen
            if now > deadline:
                raise TimeoutError(f"the screen never got there; it shows:\n{screen}")
            time.sleep(POLL)

    def pid(self) -> int:
        """The process id of the program in the pane."""
        return int(self.tmux("display-message", "-p", "-t", "main", "#{pane_pid}").strip())

    def wait_idle(self, quiet: float = 0.5, timeout: float = 60.0) -> float:
        """Wait until the program has used no more than a clock tick of CPU for `quiet` seconds; returns the time
        waited.

        A program that has painted may still be busy: Textual builds the footer's keys after the first frame, and
        the app loads abstracts and builds its search indices in a worker. Keys sent then wait for that work, which
        is start-up time, not key handling (with 100 papers the abstracts show before the footer is built, so keys
        sent at that sign used to measure the footer too: 210 ms, against 110 ms at 100,000 papers)."""
        stat = Path(f"/proc/{self.pid()}/stat")

        def cpu_ticks() -> int:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            return int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15 of proc(5))

        start = time.perf_counter()
        ticks, since = cpu_ticks(), start
        while True:
            time.sleep(0.05)
            now, t = time.perf_counter(), cpu_ticks()
            if t - ticks > 1:
                ticks, since = t, now
            elif now - since >= quiet:
                return now - start
            if now - start > timeout:
                raise TimeoutError("the program never went idle")

    def close(self) -> None:
        self.tmux("kill-server")
        self.config.unlink(missing_ok=True)
        # A server that exits with its last session can leave its socket file behind.
        socket_dir = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (socket_dir / self.socket).unlink(missing_ok=True)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def highlighted_rows(screen: str, bg: str) -> list[str]:
    """The plain text of rows whose first cell has background SGR `bg` (e.g. "44"), from a capture with escapes."""
    rows, state = [], {"bg": None}
    for line in screen.split("\n"):
        first_bg = None
        plain = []
        pos = 0
        for m in _SGR.finditer(line):
            text = line[pos:m.start()]
            if text and first_bg is None:
                first_bg = state["bg"]
            plain.append(text)
            for code in (m.group(1) or "0").split(";"):
                if code in ("0", "49"):
                    state["bg"] = None
                elif code.startswith("4") and len(code) == 2:
                    state["bg"] = code
            pos = m.end()
        tail = line[pos:]
        if tail and first_bg is None:
            first_bg = state["bg"]
        plain.append(tail)
        if first_bg == bg:
            rows.append("".join(plain))
    return rows

"""Drive a real terminal: a command in a private tmux server, keys in with send-keys, the screen out with capture-pane.

Every Pane has its own server (`tmux -L <unique socket>`), so parallel test workers never see each other's sessions,
and its own config file, so the user's ~/.tmux.conf does not count. Waits poll the screen until a condition holds
(no fixed sleeps): a loaded CI box may take seconds to start the app, an idle one milliseconds.

    with Pane(tmp_path) as pane:
        pane.start(["papertriage", "--data-dir", str(d)])
        pane.wait_for("Inbox 12")
        pane.send("s")
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path
from typing import Callable

TMUX = shutil.which("tmux")
TIMEOUT = 20.0  # seconds; generous on purpose: a wait returns as soon as its condition holds
POLL = 0.05
SESSION = "main"

# remain-on-exit keeps a finished pane around so its exit status can be read. set-clipboard on makes tmux take an
# OSC 52 clipboard write from the program into a paste buffer, so a test can see whether one happened.
CONFIG = """\
set -g default-terminal xterm-256color
set -g remain-on-exit on
set -g history-limit 5000
set -g status off
set -s escape-time 0
set -s set-clipboard on
"""


def _socket_name() -> str:
    return f"pt-{os.getpid()}-{uuid.uuid4().hex[:10]}"


class TmuxTimeout(AssertionError):
    pass


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test's environment minus what would change how the app draws or which tmux it talks to."""
    # COLUMNS/LINES: pytest-xdist sets 80x24 in its workers, and the app would take that over the pane's real size.
    drop = ("TMUX", "TMUX_PANE", "NO_COLOR", "COLORTERM", "COLUMNS", "LINES")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("TEXTUAL")}
    env["TERM"] = "xterm-256color"
    env.update(extra or {})
    return env


class Pane:
    def __init__(self, workdir: Path, width: int = 120, height: int = 36) -> None:
        if TMUX is None:
            raise RuntimeError("tmux is not installed")
        self.width, self.height = width, height
        self.socket = _socket_name()
        self.config = Path(workdir) / f"tmux-{self.socket}.conf"
        self.config.write_text(CONFIG)
        self.started = False

    # -- plumbing ----------------------------------------------------------------------------------------------------
    def tmux(self, *args: str, check: bool = True, env: dict[str, str] | None = None) -> str:
        proc = subprocess.run([TMUX, "-L", self.socket, "-f", str(self.config), *args],
                              capture_output=True, text=True, env=env or clean_env(), timeout=30)
        if check and proc.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {proc.stderr.strip()}")
        return proc.stdout

    def start(self, argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
        """Run `argv` (executed directly, no shell) in a new detached session of width x height cells.

        Starting again ends the previous server (and its program, if still running) and starts a new one on a new
        socket: a new server on the old socket could meet the old one still shutting down.
        """
        if self.started:
            self.kill()
            self.socket = _socket_name()
        args = ["new-session", "-d", "-s", SESSION, "-x", str(self.width), "-y", str(self.height)]
        if cwd is not None:
            args += ["-c", str(cwd)]
        # The server is started by this call, so the pane inherits this environment.
        self.tmux(*args, "--", *argv, env=clean_env(env))
        self.started = True

    def kill(self) -> None:
        """Stop the server and whatever still runs in it (SIGHUP). Safe to call twice."""
        if self.started:
            self.tmux("kill-server", check=False)
            self.started = False

    def __enter__(self) -> Pane:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()
        self.config.unlink(missing_ok=True)

    # -- keys --------------------------------------------------------------------------------------------------------
    def send(self, *keys: str) -> None:
        """tmux key names, one key each: "s", "Enter", "Escape", "C-s", "Down"."""
        for key in keys:  # one call per key: tmux would read "Enter" in a literal string as five letters
            self.tmux("send-keys", "-t", SESSION, key)

    def type(self, text: str) -> None:
        """Literal text, as typed."""
        self.tmux("send-keys", "-t", SESSION, "-l", text)

    # -- the screen --------------------------------------------------------------------------------------------------
    def screen(self, escapes: bool = False, history: bool = False) -> str:
        """What the pane shows now; `escapes` keeps colours and attributes as SGR sequences."""
        args = ["capture-pane", "-p", "-t", SESSION]
        if escapes:
            args.append("-e")
        if history:
            args += ["-S", "-"]
        return self.tmux(*args)

    def wait_for(self, what: str | Callable[[str], bool], timeout: float = TIMEOUT, escapes: bool = False) -> str:
        """Poll until the screen contains `what` (or `what(screen)` is true); returns that screen."""
        test = (lambda s: what in s) if isinstance(what, str) else what
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen(escapes=escapes)
            if test(screen):
                return screen
            if self.dead() is not None:
                raise TmuxTimeout(f"the program exited while waiting for {what!r}:\n{self.screen(history=True)}")
            if time.monotonic() > deadline:
                raise TmuxTimeout(f"waited {timeout}s for {what!r}; the screen:\n{screen}")
            time.sleep(POLL)

    # -- the program -------------------------------------------------------------------------------------------------
    def dead(self) -> int | None:
        """The exit status once the program has ended (128 + N for signal N), else None."""
        fmt = "#{pane_dead}|#{pane_pid}|#{pid}|#{pane_dead_status}|#{pane_dead_signal}"
        out = self.tmux("display-message", "-p", "-t", SESSION, fmt).strip()
        is_dead, pane_pid, server_pid, status, sig = out.split("|")
        if is_dead == "1" and (status or sig):
            return int(status) if status else 128 + int(sig)
        # The pane closes (pty EOF) and the status arrives (SIGCHLD, waitpid) separately. tmux 3.3 now and then misses
        # that SIGCHLD: the program has ended but is never reaped. Another SIGCHLD makes the server reap every child.
        if _zombie(int(pane_pid)):
            os.kill(int(server_pid), signal.SIGCHLD)
        return None

    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", SESSION, "#{pane_pid}").strip())

    def wait_exit(self, timeout: float = TIMEOUT) -> int:
        """The program's exit status, once it has ended."""
        status: list[int | None] = [None]

        def ended() -> bool:
            status[0] = self.dead()
            return status[0] is not None

        until(ended, timeout, lambda: f"the program to exit; the screen:\n{self.screen()}")
        return status[0]

    def buffers(self) -> list[str]:
        """The contents of tmux's paste buffers (an OSC 52 write from the program lands here)."""
        names = self.tmux("list-buffers", "-F", "#{buffer_name}", check=False).split()
        return [self.tmux("show-buffer", "-b", name, check=False) for name in names]


def until(condition: Callable[[], bool], timeout: float = TIMEOUT, what: Callable[[], str] = lambda: "") -> None:
    """Poll `condition` until it holds; TmuxTimeout naming `what()` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TmuxTimeout(f"waited {timeout}s for {what()}")
        time.sleep(POLL)


def _zombie(pid: int) -> bool:
    """The process has ended and waits to be reaped by its parent (Linux /proc; False elsewhere)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


# -- reading a screen ----------------------------------------------------------------------------------------------
DETAIL_EDGE = "▏"  # the detail pane's left border (wide layout)


def detail_text(screen: str) -> str:
    """The detail pane's words as one line: each row's text right of the border, wrapped lines joined."""
    parts = [line.split(DETAIL_EDGE, 1)[1].strip() for line in screen.splitlines() if DETAIL_EDGE in line]
    return " ".join(p for p in parts if p)


def list_rows(screen: str) -> list[str]:
    """The paper list's non-empty rows (left of the detail pane), header and footer excluded."""
    lines = screen.splitlines()[1:-1]
    rows = [line.split(DETAIL_EDGE, 1)[0].rstrip() for line in lines if DETAIL_EDGE in line]
    return [r for r in rows if r.strip()]


_SGR = re.compile(r"\x1b\[[0-9;:]*m")


def plain(text: str) -> str:
    """A screen captured with escapes, without its SGR sequences."""
    return _SGR.sub("", text)


def _codes(sgr: str) -> list[int]:
    """The attribute codes of one SGR sequence; colour arguments (38;5;N, 48;2;R;G;B) are not codes."""
    params = [int(p or 0) for p in sgr[2:-1].replace(":", ";").split(";")]
    codes, i = [], 0
    while i < len(params):
        p = params[i]
        codes.append(p)
        if p in (38, 48, 58):
            i += 3 if params[i + 1 : i + 2] == [5] else 5
        else:
            i += 1
    return codes


def sgr_codes(raw: str) -> set[int]:
    """Every SGR attribute code in a screen captured with escapes (31 = red text, 41 = red background, ...)."""
    return {c for sgr in _SGR.findall(raw) for c in _codes(sgr)}


def bold_runs(line: str) -> list[str]:
    """The stretches of a line captured with escapes that are drawn bold (the header's current view is)."""
    runs, bold, current = [], False, ""
    for part in re.split(r"(\x1b\[[0-9;:]*m)", line):
        if not part.startswith("\x1b["):
            if bold:
                current += part
            continue
        for code in _codes(part):
            if code == 1:
                bold = True
            elif code in (0, 22):
                bold = False
        if not bold and current.strip():
            runs.append(current.strip())
        if not bold:
            current = ""
    if current.strip():
        runs.append(current.strip())
    return runs

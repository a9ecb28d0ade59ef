"""Run `papertriage`: in this process through `tui.cli.main(argv)` (`run`), or as the installed command in a
subprocess (`run_process`: for what only a real process shows, e.g. two writers, a kill, the console script)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures"
FEEDS = FIXTURES / "feeds"
SHARED_FEEDS = TESTS.parents[1] / "shared" / "feeds"  # the real feeds next to the checkout, when present


def papertriage_cmd() -> list[str]:
    script = Path(sys.executable).parent / "papertriage"
    if script.exists():
        return [str(script)]
    found = shutil.which("papertriage")
    return [found] if found else [sys.executable, "-m", "tui.cli"]


class _OpensTheApp(Exception):
    pass


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """`tui.cli.main(argv)` in this process, read through pytest's `capsys`: (exit code, stdout, stderr)."""
    from tui.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _no_app(*args, **kwargs):
    raise _OpensTheApp


def run(*args: str, data_dir: Path | None = None, input: str | None = None, check_rc: int | None = None,
        env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`papertriage ARGS` in this process, through `tui.cli.main(argv)`: what a subprocess would print and return,
    without paying for an interpreter start. A command that gets as far as opening the app (none, `open`, a PATH,
    `demo`) is run again by `run_process`: the app wants a terminal of its own."""
    import tui.app
    import tui.demo_data
    from tui import cli

    argv = (["--data-dir", str(data_dir)] if data_dir is not None else []) + list(args)
    out, err = _pipe(), _pipe()
    saved = sys.stdin, sys.stdout, sys.stderr, dict(os.environ), os.getcwd(), tui.app.run_app, tui.demo_data.run_demo
    sys.stdin = _pipe(input or "")
    sys.stdout, sys.stderr = out, err
    os.environ.update({"NO_COLOR": "1", **(env or {})})
    tui.app.run_app = tui.demo_data.run_demo = _no_app
    try:
        if cwd is not None:
            os.chdir(cwd)
        try:
            code = cli.main(argv)
        except SystemExit as e:  # argparse: --help, a usage error
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            if isinstance(e.code, str):
                print(e.code, file=sys.stderr)
    except _OpensTheApp:
        code = None
    finally:
        sys.stdin, sys.stdout, sys.stderr, environ, old_cwd, tui.app.run_app, tui.demo_data.run_demo = saved
        os.environ.clear()
        os.environ.update(environ)
        os.chdir(old_cwd)
    if code is None:
        return run_process(*args, data_dir=data_dir, input=input, check_rc=check_rc, env=env, cwd=cwd)
    proc = subprocess.CompletedProcess(["papertriage", *argv], code, _text(out), _text(err))
    if check_rc is not None:
        assert proc.returncode == check_rc, (proc.returncode, proc.stdout, proc.stderr)
    return proc


def _pipe(text: str | None = None) -> io.TextIOWrapper:
    """A text stream with a byte buffer under it, as sys.stdout is (not a terminal: isatty() is False)."""
    return io.TextIOWrapper(io.BytesIO(text.encode() if text else b""), encoding="utf-8", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    # As subprocess.run(text=True) reads a pipe: universal newlines.
    return stream.buffer.getvalue().decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def run_process(*args: str, data_dir: Path | None = None, input: str | None = None, check_rc: int | None = None,
                env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`papertriage ARGS` as a real process: the installed console script (its exit code, its own stdout)."""
    cmd = papertriage_cmd()
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run(cmd + list(args), capture_output=True, text=True, input=input, env=full_env, cwd=cwd,
                          timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    if check_rc is not None:
        assert proc.returncode == check_rc, (proc.returncode, proc.stdout, proc.stderr)
    return proc

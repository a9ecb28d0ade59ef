"""Run the installed `papertriage` command in a subprocess (shared by the CLI tests)."""

from __future__ import annotations

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


def run(*args: str, data_dir: Path | None = None, input: str | None = None, check_rc: int | None = None,
        env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
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

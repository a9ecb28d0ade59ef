"""Issue 10 item 9: a stdout that is not UTF-8 (PYTHONIOENCODING=ascii, Latin-1) never crashes a command, and a
writing command never saves and then reports failure. Subprocesses: the encoding is the interpreter's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def run(data: Path, *args: str, encoding: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "--data-dir", str(data), *args], capture_output=True,
                          env=env, timeout=60)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")
    return proc


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("enc") / "data"
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "--data-dir", str(d), "ingest", str(FEEDS)],
                          capture_output=True, timeout=120)
    assert b"library has" in proc.stdout, proc.stderr
    return d


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_list_dupes_and_export_print_under_a_narrow_encoding(data, encoding):
    for args in (["list"], ["dupes"], ["export", "--view", "all"], ["export", "--view", "all", "--format", "bibtex"]):
        proc = run(data, *args, encoding=encoding)
        assert proc.returncode == 0, (args, proc.stderr)
        assert proc.stdout, args
    listed = run(data, "list", encoding="ascii").stdout
    assert b"?" in listed  # what ASCII cannot show is replaced, not fatal
    listed.decode("ascii")


def test_formats_stay_utf8_whatever_the_terminal_encoding(data):
    utf8 = run(data, "export", "--view", "all", "--format", "json", encoding="utf-8").stdout
    assert run(data, "export", "--view", "all", "--format", "json", encoding="ascii").stdout == utf8
    assert json.loads(run(data, "list", "--json", encoding="ascii").stdout)
    assert not utf8.isascii()  # the fixture has non-ASCII text, so the comparison means something


def test_star_under_ascii_saves_and_says_so(data):
    pid = run(data, "list", "--json", encoding="utf-8")
    papers = [p for p in json.loads(pid.stdout) if not p["title"].isascii()]
    target = papers[0]["id"]
    proc = run(data, "star", target, encoding="ascii")
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr
    assert proc.stdout.startswith(target.encode())
    starred = json.loads(run(data, "list", "--json", "--view", "starred", encoding="utf-8").stdout)
    assert [p["id"] for p in starred] == [target]

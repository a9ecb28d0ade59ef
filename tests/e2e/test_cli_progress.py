"""`papertriage ingest` shows a bar that moves within one big feed, on a terminal only (none when piped)."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import time

from support.clihelp import papertriage_cmd, run_process
from storage import synth
from tui.progress import TerminalBar, bar_line

ENTRIES = 2_500  # one feed: entry_progress reports after 1,000 and 2,000 entries, then at its end


def test_bar_line_counts_bytes_entries_and_files():
    assert bar_line(2_000, 400, 1_000, 0, 0) == "[############..................]  40%  2,000 entries"
    assert bar_line(12_345, 5, 10, 3, 100).endswith("  50%  12,345 entries  3/100 files")
    assert bar_line(0, 0, 0, 0, 0).startswith("[" + "." * 30 + "]   0%")
    assert bar_line(9, 10, 10, 2, 2, saving=True).endswith("100%  9 entries  2/2 files  saving...")


def test_terminal_bar_redraws_in_place_and_ends_its_line():
    out = io.StringIO()
    bar = TerminalBar(out)
    bar.close()
    assert out.getvalue() == ""  # never drawn: nothing to end
    bar.start()
    bar.entry(1_000, 300, 900)
    bar.file(1, 1)
    bar.close()
    draws = out.getvalue().split("\r")[1:]
    assert [d.split("]")[1].split("%")[0].strip() for d in draws] == ["0", "33", "33", "33"]
    assert "saving..." in draws[2] and "saving" not in draws[3] and draws[3].endswith("\x1b[K\n")


def _feed(tmp_path):
    feed = tmp_path / "one-big-feed.txt"
    synth.write_feed(feed, ENTRIES)
    return feed


def test_ingest_in_a_terminal_shows_a_bar_that_moves_within_one_feed(tmp_path):
    feed = _feed(tmp_path)
    master, slave = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm"}
    proc = subprocess.Popen([*papertriage_cmd(), "--data-dir", str(tmp_path / "data"), "ingest", str(feed)],
                            stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the other end closed (the command is done)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    out = b"".join(chunks).decode("utf-8", "replace")
    assert "Traceback" not in out
    shares = [int(s) for s in re.findall(r"\r\[[#.]{30}\] +(\d+)%", out)]
    assert shares[0] == 0 and shares[-1] == 100
    assert any(0 < s < 100 for s in shares), shares  # moved while the one feed was merged
    assert "1,000 entries" in out and "2,000 entries" in out and f"{ENTRIES:,} entries" in out
    summary = next(line for line in out.split("\n") if "entries read from 1 file" in line)
    assert "\r" not in summary.rstrip("\r")  # the bar ended its line before the summary (the tty adds \r to \n)


def test_ingest_piped_prints_no_bar(tmp_path):
    feed = _feed(tmp_path)
    proc = run_process("ingest", str(feed), data_dir=tmp_path / "data", check_rc=0)
    assert "entries read from 1 file" in proc.stdout
    assert proc.stderr == ""
    assert "\r" not in proc.stdout and "%" not in proc.stdout

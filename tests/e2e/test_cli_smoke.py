"""The installed `papertriage` console script as a real process: it starts, its exit codes and its streams are the
ones the in-process CLI tests (tests/unit/test_cli.py, through `tui.cli.main(argv)`) assume, and no traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys

from support.clihelp import FEEDS, run_process


def test_the_console_script_starts_and_prints_its_help():
    proc = run_process("--help", check_rc=0)
    assert proc.stdout.startswith("usage: papertriage") and proc.stderr == ""


def test_ingest_list_and_a_write_through_the_console_script(tmp_path):
    data = tmp_path / "data"
    proc = run_process("ingest", str(FEEDS / "hf_day1.txt"), data_dir=data, check_rc=0)
    assert "new papers" in proc.stdout
    papers = json.loads(run_process("list", "--json", data_dir=data, check_rc=0).stdout)
    assert papers
    run_process("star", papers[0]["id"], data_dir=data, check_rc=0)
    starred = json.loads(run_process("list", "--json", "--view", "starred", data_dir=data, check_rc=0).stdout)
    assert [p["id"] for p in starred] == [papers[0]["id"]]


def test_a_user_mistake_is_one_error_line_and_exit_1(tmp_path):
    proc = run_process("ingest", str(tmp_path / "no-such-feed.txt"), data_dir=tmp_path / "data", check_rc=1)
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ")  # run_process: no traceback


def test_a_usage_error_is_one_error_line_too(tmp_path):
    proc = run_process("list", "--view", "nowhere", data_dir=tmp_path / "data", check_rc=1)
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ") and "nowhere" in proc.stderr


def test_python_dash_m_runs_the_same_main(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "--data-dir", str(tmp_path / "data"), "list", "--json"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0 and json.loads(proc.stdout) == []

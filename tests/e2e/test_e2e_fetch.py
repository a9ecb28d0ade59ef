"""R in a real terminal: the app fetches from a local server while keys keep working, and the new papers appear."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.clihelp import FEEDS, papertriage_cmd, run_process
from support.fetchserver import FeedServer, Reply, hf_day
from support.tmuxhelp import TMUX, Pane, detail_text

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(TMUX is None, reason="tmux is not installed")]


def title(screen: str) -> str:
    """The start of the detail pane: the paper's title (the abstract below it arrives later)."""
    return detail_text(screen)[:30]


def test_R_fetches_while_the_list_answers_and_a_failed_feed_is_said(tmp_path: Path):
    data = tmp_path / "data"
    run_process("ingest", str(FEEDS / "hf_day1.txt"), data_dir=data, check_rc=0)  # 8 papers
    server = FeedServer()
    try:
        good = server.route("/hf", Reply(200, hf_day("2026-11-30", [("2611.08001", "Invented Terminal Fetch Paper")]),
                                         delay=2.0))
        bad = server.route("/lg", Reply(503, b"busy"))
        config = tmp_path / "config.toml"
        config.write_text(f'[fetch]\ntimeout = 5\n\n[[feeds]]\nname = "HF daily"\nurl = "{good}"\n\n'
                          f'[[feeds]]\nname = "cs.LG"\nurl = "{bad}"\n')
        with Pane(tmp_path) as pane:
            pane.start([*papertriage_cmd(), "--data-dir", str(data), "--config", str(config)])
            first = pane.wait_for(lambda s: s.startswith(" Inbox 8") and detail_text(s) != "")
            top = title(first)
            pane.send("R")
            pane.wait_for("Fetching HF daily")
            pane.send("j")  # the list answers while the slow server thinks
            on = title(pane.wait_for(lambda s: title(s) != top))
            screen = pane.wait_for(lambda s: "Inbox 9" in s and "cs.LG: HTTP 503 after 3 tries" in s, timeout=30)
            assert "Invented Terminal Fetch Paper" in screen and "Fetching" not in screen.splitlines()[0]
            assert title(screen) == on  # still on the user's paper
            pane.send("q")
            assert pane.wait_exit() == 0
    finally:
        server.close()
    rows = json.loads(run_process("--config", str(config), "feeds", "--json", data_dir=data, check_rc=0).stdout)
    assert [(r["name"], r["papers"], r["last_status"]) for r in rows] == [
        ("HF daily", 1, "ok"), ("cs.LG", 0, "error: HTTP 503 after 3 tries")]

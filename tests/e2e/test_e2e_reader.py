"""The reader (Enter) in a real terminal: it opens full screen on the cursor's paper with HF's extras, scrolls,
triages and shows the next paper, and Esc goes back to the list; what it did is on disk."""

from __future__ import annotations

import json

import pytest

from support.clihelp import FEEDS, papertriage_cmd, run_process
from support.tmuxhelp import TMUX, Pane, detail_text

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(TMUX is None, reason="tmux is not installed")]


def test_enter_reads_the_paper_full_screen(tmp_path):
    data = tmp_path / "data"
    run_process("ingest", str(FEEDS / "hf_daily_2026-08-14.json"), data_dir=data, check_rc=0)
    inbox = json.loads(run_process("list", "--json", "--view", "inbox", data_dir=data, check_rc=0).stdout)
    first = next(p for p in inbox if p["title"].startswith("Nimbus-World"))
    with Pane(tmp_path, 120, 16) as pane:  # shorter than the paper: it scrolls
        pane.start([*papertriage_cmd(), "--data-dir", str(data)])
        pane.wait_for(lambda s: s.startswith(" Inbox") and detail_text(s) != "")
        for _ in range(inbox.index(first)):
            pane.send("j")
        pane.wait_for(lambda s: detail_text(s).startswith("Nimbus-World"))

        pane.send("Enter")
        screen = pane.wait_for(lambda s: "GitHub repository" in s and "Esc back" in s)
        lines = screen.splitlines()
        assert lines[0].startswith(f" Inbox · {inbox.index(first) + 1} of {len(inbox)}")
        assert lines[1].strip().startswith("Nimbus-World") and "│" not in screen  # full screen: no list beside it
        assert "▲ 61 upvotes" in screen and "github.com/nimbus-labs/nimbus-world  ★ 23" in screen

        pane.send("j", "j")  # scrolls the text: the title goes off the top
        pane.wait_for(lambda s: not s.splitlines()[1].strip().startswith("Nimbus-World"))
        pane.send("x")  # skipped: the reader shows the next paper of the Inbox
        nxt = inbox[inbox.index(first) + 1]["title"]
        pane.wait_for(lambda s: s.splitlines()[1].strip().startswith(nxt[:30]))

        pane.send("Escape")
        pane.wait_for(lambda s: detail_text(s).startswith(nxt[:30]) and "Esc back" not in s)
        pane.send("q")
        assert pane.wait_exit() == 0
    status = {p["id"]: p["status"] for p in json.loads(
        run_process("list", "--json", "--view", "all", data_dir=data, check_rc=0).stdout)}
    assert status[first["id"]] == "skipped"

"""The config's [keys] end to end: the installed `papertriage` with `--config FILE` in tmux, and a bad config."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from support.clihelp import FEEDS, papertriage_cmd, run
from support.tmuxhelp import TMUX, Pane, detail_text

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(TMUX is None, reason="tmux is not installed")]


@pytest.fixture
def one_day(tmp_path) -> Path:
    data = tmp_path / "data"
    run("ingest", str(FEEDS / "hf_day1.txt"), data_dir=data, check_rc=0)
    return data


def test_a_remapped_star_key_stars_and_the_help_shows_it(tmp_path, one_day):
    conf = tmp_path / "config.toml"
    conf.write_text('[keys]\nstar = "w"\n', encoding="utf-8")
    with Pane(tmp_path) as pane:
        pane.start([*papertriage_cmd(), "--config", str(conf), "--data-dir", str(one_day)])
        pane.wait_for(lambda s: s.startswith(" Inbox") and detail_text(s) != "")
        pane.wait_for(lambda s: "w star" in s)  # the footer
        pane.send("s")  # the default key does nothing now
        pane.send("w")
        pane.wait_for("Starred 1")
        pane.send("?")
        screen = pane.wait_for("Keys")
        assert "w  star" in screen and "s  star" not in screen
        pane.send("Escape")
        pane.wait_for(lambda s: "w  star" not in s)
        pane.send("q")
        assert pane.wait_exit() == 0
    starred = json.loads(run("list", "--json", "--view", "starred", data_dir=one_day, check_rc=0).stdout)
    assert len(starred) == 1


def test_a_bad_key_in_the_config_is_one_line_before_the_app_starts(tmp_path, one_day):
    conf = tmp_path / "config.toml"
    conf.write_text('# mine\n[keys]\nstar = "w"\ntag = "w"\n', encoding="utf-8")
    proc = subprocess.run([*papertriage_cmd(), "--config", str(conf), "--data-dir", str(one_day)],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(f"error: {conf}:4: ")
    assert "'w'" in proc.stderr and "star" in proc.stderr and "tag" in proc.stderr

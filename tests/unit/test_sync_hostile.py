"""A damaged or hostile change file in the sync folder: skipped as damaged, never a crash, never a bad library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage.store import Store
from storage.sync.clock import stamp_text
from storage.sync.run import status, sync
from tui.cli import main

FEEDS = Path(__file__).parents[1] / "fixtures" / "feeds"
PID = "__PID__"

HOSTILE = {
    "status of a list": {"c": [1, 0, "evil"], "p": PID, "f": "status", "v": [["inbox"], ""]},
    "status of an object": {"c": [1, 0, "evil"], "p": PID, "f": "status", "v": [{"a": 1}, ""]},
    "paper with a number for abstract": {"c": [1, 0, "evil"], "p": "evil-1",
                                         "paper": {"id": "evil-1", "title": "t", "abstract": 5}},
    "paper with a number for a source": {"c": [1, 0, "evil"], "p": "evil-2",
                                         "paper": {"id": "evil-2", "title": "t", "sources": [1]}},
    "paper with a number for authors": {"c": [1, 0, "evil"], "p": "evil-3",
                                        "paper": {"id": "evil-3", "title": "t", "authors": 5}},
    "paper with a string for authors": {"c": [1, 0, "evil"], "p": "evil-4",
                                        "paper": {"id": "evil-4", "title": "t", "authors": "Bob"}},
    "a stamp past year 9999": {"c": [10**30, 0, "evil"], "p": PID, "f": "star", "v": True},
    "a tag no tag command could make": {"c": [1, 0, "evil"], "p": PID, "f": "tag:A B,c\n", "v": True},
}


def _store(path: Path) -> Store:
    s = Store(path)
    s.ingest([str(FEEDS / "hf_day1.txt")])
    return s


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_change_is_skipped_and_the_library_still_opens(tmp_path, case, capsys):
    store = _store(tmp_path / "a")
    pid = store.library.papers[0].id
    folder = tmp_path / "Sync"
    folder.mkdir()
    (folder / "evil").mkdir(parents=True)
    line = json.dumps(HOSTILE[case]).replace(PID, pid)
    (folder / "evil" / "0000000000001-000000.jsonl").write_text(line + "\n")
    report = sync(store, folder)
    store.close()
    assert report.damaged == 1 and not report.changes_in and not report.papers_in
    again = Store(tmp_path / "a")
    again.load_rest()
    again.library.load_abstracts()
    assert not any(p.id.startswith("evil-") for p in again.library.papers)
    s = again.state_of(pid)
    assert (s.starred, s.tags, s.status.value) == (False, [], "inbox")
    again.close()
    me, devices = status(tmp_path / "a", folder)
    for d in devices:
        if d.last:
            stamp_text(d.last)
    assert main(["--data-dir", str(tmp_path / "a"), "sync", "--status", str(folder)]) == 0


def test_a_note_with_terminal_escapes_arrives_cleaned(tmp_path):
    store = _store(tmp_path / "a")
    pid = store.library.papers[0].id
    folder = tmp_path / "Sync"
    folder.mkdir()
    (folder / "evil").mkdir(parents=True)
    line = {"c": [1, 0, "evil"], "p": pid, "f": "note", "v": "read\x1b]0;pwned\x07 this\x1b[2J"}
    (folder / "evil" / "0000000000001-000000.jsonl").write_text(json.dumps(line) + "\n")
    sync(store, folder)
    assert "\x1b" not in store.state_of(pid).note and "read" in store.state_of(pid).note


def test_stamp_text_of_a_stamp_out_of_range_does_not_raise():
    assert "evil" in stamp_text((10**30, 0, "evil"))

"""Undo history: bulk steps stored compactly, capped by size, undo names its papers and says where a step came from."""

from __future__ import annotations

import json
import subprocess
import sys

from storage import history
from storage.model import Paper, PaperState, Source
from storage.state import StateStore
from storage.store import Store


def _library(d, n: int) -> Store:
    store = Store(d)
    for i in range(n):
        store.library.add(Paper(id=f"p{i:05d}", title=f"Invented Paper Number {i}", sources=[Source("f", "2026-11-20")]))
    store.library.save()
    return store


def test_bulk_toggles_keep_the_state_file_small_and_still_undo(tmp_path):
    path = tmp_path / "state.json"
    st = StateStore(path)
    pids = [f"p{i:05d}" for i in range(1000)]
    for n in range(42):  # 42 bulk star toggles of 1,000 papers
        st.apply("star" if n % 2 == 0 else "unstar", {pid: PaperState(starred=n % 2 == 0) for pid in pids})
    st.close()
    # Whole before/after states made this ~13 MB; the changed field and the ids, capped by size, keep it small.
    assert path.stat().st_size < 1.2 * history.HISTORY_BYTES
    undo = json.loads(path.read_text())["meta"]["history"]["undo"]
    assert len(undo) == 42 and len(json.dumps(undo[-1])) < 30_000  # one group: the ids and {"starred": ...}

    st = StateStore(path)
    assert all(not st.get(pid).starred for pid in pids)  # the 42nd toggle unstarred them
    assert st.undo() == ("unstar", pids)
    assert all(st.get(pid).starred for pid in pids)
    assert st.redo() == ("unstar", pids) and not any(st.get(pid).starred for pid in pids)


def test_history_is_capped_by_count_too(tmp_path):
    st = StateStore(tmp_path / "state.json")
    for n in range(250):
        st.apply("note", {"a": PaperState(note=f"note {n}")})
    steps = 0
    while st.undo():
        steps += 1
    assert steps == 200 and st.get("a").note == "note 49"


def test_an_undo_keeps_what_changed_since_in_other_fields(tmp_path):
    st = StateStore(tmp_path / "state.json")
    st.apply("star", {"a": PaperState(starred=True)})
    st.put_synced({"a": PaperState(starred=True, note="from my laptop")})  # no undo entry of its own
    st.undo()
    assert (st.get("a").starred, st.get("a").note) == (False, "from my laptop")


def test_an_old_format_entry_still_undoes(tmp_path):
    path = tmp_path / "state.json"
    StateStore(path).close()
    data = json.loads(path.read_text())
    data["state"] = {"a": PaperState(starred=True, note="x").to_dict()}
    data["meta"]["history"] = {"undo": [{"label": "star", "before": {"a": PaperState(note="x").to_dict()},
                                         "after": {"a": PaperState(starred=True, note="x").to_dict()}}], "redo": []}
    path.write_text(json.dumps(data))
    st = StateStore(path)
    assert st.undo() == ("star", ["a"]) and st.get("a") == PaperState(note="x")


def test_undo_names_the_papers_it_undid(tmp_path):
    store = _library(tmp_path / "data", 5)
    store.set_note("p00001", "worth a read")
    store.undo()
    assert store.step_message("Undid") == "Undid note on 'Invented Paper Number 1'"
    store.set_star(["p00000", "p00002", "p00003"], True)
    store.undo()
    assert store.step_message("Undid") == "Undid star on 3 papers ('Invented Paper Number 0' and 2 more)"
    store.redo()
    assert store.step_message("Redid") == "Redid star on 3 papers ('Invented Paper Number 0' and 2 more)"


def test_an_undo_of_a_command_line_edit_says_where_it_came_from(tmp_path):
    data = tmp_path / "data"
    _library(data, 3).close()
    # Another process: the real command line.
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "--data-dir", str(data), "note", "p00002", "from the shell"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    store = Store(data)
    store.act_as("app")
    store.set_star(["p00000"], True)  # this session's own step: no origin said
    store.undo()
    assert store.step_message("Undid") == "Undid star on 'Invented Paper Number 0'"
    store.undo()
    assert store.step_message("Undid") == "Undid note on 'Invented Paper Number 2' (from the command line, today)"
    assert store.state_of("p00002").note == ""


def test_describe_an_earlier_app_session_and_days():
    from datetime import date

    entry = {"label": "note", "by": "app", "session": "elsewhere", "at": "2026-11-20T10:00:00+00:00"}
    assert history.describe("Undid", entry, ["T"], date(2026, 11, 21)) == "Undid note on 'T' (from an earlier session, yesterday)"
    entry["by"] = "cli"
    assert history.describe("Undid", entry, ["T"], date(2026, 12, 5)) == "Undid note on 'T' (from the command line, Nov 20)"
    del entry["at"], entry["by"]  # an entry from before entries said where they came from
    assert history.describe("Undid", entry, ["T"], date(2026, 12, 5)) == "Undid note on 'T' (from an earlier session)"


def test_history_is_capped_by_size(tmp_path, monkeypatch):
    monkeypatch.setattr(history, "HISTORY_BYTES", 50_000)
    st = StateStore(tmp_path / "state.json")
    pids = [f"p{i:05d}" for i in range(1000)]  # ~10 kB an entry
    for n in range(20):
        st.apply("star", {pid: PaperState(starred=n % 2 == 0) for pid in pids})
    st.close()
    undo = json.loads((tmp_path / "state.json").read_text())["meta"]["history"]["undo"]
    assert 2 <= len(undo) <= 5 and sum(history.entry_size(e) for e in undo) <= 50_000

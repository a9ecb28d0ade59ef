"""The state file: atomic TinyDB storage, only non-default states stored, undo/redo persisted, damage reported."""

import dataclasses
import json
import os

import pytest

from storage.errors import DataFileError
from storage.model import PaperState, Status
from storage.state import StateStore


def test_only_non_default_states_are_stored(tmp_path):
    st = StateStore(tmp_path / "state.json")
    st.apply("star", {"a": PaperState(starred=True), "b": PaperState(tags=["x"])})
    st.apply("unstar", {"a": PaperState()})
    st.close()  # folds the journal into the file
    data = json.loads((tmp_path / "state.json").read_text())
    assert set(data["state"]) == {"b"}
    assert StateStore(tmp_path / "state.json").get("a") == PaperState()


def test_one_action_is_one_journal_line_and_the_file_is_rewritten_at_close(tmp_path, monkeypatch):
    import storage.state as state_mod

    writes = []
    real = state_mod.atomic_write
    monkeypatch.setattr(state_mod, "atomic_write", lambda p, d, **k: (writes.append(p), real(p, d, **k)))
    st = StateStore(tmp_path / "state.json")
    writes.clear()
    st.apply("bulk", {f"p{i}": PaperState(starred=True) for i in range(50)})
    st.apply("tag", {"p1": PaperState(starred=True, tags=["t"])})
    assert writes == []  # no whole-file rewrite per action
    assert len((tmp_path / "state.journal").read_bytes().splitlines()) == 2
    st.close()
    assert writes == [tmp_path / "state.json"]  # one rewrite at the end
    assert (tmp_path / "state.journal").read_bytes() == b""
    data = json.loads((tmp_path / "state.json").read_text())
    assert data["state"]["p1"]["tags"] == ["t"] and len(data["state"]) == 50
    bak = json.loads((tmp_path / "state.json.bak").read_text())
    assert not bak.get("state")  # the .bak is the file before that rewrite


def test_undo_redo_many_levels_and_persisted(tmp_path):
    path = tmp_path / "state.json"
    st = StateStore(path)
    st.apply("star", {"a": PaperState(starred=True)})
    st.apply("tag", {"a": PaperState(starred=True, tags=["x"])})
    st.apply("read", {"a": PaperState(starred=True, tags=["x"], status=Status.READ)})
    st = StateStore(path)  # history survives a restart
    assert st.undo()[0] == "read"
    assert st.undo()[0] == "tag"
    # An undo is a change of its own: it restores the fields and stamps `updated` now (what a sync goes by).
    assert dataclasses.replace(st.get("a"), updated="") == PaperState(starred=True)
    st = StateStore(path)
    assert st.redo()[0] == "tag"
    assert st.get("a").tags == ["x"]
    assert st.undo()[0] == "tag"
    assert st.undo()[0] == "star"
    assert st.undo() is None
    assert st.get("a") == PaperState()
    st.apply("note", {"b": PaperState(note="n")})
    assert st.redo() is None  # a new action clears the redo stack


def test_ui_memory(tmp_path):
    st = StateStore(tmp_path / "state.json")
    st.set_ui(view="queue", cursor="p3")
    assert StateStore(tmp_path / "state.json").ui() == {"view": "queue", "cursor": "p3"}


@pytest.mark.parametrize(
    "content, problem",
    [(b"", "empty"), (b'{"state": {"a": ', "not valid JSON"), (b"\x00\xff garbage", "not valid JSON"), (b"[1, 2]", "not a JSON object")],
)
def test_damaged_file_is_reported_and_left_alone(tmp_path, content, problem):
    path = tmp_path / "state.json"
    path.write_bytes(content)
    with pytest.raises(DataFileError) as e:
        StateStore(path)
    assert str(path) in str(e.value) and problem in str(e.value)
    assert path.read_bytes() == content


def test_newer_schema_refused(tmp_path):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"meta": {"schema": {"version": 99}}, "state": {}}))
    with pytest.raises(DataFileError, match="newer papertriage"):
        StateStore(path)


def test_failed_write_keeps_change_in_memory_and_retries(tmp_path, monkeypatch):
    import storage.journal as journal_mod
    import storage.state as state_mod

    path = tmp_path / "state.json"
    st = StateStore(path)
    real_write, real_fsync = state_mod.atomic_write, journal_mod.os.fsync

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(state_mod, "atomic_write", full)
    monkeypatch.setattr(journal_mod.os, "fsync", full)  # the line may be written, but it is never acknowledged
    before = path.read_bytes()
    st.apply("star", {"a": PaperState(starred=True)})
    assert st.get("a").starred and st.unsaved_error is not None
    st.apply("tag", {"b": PaperState(tags=["x"])})  # after a failure: a whole rewrite is tried (it fails too)
    assert path.read_bytes() == before  # nothing half-written
    monkeypatch.setattr(state_mod, "atomic_write", real_write)
    monkeypatch.setattr(journal_mod.os, "fsync", real_fsync)
    st.flush()
    assert st.unsaved_error is None
    assert (tmp_path / "state.journal").read_bytes() == b""  # the rewrite holds everything
    again = StateStore(path)
    assert again.get("a").starred and again.get("b").tags == ["x"]
    assert again.undo()[0] == "tag"


def test_no_temp_files_left(tmp_path):
    st = StateStore(tmp_path / "state.json")
    for i in range(5):
        st.apply("star", {f"p{i}": PaperState(starred=True)})
    st.close()
    assert sorted(os.listdir(tmp_path)) == ["state.journal", "state.json", "state.json.bak"]

"""The state journal: one fsynced line per action, replayed on open, folded into the state file at the end."""

import json

import pytest

import storage.state as state_mod
from storage.errors import DataFileError
from storage.journal import Journal
from storage.model import PaperState
from storage.state import StateStore


def lines(path):
    return path.read_bytes().splitlines()


def session(path, label, changes) -> StateStore:
    """One run of the app: open, one action, quit (which folds the journal into the file)."""
    st = StateStore(path)
    st.apply(label, changes)
    st.close()
    return st


def test_actions_survive_a_crash_before_the_file_is_rewritten(tmp_path):
    path = tmp_path / "state.json"
    st = StateStore(path)
    st.apply("star", {"a": PaperState(starred=True)})
    st.apply("tag", {"b": PaperState(tags=["x"])})
    st.undo()
    st.set_ui(view="queue", cursor="a")
    # no close(): the process died here
    again = StateStore(path)
    assert again.get("a").starred and again.get("b") == PaperState()
    assert again.ui() == {"view": "queue", "cursor": "a"}
    assert again.redo()[0] == "tag" and again.get("b").tags == ["x"]
    assert again.undo()[0] == "tag" and again.undo()[0] == "star" and again.undo() is None


def test_a_torn_last_line_is_an_action_that_never_happened(tmp_path):
    path, journal = tmp_path / "state.json", tmp_path / "state.journal"
    st = StateStore(path)
    st.apply("star", {"a": PaperState(starred=True)})
    with journal.open("ab") as f:  # killed in the middle of appending the next line
        f.write(b'{"put":{"b":{"starred":tr')
    again = StateStore(path)
    assert again.get("a").starred and again.get("b") == PaperState()
    again.apply("tag", {"c": PaperState(tags=["y"])})  # the torn tail is cut off before this line
    assert [json.loads(line)["seq"] for line in lines(journal)] == [1, 2]
    third = StateStore(path)
    assert third.get("c").tags == ["y"] and third.get("a").starred


@pytest.mark.parametrize("bad", [b"not json", b'{"seq": "x"}', b'{"seq": 9, "put": {"a": {"tags": 5}}}',
                                 b'{"seq": 9, "hist": "sideways"}', b'{"seq": 9, "hist": "push", "entry": 3}'])
def test_a_damaged_line_is_reported_with_file_and_line_and_left_alone(tmp_path, bad):
    path, journal = tmp_path / "state.json", tmp_path / "state.journal"
    st = StateStore(path)
    st.apply("star", {"a": PaperState(starred=True)})
    with journal.open("ab") as f:
        f.write(bad + b"\n")
    st.apply("star", {"c": PaperState(starred=True)})
    content = journal.read_bytes()
    with pytest.raises(DataFileError) as e:
        StateStore(path)
    assert str(journal) in str(e.value) and "line 2 is damaged" in str(e.value) and "doctor --repair" in str(e.value)
    assert journal.read_bytes() == content


def test_lines_already_in_the_file_are_not_replayed_twice(tmp_path):
    path, journal = tmp_path / "state.json", tmp_path / "state.journal"
    st = StateStore(path)
    st.apply("star", {"a": PaperState(starred=True)})
    st.apply("star", {"b": PaperState(starred=True)})
    st.undo()
    kept = journal.read_bytes()
    st.close()
    journal.write_bytes(kept)  # died after rewriting the file, before emptying the journal
    again = StateStore(path)
    assert again.get("a").starred and not again.get("b").starred
    assert again.redo()[0] == "star" and again.redo() is None  # one redo entry, not two
    assert again.undo()[0] == "star" and again.undo()[0] == "star" and again.undo() is None


def test_the_file_is_rewritten_when_the_journal_grows(tmp_path, monkeypatch):
    monkeypatch.setattr(state_mod, "JOURNAL_LINES", 5)
    path, journal = tmp_path / "state.json", tmp_path / "state.journal"
    st = StateStore(path)
    for i in range(12):
        st.apply("star", {f"p{i}": PaperState(starred=True)})
    assert len(lines(journal)) == 2  # rewritten at 5 and 10
    assert len(json.loads(path.read_text())["state"]) == 10
    assert len(StateStore(path).states) == 12


def test_a_reader_never_writes(tmp_path):
    path, journal = tmp_path / "state.json", tmp_path / "state.journal"
    st = StateStore(path)
    st.apply("star", {"a": PaperState(starred=True)})
    before = (path.read_bytes(), journal.read_bytes(), path.stat().st_mtime_ns)
    reader = StateStore(path)  # e.g. `papertriage list` while the app runs
    assert reader.get("a").starred
    reader.close()
    assert (path.read_bytes(), journal.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_backup_is_read_without_the_journal(tmp_path):
    path = tmp_path / "state.json"
    session(path, "star", {"a": PaperState(starred=True)})
    session(path, "star", {"b": PaperState(starred=True)})
    st = StateStore(path)
    st.apply("star", {"c": PaperState(starred=True)})  # in the journal only
    bak = StateStore(tmp_path / "state.json.bak")
    assert bak.get("a").starred and not bak.get("b").starred and not bak.get("c").starred


def test_version_2_file_is_migrated_and_its_actions_kept(tmp_path):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"meta": {"schema": {"version": 2}}, "state": {"a": {"starred": True}}}))
    st = StateStore(path)
    assert st.get("a").starred
    assert json.loads(path.read_text())["meta"]["schema"]["version"] == 3
    assert (tmp_path / "state.json.v2.bak").exists()


def test_a_reader_racing_the_writers_rewrite_sees_a_whole_state(tmp_path, monkeypatch):
    """`list` while the app folds its journal: the reader reads the journal, the writer rewrites state.json and
    empties the journal and writes on, then the reader reads state.json. It must see the writer's state of then."""
    path = tmp_path / "state.json"
    writer = StateStore(path)
    for i in range(5):
        writer.apply("star", {f"a{i}": PaperState(starred=True)})
    real = Journal.read

    def read_then_writer_folds(journal):
        records = real(journal)
        writer.close()  # rewrite + empty the journal
        writer.apply("star", {"late": PaperState(starred=True)})
        return records

    monkeypatch.setattr(Journal, "read", read_then_writer_folds)
    reader = StateStore(path)
    monkeypatch.undo()
    assert all(reader.get(f"a{i}").starred for i in range(5))
    assert len(reader._history["undo"]) == 5  # not 6: "late" came after what this reader read; never a mix


def test_a_failed_rewrite_of_a_long_journal_keeps_appending(tmp_path, monkeypatch):
    monkeypatch.setattr(state_mod, "JOURNAL_LINES", 3)
    path = tmp_path / "state.json"
    st = StateStore(path)

    def denied(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(state_mod, "atomic_write", denied)
    for i in range(8):
        st.apply("star", {f"a{i}": PaperState(starred=True)})
        assert st.unsaved_error is None  # each action is durable in the journal: nothing to warn about
    assert all(StateStore(path).get(f"a{i}").starred for i in range(8))  # as after a crash here


def test_a_journal_that_does_not_follow_its_file_is_refused_then_replayed_by_repair(tmp_path):
    from storage import doctor

    path = tmp_path / "state.json"
    session(path, "star", {"a": PaperState(starred=True)})
    session(path, "tag", {"a": PaperState(starred=True, tags=["x"])})  # state.json holds actions 1-2, its .bak 1
    st = StateStore(path)
    st.apply("note", {"b": PaperState(note="n")})  # action 3, in the journal
    (tmp_path / "state.json.bak").replace(path)  # the file put back from its .bak by hand
    with pytest.raises(DataFileError, match="does not follow state.json"):
        StateStore(path)
    [finding] = [f for f in doctor.check(tmp_path) if f.path.name == "state.journal"]
    assert not finding.ok
    assert "1 action(s) now replay" in doctor.repair(tmp_path)[0]
    again = StateStore(path)
    assert again.get("a") == PaperState(starred=True) and again.get("b").note == "n"

"""Sync between data dirs that share one folder: named cases of what people and sync tools do."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from storage.model import PaperState
from storage.errors import PapertriageError
from storage.store import Store
from storage.sync import registers as R
from storage.sync.run import note_history, status, sync

FEEDS = Path(__file__).parents[1] / "fixtures" / "feeds"


class Clock:
    """Each device's wall clock, which a test moves and skews."""

    def __init__(self) -> None:
        self.t = 1_790_000_000.0  # 2026-09

    def iso(self, skew: float = 0.0) -> str:
        from datetime import datetime, timezone

        return datetime.fromtimestamp(self.t + skew, timezone.utc).isoformat(timespec="seconds")


@pytest.fixture
def world(tmp_path, monkeypatch):
    clock = Clock()
    skews: dict[str, float] = {}
    current = {"dev": ""}

    class World:
        def __init__(self) -> None:
            self.folder = tmp_path / "Sync"
            self.folder.mkdir()
            self.clock, self.skews = clock, skews

        def now(self) -> str:
            """The stores' clock: the wall clock of the device acting now."""
            return clock.iso(skews.get(current["dev"], 0.0))

        def device(self, name: str, feeds=("hf_day1.txt",)) -> "Device":
            d = Device(self, name, tmp_path / name)
            if feeds:
                d.store.ingest([str(FEEDS / f) for f in feeds])
            return d

        def at(self, dev: str):
            current["dev"] = dev
            return self

        def tick(self, seconds: float = 60) -> None:
            clock.t += seconds

    return World()


class Device:
    def __init__(self, world, name: str, path: Path) -> None:
        self.world, self.name, self.path = world, name, path
        self.store = Store(path, clock=world.now)

    def act(self):
        self.world.at(self.name).tick(1)
        return self.store

    def sync(self, folder: Path | None = None):
        self.world.at(self.name)
        report = sync(self.store, folder or self.world.folder)
        self.world.tick(1)
        return report

    def state(self, pid: str):
        s = self.store.state_of(pid)
        return (s.starred, sorted(s.tags), s.note, s.status.value, s.queue_position)

    def everything(self):
        return {pid: self.state(pid) for pid in self.store.view_ids("all")}


def ids(d: Device) -> list[str]:
    return d.store.view_ids("all")


def test_a_star_travels_and_syncing_again_changes_nothing(world):
    a, b = world.device("a"), world.device("b")
    pid = ids(a)[0]
    a.act().set_star([pid], True)
    assert a.sync().changes_out == 1
    report = b.sync()
    assert report.changes_in == {a.store and _dev(a): 1} and b.state(pid)[0] is True
    again = b.sync()
    assert again.changes_in == {} and again.changes_out == 0 and a.sync().changes_in == {}
    assert "1 change from" in "\n".join(report.lines())


def _dev(d: Device) -> str:
    return (d.path / "device-id").read_text().strip()


def test_concurrent_tags_keep_both_and_a_later_removal_wins(world):
    a, b = world.device("a"), world.device("b")
    pid = ids(a)[0]
    a.act().add_tags([pid], ["llm"])
    b.act().add_tags([pid], ["rl"])
    a.sync(), b.sync(), a.sync()
    assert a.state(pid)[1] == b.state(pid)[1] == ["llm", "rl"]
    b.act().remove_tags([pid], ["llm"])  # later than a's add: wins
    a.act().add_tags([pid], ["cv"])
    b.sync(), a.sync(), b.sync()
    assert a.state(pid)[1] == b.state(pid)[1] == ["cv", "rl"]


def test_a_note_edited_on_both_sides_keeps_the_later_and_the_earlier_in_history(world, capsys):
    a, b = world.device("a"), world.device("b")
    pid = ids(a)[0]
    a.act().set_note(pid, "from the laptop")
    b.act().set_note(pid, "from the desktop, later")
    a.sync(), b.sync(), a.sync()
    assert a.state(pid)[2] == b.state(pid)[2] == "from the desktop, later"
    texts = [t for _, t in note_history(a.path, pid)]
    assert texts == ["from the laptop", "from the desktop, later"] == [t for _, t in note_history(b.path, pid)]
    from tui.cli import main

    assert main(["--data-dir", str(a.path), "history", pid]) == 0
    out = capsys.readouterr().out
    assert "from the laptop" in out and "(current)" in out.splitlines()[2]


def test_queue_reordered_on_both_sides_converges(world):
    a, b = world.device("a"), world.device("b")
    p = ids(a)[:3]
    a.act().set_status(p, "queued")
    a.sync(), b.sync()
    assert b.store.queue_ids() == p
    a.act().move_in_queue(p[2], -1)
    b.act().move_in_queue(p[0], +1)
    a.sync(), b.sync(), a.sync()
    assert a.store.queue_ids() == b.store.queue_ids() and a.everything() == b.everything()


@pytest.mark.parametrize("skew", [-600, 600])
def test_clock_skew_of_ten_minutes_does_not_lose_a_later_change(world, skew):
    a, b = world.device("a"), world.device("b")
    world.skews["b"] = skew
    pid = ids(a)[0]
    a.act().set_star([pid], True)
    a.sync(), b.sync()
    b.act().set_star([pid], False)  # after seeing a's star: must win whatever b's clock says
    b.sync(), a.sync()
    assert a.state(pid)[0] is False and b.state(pid)[0] is False


def test_a_torn_last_line_is_skipped_then_read_when_whole(world):
    a, b = world.device("a"), world.device("b")
    pid, other = ids(a)[:2]
    a.act().set_star([pid], True)
    a.act().add_tags([other], ["x"])
    a.sync()
    (f,) = list((world.folder / _dev(a)).glob("*.jsonl"))
    whole = f.read_bytes()
    lines = [line for line in whole.split(b"\n") if b'"f"' in line]
    torn = b"\n".join(l for l in whole.split(b"\n") if l and b"tag:" not in l) + b"\n" + lines[-1][:-9]
    f.write_bytes(torn)
    report = b.sync()
    assert report.damaged == 1 and b.state(pid)[0] is True and b.state(other)[1] == []
    f.write_bytes(whole)
    b.sync()
    assert b.state(other)[1] == ["x"]


def test_a_conflict_copy_is_read_as_a_change_file(world):
    a, b = world.device("a"), world.device("b")
    pid, other = ids(a)[:2]
    a.act().set_star([pid], True)
    a.sync()
    (f,) = list((world.folder / _dev(a)).glob("*.jsonl"))
    original = f.read_bytes()
    a.act().set_note(other, "kept in a conflict copy")
    a.sync()
    newest = max((world.folder / _dev(a)).glob("*.jsonl"))
    conflict = newest.with_name(newest.stem + ".sync-conflict-20261202-101010-ABCDEFG.jsonl")
    newest.rename(conflict)
    (world.folder / _dev(a) / (f.stem + " (conflicted copy 2026-12-02).jsonl")).write_bytes(original)
    b.sync()
    assert b.state(pid)[0] is True and b.state(other)[2] == "kept in a conflict copy"


def test_a_paper_known_only_to_one_side_arrives_with_its_state(world):
    a = world.device("a", feeds=("hf_day1.txt", "hf_day2.txt"))
    b = world.device("b", feeds=("hf_day1.txt",))
    only_a = [pid for pid in ids(a) if pid not in set(ids(b))]
    assert only_a
    a.act().set_star(only_a[:1], True)
    a.sync()
    report = b.sync()
    assert report.papers_in == len(only_a) and b.state(only_a[0])[0] is True
    assert b.store.get(only_a[0]).title == a.store.get(only_a[0]).title
    assert Store(b.path).abstract(only_a[0]) == Store(a.path).abstract(only_a[0]) != ""  # saved, abstracts too


def test_a_state_for_an_unknown_paper_waits_for_the_paper(world):
    a = world.device("a", feeds=("hf_day1.txt", "hf_day2.txt"))
    b = world.device("b", feeds=("hf_day1.txt",))
    only_a = [pid for pid in ids(a) if pid not in set(ids(b))][0]
    a.act().set_note(only_a, "waits")
    a.sync()
    # b's folder copy lacks a's paper records (a sync tool delivering the change file first): keep only the note
    folder2 = world.folder.parent / "Sync-b"
    shutil.copytree(world.folder, folder2)
    for f in (folder2 / _dev(a)).glob("*.jsonl"):
        f.write_bytes(b"".join(l + b"\n" for l in f.read_bytes().split(b"\n") if l and b'"paper"' not in l))
    report = b.sync(folder2)
    assert report.pending == 1 and only_a not in b.store
    b.store.ingest([str(FEEDS / "hf_day2.txt")])  # the paper arrives another way
    b.sync(folder2)
    assert b.state(only_a)[2] == "waits"


def test_undo_after_sync_is_a_new_change(world):
    a, b = world.device("a"), world.device("b")
    pid = ids(a)[0]
    a.act().set_star([pid], True)
    a.sync(), b.sync()
    a.act().undo()
    assert a.sync().changes_out == 1
    b.sync()
    assert b.state(pid)[0] is False
    assert len(list((world.folder / _dev(a)).glob("*.jsonl"))) == 2  # history is appended to, never rewritten


def test_a_read_only_sync_folder_still_merges_in_and_sends_later(world):
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders")
    a, b = world.device("a"), world.device("b")
    pid = ids(a)[0]
    a.act().set_star([pid], True)
    a.sync()
    b.act().add_tags([pid], ["mine"])
    world.folder.chmod(0o555)
    try:
        report = b.sync()
        assert report.write_error and b.state(pid)[0] is True
    finally:
        world.folder.chmod(0o755)
    b.sync(), a.sync()
    assert a.state(pid)[1] == ["mine"]


def test_a_sync_folder_we_cannot_write_keeps_what_we_owe(world, monkeypatch):
    a, b = world.device("a"), world.device("b")
    pid = ids(a)[0]
    a.act().set_star([pid], True)
    import storage.sync.run as run

    def refuse(*_a, **_k):
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(run, "write_changes", refuse)
    report = a.sync()
    assert "cannot write" in report.write_error
    monkeypatch.undo()
    a.sync(), b.sync()
    assert b.state(pid)[0] is True


def test_a_deleted_device_folder_is_written_again(world):
    a, b = world.device("a"), world.device("b")
    pid = ids(a)[0]
    a.act().set_star([pid], True)
    a.sync()
    shutil.rmtree(world.folder / _dev(a))
    a.sync()
    c = world.device("c", feeds=())
    c.sync()
    assert c.state(pid)[0] is True and len(c.store) == len(a.store)


def test_status_names_each_device_and_what_was_seen(world, capsys):
    a, b = world.device("a"), world.device("b")
    a.act().set_star([ids(a)[0]], True)
    a.sync()
    me, devices = status(b.path, world.folder)
    assert [(d.device, d.seen) for d in devices] == [(_dev(a), False)]
    b.sync()
    _, devices = status(b.path, world.folder)
    assert {d.device: d.seen for d in devices} == {_dev(a): True, _dev(b): True}
    from tui.cli import main

    assert main(["--data-dir", str(b.path), "sync", str(world.folder), "--status"]) == 0
    out = capsys.readouterr().out
    assert f"this device: {_dev(b)}" in out and "seen" in out


def test_cli_sync_uses_the_config_sync_dir(world, tmp_path, capsys):
    a = world.device("a")
    a.act().set_star([ids(a)[0]], True)
    a.store.close()
    from tui.cli import main

    assert main(["--data-dir", str(a.path), "sync"]) == 1
    assert "no sync folder" in capsys.readouterr().err
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'sync_dir = "{world.folder}"\n')
    assert main(["--config", str(cfg), "--data-dir", str(a.path), "sync"]) == 0
    assert "sent 1 change and " in capsys.readouterr().out


def test_register_rules():
    regs, notes = {}, {}
    assert R.write(regs, notes, "p", "star", (5, 0, "a"), True)
    assert not R.write(regs, notes, "p", "star", (4, 9, "b"), False)  # older: ignored
    assert not R.write(regs, notes, "p", "star", (5, 0, "a"), True)  # the same change twice
    assert R.write(regs, notes, "p", "star", (5, 0, "b"), False)  # same time: the device id decides
    assert R.state_of(regs["p"], PaperState()).starred is False


def test_undo_of_a_tag_added_here_keeps_a_tag_another_device_added_since(world):
    """Tags are per-tag registers: undoing "add rl" here removes rl, not the "llm" that arrived after it."""
    a, b = world.device("a"), world.device("b")
    pid = ids(a)[0]
    a.act().add_tags([pid], ["rl"])
    a.sync(), b.sync()
    b.act().add_tags([pid], ["llm"])
    b.sync(), a.sync()
    assert a.state(pid)[1] == ["llm", "rl"]
    a.act().undo()
    assert a.state(pid)[1] == ["llm"]
    a.sync(), b.sync()
    assert a.state(pid)[1] == b.state(pid)[1] == ["llm"]


def test_a_missing_sync_folder_is_an_error_not_a_new_folder(world, tmp_path):
    a = world.device("a")
    a.act().set_star([ids(a)[0]], True)
    with pytest.raises(PapertriageError, match="no such sync folder"):
        a.sync(tmp_path / "unmounted" / "Sync")
    assert not (tmp_path / "unmounted").exists()


@pytest.mark.parametrize("damage", ['"pending": 5', '"registers": {"p": {"star": [1, true]}}', '"seen": []'])
def test_a_damaged_sync_file_is_one_line_naming_it(world, damage, capsys):
    a = world.device("a")
    a.sync()
    path = a.path / "sync.json"
    import json as _json

    d = _json.loads(path.read_text())
    key, value = damage.split(": ", 1)
    d[_json.loads(key)] = _json.loads(value)
    path.write_text(_json.dumps(d))
    from tui.cli import main

    assert main(["--data-dir", str(a.path), "sync", str(world.folder)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: damaged content") and err.count("\n") == 1

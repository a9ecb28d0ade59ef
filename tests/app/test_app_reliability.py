"""The app when the disk says no, and when a second papertriage wants the same data dir.

A failed save (disk full, read-only file system) must not lose the change or leave a half-written file: the change
stays on screen and in memory, the user is told, and the next change (or a retry while idle, or quitting) writes
everything. Each test checks a fresh Store on the same data dir: that is what is on disk.
"""

from __future__ import annotations

import errno
import json
import os

import pytest

import storage.atomic
import storage.journal
from support.clihelp import FEEDS, papertriage_cmd, run_process
from support.apphelp import cursor_line, detail, header, make_app, notes, settle
from support.library import INBOX
from storage.model import Status
from storage.store import Store
from support.tmuxhelp import TMUX, Pane
from tui.screens import ConfirmDialog, NoteEditor

SIZE = (120, 40)


class Disk:
    """Stands in for the file system under storage.atomic and the state journal: while `full`, every write fails
    with `error`."""

    def __init__(self, error: int = errno.ENOSPC) -> None:
        self.error = error
        self.full = False
        self.refused = 0
        self._prepare = storage.atomic.prepare
        self._append = storage.journal.Journal.append

    def prepare(self, path, data, **kw):
        self._check(path)
        return self._prepare(path, data, **kw)

    def append(self, journal, record, **kw):
        self._check(journal.path)
        return self._append(journal, record, **kw)

    def _check(self, path):
        if self.full:
            self.refused += 1
            raise OSError(self.error, os.strerror(self.error), str(path))


@pytest.fixture
def disk(monkeypatch):
    d = Disk()
    monkeypatch.setattr(storage.atomic, "prepare", d.prepare)
    monkeypatch.setattr(storage.journal.Journal, "append", lambda journal, record, **kw: d.append(journal, record, **kw))
    return d


def files(data_dir) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data_dir.iterdir()) if p.is_file() and p.name != "lock"}


def not_saved(app) -> list[str]:
    return [m for m in notes(app, "error") if "kept in memory" in m]


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS, errno.EACCES])
async def test_failed_save_keeps_the_change_and_the_next_change_writes_both(library_dir, disk, error):
    disk.error = error
    before = files(library_dir)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        disk.full = True
        await pilot.press("s")
        assert disk.refused  # the write really went through the patched file system
        said = not_saved(app)
        assert len(said) == 1 and os.strerror(error) in said[0] and "state.json" in said[0], notes(app)
        assert "retried" in said[0]
        assert "★" in cursor_line(app) and "Starred 3" in header(app) and "★ starred" in detail(app)
        assert files(library_dir) == before  # not a byte written, no temp file left behind
        assert not Store(library_dir).state_of(INBOX[0]).starred

        disk.full = False
        await pilot.press("j", "a")
        assert "Queued (position 3)" in notes(app)
        assert any("Saved" in m for m in notes(app, "information")), notes(app)
        assert len(not_saved(app)) == 1  # said once, not again once it worked

    on_disk = Store(library_dir)
    assert on_disk.state_of(INBOX[0]).starred
    assert on_disk.state_of(INBOX[1]).status == Status.QUEUED
    assert on_disk.undo()[0] == "queue" and on_disk.undo()[0] == "star"  # both actions, in order, each undoable


async def test_a_note_is_kept_while_the_disk_is_full(library_dir, disk):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        disk.full = True
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"kept", "ctrl+s")
        assert not isinstance(app.screen, NoteEditor)
        assert "note\nkept" in detail(app) and len(not_saved(app)) == 1
        assert Store(library_dir).state_of(INBOX[0]).note == ""
        disk.full = False
        await pilot.press("s")
    on_disk = Store(library_dir).state_of(INBOX[0])
    assert on_disk.note == "kept" and on_disk.starred


async def test_unsaved_changes_are_retried_while_idle(library_dir, disk, monkeypatch):
    monkeypatch.setattr("tui.saving.SAVE_RETRY_SECONDS", 0.05)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        disk.full = True
        await pilot.press("s")
        refused = disk.refused
        for _ in range(200):  # the retry keeps failing quietly while the disk is full
            await pilot.pause(0.01)
            if disk.refused > refused + 1:
                break
        assert disk.refused > refused + 1 and len(not_saved(app)) == 1
        disk.full = False
        for _ in range(200):
            await pilot.pause(0.01)
            if Store(library_dir).state_of(INBOX[0]).starred:
                break
        assert Store(library_dir).state_of(INBOX[0]).starred
        await pilot.pause(0.01)
        assert any("Saved" in m for m in notes(app, "information")), notes(app)


async def test_quit_with_unsaved_changes_asks_first(library_dir, disk):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        disk.full = True
        await pilot.press("s", "q")
        assert isinstance(app.screen, ConfirmDialog)  # the safe answer is the default
        await pilot.press("escape")
        assert not isinstance(app.screen, ConfirmDialog) and app.is_running
        disk.full = False
        await pilot.press("q")  # the quit saves first: nothing to ask any more
        await pilot.pause()
    assert app.return_code == 0
    assert Store(library_dir).state_of(INBOX[0]).starred


async def test_quit_anyway_loses_only_what_could_not_be_saved(library_dir, disk):
    before = files(library_dir)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        disk.full = True
        await pilot.press("s", "q")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 1  # the shell sees that something was not saved
    assert files(library_dir) == before


# -- one writer per data dir ---------------------------------------------------------------------------------------
@pytest.mark.e2e
@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_second_app_is_refused_while_list_still_works(tmp_path):
    data = tmp_path / "data"
    run_process("ingest", str(FEEDS / "hf_day1.txt"), data_dir=data, check_rc=0)
    with Pane(tmp_path) as pane:
        pane.start([*papertriage_cmd(), "--data-dir", str(data)])
        pane.wait_for("Inbox 8")
        pid = pane.pid()
        pane.send("s")
        pane.wait_for("Starred 1")

        for second in (run_process(data_dir=data), run_process("star", "Tidal", data_dir=data)):  # the app; a writing command
            assert second.returncode == 1 and second.stdout == ""
            assert second.stderr.startswith("error: ") and len(second.stderr.strip().splitlines()) == 1
            assert "in use by another papertriage" in second.stderr and f"pid {pid}," in second.stderr
            assert f"papertriage --data-dir {data}" in second.stderr  # names the other process: pid and command

        papers = json.loads(run_process("list", "--json", data_dir=data, check_rc=0).stdout)
        assert len(papers) == 8 and sum(p["starred"] for p in papers) == 1  # readers see the app's writes

        pane.send("q")
        assert pane.wait_exit() == 0
    run_process("star", papers[5]["id"], data_dir=data, check_rc=0)  # the lock went with the app


async def test_not_saved_is_said_once_while_the_disk_stays_full(library_dir, disk):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        disk.full = True
        await pilot.press("s", "j", "s", "j", "s")
        assert disk.refused >= 3 and len(not_saved(app)) == 1
        disk.full = False
        await pilot.press("j", "s")
        assert any("Saved" in m for m in notes(app, "information")), notes(app)
    on_disk = Store(library_dir)
    assert all(on_disk.state_of(pid).starred for pid in INBOX[:4])

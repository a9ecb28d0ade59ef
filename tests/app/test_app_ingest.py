"""Ingest from the app (progress, report, errors), background abstracts, run_app's startup errors, the demo."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import Label, ProgressBar

from support.apphelp import detail, header, make_app, notes, settle
from support.library import INBOX, write_day_feed
from storage.errors import DataFileError
from storage.store import IngestReport, Store
from tui import app as app_module
from tui import demo_data

SIZE = (120, 40)

def write_feed(tmp_path: Path) -> Path:
    return write_day_feed(tmp_path / "feeds")


async def test_ingest_on_open_reports_and_refreshes(library_dir, tmp_path):
    feed = write_feed(tmp_path)
    missing = tmp_path / "feeds" / "nope.xml"
    app = make_app(library_dir, ingest=[str(feed), str(missing)])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "Ingested 2 entries: 1 new papers, 1 repeats merged" in notes(app)
        errors = notes(app, "error")
        assert len(errors) == 1 and str(missing) in errors[0]
        assert not app.query_one("#ingest").has_class("-active")
        assert app.papers.ids[0] != INBOX[0] and len(app.papers.ids) == 7  # the new paper is listed first
        assert "Inbox 7" in header(app) and "All 11" in header(app)
        await pilot.press("G")  # the repeat was merged into the paper already there
        await pilot.press("g", "j")
        await settle(app, pilot)  # keys this close are a burst: the pane follows once they rest (DetailPane.follow)
        assert app.current == INBOX[0]
        assert "seen on Nov 21 (hf-daily-2026-11-21.txt), Nov 22 (hf-daily-2026-11-22.txt)" in detail(app)
    assert len(Store(library_dir)) == 11


async def test_ingest_shows_progress_and_keeps_the_screen_responsive(library_dir, monkeypatch):
    release = threading.Event()
    seen: list[tuple[int, int]] = []

    def slow_ingest(self, paths, progress=None, *, entry_progress=None):
        entry_progress(2000, 400, 1000)  # within the first feed: 40% of the bytes merged
        seen.append((400, 1000))
        release.wait(10)
        entry_progress(2345, 1000, 1000)
        return IngestReport(files=3, entries=5, new=0, merged=5)

    monkeypatch.setattr(Store, "ingest", slow_ingest)
    app = make_app(library_dir, ingest=["a", "b", "c"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(200):  # wait for the worker to reach the first progress report (not timed)
            if seen:
                break
            await pilot.pause()
        await pilot.pause()
        bar = app.query_one(ProgressBar)
        assert app.query_one("#ingest").has_class("-active") and bar.display
        assert (bar.progress, bar.total) == (400, 1000)
        assert "2,000 entries" in str(app.query_one("#ingest-label", Label).content)
        await pilot.press("j", "s")  # the app keeps working meanwhile
        assert app.current == INBOX[1] and Store(library_dir).state_of(INBOX[1]).starred
        release.set()
        await settle(app, pilot)
        assert not app.query_one("#ingest").has_class("-active")
        assert "Ingested 5 entries: 0 new papers, 5 repeats merged" in notes(app)
        assert app.current == INBOX[1]


async def test_abstracts_load_in_a_worker_after_the_first_paint(library_dir, monkeypatch):
    from storage.library import Library

    calls = []
    real = Library.load_abstracts

    def spy(self, *pace):
        calls.append((threading.current_thread() is threading.main_thread(), app._painted.is_set()))
        real(self, *pace)

    monkeypatch.setattr(Library, "load_abstracts", spy)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        # off the main thread, once the screen was drawn (warming the search indices asks again: a no-op then)
        assert calls and set(calls) == {(False, True)}
        assert app.abstracts == "ready" and "We route tokens sparsely." in detail(app)


async def test_damaged_abstracts_file_is_reported_not_fatal(library_dir):
    (library_dir / "abstracts.json").write_text("{not json")
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        errors = notes(app, "error")
        assert errors and "abstracts.json" in errors[0]
        assert "abstracts could not be loaded" in detail(app)
        await pilot.press("s")  # triage still works
    assert Store(library_dir).state_of(INBOX[0]).starred


def test_run_app_prints_startup_errors_as_one_line(library_dir, monkeypatch, capsys):
    def broken(self, *a, **kw):
        raise DataFileError(library_dir / "state.json", "not valid JSON")

    monkeypatch.setattr(Store, "view_ids", broken)
    ran = []
    monkeypatch.setattr(app_module.PapertriageApp, "run", lambda self: ran.append(1))
    code = app_module.run_app(Store(library_dir))
    err = capsys.readouterr().err
    assert code == 1 and not ran
    assert err == f"error: {library_dir / 'state.json'}: not valid JSON\n"


def test_run_app_returns_the_exit_code(library_dir, monkeypatch):
    monkeypatch.setattr(app_module.PapertriageApp, "run", lambda self: None)
    assert app_module.run_app(Store(library_dir), ingest=["x"]) == 0


@pytest.mark.skipif(not demo_data.demo_feeds(), reason="demo feeds not bundled")
def test_demo_ingests_the_bundled_feeds_into_a_temporary_dir(monkeypatch):
    opened = []

    def fake_run_app(store, ingest=(), **_options):  # config=... since the config file
        opened.append((store.dir, len(store), store.dir.exists()))
        return 0

    monkeypatch.setattr(app_module, "run_app", fake_run_app)
    assert demo_data.run_demo() == 0
    (data_dir, papers, existed), = opened
    assert papers == 52 and existed
    assert not data_dir.exists()  # thrown away afterwards
    assert all(p.endswith(".txt") for p in demo_data.demo_feeds())

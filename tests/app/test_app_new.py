"""What is new since last time, in the app: the row marks, the header's `N new` and `N today`, `N`, the next-unread
key (remapped to `n` as a newsboat user would), and the cursor after an ingest (storage/fresh.py, tui/newpapers.py)."""

from __future__ import annotations

from pathlib import Path

from support.apphelp import header, notes, settle
from support.library import NOW, TODAY, fixed_clock
from storage.config import load_config
from storage.model import Paper, Source
from storage.store import Store
from tui.app import PapertriageApp

SIZE = (120, 30)
YESTERDAY = "2026-11-20"
OLD = f"{YESTERDAY}T10:00:00+00:00"  # ingested yesterday morning, seen in yesterday's session
MORNING = f"{TODAY}T07:00:00+00:00"  # `papertriage fetch` this morning, before the app


def build(data_dir: Path) -> Path:
    """In display order: n1 n2 (today's feed, new), o1 (yesterday's, old), n3 (yesterday's feed date, fetched this
    morning: new), o2 (old). Yesterday's session ended at 18:30."""
    store = Store(data_dir, clock=fixed_clock)
    for pid, day, added in [("n1", TODAY, MORNING), ("n2", TODAY, MORNING), ("o1", YESTERDAY, OLD),
                            ("n3", YESTERDAY, MORNING), ("o2", "2026-11-19", OLD)]:
        store.library.add(Paper(pid, f"Paper {pid}", sources=[Source("feed", day)], added=added))
    store.library.save()
    store.set_ui(session={"start": f"{YESTERDAY}T18:00:00+00:00", "last": f"{YESTERDAY}T18:30:00+00:00",
                          "acted": True, "since": ""})
    store.close()
    return data_dir


def write_bib(path: Path, *titles: str) -> Path:
    path.write_text("".join(f"@article{{k{n}, title={{{t}}}}}\n" for n, t in enumerate(titles)))
    return path


def make(data_dir: Path, tmp_path: Path, **kw) -> PapertriageApp:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\nnext_unread = "n"\nnote = "M"\n')  # the newsboat habit, as the README says
    return PapertriageApp(Store(data_dir, lazy=True, clock=fixed_clock), today=TODAY, config=load_config(config),
                          **kw)


def row(app, index: int) -> str:
    return app.papers.render_line(index - round(app.papers.scroll_y)).text


async def test_marks_header_jumps_and_an_ingest_mid_triage(tmp_path):
    app = make(build(tmp_path / "data"), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.papers.ids == ["n1", "n2", "o1", "n3", "o2"]
        assert [row(app, i)[2] for i in range(5)] == ["•", "•", " ", "•", " "]  # the mark, beside the status
        assert "   by date   3 new · 2 today   0 triaged today · 5 left" in header(app)
        await pilot.press("N")
        assert app.current == "n2"
        await pilot.press("N")
        assert app.current == "n3"  # o1 is not new
        await pilot.press("N")
        assert app.current == "n1" and "Back at the first of the new papers." in notes(app)
        await pilot.press("5", "j", "r")  # All: n2 read (the cursor stays on it in All)
        await pilot.press("g", "n")  # next unread: new and not triaged, so past n2
        assert app.current == "n3"
        await pilot.press("N")
        assert app.current == "n1"
        await pilot.press("j")
        assert app.current == "n2"

        # an ingest while the user is at work: a notice offers the new papers, the cursor stays
        app.ingest_paths = [str(write_bib(tmp_path / "late.bib", "Late One", "Late Two"))]
        app.run_worker(app._ingest_in_thread, thread=True, group="background")
        await settle(app, pilot)
        assert app.current == "n2"
        assert "2 new papers — N to jump" in notes(app)
        assert "5 new · 4 today" in header(app)
        await pilot.press("N")
        assert app.store.title(app.current) == "Late One"


async def test_an_ingest_at_start_puts_the_cursor_on_its_first_new_paper(tmp_path):
    data = build(tmp_path / "data")
    bib = write_bib(tmp_path / "start.bib", "Fresh From The Feed")
    app = make(data, tmp_path, ingest=[str(bib)])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        # today's feed papers first, then the ingested one (today by its ingest day), then yesterday's
        assert app.store.title(app.current) == "Fresh From The Feed" and app.papers.cursor == 2
        assert "1 new paper: the cursor is on the first; N goes to the next." in notes(app)
        assert "4 new · 3 today" in header(app)
        assert row(app, 2)[2] == "•"
        await pilot.press("n")  # the remapped next-unread key: not the note editor
        assert app.current == "n3" and app.screen is app.triage
        await pilot.press("slash", *"is:new")  # the search language knows them too
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [app.store.title(pid) for pid in app.papers.ids] == ["Paper n1", "Paper n2", "Fresh From The Feed",
                                                                    "Paper n3"]
        await pilot.press("escape", "escape", "q")
    ui = Store(data).ui()
    assert ui["session"]["start"] == NOW and ui["session"]["since"] == f"{YESTERDAY}T18:30:00+00:00"

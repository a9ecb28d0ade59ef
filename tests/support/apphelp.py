"""Helpers for the Pilot tests: the app on a fresh Store, waiting for it to settle, and what it shows."""

from __future__ import annotations

from pathlib import Path

from storage.store import Store
from support.library import TODAY, fixed_clock


def make_app(data_dir: Path, *, lazy: bool = True, **kw):
    """The app on a fresh Store of `data_dir`, with the fixed today; opened lazily, as the CLI opens it."""
    from tui.app import PapertriageApp

    kw.setdefault("today", TODAY)
    return PapertriageApp(Store(data_dir, lazy=lazy, clock=fixed_clock), **kw)


async def settle(app, pilot) -> None:
    """Wait for background workers (abstracts, ingest) and the messages they post, and for the detail pane to
    follow the cursor (after a burst of moves it waits until the cursor rests: see DetailPane.follow)."""
    from tui.widgets.detail import DetailPane

    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    for _ in range(200):
        if not any(pane.pending for pane in app.screen_stack[0].query(DetailPane)):
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def resize(app, pilot, width: int, height: int) -> None:
    """A new terminal size, and wait until the triage screen is laid out at it (the header spans the width): the
    relayout comes a few messages after the resize, and a test must not read the old layout."""
    from tui.widgets.header import HeaderBar

    await pilot.resize_terminal(width, height)
    bar = app.triage.query_one(HeaderBar)
    for _ in range(200):
        if bar.region.width == width:
            break
        await pilot.pause(0.005)
    assert bar.region.width == width, (bar.region, width)
    await pilot.pause()


def cursor_line(app) -> str:
    """The text drawn on the list's cursor row (what the user sees)."""
    papers = app.papers
    return papers.render_line(papers.cursor - round(papers.scroll_y)).text


def header(app) -> str:
    from tui.widgets.header import HeaderBar

    return app.query_one(HeaderBar).plain


def detail(app) -> str:
    from tui.widgets.detail import DetailPane

    return app.query_one(DetailPane).plain


def notes(app, severity: str | None = None) -> list[str]:
    """Notification messages shown so far (Textual keeps them on the app until they expire)."""
    return [n.message for n in app._notifications if severity is None or n.severity == severity]

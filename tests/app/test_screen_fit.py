"""Screens that fit (issue 11) at 60x20, 80x24, 120x36 and 200x50: the header drops whole segments and refits on
resize. Regions, not snapshots: the SVG snapshots (tests/app/test_snapshots.py) cover 60x20 and 80x24 only."""

from __future__ import annotations

import re

from rich.cells import cell_len
from support.apphelp import make_app, resize, settle
from textual.geometry import Region

from tui.widgets.header import HeaderBar

SIZES = [(60, 20), (80, 24), (120, 36), (200, 50)]


def segments(text: str) -> set[str]:
    return {s for s in re.split(r" · |   ", text.strip()) if s}


async def test_the_header_of_a_search_fits_every_size_in_whole_segments(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "g")
        await settle(app, pilot)
        bar = app.query_one(HeaderBar)
        assert "4 matches" in bar.plain
        for width, height in SIZES:
            await resize(app, pilot, width, height)
            shown = bar.shown
            assert cell_len(shown) <= width, (width, shown)
            assert segments(shown) <= segments(bar.plain), (width, shown)  # nothing cut mid-segment
            assert "Inbox 6" in shown and "4 matches" in shown, (width, shown)
        assert shown == bar.plain  # 200 columns: all of it


TAGS = [f"topic-{n:02d}" for n in range(40)]


def dialogs(app) -> dict:
    """Every dialog, filled to stress its layout: a long title, a long note, many tags."""
    from support.library import LONG_TITLE

    from storage.links import LABELS, Link
    from tui.screens import NoteEditor, TagDialog, UntagDialog
    from tui.screens.confirm import ConfirmDialog
    from tui.screens.copy_menu import CopyMenu
    from tui.screens.dialog import Palette
    from tui.screens.export_dialog import ExportDialog, IngestDialog
    from tui.screens.help import HelpScreen
    from tui.screens.open_menu import OpenMenu
    from tui.screens.sort_menu import SortMenu
    from tui.screens.tag_filter import TagFilter

    return {
        "note": lambda: NoteEditor(LONG_TITLE, "\n".join(f"line {n}" for n in range(60))),
        "tag": lambda: TagDialog(LONG_TITLE, {t: n for n, t in enumerate(TAGS)}, TAGS[:12]),
        "untag": lambda: UntagDialog(LONG_TITLE, TAGS),
        "filter": lambda: TagFilter({t: n for n, t in enumerate(TAGS)}, "Inbox"),
        "copy": lambda: CopyMenu(LONG_TITLE),
        "export": lambda: ExportDialog("starred papers", 12, "starred-2026-11-21.md"),
        "ingest": lambda: IngestDialog(),
        "confirm": lambda: ConfirmDialog(f"{LONG_TITLE} exists. Overwrite it?", yes="Overwrite", no="Keep it"),
        "sort": lambda: SortMenu("Inbox", "date"),
        "open": lambda: OpenMenu(LONG_TITLE, [Link(kind, LABELS[kind], f"https://example.org/{kind}/" + "x" * 80)
                                              for kind in LABELS]),
        "help": lambda: HelpScreen(app.keys.help_rows()),
        "palette": lambda: Palette(id="--command-palette"),
    }


def inside(inner, outer) -> bool:
    return bool(inner.area) and outer.contains_region(inner)


async def footer_keys(app, pilot) -> None:
    """Wait for the modal's footer to show its keys (it composes them after the screen's first layout)."""
    from textual.widgets._footer import FooterKey

    for _ in range(100):
        await pilot.pause()
        if app.screen.query(FooterKey):
            break
    await pilot.pause()


def check_fits(app, name: str) -> list[str]:
    """What does not fit on the modal on top: the dialog inside the screen above the footer, every part of it
    inside the dialog, the footer the modal's own with its keys on screen."""
    from textual.widgets._footer import FooterKey

    from tui.screens.dialog import DialogFooter

    screen = app.screen
    width, height = app.size
    problems = []
    footers = list(screen.query(DialogFooter))
    if len(footers) != 1 or footers[0].region.y != height - 1:
        problems.append(f"{name}: no footer of its own on the bottom row")
    else:
        keys = list(footers[0].query(FooterKey))
        if not keys or not all(inside(k.region, screen.region) for k in keys):
            problems.append(f"{name}: footer keys off screen")
    above_footer = Region(0, 0, width, height - 1)
    boxes = screen.query(".dialog, #help-dialog")
    if boxes:
        box, area = boxes.first(), boxes.first().region
        if not inside(area, above_footer):
            problems.append(f"{name}: dialog {area} outside {width}x{height - 1}")
    else:  # the command palette: the screen's top, no box
        box, area = screen.query_one("#--container"), above_footer
    # its own lines (title, subject, hints, a scrolling body) and every control, however deep
    for part in {*box.children, *box.query("Button, Input, TextArea, OptionList")}:
        if part.display and part.visible and not inside(part.region, area):
            problems.append(f"{name}: {type(part).__name__}#{part.id} {part.region} outside {area}")
    return problems


def check_triage(app) -> list[str]:
    """The triage screen: header, list and footer on screen, the footer's `? help` and `q quit` among them."""
    from textual.widgets._footer import FooterKey

    from tui.widgets.footer import TriageFooter
    from tui.widgets.paper_list import PaperList

    screen = app.screen
    problems = [f"{type(w).__name__} {w.region}" for w in (screen.query_one(HeaderBar), screen.query_one(PaperList),
                                                           screen.query_one(TriageFooter))
                if not inside(w.region, screen.region)]
    keys = {k.action for k in screen.query(FooterKey) if k.display and inside(k.region, screen.region)}
    return problems + [f"footer without {a}" for a in ("help", "quit") if a not in keys]


async def check_reader(app, pilot) -> list[str]:
    """The reader (Enter): its top line, body and footer on screen, every footer key whole."""
    from textual.widgets._footer import FooterKey

    from tui.screens.reader import ReaderScreen
    from tui.widgets.footer import TriageFooter

    await pilot.press("enter")
    await settle(app, pilot)
    screen = app.screen
    if not isinstance(screen, ReaderScreen):
        return ["Enter did not open the reader"]
    parts = [screen.query_one("#reader-top"), screen.query_one("#reader-body"), screen.query_one(TriageFooter)]
    problems = [f"{w.id or type(w).__name__} {w.region}" for w in parts if not inside(w.region, screen.region)]
    keys = [k for k in screen.query(FooterKey) if k.display and k.parent.display]  # a key group hides whole
    if not keys or not all(inside(k.region, screen.region) for k in keys):
        problems.append("footer keys off screen")
    await pilot.press("escape")
    await settle(app, pilot)
    return problems


async def test_the_triage_screen_and_every_dialog_fit_every_size(library_dir):
    app = make_app(library_dir)
    problems = []
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(app, pilot)
        for width, height in SIZES:
            await resize(app, pilot, width, height)
            await settle(app, pilot)
            problems += [f"{width}x{height} triage: {p}" for p in check_triage(app)]
            problems += [f"{width}x{height} reader: {p}" for p in await check_reader(app, pilot)]
            for name, make in dialogs(app).items():
                await app.push_screen(make())
                await footer_keys(app, pilot)
                problems += [f"{width}x{height} {p}" for p in check_fits(app, name)]
                app.pop_screen()
                await pilot.pause()
    assert not problems, "\n".join(problems)


def test_every_modal_of_the_app_has_its_own_footer():
    """A new modal must derive from Dialog (tui/screens/dialog.py), or the triage screen's keys show under it; the
    command palette is Textual's with our footer mixed in (OwnFooter)."""
    import importlib
    import pkgutil

    import tui
    from textual.screen import ModalScreen

    from tui.screens.dialog import OwnFooter

    for module in pkgutil.walk_packages(tui.__path__, "tui."):
        importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = {cls for cls in subclasses(ModalScreen) if cls.__module__.startswith("tui.")}
    assert len(ours) >= 10 and all(issubclass(cls, OwnFooter) for cls in ours), ours

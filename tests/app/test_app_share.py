"""Sharing from the app: copy (y, Y) with the pyperclip / OSC 52 fallback, open in the browser (o), export (e, E)."""

from __future__ import annotations

import pyperclip
import pytest
from textual.widgets import Input, Label, OptionList

from support.apphelp import make_app, notes, settle
from support.library import INBOX, NOTES, STARRED, TODAY
from storage.bibtex_export import to_bibtex
from storage.export import to_markdown
from storage.model import Paper
from storage.store import Store
from tui import share
from tui.screens.confirm import ConfirmDialog
from tui.screens.copy_menu import CopyMenu
from tui.screens.export_dialog import ExportDialog

SIZE = (120, 36)
SURVEY = "2611.01003"  # starred, tagged, with a note; INBOX[4]
SPARSE_LINK = "[Sparse Mixture Routing for Long-Context Retrieval](https://arxiv.org/abs/2611.01001)"


@pytest.fixture
def clipboard(monkeypatch) -> list[str]:
    """pyperclip works: what it was given."""
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    return copied


@pytest.fixture
def no_clipboard(monkeypatch) -> list[str]:
    """pyperclip has no mechanism (SSH, CI): it raises, as it does on a machine without xclip / wl-copy."""
    tried: list[str] = []

    def copy(text: str) -> None:
        tried.append(text)
        raise pyperclip.PyperclipException("Pyperclip could not find a copy/paste mechanism for your system.")

    monkeypatch.setattr(pyperclip, "copy", copy)
    return tried


def add_linkless_paper(data_dir) -> str:
    store = Store(data_dir)
    store.library.add(Paper(id="h00000000001", title="A Paper Without Any Link", sources=[], added=TODAY))
    store.library.save()
    return "h00000000001"


# -- copy --------------------------------------------------------------------------------------------------------------
async def test_y_copies_a_markdown_link_to_the_system_clipboard(library_dir, clipboard):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert clipboard == [SPARSE_LINK]
        assert "Copied Markdown link (system clipboard)" in notes(app)
        assert app.clipboard == ""  # no OSC 52 sequence needed


async def test_y_falls_back_to_osc52_without_a_clipboard_program(library_dir, no_clipboard):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert no_clipboard == [SPARSE_LINK]
        assert app.clipboard == SPARSE_LINK  # App.copy_to_clipboard: the terminal's OSC 52
        assert "Markdown link sent to the terminal (OSC 52)" in notes(app)  # it may drop it: not "Copied"
        assert not [n for n in notes(app) if "Copied" in n] and not notes(app, "error")


async def test_a_hanging_clipboard_program_falls_back_to_osc52(library_dir, monkeypatch):
    import threading

    release = threading.Event()
    monkeypatch.setattr(pyperclip, "copy", lambda text: release.wait(10))
    monkeypatch.setattr(share, "CLIPBOARD_TIMEOUT", 0.05)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.clipboard == SPARSE_LINK and "Markdown link sent to the terminal (OSC 52)" in notes(app)
    release.set()


async def test_y_escapes_the_title_markdown(library_dir, clipboard):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "y")
        await settle(app, pilot)
    assert clipboard == [
        r"[\[bold\]Not Bold\[/bold\] and \[/ escapes: a \[link=http://x\]y\[/link\] study of \$x\$ \*stars\*]"
        "(https://arxiv.org/abs/2611.01002)"
    ]


async def test_y_on_a_paper_without_url_copies_the_title_and_says_so(library_dir, clipboard):
    pid = add_linkless_paper(library_dir)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.papers.move_to(app.papers.ids.index(pid))
        await pilot.press("y")
        await settle(app, pilot)
        assert clipboard == ["A Paper Without Any Link"]
        assert "Copied Markdown title (the paper has no URL) (system clipboard)" in notes(app)


@pytest.mark.parametrize(
    "key, expected_note",
    [("t", "Copied title"), ("u", "Copied URL"), ("b", "Copied BibTeX"), ("m", "Copied Markdown with note")],
)
async def test_Y_menu_copies_each_entry(library_dir, clipboard, key, expected_note):
    app = make_app(library_dir)
    store = Store(library_dir)
    paper, state = store.get(SURVEY), store.state_of(SURVEY)
    expected = {
        "t": paper.title,
        "u": "https://arxiv.org/abs/2611.01003",
        "b": to_bibtex([(paper, state)]),
        "m": to_markdown([(paper, state)], group_by="none", heading="x").split("\n", 2)[2],
    }[key]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.papers.move_to(INBOX.index(SURVEY))
        await pilot.press("Y")
        assert isinstance(app.screen, CopyMenu)
        await pilot.press(key)
        await settle(app, pilot)
        assert not isinstance(app.screen, CopyMenu)
        assert clipboard == [expected]
        assert f"{expected_note} (system clipboard)" in notes(app)
    if key == "m":  # the note, quoted line by line, escaped, with the linked title
        assert expected.startswith(r"- **[A Survey of \$\\mathcal{O}(n)\$ Attention Variants](https://arxiv.org")
        assert "> " + NOTES[SURVEY].splitlines()[0] in expected
        assert "> Compare with \\[b\\]linear\\[/b\\] attention." in expected
    if key == "b":
        assert expected.startswith("@misc{survey2026survey,")


async def test_Y_menu_by_arrow_and_enter_and_escape(library_dir, no_clipboard):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("Y", "escape")
        assert not isinstance(app.screen, CopyMenu) and no_clipboard == []
        await pilot.press("Y")
        options = app.screen.query_one(OptionList)
        assert [o.id for o in options.options] == ["title", "url", "bibtex", "note"]
        await pilot.press("down", "enter")  # the first option is highlighted: down is the URL
        await settle(app, pilot)
        assert app.clipboard == "https://arxiv.org/abs/2611.01001"
        assert "URL sent to the terminal (OSC 52)" in notes(app)


async def test_copying_the_url_of_a_paper_without_one_says_so(library_dir, clipboard):
    pid = add_linkless_paper(library_dir)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.papers.move_to(app.papers.ids.index(pid))
        await pilot.press("Y", "u")
        await settle(app, pilot)
        assert clipboard == [] and "This paper has no URL." in notes(app, "warning")


# -- browser -----------------------------------------------------------------------------------------------------------
async def test_o_opens_the_papers_url_in_a_worker(library_dir, monkeypatch):
    import threading

    opened: list[tuple[str, bool]] = []

    def fake_open(url: str) -> bool:
        opened.append((url, threading.current_thread() is threading.main_thread()))
        return True

    monkeypatch.setattr(share.webbrowser, "open", fake_open)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        await pilot.press("j", "j", "j", "o")  # the paper with its own (non-arXiv) URL
        await settle(app, pilot)
        assert opened == [
            ("https://arxiv.org/abs/2611.01001", False),  # False: not on the main thread
            ("https://example.org/notes/evaluation-hygiene", False),
        ]
        assert "Opening https://arxiv.org/abs/2611.01001" in notes(app)


async def test_o_without_a_url_or_a_browser_says_so(library_dir, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(share.webbrowser, "open", lambda url: opened.append(url) or False)  # no browser found
    pid = add_linkless_paper(library_dir)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.papers.move_to(app.papers.ids.index(pid))
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == [] and "This paper has no web link to open." in notes(app, "warning")
        await pilot.press("g", "o")
        await settle(app, pilot)
        assert opened == ["https://arxiv.org/abs/2611.01001"]
        assert "No browser could be started for https://arxiv.org/abs/2611.01001" in notes(app, "warning")


# -- export ------------------------------------------------------------------------------------------------------------
def starred_markdown(data_dir) -> str:
    store = Store(data_dir)
    return to_markdown([(store.get(p), store.state_of(p)) for p in store.view_ids("starred")], today=TODAY)


async def test_e_exports_the_starred_papers_to_the_default_path(library_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one(Input).value == "starred-2026-11-21.md"
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog)
        target = tmp_path / "starred-2026-11-21.md"
        assert f"Exported 2 papers to {target}" in notes(app)
    text = target.read_text()
    assert text == starred_markdown(library_dir)  # what `papertriage export` writes
    assert text.startswith("# Starred papers — 2026-11-21\n") and len(STARRED) == 2
    assert not (tmp_path / "starred-2026-11-21.md.bak").exists()


async def test_export_asks_before_overwriting_and_both_answers_work(library_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "starred-2026-11-21.md"
    target.write_text("my own notes\n")
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e", "enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep it: back to the path
        assert isinstance(app.screen, ExportDialog) and target.read_text() == "my own notes\n"
        await pilot.press("enter", "y")
        await settle(app, pilot)
        assert not isinstance(app.screen, (ConfirmDialog, ExportDialog))
        assert f"Exported 2 papers to {target}" in notes(app)
    assert target.read_text() == starred_markdown(library_dir)


async def test_E_exports_the_current_view_under_its_name(library_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "E")
        assert app.screen.query_one(Input).value == "queue-2026-11-21.md"
        await pilot.press("enter")
        await settle(app, pilot)
        assert f"Exported 2 papers to {tmp_path / 'queue-2026-11-21.md'}" in notes(app)
    text = (tmp_path / "queue-2026-11-21.md").read_text()
    assert text.startswith("# Papers: queue view\n")
    assert "Tiny Recursive Planners" in text and "Calibrated Uncertainty" in text and "Sparse Mixture" not in text


async def test_export_to_a_typed_path_and_write_errors_are_notifications(library_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        app.screen.query_one(Input).value = "no-such-dir/out.md"
        await pilot.press("enter")
        await settle(app, pilot)
        errors = notes(app, "error")
        assert errors and str(tmp_path / "no-such-dir" / "out.md") in errors[0]
        await pilot.press("s")  # the app goes on
        await pilot.press("e")
        app.screen.query_one(Input).value = str(tmp_path)  # a directory: said in the dialog, which stays open
        await pilot.press("enter")
        assert isinstance(app.screen, ExportDialog)
        assert "is a directory" in str(app.screen.query_one("#path-hint").content)
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        (tmp_path / "home").mkdir()
        app.screen.query_one(Input).value = "~/mine.md"
        await pilot.press("enter")
        await settle(app, pilot)
        assert f"Exported 3 papers to {tmp_path / 'home' / 'mine.md'}" in notes(app)
    assert "[Sparse Mixture Routing for Long-Context Retrieval]" in (tmp_path / "home" / "mine.md").read_text()


async def test_export_with_nothing_to_export_says_so(bare_library_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(bare_library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        assert not isinstance(app.screen, ExportDialog)
        assert "No starred papers to export." in notes(app, "warning")
        await pilot.press("2", "E")
        assert not isinstance(app.screen, ExportDialog)
        assert "Nothing to export: the Queue view is empty." in notes(app, "warning")
    assert list(tmp_path.iterdir()) == [bare_library_dir]


async def test_E_with_a_search_exports_what_the_list_shows_and_says_so(library_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        whole = len(app.papers.ids)
        await pilot.press("slash", *"sparse", "enter")
        await settle(app, pilot)
        shown = list(app.papers.ids)
        assert 0 < len(shown) < whole
        await pilot.press("E")
        assert "matching “sparse”" in str(app.screen.query_one(".dialog-title", Label).render())
        await pilot.press("enter")
        await settle(app, pilot)
        assert f"Exported {len(shown)} paper" in " ".join(notes(app))
    text = (tmp_path / "inbox-2026-11-21.md").read_text()
    assert text.startswith("# Papers: inbox view matching sparse\n")
    assert "Sparse Mixture" in text and text.count("\n- ") + text.startswith("- ") == len(shown)

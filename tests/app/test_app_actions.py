"""Triage keys that change state: tag, untag, note, queue/read/skip/inbox, queue order, undo/redo.

Each test checks the screen and then a fresh Store on the same data dir (what was written to disk).
"""

from __future__ import annotations

from support.apphelp import cursor_line, detail, header, make_app, notes, settle
from support.library import INBOX
from storage.store import Store
from tui.screens import ConfirmDialog, NoteEditor, TagDialog, UntagDialog
from tui.screens.tag_dialog import TagInput

SIZE = (120, 40)


def footer(app) -> list[str]:
    """The descriptions of the keys the footer shows."""
    return [b.binding.description for b in app.triage.active_bindings.values() if b.binding.show]


async def test_t_adds_comma_separated_tags(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        assert isinstance(app.screen, TagDialog)
        await pilot.press(*"LLM, new topic", "enter")
        assert not isinstance(app.screen, TagDialog)
        assert "#retrieval #llm #new topic" in cursor_line(app)
        assert "tags retrieval, llm, new topic" in detail(app)
        assert "Tagged: llm, new topic" in notes(app)
        assert app.current == INBOX[0]  # tagging leaves the paper where it is
    assert Store(library_dir).state_of(INBOX[0]).tags == ["retrieval", "llm", "new topic"]


async def test_tag_dialog_lists_completions_with_counts_tab_and_arrows_pick(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("g", "t")  # the paper tagged retrieval: shown, not offered
        dialog = app.screen
        assert "has: retrieval" in str(dialog.query_one("#tag-current").content)
        assert dialog.shown == [("attention", 1), ("survey", 1)]  # nothing typed: the most used tags
        await pilot.press(*"att")
        assert dialog.shown == [("attention", 1)] and "attention  1" in completions(dialog)
        await pilot.press("tab")  # Tab: the first completion
        field = dialog.query_one(TagInput)
        assert field.value == "attention"
        await pilot.press(*", retreival")  # a typo: the paper's own tag is not offered, a near one is
        assert "retrieval" not in [t for t, _ in dialog.shown]
        await pilot.press("ctrl+a", "ctrl+k", *"s")  # start again: "s" offers survey (and fuzzy ones after it)
        await pilot.press("down", "enter")  # ↓ picks survey; Enter takes the picked one
        assert not isinstance(app.screen, TagDialog)
        assert Store(library_dir).state_of(INBOX[0]).tags == ["retrieval", "survey"]
        await pilot.press("j", "t", *"surv")
        assert app.screen.shown == [("survey", 2)]  # the counts follow
        await pilot.press("enter")  # nothing picked: what is typed, as typed (a new tag is never replaced)
    assert Store(library_dir).state_of(INBOX[1]).tags == ["surv"]


def completions(dialog) -> list[str]:
    from textual.widgets import OptionList

    options = dialog.query_one("#tag-completions", OptionList)
    return [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]


async def test_tag_dialog_escape_cancels(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("t", *"abc", "escape")
        assert not isinstance(app.screen, TagDialog)
    assert Store(library_dir).state_of(INBOX[0]).tags == ["retrieval"]


async def test_T_removes_a_picked_tag(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("G", "k", "T")  # the survey: tags survey, attention
        assert isinstance(app.screen, UntagDialog)
        await pilot.press("down", "enter")
        assert not isinstance(app.screen, UntagDialog)
        assert "Removed tag: attention" in notes(app)
        assert "#survey" in cursor_line(app) and "#attention" not in cursor_line(app)
        await pilot.press("T", "escape")  # Esc cancels
        await pilot.press("j", "T")  # no tags: says so, no dialog
        assert not isinstance(app.screen, UntagDialog)
        assert "This paper has no tags." in notes(app)
    assert Store(library_dir).state_of("2611.01003").tags == ["survey"]


async def test_n_edits_the_note_and_ctrl_s_saves(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Check the [red]table[/red]", "enter", *"line two", "ctrl+s")
        assert not isinstance(app.screen, NoteEditor)
        assert "note\nCheck the [red]table[/red]\nline two" in detail(app)
        assert "Note saved" in notes(app)
    assert Store(library_dir).state_of(INBOX[0]).note == "Check the [red]table[/red]\nline two"


async def test_note_escape_asks_before_discarding_edits(library_dir):
    app = make_app(library_dir)
    old = Store(library_dir).state_of("2611.01003").note
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("G", "k", "n")
        assert app.screen.query_one("#note-text").text == old
        await pilot.press("escape")  # nothing edited: closes at once
        assert not isinstance(app.screen, NoteEditor)
        await pilot.press("n", *"more", "escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep editing
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape", "y")  # discard
        assert not isinstance(app.screen, (NoteEditor, ConfirmDialog))
    assert Store(library_dir).state_of("2611.01003").note == old


async def test_a_queues_and_moves_to_the_next_paper(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        assert app.papers.ids == INBOX[1:] and app.papers.cursor == 0
        assert "Not Bold" in cursor_line(app)  # the next paper, no jump elsewhere
        assert "Queued (position 3)" in notes(app)
        assert "Inbox 5 · Queue 3" in header(app) and "5 triaged today · 5 left" in header(app)
        await pilot.press("2")
        assert app.papers.ids[-1] == INBOX[0]
        assert "status queued #3" in (await _detail_at(app, pilot, 2))
    assert Store(library_dir).view_ids("queue") == ["2611.01004", "2611.01005", INBOX[0]]


async def _detail_at(app, pilot, index: int) -> str:
    app.papers.move_to(index)
    await pilot.pause()
    return detail(app)


async def test_r_and_x_take_papers_out_of_the_inbox(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "r")
        assert app.papers.ids == [INBOX[0]] + INBOX[2:] and app.current == INBOX[2]
        assert "Marked read" in notes(app)
        await pilot.press("x")
        assert app.current == INBOX[3] and "Skipped" in notes(app)
        await pilot.press("G", "x")  # the last paper: the cursor goes to the new last one
        assert app.current == INBOX[4]
    store = Store(library_dir)
    assert store.state_of(INBOX[1]).status == "read"
    assert store.state_of(INBOX[2]).status == "skipped" and store.state_of(INBOX[5]).status == "skipped"


async def test_i_sends_a_paper_back_to_the_inbox(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("4", "i")
        assert app.papers.ids == [] and "Back to inbox" in notes(app)
        await pilot.press("1")
        assert "2611.01006" in app.papers.ids
        await pilot.press("i")
        assert "Already in the inbox" in notes(app)
    assert Store(library_dir).state_of("2611.01006").status == "inbox"


async def test_status_keys_in_other_views_follow_the_view(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5", "j", "j", "r")  # the all view keeps the paper, with its new mark; the cursor goes on
        every = Store(library_dir).view_ids("all")
        assert app.current == every[3] and app.papers.ids == every
        await pilot.press("k")
        assert cursor_line(app).startswith("   ✓ ")
        await pilot.press("2", "r")  # read from the queue: it leaves the queue
        assert app.papers.ids == ["2611.01005"]


async def test_J_K_reorder_the_queue(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("J")  # inbox: J/K do nothing, and say why
        assert app.papers.ids == INBOX and Store(library_dir).view_ids("queue") == ["2611.01004", "2611.01005"]
        assert "J/K reorder the reading queue: only in the Queue view (2)." in notes(app)
        assert "move down" not in footer(app)
        await pilot.press("2", "J")
        assert "move down" in footer(app)  # the queue's footer shows J/K
        assert app.papers.ids == ["2611.01005", "2611.01004"] and app.current == "2611.01004"
        assert Store(library_dir).view_ids("queue") == ["2611.01005", "2611.01004"]
        await pilot.press("J")
        assert "Already at the bottom of the queue." in notes(app)
        await pilot.press("K")
        assert app.papers.ids == ["2611.01004", "2611.01005"] and app.current == "2611.01004"
    assert Store(library_dir).view_ids("queue") == ["2611.01004", "2611.01005"]


async def test_undo_and_redo_many_levels(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "r")  # star the first paper, then mark it read: it leaves the inbox
        assert INBOX[0] not in app.papers.ids
        await pilot.press("u")
        assert "Undid mark read on 'Sparse Mixture Routing for Long-Context Retrieval'" in notes(app)
        assert app.papers.ids == INBOX and app.current == INBOX[0]  # back, with the cursor on it
        assert cursor_line(app).startswith(" ★ · Sparse")
        await pilot.press("u")
        assert "Undid star on 'Sparse Mixture Routing for Long-Context Retrieval'" in notes(app) and cursor_line(app).startswith("   · Sparse")
        store = Store(library_dir)
        assert not store.state_of(INBOX[0]).starred and store.state_of(INBOX[0]).status == "inbox"
        await pilot.press("ctrl+r", "ctrl+r")
        assert "Redid mark read on 'Sparse Mixture Routing for Long-Context Retrieval'" in notes(app) and INBOX[0] not in app.papers.ids
        await pilot.press("ctrl+r")
        assert "Nothing to redo" in notes(app)
    store = Store(library_dir)
    assert store.state_of(INBOX[0]).starred and store.state_of(INBOX[0]).status == "read"


async def test_undo_of_a_queue_move_restores_the_order(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "J", "u")
        assert app.papers.ids == ["2611.01004", "2611.01005"]
        assert any(n.startswith("Undid move in queue on 2 papers ('") for n in notes(app))


async def test_q_quits_and_remembers_view_and_cursor(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5", "j", "j", "j", "q")
        assert app.return_code == 0
    ui = Store(library_dir).ui()
    assert ui["view"] == "all" and ui["cursor"] == Store(library_dir).view_ids("all")[3]


async def test_restart_opens_the_same_view_and_paper_with_the_state(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3", "j", "t", *"mesh", "enter", "k", "j", "q")
    again = make_app(library_dir)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.triage.view == "starred" and again.current == "2512.09008"
        assert "#mesh" in cursor_line(again) and "Starred 2" in header(again)
        assert detail(again).startswith("Graph Neural Operators on Irregular Meshes")


async def test_restart_scrolls_to_a_cursor_far_down_the_list(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=(120, 8)) as pilot:  # six list rows
        await settle(app, pilot)
        await pilot.press("5", "G", "q")
    again = make_app(library_dir)
    async with again.run_test(size=(120, 8)) as pilot:
        await settle(again, pilot)
        assert again.papers.cursor == 9 and again.papers.scroll_y > 0
        assert "Graph Neural Operators" in cursor_line(again)


async def test_restart_falls_back_to_the_same_index_when_the_paper_left_the_view(library_dir):
    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "q")
    Store(library_dir).set_status([INBOX[2]], "read")  # e.g. from the command line meanwhile
    again = make_app(library_dir)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.current == INBOX[3]


async def test_a_failed_write_is_reported_and_kept_in_memory(library_dir, monkeypatch):
    import storage.journal
    import storage.state

    def disk_full(*args, **kw):
        raise OSError(28, "No space left on device")

    app = make_app(library_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        real = storage.state.atomic_write
        monkeypatch.setattr(storage.state, "atomic_write", disk_full)
        monkeypatch.setattr(storage.journal.Journal, "append", disk_full)  # the action's line, then the rewrite
        await pilot.press("s")
        errors = notes(app, "error")
        assert errors and "No space left on device" in errors[0] and "kept in memory" in errors[0]
        assert cursor_line(app).startswith(" ★ ")  # the app goes on
        assert not Store(library_dir).state_of(INBOX[0]).starred
        monkeypatch.setattr(storage.state, "atomic_write", real)
        monkeypatch.undo()
        await pilot.press("j", "s")  # the next change retries the whole write
    store = Store(library_dir)
    assert store.state_of(INBOX[0]).starred and store.state_of(INBOX[1]).starred

"""Where the list cursor lands when the list changes (storage/cursor.py), the marks object, the keys in effect."""

from __future__ import annotations

from storage.cursor import advanced, index_after, next_unmarked, stays
from tui.keymap import KEYS, KeysInEffect, key_name
from tui.widgets.marks import Marks

IDS = ["a", "b", "c", "d", "e"]


def test_the_cursor_keeps_its_paper_else_its_index_else_stays():
    assert index_after(IDS, pid="d", index=1, old=0) == 3  # its paper moved: the cursor follows it
    assert index_after(IDS, pid="c", index=2) == 2  # the usual case: no search
    assert index_after(IDS, pid="z", index=4) == 4  # its paper left: its index
    assert index_after(["a", "b"], pid="z", index=4) == 1  # ...clamped to the list
    assert index_after(IDS, old=3) == 3 and index_after([], pid="a", index=2) == 0
    assert index_after(IDS, index=-3) == 0


def test_who_the_cursor_stays_on_after_a_change():
    assert stays("b", gone=set()) == "b"
    assert stays("b", gone={"b"}) is None  # left the view: the cursor keeps its index instead
    assert stays("b", gone={"b"}, focus="d") == "d" and stays(None, gone=set()) is None


def test_r_x_a_advance_past_a_paper_that_stayed_unless_turned_off():
    assert advanced(IDS, 1, "b") == 2  # stayed (All, Starred): on to the next
    assert advanced(IDS, 1, "b", advance=False) == 1
    assert advanced(["a", "c"], 1, "b") == 1  # it left: the cursor is on the next paper already
    assert advanced(IDS, 4, "e") == 4 and advanced([], 0, "a") == 0 and advanced(IDS, 0, None) == 0


def test_after_a_bulk_action_the_next_unmarked_paper():
    assert next_unmarked(IDS, {"b", "c"}, 1) == "d"
    assert next_unmarked(IDS, {"d", "e"}, 3) == "c"  # none after: the nearest before
    assert next_unmarked(IDS, set(IDS), 2) is None


def test_marks():
    m = Marks()
    assert not m and m.toggle("b") and "b" in m and not m.toggle("b") and not m
    m.add(["e", "a", "c"])
    assert m.in_order(IDS) == ["a", "c", "e"] and len(m) == 3
    m.discard(["a"])
    assert sorted(m) == ["c", "e"] and m.clear() and not m.clear()


def test_keys_in_effect_and_their_names():
    keys = KeysInEffect({"star": "w", "cursor_down": "j,down,ctrl+n", "help": "f1"})
    assert keys.first("star") == "w" and keys.all("cursor_down") == "j ↓ ctrl+n"
    assert keys.first("search") == "/" and keys.first("clear") == "Esc" and keys.first("help") == "f1"
    assert ("Triage", "w", "star") in keys.help_rows()
    assert KeysInEffect().first("star") == "s"
    assert [key_name(k) for k in ("slash", "right_square_bracket", "question_mark", "space", "ctrl+r", "G")] == [
        "/", "]", "?", "Space", "ctrl+r", "G"]
    ids = [k.id for k in KEYS]
    assert len(ids) == len(set(ids)) and {"star", "cursor_down", "view_inbox", "copy_link"} <= set(ids)

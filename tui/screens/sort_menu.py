"""`O`: pick the order of this view's list. Each entry has a letter that picks it at once (as `Y`'s copy menu)."""

from __future__ import annotations

from textual.binding import Binding

from .letter_menu import LetterMenu, letter_bindings

# (letter, order for ListOrder.choose, what the menu says); the orders are storage/sort.py's SORTS
ENTRIES: tuple[tuple[str, str, str], ...] = (
    ("d", "date", "Date: newest feed date first"),
    ("i", "interest", "Interest: like the papers you kept"),
    ("u", "upvotes", "Upvotes: most HF upvotes first"),
    ("t", "title", "Title: A to Z"),
)


class SortMenu(LetterMenu):
    """Returns the order picked ("date", "interest", "upvotes", "title"), or None when cancelled."""

    NAME, HEADING = "sort", "Sort"
    DEFAULT_CSS = """
    #sort-menu { width: 56; }
    #sort-options { height: auto; max-height: 6; }
    """
    HINTS = (Binding("enter", "", "sort"), Binding("d", "", "pick", key_display="d i u t"))
    BINDINGS = letter_bindings({order: letter for letter, order, _ in ENTRIES})

    def __init__(self, view_title: str, current: str) -> None:
        entries = [(letter, order, label + (" \u2022" if order == current else "")) for letter, order, label in ENTRIES]
        super().__init__(f"the {view_title} view (remembered for it)", entries, current)

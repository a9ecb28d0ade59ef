"""`Y`: pick what to copy of the paper under the cursor. Each entry has a letter that picks it at once."""

from __future__ import annotations

from textual.binding import Binding

from .letter_menu import LetterMenu, letter_bindings

# (letter, kind for ShareActions.action_copy, what the menu says)
ENTRIES: tuple[tuple[str, str, str], ...] = (
    ("t", "title", "Title"),
    ("u", "url", "URL"),
    ("b", "bibtex", "BibTeX entry"),
    ("m", "note", "Markdown with note"),
)


class CopyMenu(LetterMenu):
    """Returns the kind of text to copy ("title", "url", "bibtex", "note"), or None when cancelled."""

    NAME, HEADING = "copy", "Copy"
    DEFAULT_CSS = """
    #copy-menu { width: 56; }
    #copy-options { height: auto; max-height: 8; }
    """
    HINTS = (Binding("enter", "", "copy"), Binding("t", "", "pick", key_display="t u b m"))
    BINDINGS = letter_bindings({kind: letter for letter, kind, _ in ENTRIES})

    def __init__(self, title: str) -> None:
        super().__init__(title, list(ENTRIES))

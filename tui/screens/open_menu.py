"""`L`: pick which of the paper's links to open (abstract page, PDF, Hugging Face page, GitHub, project page, DOI).
Only the links the paper has are listed; each has a letter that opens it at once."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from storage.links import Link

from .letter_menu import LetterMenu, letter_bindings

# the letter of each kind of link (storage/links.py)
LETTERS = {"abstract": "a", "pdf": "p", "hf": "h", "github": "g", "project": "w", "doi": "d"}


class OpenMenu(LetterMenu):
    """Returns the URL to open, or None when cancelled."""

    NAME, HEADING = "open", "Open in the browser"
    MISSING = "This paper has no such link."
    DEFAULT_CSS = """
    #open-menu { width: 64; max-width: 100%; }
    #open-options { height: auto; max-height: 8; text-wrap: nowrap; text-overflow: ellipsis; }  /* Text no_wrap is not kept */
    """
    HINTS = (Binding("enter", "", "open"), Binding("a", "", "pick", key_display="letter"))
    BINDINGS = letter_bindings(LETTERS)

    def __init__(self, title: str, links: list[Link]) -> None:
        self.links = {link.kind: link for link in links}
        super().__init__(title, [(LETTERS[kind], kind, Text.assemble(link.label, ("  " + link.url, "dim")))
                                 for kind, link in self.links.items()])

    def chosen(self, key: str) -> str:
        return self.links[key].url

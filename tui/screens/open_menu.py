"""`L`: pick which of the paper's links to open (abstract page, PDF, Hugging Face page, GitHub, project page, DOI).
Only the links the paper has are listed; each has a letter that opens it at once."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from storage.links import Link

# the letter of each kind of link (storage/links.py)
LETTERS = {"abstract": "a", "pdf": "p", "hf": "h", "github": "g", "project": "w", "doi": "d"}


class OpenMenu(ModalScreen[str | None]):
    """Returns the URL to open, or None when cancelled."""

    DEFAULT_CSS = """
    #open-menu { width: 64; max-width: 100%; }
    #open-options { height: auto; max-height: 8; }
    """
    BINDINGS = [
        Binding("escape,q", "cancel", "cancel"),
        *(Binding(letter, f"pick('{kind}')", kind, show=False) for kind, letter in LETTERS.items()),
    ]

    def __init__(self, title: str, links: list[Link]) -> None:
        super().__init__()
        self.paper_title = title
        self.links = {link.kind: link for link in links}

    def compose(self) -> ComposeResult:
        with Vertical(id="open-menu", classes="dialog"):
            yield Label("Open in the browser", classes="dialog-title")
            yield Static(Text(self.paper_title, no_wrap=True, overflow="ellipsis"), classes="dialog-subject")
            yield OptionList(
                *(Option(Text.assemble((LETTERS[kind] + "  ", "bold"), link.label, ("  " + link.url, "dim"),
                                       no_wrap=True, overflow="ellipsis"), id=kind)
                  for kind, link in self.links.items()),
                id="open-options",
            )
            yield Label("Enter or letter open · Esc cancel", classes="dialog-keys")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.links[event.option.id].url)

    def action_pick(self, kind: str) -> None:
        if kind in self.links:
            self.dismiss(self.links[kind].url)
        else:
            self.notify("This paper has no such link.", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)

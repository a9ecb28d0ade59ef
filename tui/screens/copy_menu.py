"""`Y`: pick what to copy of the paper under the cursor. Each entry has a letter that picks it at once."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

# (letter, kind for ShareActions.action_copy, what the menu says)
ENTRIES: tuple[tuple[str, str, str], ...] = (
    ("t", "title", "Title"),
    ("u", "url", "URL"),
    ("b", "bibtex", "BibTeX entry"),
    ("m", "note", "Markdown with note"),
)


class CopyMenu(ModalScreen[str | None]):
    """Returns the kind of text to copy ("title", "url", "bibtex", "note"), or None when cancelled."""

    DEFAULT_CSS = """
    #copy-menu { width: 56; }
    #copy-options { height: auto; max-height: 8; }
    """
    BINDINGS = [
        Binding("escape,q", "cancel", "cancel"),
        *(Binding(letter, f"pick('{kind}')", label, show=False) for letter, kind, label in ENTRIES),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.paper_title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="copy-menu", classes="dialog"):
            yield Label("Copy", classes="dialog-title")
            yield Static(Text(self.paper_title, no_wrap=True, overflow="ellipsis"), classes="dialog-subject")
            yield OptionList(
                *(Option(Text.assemble((letter + "  ", "bold"), label), id=kind) for letter, kind, label in ENTRIES),
                id="copy-options",
            )
            yield Label("Enter or letter copy · Esc cancel", classes="dialog-keys")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, kind: str) -> None:
        self.dismiss(kind)

    def action_cancel(self) -> None:
        self.dismiss(None)

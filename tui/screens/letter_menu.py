"""A one-keypress menu: a heading, the paper or view it is about, and entries that each have a letter picking it at
once (Enter picks the highlighted one). The copy (`Y`), sort (`O`) and open (`L`) menus are this with their entries.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from .dialog import Dialog


def letter_bindings(letters: dict[str, str]) -> list[Binding]:
    """Escape/q to cancel, and each letter picking its entry (`letters`: entry -> letter); for a menu's BINDINGS."""
    return [Binding("escape,q", "cancel", "cancel"),
            *(Binding(letter, f"pick('{key}')", key, show=False) for key, letter in letters.items())]


class LetterMenu(Dialog[str | None]):
    """Dismisses with `chosen(entry)` of the entry picked, or None when cancelled."""

    NAME: ClassVar[str] = ""  # the box is `#NAME-menu`, its list `#NAME-options` (for the stylesheet and the tests)
    HEADING: ClassVar[str] = ""
    MISSING: ClassVar[str] = "Not in this menu."  # a letter whose entry this menu does not list (the open menu's)

    def __init__(self, subject: str, entries: list[tuple[str, str, Text | str]], current: str | None = None) -> None:
        """`entries`: (letter, entry, label) in the menu's order; `current` is highlighted at first."""
        super().__init__()
        self.subject = subject
        self.entries = entries
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id=f"{self.NAME}-menu", classes="dialog"):
            yield Label(self.HEADING, classes="dialog-title")
            yield Static(Text(self.subject, no_wrap=True, overflow="ellipsis"), classes="dialog-subject")
            yield OptionList(*(Option(Text.assemble((letter + "  ", "bold"), label), id=key)
                               for letter, key, label in self.entries), id=f"{self.NAME}-options")

    def on_mount(self) -> None:
        keys = [key for _, key, _ in self.entries]
        if self.current in keys:  # Enter at once keeps what is in effect
            self.query_one(OptionList).highlighted = keys.index(self.current)

    def chosen(self, key: str) -> str:
        """What the menu returns for an entry (the entry itself; the open menu returns its URL)."""
        return key

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.chosen(event.option.id))

    def action_pick(self, key: str) -> None:
        if any(key == k for _, k, _ in self.entries):
            self.dismiss(self.chosen(key))
        else:
            self.notify(self.MISSING, severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)

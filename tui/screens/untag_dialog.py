"""`T`: remove one tag from the paper under the cursor, picked from its tags (a short list); with marks, from the
tags of the marked papers, each with how many of them have it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option


class UntagDialog(ModalScreen[str | None]):
    """Returns the tag to remove, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str, tags: list[str], counts: dict[str, str] | None = None) -> None:
        super().__init__()
        self.paper_title = title
        self.tags = tags
        self.counts = counts or {}  # tag -> what to say beside it ("2 of 3")

    def compose(self) -> ComposeResult:
        with Vertical(id="untag-dialog", classes="dialog"):
            yield Label("Remove a tag", classes="dialog-title")
            yield Static(Text(self.paper_title, no_wrap=True, overflow="ellipsis"), classes="dialog-subject")
            # Text prompts: a tag such as "[b]" must show as typed, not as markup
            width = max(map(len, self.tags), default=0)
            yield OptionList(*(Option(Text.assemble(t.ljust(width), ("  " + self.counts.get(t, ""), "dim")), id=t)
                               for t in self.tags), id="untag-list")
            yield Label("Enter remove · Esc cancel", classes="dialog-keys")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)

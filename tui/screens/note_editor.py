"""`n`: edit the paper's note in a multi-line editor. ctrl+s saves; Esc cancels, asking first if edits would be lost."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea

from .confirm import ConfirmDialog


class NoteEditor(ModalScreen[str | None]):
    """Returns the new note text, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "save", priority=True),
        Binding("escape", "cancel", "cancel"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Label("Note", classes="dialog-title")
            yield Static(Text(self.paper_title, no_wrap=True, overflow="ellipsis"), classes="dialog-subject")
            yield TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Label("ctrl+s save · Esc cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        if self.text == self.note:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Discard unsaved edits?", yes="Discard", no="Keep editing"), answered)

"""The search line (`/`), above the footer: what the list is filtered by, and what is wrong with it.

It is hidden until a search starts and stays shown while the filter holds, so the list never looks complete when it
is not. A malformed token's message goes on lines of its own under the query, wrapped, never cut at the screen's
edge. The triage screen does the searching (tui/find.py); this widget only reports what was typed.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

PLACEHOLDER = "words  +tag  -tag  is:starred  @7d  au:name  id:2405.17258"


class SearchInput(Input):
    """The query field; its footer keys say how to leave it. ↑/↓ are not bound here: they reach the triage screen and
    move the list cursor while typing."""

    BINDINGS = [
        Binding("enter", "submit", "keep filter"),
        Binding("escape", "screen.clear", "cancel search"),
    ]

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # `/` is typed into the query: the footer should not offer the App's `/ search` while typing
        return key == "slash" or super().check_consume_key(key, character)


class SearchBar(Vertical):
    class Changed(Message):
        """The query text changed (each keystroke)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Submitted(Message):
        """Enter in the bar."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-line"):
            yield Label("/", id="search-prompt")
            yield SearchInput(placeholder=PLACEHOLDER, id="search-input", compact=True, select_on_focus=False)
        yield Static("", id="search-error", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def text(self) -> str:
        return self.input.value

    @property
    def error(self) -> str:
        """The malformed tokens' messages on show ("" when the query reads well)."""
        return self._error

    @property
    def editing(self) -> bool:
        return self.app.focused is self.input  # not `has_focus`, which is set only once the Focus event is read

    def open(self, text: str, *, focus: bool = True) -> None:
        """Show the bar holding `text` (without reporting it as a change); `focus` puts the typing cursor at its end."""
        self.set_text(text)
        self.display = True
        if focus:
            self.screen.set_focus(self.input)  # now: Widget.focus would wait behind the keys the App holds

    def set_text(self, text: str) -> None:
        field = self.input
        if field.value != text:
            with field.prevent(Input.Changed):
                field.value = text
        field.cursor_position = len(text)

    def close(self) -> None:
        self.set_text("")
        self.show_error("")
        self.display = False

    _error = ""

    def show_error(self, message: str) -> None:
        """Name what is wrong with the query (one line per malformed token); "" hides the line."""
        self._error = message
        text = Text(message)
        if message:
            text.append(" · searching without it", "dim")
        self.query_one("#search-error", Static).update(text)
        self.set_class(bool(message), "-error")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted())

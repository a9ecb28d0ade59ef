"""`f`: filter the list by a tag, picked from the tags of the view with how many papers carry each ("llm (12)").

Typing narrows the list (tags containing what is typed); ↑/↓ choose; Enter filters; Esc cancels.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option


def tag_label(tag: str, count: int) -> str:
    return f"{tag} ({count:,})"


class TagFilter(ModalScreen[str | None]):
    """Returns the chosen tag, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "cancel"),
        Binding("down", "move(1)", "next", show=False),
        Binding("up", "move(-1)", "previous", show=False),
    ]

    def __init__(self, counts: dict[str, int], where: str) -> None:
        super().__init__()
        # most used first, then by name
        self.tags = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-filter-dialog", classes="dialog"):
            yield Label("Filter by tag", classes="dialog-title")
            yield Static(Text(f"papers in {self.where}"), classes="dialog-subject")
            yield Input(placeholder="type to narrow", id="tag-filter-input")
            # Text prompts: a tag such as "[b]" must show as typed, not as markup
            yield OptionList(*self._options(""), id="tag-filter-list")
            yield Label("Enter filter · ↑↓ choose · Esc cancel", classes="dialog-keys")

    def _options(self, typed: str) -> list[Option]:
        typed = typed.strip().lower().lstrip("+#")
        return [Option(Text(tag_label(t, n)), id=t) for t, n in self.tags if typed in t]

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.options.highlighted = 0 if self.tags else None

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        options = self.options
        options.clear_options()
        options.add_options(self._options(event.value))
        options.highlighted = 0 if options.option_count else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.options
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)
        else:
            self.app.bell()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_move(self, delta: int) -> None:
        options = self.options
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -delta
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)

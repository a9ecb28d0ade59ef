"""`t`: add tags to the paper under the cursor (or to the marked papers), picked from the tags already in use.

Under the input, a list of the best completions of the last comma-separated part, each with how many papers have
the tag (storage/tag_complete.py). ↑/↓ pick one (Enter then takes it), Tab completes to the picked one or the first;
Enter with nothing picked adds what is typed, so a new tag is never replaced by a near one.
"""

from __future__ import annotations

from typing import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from storage.normalize import clean_tags
from storage.tag_complete import complete, completions, split_last

MOST_SHOWN = 6  # completions on a tall screen; fewer on a short one (the dialog fits 60x20)
# the dialog's own rows around the list (borders, padding, title, paper, current tags, input, keys) and a free row:
# at 60x20 the list has 4 rows
DIALOG_ROWS = 16


class TagInput(Input):
    """Tab completes (the dialog decides to what), instead of moving the focus."""

    BINDINGS = [Binding("tab", "screen.complete", "complete", show=False, priority=True)]


class TagDialog(ModalScreen[list[str] | None]):
    """Returns the cleaned tags to add, or None when cancelled.

    `counts`: every tag in use and how many papers have it; `current`: the paper's own tags (not offered), or for
    marked papers how many of them have each tag (shown, still offered: the others may lack it)."""

    DEFAULT_CSS = """
    #tag-completions { border: none; padding: 0; background: $panel; }
    #tag-current { height: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "cancel"),
        Binding("down", "pick(1)", "next completion", show=False),
        Binding("up", "pick(-1)", "previous completion", show=False),
    ]

    def __init__(self, title: str, counts: Mapping[str, int], current: Mapping[str, int] | list[str],
                 *, marked: bool = False) -> None:
        super().__init__()
        self.paper_title = title
        self.counts = dict(counts)
        self.current = current if isinstance(current, Mapping) else {t: 1 for t in current}
        self.marked = marked
        self.shown: list[tuple[str, int]] = []  # the completions listed now

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-dialog", classes="dialog"):
            yield Label("Add tags", classes="dialog-title")
            yield Static(Text(self.paper_title, no_wrap=True, overflow="ellipsis"), classes="dialog-subject")
            yield Static(self._current_text(), id="tag-current", classes="dialog-hint")
            yield TagInput(placeholder="tag, another tag", id="tag-input")
            yield OptionList(id="tag-completions")
            yield Label("Enter save · ↑↓ pick · Tab complete · Esc cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.can_focus = False  # the typing stays in the input; ↑/↓ move the list's highlight from there
        options.styles.height = self.limit  # as many rows whatever is typed: the dialog does not jump as it changes
        self._list("")

    def _current_text(self) -> Text:
        # Text, not markup: a tag such as "[b]" shows as typed
        if not self.current:
            return Text("no tags yet" if not self.marked else "the marked papers have no tags yet")
        if self.marked:
            items = sorted(self.current.items(), key=lambda kv: (-kv[1], kv[0]))
            return Text("marked have: " + ", ".join(f"{t} {n}" for t, n in items), no_wrap=True, overflow="ellipsis")
        return Text("has: " + ", ".join(self.current), no_wrap=True, overflow="ellipsis")

    @property
    def limit(self) -> int:
        return max(2, min(MOST_SHOWN, self.app.size.height - DIALOG_ROWS))

    def _list(self, value: str) -> None:
        head, fragment = split_last(value)
        typed = set(clean_tags([head]))
        exclude = typed if self.marked else typed | set(self.current)
        self.shown = completions(fragment, self.counts, exclude, self.limit)
        options = self.query_one(OptionList)
        width = max((len(t) for t, _ in self.shown), default=0)
        rows: list[Option] = [Option(Text.assemble(t.ljust(width), ("  " + str(n), "dim")), id=t) for t, n in self.shown]
        if not rows:
            new = clean_tags([fragment])
            rows = [Option(Text(f"new tag: {new[0]}" if new else "type a tag, or ↑↓ to pick one", style="dim"),
                           disabled=True)]
        options.set_options(rows)  # nothing highlighted: Enter takes what is typed

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._list(event.value)

    def action_pick(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            (options.action_cursor_down if step > 0 else options.action_cursor_up)()

    def _picked(self) -> str | None:
        index = self.query_one(OptionList).highlighted
        return self.shown[index][0] if index is not None and index < len(self.shown) else None

    def action_complete(self) -> None:
        """Tab: the last part becomes the picked completion, else the first one."""
        tag = self._picked() or (self.shown[0][0] if self.shown else None)
        if tag:
            field = self.query_one(TagInput)
            field.value = complete(field.value, tag)
            field.cursor_position = len(field.value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click on a completion: as Tab on it
        if event.option.id:
            field = self.query_one(TagInput)
            field.value = complete(field.value, event.option.id)
            field.cursor_position = len(field.value)
            field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = complete(event.value, tag) if (tag := self._picked()) else event.value
        self.dismiss(clean_tags([value]) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""`t`: add tags to the paper under the cursor, with fuzzy completion from the tags already in use.

Completion works on the last comma-separated part. A completion that extends what was typed shows inline (accept
with → or Tab); a fuzzy one ("lm" -> "llm") cannot be drawn inline, so it shows on the hint line (accept with Tab).
"""

from __future__ import annotations

from rapidfuzz import fuzz, process
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestionReady
from textual.widgets import Input, Label, Static

from storage.normalize import clean_tags

FUZZY_CUTOFF = 60


def best_tag(fragment: str, tags: list[str]) -> str | None:
    """The tag `fragment` most likely means: a tag it starts, else the closest fuzzy match (rapidfuzz)."""
    fragment = fragment.strip().lower()
    if not fragment or fragment in tags:
        return None
    prefixed = [t for t in tags if t.startswith(fragment)]
    if prefixed:
        hit = process.extractOne(fragment, prefixed, scorer=fuzz.ratio)
    else:
        hit = process.extractOne(fragment, tags, scorer=fuzz.WRatio, score_cutoff=FUZZY_CUTOFF)
    return hit[0] if hit else None


class TagSuggester(Suggester):
    """Suggests the whole input with its last part completed to an existing tag."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=True, case_sensitive=False)
        self.tags = list(tags)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        fragment = last.lstrip()
        taken = set(clean_tags([head]))
        tag = best_tag(fragment, [t for t in self.tags if t not in taken])
        return value[: len(value) - len(fragment)] + tag if tag else None


class TagInput(Input):
    BINDINGS = [Binding("tab", "complete", "complete", show=False, priority=True)]

    completion: reactive[str] = reactive("")
    """The full value the suggester proposes ("" when none)."""

    def watch_value(self, value: str) -> None:
        self.completion = ""

    def _on_suggestion_ready(self, event: SuggestionReady) -> None:
        if event.value != self.value:
            return
        self.completion = event.suggestion
        if not event.suggestion.startswith(self.value):
            event.prevent_default()  # Input would draw its tail after the typed text: wrong for a fuzzy match

    def action_complete(self) -> None:
        if self.completion:
            self.value = self.completion
            self.cursor_position = len(self.value)


class TagDialog(ModalScreen[list[str] | None]):
    """Returns the cleaned tags to add, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str, tags: list[str], current: list[str]) -> None:
        super().__init__()
        self.paper_title = title
        self.tags = tags
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-dialog", classes="dialog"):
            yield Label("Add tags", classes="dialog-title")
            yield Static(Text(self.paper_title, no_wrap=True, overflow="ellipsis"), classes="dialog-subject")
            if self.current:
                yield Static(Text("has: " + ", ".join(self.current)), classes="dialog-hint")
            yield TagInput(placeholder="tag, another tag", suggester=TagSuggester(self.tags), id="tag-input")
            yield Static("", id="tag-hint", classes="dialog-hint", markup=False)
            yield Label("Enter save · Tab complete · Esc cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        self.watch(self.query_one(TagInput), "completion", self._show_completion)

    def _show_completion(self, completion: str) -> None:
        _, _, last = completion.rpartition(",")
        self.query_one("#tag-hint", Static).update(Text(f"Tab → {last.strip()}") if completion else "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(clean_tags([event.value]) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)

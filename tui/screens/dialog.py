"""The base of every modal: its own key footer, and a box that never outgrows the screen.

The footer: the bottom row says the modal's keys, not the triage screen's. It shows the modal's shown bindings after
HINTS, keys its focused widget handles (Enter in an Input, Tab to complete), which no screen binding can show: the
widget's own binding for the key comes first.

The box (`.dialog`) is capped at the screen's height by the stylesheet; when its parts are taller than that (a list
of 40 tags at 60x20), the parts that can give way (GIVES_WAY: a list) get shorter, down to MIN_ROWS, so that what
follows them (an Input, the buttons) stays on screen.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

MIN_ROWS = 3  # a bordered list showing one row
PALETTE_TOP = 7  # the command palette's margin and input above its list


class DialogFooter(Footer):
    def compose(self):
        for hint in getattr(self.screen, "HINTS", ()):
            yield FooterKey(hint.key, self.app.get_key_display(hint), hint.description, hint.action).data_bind(
                compact=Footer.compact
            )
        yield from super().compose()


class OwnFooter:
    """A modal with its own footer (mixed into a ModalScreen: Textual calls each class's on_mount)."""

    HINTS: ClassVar[tuple[Binding, ...]] = ()
    """Keys the focused widget handles, shown first in the footer: `Binding("enter", "", "save")`."""

    def on_mount(self) -> None:
        self.mount(DialogFooter(compact=True, show_command_palette=False))


class Dialog(OwnFooter, ModalScreen[ScreenResultType]):
    GIVES_WAY: ClassVar[str] = "OptionList"
    """The parts that get shorter when the dialog is taller than the screen (a selector)."""
    BOX: ClassVar[str] = ".dialog"

    def on_mount(self) -> None:
        self.call_after_refresh(self._give_way)

    def on_resize(self) -> None:
        # back to the stylesheet's heights, then shorten again only what this size needs
        if self.GIVES_WAY:
            for part in self.query(self.GIVES_WAY):
                part.styles.max_height = None
            self.call_after_refresh(self._give_way)

    def _give_way(self) -> None:
        boxes = self.query(self.BOX)
        if not boxes or not self.GIVES_WAY:
            return
        box = boxes.first()
        shown = [child for child in box.children if child.display]
        if not shown:
            return
        excess = max(child.region.bottom for child in shown) - box.content_region.bottom
        for part in box.query(self.GIVES_WAY):
            if excess <= 0:
                break
            if part.display:
                cut = min(excess, part.outer_size.height - MIN_ROWS)
                if cut > 0:
                    part.styles.max_height = part.outer_size.height - cut
                    excess -= cut


class Palette(OwnFooter, CommandPalette):
    """Textual's command palette (ctrl+p), with the modal footer like every dialog."""

    HINTS = (Binding("enter", "", "run"), Binding("down", "", "choose", key_display="↑↓"))
    BINDINGS = [Binding("escape", "escape", "close")]  # Textual says "Exit the command palette": too long at 60

    def on_resize(self) -> None:
        # Textual caps the list at 70% of the screen below a 7-line top: at 60x20 it ran off the screen
        self.query_one(CommandList).styles.max_height = max(MIN_ROWS, min(self.size.height * 7 // 10,
                                                                          self.size.height - PALETTE_TOP - 1))

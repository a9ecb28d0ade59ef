"""`O`: pick the order of this view's list. Each entry has a letter that picks it at once (as `Y`'s copy menu)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from .dialog import Dialog

# (letter, order for ListOrder.choose, what the menu says); the orders are storage/sort.py's SORTS
ENTRIES: tuple[tuple[str, str, str], ...] = (
    ("d", "date", "Date: newest feed date first"),
    ("i", "interest", "Interest: like the papers you kept"),
    ("u", "upvotes", "Upvotes: most HF upvotes first"),
    ("t", "title", "Title: A to Z"),
)


class SortMenu(Dialog[str | None]):
    """Returns the order picked ("date", "interest", "upvotes", "title"), or None when cancelled."""

    DEFAULT_CSS = """
    #sort-menu { width: 56; }
    #sort-options { height: auto; max-height: 6; }
    """
    HINTS = (Binding("enter", "", "sort"), Binding("d", "", "pick", key_display="d i u t"))
    BINDINGS = [
        Binding("escape,q", "cancel", "cancel"),
        *(Binding(letter, f"pick('{order}')", label, show=False) for letter, order, label in ENTRIES),
    ]

    def __init__(self, view_title: str, current: str) -> None:
        super().__init__()
        self.view_title = view_title
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="sort-menu", classes="dialog"):
            yield Label("Sort", classes="dialog-title")
            yield Static(Text(f"the {self.view_title} view (remembered for it)", no_wrap=True, overflow="ellipsis"),
                         classes="dialog-subject")
            options = OptionList(
                *(Option(Text.assemble((letter + "  ", "bold"), label, " \u2022" if order == self.current else ""),
                         id=order) for letter, order, label in ENTRIES),
                id="sort-options",
            )
            yield options

    def on_mount(self) -> None:  # Enter at once keeps the order on show
        self.query_one(OptionList).highlighted = next((n for n, e in enumerate(ENTRIES) if e[1] == self.current), 0)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, order: str) -> None:
        self.dismiss(order)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""`?`: every key of the app, grouped by purpose, from tui/keymap.py's help_rows (so new keys appear by themselves).

Groups are laid out in as many columns as the terminal fits (each group stays whole, in keymap order); the body
scrolls when it is still taller than the screen: j/k and the arrows, PgUp/PgDn (ctrl+u/ctrl+d), g/G and Home/End, as in
the list. Esc, ? or q close it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

GAP = 3  # cells between columns
MAX_COLUMNS = 3
CHROME = 8  # the dialog's border and padding beside the columns, in cells
CHROME_LINES = 8  # the dialog's border, padding, title and key line above and below the columns, in lines


def grouped(rows: list[tuple[str, str, str]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """help_rows() as (group, [(keys, description)]), groups in order of first appearance."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for group, keys, description in rows:
        groups.setdefault(group, []).append((keys, description))
    return list(groups.items())


def columns(groups: list[tuple[str, list]], count: int) -> list[list[tuple[str, list]]]:
    """Split the groups, in order, into `count` columns of roughly equal height (a group is its rows + 2)."""
    count = max(1, min(count, len(groups)))
    total = sum(len(rows) + 2 for _, rows in groups)
    out: list[list[tuple[str, list]]] = [[]]
    height = 0
    for n, group in enumerate(groups):
        size = len(group[1]) + 2
        left = len(groups) - n  # groups still to place, this one included
        # start a new column when this one is full enough, while enough groups remain to fill the rest
        if out[-1] and len(out) < count and height + size / 2 > total / count and left >= count - len(out):
            out.append([])
            height = 0
        out[-1].append(group)
        height += size
    return out


def key_width(rows: list[tuple[str, str]]) -> int:
    return max((cell_len(keys) for keys, _ in rows), default=1)


def group_width(rows: list[tuple[str, str]]) -> int:
    return key_width(rows) + 2 + max((cell_len(d) for _, d in rows), default=0)


def group_text(rows: list[tuple[str, str]]) -> Text:
    """The group's rows: keys in bold, descriptions lined up after the group's longest keys."""
    width = key_width(rows)
    t = Text(end="")
    for n, (keys, description) in enumerate(rows):
        if n:
            t.append("\n")
        t.append(keys + " " * (width - cell_len(keys) + 2), "bold")  # one span: SVG renderers drop leading spaces
        t.append(description)
    return t


class HelpBody(VerticalScroll):
    """The columns, scrolled by the list's keys too (VerticalScroll has the arrows, PgUp/PgDn, Home/End)."""

    BINDINGS = [
        Binding("j", "scroll_down", show=False),
        Binding("k", "scroll_up", show=False),
        Binding("g", "scroll_home", show=False),
        Binding("G", "scroll_end", show=False),
        Binding("ctrl+d", "page_down", show=False),
        Binding("ctrl+u", "page_up", show=False),
    ]


class HelpScreen(ModalScreen[None]):
    # Its own box rather than the shared `.dialog` one: the help is as wide as its columns, not a fixed width.
    DEFAULT_CSS = """
    #help-dialog {
        width: auto; max-width: 100%; height: auto; max-height: 100%;
        padding: 1 2 0 2; background: $panel; border: round $accent;
    }
    #help-body { width: auto; height: auto; scrollbar-size-vertical: 1; scrollbar-gutter: stable; }
    #help-columns { width: auto; height: auto; }
    .help-column { height: auto; }
    .help-group { color: $accent; text-style: bold; }
    .help-rows { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "close", "close")]

    def __init__(self, rows: list[tuple[str, str, str]], *, help_keys: str = "", palette_key: str = "ctrl+p") -> None:
        super().__init__()
        if help_keys:  # the help key in effect closes it too (the config may have remapped `?`)
            self._bindings.bind(help_keys, "close", "close", show=False)
        self.palette_key = palette_key
        self.groups = grouped(rows)
        self.column_width = max(group_width(rows_) for _, rows_ in self.groups) + GAP
        self.fits = 0  # columns the screen had room for when composed

    def _fit(self) -> int:
        return max(1, min(MAX_COLUMNS, (self.app.size.width - CHROME + GAP) // self.column_width))

    def compose(self) -> ComposeResult:
        self.fits = self._fit()
        with Vertical(id="help-dialog"):
            yield Label("Keys", classes="dialog-title")
            with HelpBody(id="help-body"):
                with Horizontal(id="help-columns"):
                    for column in columns(self.groups, self.fits):
                        box = Vertical(classes="help-column")
                        box.styles.width = self.column_width
                        with box:
                            for group, rows in column:
                                yield Label(group, classes="help-group", markup=False)
                                yield Static(group_text(rows), classes="help-rows")
            yield Label(f"j/k scroll · Esc close · {self.palette_key} every command by name", classes="dialog-keys",
                        markup=False)

    def on_mount(self) -> None:
        self._fit_height()
        self.query_one("#help-body").focus()

    def _fit_height(self) -> None:
        # the body scrolls when the columns are taller than the screen leaves room for
        self.query_one("#help-body").styles.max_height = max(3, self.app.size.height - CHROME_LINES)

    def on_resize(self) -> None:
        if self._fit() != self.fits:
            self.refresh(recompose=True)
        else:
            self._fit_height()

    @property
    def plain(self) -> str:
        """The text on show, group headings and rows (for tests)."""
        parts = []
        for widget in self.query(".help-group, .help-rows").results(Static):
            content = widget.content
            parts.append(content.plain if isinstance(content, Text) else str(content))
        return "\n".join(parts)

    def action_close(self) -> None:
        self.dismiss(None)

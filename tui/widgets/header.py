"""The one-line header: every view with its live count (the current one highlighted) and today's progress."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from ..keymap import VIEWS
from .paper_list import fg_style

# counts() keys for the views the header lists
COUNT_KEYS = {"inbox": "inbox", "queue": "queue", "starred": "starred", "read": "read", "all": "all"}


def header_text(view: str, counts: dict[str, int], current: Style | str = "bold", muted: Style | str = "dim") -> Text:
    """`Inbox 85 · Queue 12 · Starred 30 · Read 7 · All 200   40 triaged today · 45 left`."""
    t = Text(no_wrap=True, overflow="ellipsis", end="")
    t.append(" ")
    for n, (key, name, title) in enumerate(VIEWS):
        if n:
            t.append(" · ", muted)
        t.append(f"{title} {counts.get(COUNT_KEYS[name], 0)}", current if name == view else None)
    t.append("   ")
    t.append(f"{counts.get('triaged_today', 0)} triaged today · {counts.get('inbox', 0)} left", muted)
    return t


class HeaderBar(Static):
    COMPONENT_CLASSES = {"header--current", "header--muted"}

    def show(self, view: str, counts: dict[str, int]) -> None:
        self.update(
            header_text(
                view,
                counts,
                fg_style(self.get_component_rich_style("header--current")),
                fg_style(self.get_component_rich_style("header--muted")),
            )
        )

    @property
    def plain(self) -> str:
        content = self.content
        return content.plain if isinstance(content, Text) else str(content)

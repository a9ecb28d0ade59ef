"""The key footer: Textual's Footer, made to fit a narrow terminal.

At 80 columns every footer key does not fit, and Textual's Footer cuts the line at the right edge, which is where
`? help` and `q quit` are: the two keys a newcomer needs most. This one hides the keys people know or can find in
help first (DROP_ORDER), one at a time, until the rest fits; it shows them again when the terminal widens.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

# Actions whose footer keys go first when space runs out (a key group goes whole). `help` and `quit` never go.
DROP_ORDER = ("next_paper", "cursor_down", "undo", "queue_down", "view('inbox')", "note", "tag", "skip", "read", "queue", "search",
              "star", "scroll_down")


class TriageFooter(Footer):
    _shown: tuple | None = None  # what the keys drawn now say (see _keys)

    async def recompose(self) -> None:
        # Textual rebuilds the footer (a widget per key, styled anew) on every bindings signal: focus moves, screens
        # come and go, the app starts. Most leave the keys as they were: rebuild only when what they say changed.
        keys = self._keys()
        if keys == self._shown:
            return
        await super().recompose()
        self._shown = keys
        self.call_after_refresh(self._fit)

    def _keys(self) -> tuple:
        """What compose would draw: each shown binding's key as displayed, label, action, enabled, tooltip, group."""
        if not self._bindings_ready:
            return ()
        return tuple(
            (b.key, self.app.get_key_display(b), b.description, b.action, enabled, tooltip, b.group)
            for (_, b, enabled, tooltip) in self.screen.active_bindings.values() if b.show
        ) + ((self.compact, self.show_command_palette),)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _items(self) -> list[tuple[str, list[Widget]]]:
        """(action, widgets) per footer item; a key group's label belongs to its group."""
        items: list[tuple[str, list[Widget]]] = []
        for child in self.children:
            if isinstance(child, FooterLabel) and items:
                items[-1][1].append(child)
            elif isinstance(child, KeyGroup):
                keys = list(child.query(FooterKey))
                items.append((keys[0].action if keys else "", [child]))
            elif isinstance(child, FooterKey):
                items.append((child.action, [child]))
        return items

    def _fit(self) -> None:
        items = self._items()
        for _, widgets in items:
            for w in widgets:
                w.display = True
        # Each part's width plus the one-cell gap Textual's compact footer leaves before it.
        width = {action: sum(w.outer_size.width + 1 for w in widgets) for action, widgets in items}
        used = sum(width.values())
        for action in DROP_ORDER:
            if used <= self.size.width:
                break
            for name, widgets in items:
                if name == action:
                    for w in widgets:
                        w.display = False
                    used -= width[name]

"""The command palette (ctrl+p): every action of the app by name, next to Textual's own commands (theme, quit, ...).

Commands come from tui/keymap.py's table (so new keys appear here by themselves) plus the few actions that have no
key of their own. Moving the cursor and scrolling are keys, not commands, so they are left out.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .keymap import KEYS, help_rows

LEFT_OUT_GROUPS = {"Move", "Detail"}
LEFT_OUT_ACTIONS = {"quit", "command_palette"}  # Textual's "Quit" command runs the same action; the palette is open

# Actions without a key: (label, help, action).
EXTRA: tuple[tuple[str, str, str], ...] = (
    ("Share: copy title", "copy the paper's title", "copy('title')"),
    ("Share: copy URL", "copy the paper's web link", "copy('url')"),
    ("Share: copy BibTeX", "copy a BibTeX entry for the paper", "copy('bibtex')"),
    ("Share: copy Markdown with note", "copy the paper as the export writes it, note included", "copy('note')"),
    ("Library: ingest a feed file…", "read a feed file or directory into the library", "ingest_file"),
)


def commands() -> list[tuple[str, str, str]]:
    """(label, help, action) for every command the palette offers, in keymap order then the extras."""
    out = []
    for key, (group, keys, description) in zip(KEYS, help_rows()):
        if group in LEFT_OUT_GROUPS or key.action in LEFT_OUT_ACTIONS:
            continue
        out.append((f"{group}: {description}", f"key {keys}", key.action))
    out.extend(EXTRA)
    return out


class PaperCommands(Provider):
    def _available(self) -> list[tuple[str, str, str]]:
        app = self.app
        if self.screen is not app.screen_stack[0]:
            return []  # over a dialog the actions would act behind it
        # J/K only mean something in the queue: ask the app, as its bindings do
        return [c for c in commands() if app.check_action(c[2].split("(")[0], ()) is not False]

    async def discover(self) -> Hits:
        for label, help_text, action in self._available():
            yield DiscoveryHit(label, partial(self.app.run_action, action), text=label, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, action in self._available():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self.app.run_action, action), text=label,
                          help=help_text)

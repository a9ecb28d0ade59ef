"""The command palette (ctrl+p): every action of the app by name, next to Textual's own commands (theme, quit, ...).

Commands come from tui/keymap.py's table (so new keys appear here by themselves, with the keys in effect) plus the
few actions that have no key of their own. Moving the cursor and scrolling are keys, not commands, so they are left
out. Triage actions run on the triage screen, the App's own (help, ingest) on the App.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .keymap import KEYS, LIST, KeysInEffect

LEFT_OUT_GROUPS = {"Move", "Detail"}
LEFT_OUT_ACTIONS = {"quit", "command_palette"}  # Textual's "Quit" command runs the same action; the palette is open

# Actions without a key: (label, help, action).
EXTRA: tuple[tuple[str, str, str], ...] = (
    ("Share: copy title", "copy the paper's title", "copy('title')"),
    ("Share: copy URL", "copy the paper's web link", "copy('url')"),
    ("Share: copy BibTeX", "copy a BibTeX entry for the paper", "copy('bibtex')"),
    ("Share: copy Markdown with note", "copy the paper as the export writes it, note included", "copy('note')"),
    ("Library: ingest a feed file…", "read a feed file or directory into the library", "app.ingest_file"),
)


def commands(keys: KeysInEffect | None = None) -> list[tuple[str, str, str]]:
    """(label, help, action) for every command the palette offers, in keymap order then the extras. An App action
    is written `app.<name>`; the others are the triage screen's."""
    out = []
    for key, (group, shown, description) in zip(KEYS, (keys or KeysInEffect()).help_rows()):
        if group in LEFT_OUT_GROUPS or key.action in LEFT_OUT_ACTIONS or LIST not in key.where:  # the reader's
            continue
        out.append((f"{group}: {description}", f"key {shown}", ("app." if key.app else "") + key.action))
    out.extend(EXTRA)
    return out


class PaperCommands(Provider):
    def _available(self) -> list[tuple[str, str, str]]:
        app, screen = self.app, self.screen
        if screen is not app.screen_stack[0]:
            return []  # over a dialog the actions would act behind it
        # J/K only mean something in the queue: offered there only, as the footer shows them
        hidden = () if screen.view == "queue" else ("queue_down", "queue_up")
        return [c for c in commands(app.keys)
                if c[2] not in hidden and screen.check_action(c[2].split("(")[0], ()) is not False]

    def _run(self, action: str):
        return partial(self.app.run_action, action, self.screen)

    async def discover(self) -> Hits:
        for label, help_text, action in self._available():
            yield DiscoveryHit(label, self._run(action), text=label, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, action in self._available():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), self._run(action), text=label, help=help_text)

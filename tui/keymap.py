"""Every key of the app, in one table: the bindings, the footer, the help screen, the palette and every text that
names a key read it.

Each key has an id (its action's name, e.g. `star`, `cursor_down`, `view_inbox`): the config's `[keys]` section
remaps keys by that id through Textual's own keymap (`Binding(id=...)`, `App.set_keymap`). A key may list
alternatives (`"j,down"`); the first one is the one shown.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable, Mapping

from textual.binding import Binding
from textual.keys import KEY_DISPLAY_ALIASES, REPLACED_KEYS, Keys, _character_to_key, _get_unicode_name_from_key


@dataclass(frozen=True)
class Key:
    keys: str  # Textual key names, comma-separated alternatives
    action: str  # the action (`action_<name>`), with arguments where needed: "view('inbox')"
    description: str  # short, for the footer
    group: str  # heading for a help screen
    footer: bool = False  # shown in the footer
    display: str | None = None  # how the footer writes the key, when Textual's default is unclear
    app: bool = False  # an App binding (help, palette, quit); the others are the triage screen's

    @property
    def id(self) -> str:
        """The binding id, which `[keys]` names: the action, its argument joined by `_` ("view('inbox')" ->
        "view_inbox")."""
        name, _, arg = self.action.partition("(")
        arg = arg.strip("()'\"")
        return f"{name}_{arg}" if arg else name


# The views behind the number keys, in order: (key, store view name, title).
VIEWS: tuple[tuple[str, str, str], ...] = (
    ("1", "inbox", "Inbox"),
    ("2", "queue", "Queue"),
    ("3", "starred", "Starred"),
    ("4", "read", "Read"),
    ("5", "all", "All"),
)
VIEW_TITLES = {view: title for _, view, title in VIEWS}

KEYS: tuple[Key, ...] = (
    Key("j,down", "cursor_down", "next paper", "Move", True, "j"),
    Key("k,up", "cursor_up", "previous paper", "Move", True, "k"),
    Key("g,home", "cursor_first", "first paper", "Move"),
    Key("G,end", "cursor_last", "last paper", "Move"),
    Key("pagedown,ctrl+d", "page_down", "page down", "Move"),
    Key("pageup,ctrl+u", "page_up", "page up", "Move"),
    Key("s", "star", "star", "Triage", True),
    Key("t", "tag", "tag", "Triage", True),
    Key("T", "untag", "untag", "Triage"),
    Key("n", "note", "note", "Triage", True),
    Key("a", "queue", "queue", "Triage", True),
    Key("r", "read", "read", "Triage", True),
    Key("x", "skip", "skip", "Triage", True),
    Key("i", "inbox", "to inbox", "Triage"),
    Key("J", "queue_down", "move down", "Queue", True, "J"),
    Key("K", "queue_up", "move up", "Queue", True, "K"),
    Key("u", "undo", "undo", "History", True),
    Key("ctrl+r", "redo", "redo", "History"),
    *(Key(key, f"view('{view}')", title, "Views", True) for key, view, title in VIEWS),
    Key("slash", "search", "search", "Find", True, "/"),
    Key("f", "filter_tag", "filter by tag", "Find"),
    Key("space", "toggle_mark", "mark / unmark", "Select"),
    Key("V", "mark_all", "mark all in the list", "Select"),
    Key("escape", "clear", "clear marks, then search", "Select"),
    Key("right_square_bracket", "detail_down", "scroll detail down", "Detail", False, "]"),
    Key("left_square_bracket", "detail_up", "scroll detail up", "Detail", False, "["),
    Key("y", "copy('link')", "copy Markdown link", "Share"),
    Key("Y", "copy_menu", "copy title, URL, BibTeX…", "Share"),
    Key("o", "open_browser", "open in browser", "Share"),
    Key("e", "export_starred", "export starred", "Share"),
    Key("E", "export_view", "export this view", "Share"),
    Key("?", "help", "help", "App", True, "?", app=True),
    Key("ctrl+p", "command_palette", "all commands", "App", app=True),
    Key("q", "quit", "quit", "App", True, app=True),
)
BY_ID = {k.id: k for k in KEYS}

# Footer groups: consecutive footer keys sharing one of these show as one compact item ("jk move", "12345 views").
_FOOTER_GROUPS = {
    "Move": Binding.Group("move", compact=True),
    "Queue": Binding.Group("reorder", compact=True),
    "Views": Binding.Group("views", compact=True),
}


def bindings(*, app: bool) -> list[Binding]:
    """The App's BINDINGS (`app=True`) or the triage screen's, built from KEYS; each has its id for the keymap."""
    out = []
    for k in KEYS:
        if k.app != app:
            continue
        group = _FOOTER_GROUPS.get(k.group) if k.footer else None
        out.append(Binding(k.keys, k.action, k.description, show=k.footer, key_display=k.display, group=group,
                           id=k.id))
    return out


# -- the keys in effect: the defaults with the config's [keys] over them ----------------------------------------------
_NAMES = {"down": "↓", "up": "↑", "left": "←", "right": "→", "home": "Home", "end": "End", "pagedown": "PgDn",
          "pageup": "PgUp", "space": "Space", "escape": "Esc", "enter": "Enter", "tab": "Tab",
          "backspace": "Backspace", "delete": "Del", "insert": "Ins"}


def key_name(key: str) -> str:
    """A key as a person types it: `slash` -> "/", `right_square_bracket` -> "]", `escape` -> "Esc", `ctrl+r` as is."""
    mods, _, base = key.rpartition("+")
    if base in _NAMES:
        name = _NAMES[base]
    elif len(base) == 1 or base in KEY_DISPLAY_ALIASES:
        name = KEY_DISPLAY_ALIASES.get(base, base) if len(base) > 1 else base
    else:
        name = _printable(base) or base
    return f"{mods}+{name}" if mods else name


def _printable(base: str) -> str | None:
    """The one printable character a Textual key name stands for (`question_mark` -> "?"), else None."""
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(base, base)))
    except KeyError:
        return None
    return char if len(char) == 1 and char.isprintable() else None


class KeysInEffect:
    """The keys of every action after the config's remapping: what help, palette and the app's texts show."""

    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        self.overrides = dict(overrides or {})
        self._keys = {k.id: self.overrides.get(k.id, k.keys) for k in KEYS}

    def keys(self, action_id: str) -> list[str]:
        return [k.strip() for k in self._keys[action_id].split(",")]

    def first(self, action_id: str) -> str:
        """The key shown for an action in a sentence ("Press s to star")."""
        key = BY_ID[action_id]
        if action_id not in self.overrides and key.display:
            return key.display
        return key_name(self.keys(action_id)[0])

    def all(self, action_id: str) -> str:
        """Every key of an action, as the help screen lists them ("j ↓")."""
        return " ".join(key_name(k) for k in self.keys(action_id))

    def help_rows(self) -> list[tuple[str, str, str]]:
        """(group, keys as a person types them, description) for the help screen and the palette."""
        return [(k.group, self.all(k.id), k.description) for k in KEYS]


def help_rows() -> list[tuple[str, str, str]]:
    """The default keys' help rows (no remapping)."""
    return KeysInEffect().help_rows()


# -- checking a [keys] section ----------------------------------------------------------------------------------------
_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_NAMED = {k.value for k in Keys if "+" not in k.value and not k.value.startswith("<")} - {"ctrl-at"}


def valid_key(key: str) -> bool:
    """A key Textual can bind: optional modifiers, then one printable character or a key's name (`down`, `f5`,
    `question_mark`)."""
    *mods, base = key.split("+") if key != "+" else ["+"]
    if not base or any(m not in _MODIFIERS for m in mods):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in _NAMED or _printable(base) is not None


def _normal(key: str) -> str:
    """The one spelling Textual matches a key by (`?` -> `question_mark`), so that `?` and `question_mark` collide."""
    return _character_to_key(key) if len(key) == 1 else key


def check_keys(entries: Mapping[str, tuple[str, int]], error_at: Callable[[int, str], Exception]) -> dict[str, str]:
    """The `[keys]` section (action id -> (keys, line)) as a keymap for `App.set_keymap`; raises
    `error_at(line, message)` for an unknown action, a key Textual does not know, or a key on two actions (a
    remapped key meeting another action's default key counts: every key of the app is live on the triage screen)."""
    keymap: dict[str, str] = {}
    for action, (keys, line) in entries.items():
        if action not in BY_ID:
            raise error_at(line, f"unknown action {action!r} in [keys] (the README's keys table lists them)")
        if not isinstance(keys, str) or not keys.strip():
            raise error_at(line, f"[keys] {action}: give one or more keys, e.g. {action} = \"{BY_ID[action].keys}\"")
        names = [k.strip() for k in keys.split(",")]
        for k in names:
            if not valid_key(k):
                raise error_at(line, f"[keys] {action}: unknown key {k!r}")
        keymap[action] = ",".join(names)
    effect = KeysInEffect(keymap)
    owner: dict[str, str] = {}
    for k in KEYS:
        for key in effect.keys(k.id):
            other = owner.setdefault(_normal(key), k.id)
            if other != k.id:
                line = max((entries[a][1] for a in (other, k.id) if a in entries), default=0)
                raise error_at(line, f"[keys] key {key!r} is bound to both {other} and {k.id}")
    return keymap

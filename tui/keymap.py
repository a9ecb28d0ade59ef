"""Every key of the app, in one table: the bindings, the footer, the help screen, the palette and every text that
names a key read it.

Each key has an id (its action's name, e.g. `star`, `cursor_down`, `view_inbox`): the config's `[keys]` section
remaps keys by that id through Textual's own keymap (`Binding(id=...)`, `App.set_keymap`). A key may list
alternatives (`"j,down"`); the first one is the one shown.

A key acts on the list (the triage screen), in the reader (`Enter`'s full-screen paper) or on both (`where`): one
key may mean one thing in the list and another in the reader (`j` next paper / scroll down), never two in one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Mapping

from textual.binding import Binding
from textual.keys import KEY_DISPLAY_ALIASES, REPLACED_KEYS, _get_unicode_name_from_key


def action_id(k: Key) -> str:
    """The name a config uses for a key's action: `star`, `cursor_down`, `view_inbox`, `copy_link`."""
    name, _, arg = k.action.partition("(")
    arg = arg.rstrip(")").strip("'\"")
    return f"{name}_{arg}" if arg else name


@dataclass(frozen=True)
class Key:
    keys: str  # Textual key names, comma-separated alternatives
    action: str  # the action (`action_<name>`), with arguments where needed: "view('inbox')"
    description: str  # short, for the footer
    group: str  # heading for a help screen
    footer: bool = False  # shown in the footer
    display: str | None = None  # how the footer writes the key, when Textual's default is unclear
    app: bool = False  # an App binding (help, palette, quit); the others are the screens' own
    where: tuple[str, ...] = ("list",)  # the screens it acts on: LIST, READER or both (an App key: BOTH, but quit)

    @property
    def id(self) -> str:
        """The binding id, which `[keys]` names (see action_id)."""
        return action_id(self)


LIST, READER = "list", "reader"
BOTH = (LIST, READER)

# The views behind the number keys, in order: (key, store view name, title).
VIEWS: tuple[tuple[str, str, str], ...] = (
    ("1", "inbox", "Inbox"),
    ("2", "queue", "Queue"),
    ("3", "starred", "Starred"),
    ("4", "read", "Read"),
    ("5", "all", "All"),
    ("6", "skipped", "Skipped"),
)
VIEW_TITLES = {view: title for _, view, title in VIEWS}

KEYS: tuple[Key, ...] = (
    Key("j,down", "cursor_down", "next paper", "Move", True, "j"),
    Key("k,up", "cursor_up", "previous paper", "Move", True, "k"),
    Key("g,home", "cursor_first", "first paper", "Move"),
    Key("G,end", "cursor_last", "last paper", "Move"),
    Key("pagedown,ctrl+d", "page_down", "page down", "Move"),
    Key("pageup,ctrl+u", "page_up", "page up", "Move"),
    Key("N", "next_new", "next new paper (since last session)", "Move"),
    Key("full_stop", "next_unread", "next new paper not triaged yet", "Move", False, "."),
    Key("s", "star", "star", "Triage", True, where=BOTH),
    Key("t", "tag", "tag", "Triage", True, where=BOTH),
    Key("T", "untag", "untag", "Triage", where=BOTH),
    Key("n", "note", "note", "Triage", True, where=BOTH),
    Key("a", "queue", "queue", "Triage", True, where=BOTH),
    Key("r", "read", "read", "Triage", True, where=BOTH),
    Key("x", "skip", "skip", "Triage", True, where=BOTH),
    Key("i", "inbox", "to inbox", "Triage", where=BOTH),
    Key("J", "queue_down", "move down", "Queue", True, "J"),
    Key("K", "queue_up", "move up", "Queue", True, "K"),
    Key("u", "undo", "undo", "History", True, where=BOTH),
    Key("ctrl+r", "redo", "redo", "History", where=BOTH),
    *(Key(key, f"view('{view}')", title, "Views", True) for key, view, title in VIEWS),
    Key("slash", "search", "search", "Find", True, "/"),
    Key("f", "filter_tag", "filter by tag", "Find"),
    Key("O", "sort", "sort: date, interest, upvotes, title", "Find"),
    Key("m", "more_like", "more like this (Esc leaves)", "Find"),
    Key("space", "toggle_mark", "mark / unmark", "Select"),
    Key("V", "mark_all", "mark all in the list", "Select"),
    Key("escape", "clear", "clear marks, then search", "Select"),
    Key("right_square_bracket", "detail_down", "scroll detail down", "Detail", False, "]"),
    Key("left_square_bracket", "detail_up", "scroll detail up", "Detail", False, "["),
    Key("y", "copy('link')", "copy Markdown link", "Share", where=BOTH),
    Key("Y", "copy_menu", "copy title, URL, BibTeX…", "Share", where=BOTH),
    Key("o", "open_browser", "open the abstract page", "Share", where=BOTH),
    Key("p", "open_pdf", "open the PDF", "Share", where=BOTH),
    Key("L", "open_menu", "open a link: HF page, GitHub, project…", "Share", where=BOTH),
    Key("e", "export_starred", "export starred", "Share"),
    Key("E", "export_view", "export this view", "Share"),
    # the reader: the paper under the list's cursor, full screen; the triage keys above marked BOTH work there too
    Key("enter", "open_reader", "read the paper full screen", "Reader"),
    Key("j,down", "scroll_down", "scroll down", "Reader", True, "j", where=(READER,)),
    Key("k,up", "scroll_up", "scroll up", "Reader", True, "k", where=(READER,)),
    Key("space,pagedown,ctrl+d", "scroll_page_down", "page down", "Reader", where=(READER,)),
    Key("b,pageup,ctrl+u", "scroll_page_up", "page up", "Reader", where=(READER,)),
    Key("g,home", "scroll_top", "top", "Reader", where=(READER,)),
    Key("G,end", "scroll_bottom", "bottom", "Reader", where=(READER,)),
    Key("J", "next_paper", "next paper", "Reader", True, "J", where=(READER,)),
    Key("K", "previous_paper", "previous paper", "Reader", True, "K", where=(READER,)),
    Key("escape,q", "close_reader", "back", "Reader", True, "Esc", where=(READER,)),
    Key("R", "fetch", "fetch feeds", "App", app=True, where=BOTH),
    Key("?", "help", "help", "App", True, "?", app=True, where=BOTH),
    Key("ctrl+p", "command_palette", "all commands", "App", app=True, where=BOTH),
    Key("q", "quit", "quit", "App", True, app=True),  # the list's: in the reader q goes back, as in less or newsboat
)
BY_ID = {k.id: k for k in KEYS}
# Ids a config may still use for a renamed action: [keys] toggle_order = "o" keeps working.
OLD_IDS = {"toggle_order": "sort"}


def config_keys(config) -> dict[str, tuple[str, int]]:
    """The config's [keys] (action -> (keys, line)), old ids under their new names."""
    return {OLD_IDS.get(action, action): value for action, value in config.keys.items()}

# Footer groups: consecutive footer keys sharing one of these show as one compact item ("jk move", "12345 views").
_FOOTER_GROUPS = {
    "Move": Binding.Group("move", compact=True),
    "Queue": Binding.Group("reorder", compact=True),
    "Views": Binding.Group("views", compact=True),
}


# ... and in the reader: "jk scroll", "JK paper"
_FOOTER_GROUP_OF = {"scroll_down": Binding.Group("scroll", compact=True), "next_paper": Binding.Group("paper", compact=True)}
_FOOTER_GROUP_OF |= {"scroll_up": _FOOTER_GROUP_OF["scroll_down"], "previous_paper": _FOOTER_GROUP_OF["next_paper"]}


def bindings(*, app: bool, where: str = LIST) -> list[Binding]:
    """The App's BINDINGS (`app=True`) or a screen's (the triage screen's: LIST, the reader's: READER), built from
    KEYS; each has its id for the keymap."""
    out = []
    for k in KEYS:
        if k.app != app or (not app and where not in k.where):
            continue
        group = _FOOTER_GROUP_OF.get(k.id, _FOOTER_GROUPS.get(k.group)) if k.footer else None
        out.append(Binding(k.keys, k.action, k.description, show=k.footer, key_display=k.display, group=group,
                           id=k.id))
    return out


def in_order(found: dict, order: dict[str, int]) -> dict:
    """A screen's active bindings sorted by `order` (binding id -> place); bindings without an id stay first."""
    return dict(sorted(found.items(), key=lambda item: order.get(item[1].binding.id, -1)))


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
        self.overrides = dict(overrides or {})  # action id -> keys: a keymap for `App.set_keymap`
        self._keys = {k.id: self.overrides.get(k.id, k.keys) for k in KEYS}

    @classmethod
    def of(cls, config) -> KeysInEffect:
        """The keys of a config whose [keys] passed check_config."""
        return cls({action: keys for action, (keys, _) in config_keys(config).items()})

    def keys(self, action: str) -> list[str]:
        return [k.strip() for k in self._keys[action].split(",")]

    def first(self, action: str) -> str:
        """The key shown for an action in a sentence ("Press s to star")."""
        key = BY_ID[action]
        if action not in self.overrides and key.display:
            return key.display
        return key_name(self.keys(action)[0])

    def all(self, action: str) -> str:
        """Every key of an action, as the help screen lists them ("j ↓")."""
        return " ".join(key_name(k) for k in self.keys(action))

    def help_rows(self) -> list[tuple[str, str, str]]:
        """(group, keys as a person types them, description) for the help screen and the palette."""
        return [(k.group, self.all(k.id), k.description) for k in KEYS]


def help_rows() -> list[tuple[str, str, str]]:
    """The default keys' help rows (no remapping)."""
    return KeysInEffect().help_rows()


# -- the config's [keys] and theme ---------------------------------------------------------------------------------
def config_rows() -> list[tuple[str, str, str]]:
    """(action id, default keys, description) of every remappable action, for `papertriage config --init`."""
    return [(action_id(k), k.keys, k.description) for k in KEYS]


_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}


def _known_bases() -> set[str]:
    from textual.keys import Keys, _character_to_key

    names = {key.value.split("+")[-1] for key in Keys}
    names |= {_character_to_key(chr(c)) for c in range(33, 127)}
    names |= {"space", "enter", "tab", "backspace", "escape"} | {f"f{i}" for i in range(1, 25)}
    return names


def normal_key(name: str) -> str:
    """One spelling per key, so that `?` and `question_mark` are seen as the same key."""
    from textual.keys import _character_to_key

    *mods, base = name.split("+") if len(name) > 1 else [name]
    if len(base) == 1:
        base = _character_to_key(base)
    return "+".join([*mods, base])


def valid_key(name: str) -> bool:
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    *mods, base = name.split("+")
    if not base or any(m not in _MODIFIERS for m in mods):
        return False
    return (len(base) == 1 and base.isprintable()) or base in _known_bases()


def effective_keys(config) -> dict[str, str]:
    """action id -> keys in effect (the config's where it names the action, else the default)."""
    out = {action_id(k): k.keys for k in KEYS}
    for action, (keys, _) in config_keys(config).items():
        out[action] = keys
    return out


def check_config(config) -> None:
    """Raise the config's ConfigError (file:line) for an unknown action, a key Textual has no name for, two actions
    on one key in one screen (the list, the reader), or an unknown theme. Nothing is silently ignored."""
    import difflib

    ids = [action_id(k) for k in KEYS]
    for old, new in OLD_IDS.items():
        if old in config.keys and new in config.keys:
            raise config.error_at(config.keys[old][1], f"keys: {old} is the old name of {new}: give only {new}")
    given = config_keys(config)
    for action, (keys, line) in given.items():
        if action not in ids:
            close = difflib.get_close_matches(action, ids, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else " (`papertriage config --init` lists them)"
            raise config.error_at(line, f"keys: unknown action {action!r}{hint}")
        for key in keys.split(","):
            if not valid_key(key):
                raise config.error_at(line, f"keys.{action}: unknown key name {key!r} (e.g. \"w\", \"ctrl+n\", \"down\", \"f5\")")
    effective = effective_keys(config)
    for screen in (LIST, READER):
        owner: dict[str, str] = {}
        for action, keys in effective.items():
            if screen not in BY_ID[action].where:
                continue
            for key in keys.split(","):
                other = owner.setdefault(normal_key(key), action)
                if other != action:
                    a, b = (action, other) if action in given else (other, action)
                    line = given[a][1] if a in given else None
                    where = " in the reader" if screen == READER else ""
                    raise config.error_at(line, f"keys: {key!r} is given to both {a} and {b}{where} "
                                                f"(give {b} another key too)")
    if config.theme is not None:
        from textual.theme import BUILTIN_THEMES

        if config.theme not in BUILTIN_THEMES:
            close = difflib.get_close_matches(config.theme, list(BUILTIN_THEMES), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (one of {', '.join(BUILTIN_THEMES)})"
            raise config.error_at(config.line_of("theme"), f"unknown theme {config.theme!r}{hint}")

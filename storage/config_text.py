"""The config as text: the commented default file (`papertriage config --init`) and the settings in effect as TOML
(`papertriage config`). Reading and checking a config is storage/config.py."""

from __future__ import annotations

from typing import Any, Callable, Mapping


def default_text(action_keys: Callable[[], list[tuple[str, str, str]]] | None = None) -> str:
    """A commented config with every setting at its default, for `papertriage config --init`.

    `action_keys()` lists (action, default keys, description) so the file names every remappable action; the CLI
    passes the app's keymap, which storage/ cannot import.
    """
    keys = "\n".join(f"# {a} = \"{k}\"{' ' * max(1, 28 - len(a) - len(k))}# {d}" for a, k, d in (action_keys() if action_keys else []))
    return DEFAULT_TEMPLATE.format(keys=keys or "# star = \"w\"")


DEFAULT_TEMPLATE = '''\
# papertriage configuration. Every line is commented out: the values shown are the defaults.
# A setting that is misspelt or of the wrong type stops papertriage with `error: <this file>:<line>: ...`.

# The Textual theme (ctrl+p -> "theme" lists them), e.g. "textual-dark", "nord", "gruvbox".
# theme = "textual-dark"

# r (read), x (skip) and a (queue) move the cursor to the next paper in every view, not only in the Inbox.
# advance = true

# Fetch every [[feeds]] subscription when the app opens (after its first screen is shown).
# fetch_on_start = false

# Shortcuts for subscriptions: the Hugging Face daily list ({{date}} backfilled), arXiv RSS categories.
# hf = true
# arxiv = ["cs.CL", "cs.LG"]

# A folder that Syncthing, Dropbox or git moves between your machines (see README, "two machines").
# sync_dir = "~/Sync/papertriage"

[export]
# group_by = "tag"                           # tag, date or none
# abstracts = false                          # include abstracts in Markdown
# file_name = "papertriage-{{view}}-{{date}}.md"   # what e/E suggest; {{view}} and {{date}} are filled in

[fetch]
# timeout = 30                               # seconds, for connecting and for each read

# Subscriptions: `papertriage fetch` (or R in the app) gets each one. {{date}} (YYYY-MM-DD) makes one request
# per day, backfilled from the day after the last successful fetch (at most 14 days).
# [[feeds]]
# name = "HF daily"
# url = "https://huggingface.co/api/daily_papers?date={{date}}"
# [[feeds]]
# name = "cs.CL"
# url = "https://rss.arxiv.org/rss/cs.CL"
# tags = ["nlp"]                             # given to papers first seen in this feed

[keys]
# Any action can be given other keys: one key, or several separated by commas ("j,down,ctrl+n").
# The keys below are the defaults.
{keys}
'''


def tomlish(settings: Mapping[str, Any]) -> str:
    """The settings as TOML text (for `papertriage config`); an unset setting shows as a comment."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return repr(v)
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, (list, tuple)):
            return "[" + ", ".join(value(x) for x in v) + "]"
        raise TypeError(type(v))

    out: list[str] = []
    tables, arrays = [], []
    for key, v in settings.items():
        if isinstance(v, dict):
            tables.append((key, v))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            arrays.append((key, v))
        elif v is None or v == []:
            out.append(f"# {key} = (not set)")
        else:
            out.append(f"{key} = {value(v)}")
    for key, table in tables:
        out.append(f"\n[{key}]")
        out.extend(f"{k} = {value(v)}" for k, v in table.items() if v is not None)
    for key, items in arrays:
        for item in items:
            out.append(f"\n[[{key}]]")
            out.extend(f"{k} = {value(v)}" for k, v in item.items() if v not in (None, []))
    return "\n".join(out)

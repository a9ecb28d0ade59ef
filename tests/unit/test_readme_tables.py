"""The README's tables say what the code does, both ways: the Keys table lists every key of tui/keymap.py (as the
help screen shows it) and nothing else; the search table lists every `is:` value storage/search/parse.py accepts.

The Keys table's format, for whoever adds a key (add it to KEYS, then a row here; `pytest tests/unit/test_readme_tables.py`):

    | keys | name in `[keys]` | action |
    | `j` / `k`, `↓` / `↑` | `cursor_down` / `cursor_up` | next / previous paper |

- first column: every key of the row's actions, each in backticks, written as the help screen writes it
  (tui.keymap.key_name: `/`, `]`, `Esc`, `Space`, `PgDn`, `↓`, `ctrl+r`); `1` … `6` stands for every key between;
  any other text (` / `, `, `) is ignored.
- second column: the row's action ids (Key.id, the names `[keys]` uses), each in backticks.
- third column: free text, not checked.
A row's keys must be exactly its actions' keys; every action must be in one row.
"""

from __future__ import annotations

import re
from pathlib import Path

from storage.search.parse import _IS, _IS_ALIASES
from tui.keymap import KEYS, KeysInEffect, key_name

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    start = README.index(f"\n## {heading}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def table_rows(text: str, first_header: str) -> list[list[str]]:
    """The cells of the Markdown table whose header row starts with `first_header` (header and rule left out)."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def readme_keys(cell: str) -> set[str]:
    """The keys a Keys-table cell names: each backticked key; `a` … `b` adds the keys between."""
    found: list[str] = []
    for m in re.finditer(r"`([^`]+)`|…", cell):
        if m.group(1) is not None:
            if found and found[-1] == "…":
                found.pop()
                found.extend(chr(c) for c in range(ord(found[-1]) + 1, ord(m.group(1))))
            found.append(m.group(1))
        else:
            found.append("…")
    return set(found)


def test_the_readme_keys_table_is_every_key_of_the_keymap_and_nothing_else():
    keys = KeysInEffect()  # the defaults: what the help screen shows without a config
    rows = table_rows(section("Keys"), "keys")
    seen: list[str] = []
    for keys_cell, ids_cell, *_ in rows:
        ids = re.findall(r"`([^`]+)`", ids_cell)
        unknown = [i for i in ids if i not in {k.id for k in KEYS}]
        assert not unknown, f"README Keys table names actions tui/keymap.py lacks: {unknown}"
        expected = {key_name(k) for i in ids for k in keys.keys(i)}
        assert readme_keys(keys_cell) == expected, f"README row {ids}: keys {keys_cell!r}, the keymap says {expected}"
        seen += ids
    missing = [k.id for k in KEYS if k.id not in seen]
    assert not missing, f"actions of tui/keymap.py missing from the README Keys table: {missing}"
    assert len(seen) == len(set(seen)), "an action in two rows of the README Keys table"


def test_the_readme_lists_every_is_value_and_no_other():
    rows = table_rows(section("Command line"), "token")
    shown = {v for token, *_ in rows for v in re.findall(r"`is:([a-z]+)`", token)}
    accepted = _IS | set(_IS_ALIASES)
    assert shown == accepted, f"README only: {sorted(shown - accepted)}; parse.py only: {sorted(accepted - shown)}"
    assert {"queue", "queued"} <= shown


def test_the_readme_table_reader():
    assert readme_keys("`1` … `4`") == {"1", "2", "3", "4"}
    assert readme_keys("`j` / `k`, `↓` / `↑`") == {"j", "k", "↓", "↑"}
    assert table_rows("x\n| keys | b |\n|---|---|\n| `a` | `b` |\n\nafter", "keys") == [["`a`", "`b`"]]

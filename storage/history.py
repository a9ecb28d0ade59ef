"""Undo entries: what one action changed, kept small, and where it came from.

An entry used to hold every touched paper's whole state before and after (~0.8 MB for a bulk star of 5,000
papers; 42 of them made state.json 34.6 MB and a CLI `star` take 6.5 s). Now it holds, per group of papers that
changed alike, their ids and only the fields that changed ("starred": false -> true). Undo applies those fields to
the papers' current states, so a change made to another field since (a sync) is kept. The history is capped by
size as well as by count.

Each entry says who made it (the app or the command line), in which process (`SESSION`) and when, so that an undo
reaching past this app session says so: "Undid note on 'Title' (from the command line, yesterday)".

Entries from before this format ({"label", "before": {id: state}, "after": {id: state}}) still undo as they did.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime

from .model import PaperState

HISTORY_BYTES = 1_000_000  # undo entries kept on disk, by their JSON size (a bulk action on 5,000 papers is ~70 kB)
SESSION = os.urandom(6).hex()  # this process: an undo of an entry from another one says where it came from
_DEFAULT = PaperState().to_dict()
_IGNORED = ("updated",)  # differs per paper and says only "when": an undo or redo is a change of its own, now


def compact_entry(label: str, before: dict, after: dict, by: str, at: str) -> dict:
    """The entry of one action: papers grouped by the same change, each change only the fields that differ."""
    groups: dict[str, dict] = {}
    for pid, new in after.items():
        old = before.get(pid) or _DEFAULT
        new = new or _DEFAULT
        fields = [k for k in (old.keys() | new.keys()) if k not in _IGNORED and old.get(k) != new.get(k)]
        b = {k: old.get(k, _DEFAULT.get(k)) for k in sorted(fields)}
        a = {k: new.get(k, _DEFAULT.get(k)) for k in sorted(fields)}
        key = json.dumps([b, a], sort_keys=True, ensure_ascii=False)
        groups.setdefault(key, {"ids": [], "before": b, "after": a})["ids"].append(pid)
    return {"label": label, "groups": list(groups.values()), "by": by, "session": SESSION, "at": at}


def entry_ids(entry: dict) -> list[str]:
    if "groups" in entry:
        return [pid for g in entry["groups"] for pid in g["ids"]]
    return list(entry["before"])


def step_put(entry: dict, side: str, table: dict, stamp: str) -> dict:
    """The new states an undo (`side` "before") or redo ("after") of `entry` writes, given the current `table`."""
    if "groups" not in entry:  # the old format: whole states
        return entry[side]
    put: dict = {}
    for group in entry["groups"]:
        for pid in group["ids"]:
            current = table.get(pid) or {}
            doc = {**_DEFAULT, **current, **group[side], "updated": stamp}
            doc["tags"] = _tags_step(list(current.get("tags", ())), group, side)
            put[pid] = None if PaperState.from_dict(doc).is_default() else doc
    return put


def _tags_step(current: list[str], group: dict, side: str) -> list[str]:
    """Tags are undone tag by tag: only the tags this action added or removed, so a tag another device (a sync)
    added since stays. When nothing changed them since, exactly the tags (and their order) of `side`."""
    if "tags" not in group[side]:
        return current
    want, other = list(group[side]["tags"]), group["after" if side == "before" else "before"]["tags"]
    if current == list(other):
        return want
    dropped = set(other) - set(want)
    kept = [t for t in current if t not in dropped]
    return kept + [t for t in want if t not in kept and t not in other]


def entry_size(entry: dict) -> int:
    return len(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))


def trim(undo: list[dict], sizes: list[int], limit: int) -> None:
    """Drop the oldest entries past `limit` in count or past HISTORY_BYTES in size (the newest always stays)."""
    while len(undo) > 1 and (len(undo) > limit or sum(sizes) > HISTORY_BYTES):
        del undo[0], sizes[0]


def check_entry(entry: object, paper_state) -> None:
    """Raise TypeError for a damaged entry (old or new format); `paper_state` checks one state's types."""
    if not (isinstance(entry, dict) and isinstance(entry.get("label"), str)):
        raise TypeError("damaged entry")
    if "groups" not in entry:
        if not (isinstance(entry.get("before"), dict) and isinstance(entry.get("after"), dict)):
            raise TypeError("damaged entry")
        for d in (*entry["before"].values(), *entry["after"].values()):
            if d is not None:
                paper_state(d)
        return
    groups = entry["groups"]
    if not isinstance(groups, list):
        raise TypeError("damaged entry groups")
    for g in groups:
        if not (isinstance(g, dict) and isinstance(g.get("ids"), list) and all(isinstance(p, str) for p in g["ids"])
                and isinstance(g.get("before"), dict) and isinstance(g.get("after"), dict)):
            raise TypeError("damaged entry group")
        paper_state({**_DEFAULT, **g["before"]})
        paper_state({**_DEFAULT, **g["after"]})
    for key in ("by", "session", "at"):
        if not isinstance(entry.get(key, ""), str):
            raise TypeError(f"damaged entry {key}")


def _clip(title: str, n: int = 60) -> str:
    title = " ".join(title.split())
    return title if len(title) <= n else title[: n - 1].rstrip() + "…"


def describe(verb: str, entry: dict, titles: list[str], today: date | None = None) -> str:
    """"Undid star on 'Title'", "Undid star on 3 papers ('Title' and 2 more)", with "(from the command line,
    yesterday)" when the entry comes from another process than this one."""
    label = entry["label"]
    if len(titles) == 1:
        text = f"{verb} {label} on '{_clip(titles[0])}'"
    elif titles:
        text = f"{verb} {label} on {len(titles):,} papers ('{_clip(titles[0], 40)}' and {len(titles) - 1:,} more)"
    else:
        text = f"{verb} {label}"
    if entry.get("session") == SESSION:
        return text
    who = "from the command line" if entry.get("by") == "cli" else "from an earlier session"
    when = _when(entry.get("at", ""), today or date.today())
    return f"{text} ({who}{', ' + when if when else ''})"


def _when(at: str, today: date) -> str:
    try:
        day = datetime.fromisoformat(at).date()
    except ValueError:
        return ""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{day:%b} {day.day}" + ("" if day.year == today.year else f" {day.year}")

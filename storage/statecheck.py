"""What a sound state file and a sound journal record look like.

Valid JSON can still be damaged inside (edited by hand, bytes that still parse): every paper state, undo entry and
journal record is checked on open, so a wrong type is reported at once, naming the file, instead of crashing later
at a key press. Each check raises TypeError or ValueError; the callers turn that into a DataFileError.
"""

from __future__ import annotations

from .history import check_entry
from .model import PaperState


def check_state_data(data: dict) -> None:
    """Raise TypeError/ValueError when a parsed state file has the wrong shape or types anywhere inside."""
    tables = {"state": data.get("state", {}), "meta": data.get("meta", {})}
    for name, table in tables.items():
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise TypeError(f"the {name} table is damaged")
    for doc in tables["state"].values():
        paper_state(doc)
    check_history(tables["meta"].get("history", {"undo": [], "redo": []}))


def check_history(history: object) -> None:
    if not isinstance(history, dict):
        raise TypeError("undo history is not an object")
    for side in ("undo", "redo"):
        entries = history.get(side)
        if not isinstance(entries, list):
            raise TypeError(f"undo history {side!r} is not a list")
        for entry in entries:
            try:
                check_entry(entry, paper_state)  # raises on a damaged state now, rather than at the undo key
            except TypeError as e:
                raise TypeError(f"damaged {side} entry ({e})") from None


STATE_TYPES = {"starred": bool, "tags": list, "note": str, "status": str, "updated": str, "triaged": str}


def paper_state(d: object) -> PaperState:
    """PaperState.from_dict, refusing wrong types (which it would carry along until something crashes on them)."""
    if not isinstance(d, dict):
        raise TypeError("paper state is not an object")
    for key, kind in STATE_TYPES.items():
        if key in d and not isinstance(d[key], kind):
            raise TypeError(f"{key} is {type(d[key]).__name__}, not {kind.__name__}")
    if not all(isinstance(t, str) for t in d.get("tags", [])):
        raise TypeError("a tag is not a string")
    pos = d.get("queue_position")
    if pos is not None and (not isinstance(pos, int) or isinstance(pos, bool)):
        raise TypeError("queue_position is not a number")
    return PaperState.from_dict(d)


def check_record(record: dict) -> None:
    """Raise TypeError/ValueError for a journal record with the wrong shape (a replay must never crash later)."""
    put = record.get("put", {})
    if not isinstance(put, dict):
        raise TypeError("put is not an object")
    for doc in put.values():
        if doc is not None:
            paper_state(doc)
    hist = record.get("hist")
    if hist not in (None, "push", "undo", "redo"):
        raise ValueError(f"unknown history step {str(hist)[:20]!r}")
    if hist == "push":
        check_history({"undo": [record.get("entry")], "redo": []})
    if "ui" in record and not isinstance(record["ui"], dict):
        raise TypeError("ui is not an object")

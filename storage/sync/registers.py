"""A paper's state as registers, and the rules that merge them.

Registers per paper: `star` (bool), `status` ([status, triaged]), `note` (str), `queue` (int or None) and one
`tag:<name>` (bool: on or off) per tag, so that adding "llm" here and "rl" there keeps both, and a removal wins only
when it is later. Each register holds (stamp, value); a write with a greater stamp replaces it. Every note text ever
written is kept (`notes`), so the text that lost a race is not lost.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import PaperState, Status
from ..normalize import clean_tags
from .clock import Stamp

Registers = dict[str, dict[str, list]]  # pid -> field -> [stamp as list, value]
FIELDS = ("star", "status", "note", "queue")


def fields_of(s: PaperState) -> dict[str, object]:
    """A state as register values (tags as `tag:<name>` = True)."""
    out: dict[str, object] = {
        "star": s.starred,
        "status": [s.status.value, s.triaged if s.status != Status.INBOX else ""],
        "note": s.note,
        "queue": s.queue_position,
    }
    for t in s.tags:
        out[f"tag:{t}"] = True
    return out


DEFAULT = fields_of(PaperState())


def fields_of_registers(regs: dict[str, list]) -> dict[str, object]:
    """What `fields_of(state_of(regs, ...))` gives, without building a state (this runs for every annotated paper
    at every sync)."""
    out = dict(DEFAULT)
    for name, held in regs.items():
        if name.startswith("tag:"):
            if held[1]:
                out[name] = True
        else:
            out[name] = held[1]
    return out


def value_of(regs: dict[str, list] | None, name: str) -> object:
    if regs and name in regs:
        return regs[name][1]
    return DEFAULT.get(name, False)


def differences(old: dict[str, object], new: dict[str, object]) -> dict[str, object]:
    """The registers whose value differs between two states (a tag gone from `new` is written as False)."""
    out = {k: v for k, v in new.items() if old.get(k, DEFAULT.get(k, False)) != v}
    for k in old:
        if k.startswith("tag:") and old[k] and k not in new:
            out[k] = False
    return out


def valid_value(name: str, value: object) -> bool:
    if name == "star":
        return isinstance(value, bool)
    if name.startswith("tag:"):  # only a tag the tag command could have made (one line, lower case, no comma)
        return isinstance(value, bool) and clean_tags([name[4:]]) == [name[4:]]
    if name == "note":
        return isinstance(value, str)
    if name == "queue":
        return value is None or (isinstance(value, int) and not isinstance(value, bool))
    if name == "status":
        return (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
                and value[0] in Status._value2member_map_ and isinstance(value[1], str))
    return False


def write(regs: Registers, notes: dict[str, dict[str, str]], pid: str, name: str, stamp: Stamp, value: object) -> bool:
    """Merge one register write; True when it changed the register (it was newer)."""
    if name == "note" and value:
        notes.setdefault(pid, {}).setdefault(_key(stamp), value)  # type: ignore[arg-type]
    paper = regs.setdefault(pid, {})
    held = paper.get(name)
    if held is not None and tuple(held[0]) >= stamp:
        return False
    paper[name] = [list(stamp), value]
    return True


def _key(stamp: Stamp) -> str:
    return f"{stamp[0]:013d}.{stamp[1]:06d}.{stamp[2]}"


def state_of(regs: dict[str, list] | None, local: PaperState) -> PaperState:
    """The state the registers give, keeping local tag order for the tags that stay (order is not synced)."""
    if not regs:
        return PaperState(updated=local.updated)
    status, triaged = value_of(regs, "status")  # type: ignore[misc]
    on = {k[4:]: tuple(v[0]) for k, v in regs.items() if k.startswith("tag:") and v[1]}
    tags = [t for t in local.tags if t in on] + sorted((t for t in on if t not in local.tags), key=lambda t: on[t])
    return replace(
        local,
        starred=bool(value_of(regs, "star")),
        tags=tags,
        note=str(value_of(regs, "note")),
        status=Status(status),
        queue_position=value_of(regs, "queue"),  # type: ignore[arg-type]
        triaged=triaged if status != Status.INBOX.value else "",
    )


def same_state(a: PaperState, b: PaperState) -> bool:
    return fields_of(a) == fields_of(b)

"""Which existing tags a half-typed tag may mean, for the tag dialog's list: pure, no terminal.

The fragment is the last comma-separated part of what is typed. Tags it starts come first (the most used first),
then tags that contain it, then fuzzy matches (rapidfuzz's WRatio, which forgives typos like "retreival"), each with
its use count so the list can show how much a tag is used.
"""

from __future__ import annotations

from typing import Container, Mapping

from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 60


def split_last(value: str) -> tuple[str, str]:
    """(what comes before the last part, the last part without its leading spaces): "a, b, re" -> ("a, b, ", "re")."""
    head, comma, last = value.rpartition(",")
    fragment = last.lstrip()
    return value[: len(value) - len(fragment)], fragment


def completions(fragment: str, counts: Mapping[str, int], exclude: Container[str] = (),
                limit: int = 6) -> list[tuple[str, int]]:
    """Up to `limit` (tag, uses) that `fragment` may mean, best first; with nothing typed, the most used tags.
    Tags in `exclude` (the paper's own, those typed already) are never offered."""
    fragment = " ".join(fragment.lower().split())
    tags = [t for t in counts if t not in exclude]
    by_use = sorted(tags, key=lambda t: (-counts[t], t))
    if not fragment:
        return [(t, counts[t]) for t in by_use[:limit]]
    starts = [t for t in by_use if t.startswith(fragment)]
    inside = [t for t in by_use if fragment in t and not t.startswith(fragment)]
    found = starts + inside
    if len(found) < limit:
        taken = set(found)
        rest = [t for t in by_use if t not in taken]
        fuzzy = process.extract(fragment, rest, scorer=fuzz.WRatio, score_cutoff=FUZZY_CUTOFF, limit=limit)
        # best score first; ties by use (the order `rest` is in: extract keeps it for equal scores)
        found += [t for t, _, _ in sorted(fuzzy, key=lambda hit: -hit[1])]
    return [(t, counts[t]) for t in found[:limit]]


def complete(value: str, tag: str) -> str:
    """`value` with its last part replaced by `tag`: ("attention, retr", "retrieval") -> "attention, retrieval"."""
    head, _ = split_last(value)
    return head + tag

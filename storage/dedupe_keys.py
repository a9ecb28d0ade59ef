"""The keys storage/dedupe.py finds a paper by, from its title key (normalize.title_key): the exact key, the block
keys and word keys of the fuzzy index, and the key of one listing (a sighting)."""

from __future__ import annotations

import re

STOP = frozenset(
    "a an and are as at by do does for from how in into is it its of on or our the their to toward towards "
    "via we what when where which why with without".split()
)
# Spaces that do not sit between two digits: dropped from the exact key, so `$^{3}$D` (title key "3 d") and
# `^3D` ("3d") meet, as do "Pre-training" and "Pretraining", while "1.5B" ("1 5b") and "15B" stay apart.
SOFT_SPACE = re.compile(r"(?<!\d) | (?!\d)")
DIGIT_GAP = re.compile(r"\d \d")


def exact_key(tkey: str) -> str:
    if DIGIT_GAP.search(tkey) is None:  # the common case, without the slower look-around pattern
        return tkey.replace(" ", "")
    return SOFT_SPACE.sub("", tkey)


def block_keys(tkey: str) -> list[int]:
    """A few keys per title, chosen so that a title with a typo or two still shares one with the original.

    Words at positions 0,3,6.., 1,4,7.. and 2,5,8.. form three disjoint groups, so typos in two words break at
    most two of them. A dropped or added small word shifts every group, but not the first three significant
    words. Titles of one or two significant words also get their first and last five letters.
    """
    words = tkey.split()
    sig = [w for w in words if w not in STOP] or words
    # The first element keeps the kinds apart. Hashed, because the index lives only in memory and an int is
    # far smaller than the words it stands for; a rare collision only adds candidates.
    keys = [hash(("f", *sig[:3]))]
    for start in range(min(3, len(words))):
        group = words[start::3]
        if not STOP.issuperset(group):  # "of" alone would only fill a block with noise
            keys.append(hash((start, *group)))
    if len(sig) <= 2:
        compact = tkey.replace(" ", "")
        keys += (hash(("p", compact[:5])), hash(("s", compact[-5:])))
    return keys


def word_keys(tkey: str) -> list[int]:
    """One key per distinct significant word of four letters or more (see dedupe.WORD_CAP)."""
    return [hash(("w", w)) for w in dict.fromkeys(tkey.split()) if len(w) >= 4 and w not in STOP]


def sighting(feed: str, date: str, exact: str) -> int:
    """What identifies one listing of a paper: the feed, its date and the listed title's key. Hashed: a collision
    only sends a record to the full matching."""
    return hash((feed, date, exact))

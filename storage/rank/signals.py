"""What the user's triage says about their interest: positive and negative papers, each with a weight.

Pure Python (no numpy, no scikit-learn): the app can ask "enough to rank?" before any model exists.

Positive: starred, queued, tagged or read. Negative: skipped (and nothing positive). A skip is a deliberate "not
this", so it weighs SKIP_WEIGHT unlabelled papers. Older signals fade with a half-life of HALF_LIFE_DAYS (interests
drift); the fade never goes below MIN_AGE_WEIGHT, so a years-old star still counts for something.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Mapping

from ..model import PaperState, Status

MIN_POSITIVES = 5
SKIP_WEIGHT = 3.0
HALF_LIFE_DAYS = 180.0
MIN_AGE_WEIGHT = 0.25


@dataclass
class Signals:
    positive: dict[str, float]  # paper id -> weight
    negative: dict[str, float]

    @property
    def enough(self) -> bool:
        return len(self.positive) >= MIN_POSITIVES

    def fingerprint(self) -> str:
        """Changes whenever the labelled set changes (not when only weights drift with time)."""
        h = hashlib.blake2b(digest_size=12)
        for pid in sorted(self.positive):
            h.update(b"+" + pid.encode() + b"\0")
        for pid in sorted(self.negative):
            h.update(b"-" + pid.encode() + b"\0")
        return h.hexdigest()


def is_positive(s: PaperState) -> bool:
    return s.starred or bool(s.tags) or s.status in (Status.QUEUED, Status.READ)


def age_weight(stamp: str, now: datetime) -> float:
    try:
        then = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return 1.0
    if then.tzinfo is None:
        then = then.replace(tzinfo=timezone.utc)
    days = max((now - then).total_seconds() / 86400, 0.0)
    return max(0.5 ** (days / HALF_LIFE_DAYS), MIN_AGE_WEIGHT)


def signals(states: Mapping[str, PaperState], known=None, *, now: datetime | None = None,
            tag: str | None = None) -> Signals:
    """The labelled papers among `states` (only those in `known` when given). With `tag`: the tag's papers are the
    positives (a per-tag model), skips stay the negatives."""
    now = now or datetime.now(timezone.utc)
    pos: dict[str, float] = {}
    neg: dict[str, float] = {}
    for pid, s in states.items():
        if known is not None and pid not in known:
            continue
        good = tag in s.tags if tag else is_positive(s)
        if good:
            pos[pid] = age_weight(s.updated, now)
        elif s.status == Status.SKIPPED and not is_positive(s):
            neg[pid] = SKIP_WEIGHT * age_weight(s.triaged or s.updated, now)
    return Signals(pos, neg)


def fallback_reason(n_positive: int) -> str:
    return (f"interest order needs {MIN_POSITIVES} papers you starred, queued, tagged or read "
            f"(you have {n_positive}): showing date order")

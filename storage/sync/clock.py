"""Hybrid logical clocks: (wall milliseconds, counter, device id), compared as tuples.

A stamp issued here is greater than every stamp this device has issued or seen, and never below the wall time it
is given, so a change made after seeing another's always wins over it, even when this machine's clock is behind.
"""

from __future__ import annotations

from datetime import datetime

Stamp = tuple[int, int, str]  # (wall ms, counter, device id)
ZERO: Stamp = (0, 0, "")
MAX_WALL = 253_402_300_799_999  # 9999-12-31: a later wall time is a damaged (or hostile) stamp, and no date prints it


def wall_ms(iso: str) -> int:
    """Milliseconds since the epoch of an ISO timestamp (a paper state's `updated`); 0 when empty or unreadable."""
    if not iso:
        return 0
    try:
        return int(datetime.fromisoformat(iso).timestamp() * 1000)
    except (ValueError, OverflowError, OSError):
        return 0


class Clock:
    def __init__(self, device: str, last: Stamp = ZERO) -> None:
        self.device = device
        self.last: Stamp = tuple(last)  # type: ignore[assignment]

    def stamp(self, wall: int) -> Stamp:
        """A new stamp for a change made at `wall` ms (or later: see the module doc)."""
        if wall > self.last[0]:
            self.last = (wall, 0, self.device)
        else:
            self.last = (self.last[0], self.last[1] + 1, self.device)
        return self.last

    def seen(self, other: Stamp) -> None:
        """Another device's stamp was read: every later local stamp must be greater."""
        if tuple(other) > self.last:
            self.last = (other[0], other[1], self.last[2] or self.device)


def as_stamp(value: object) -> Stamp | None:
    """A stamp read from a change file, or None when it is not one (a damaged line)."""
    if (isinstance(value, list) and len(value) == 3 and isinstance(value[0], int) and isinstance(value[1], int)
            and isinstance(value[2], str) and not isinstance(value[0], bool) and not isinstance(value[1], bool)
            and 0 <= value[0] <= MAX_WALL and value[1] >= 0 and value[2]):
        return (value[0], value[1], value[2])
    return None


def stamp_text(stamp: Stamp) -> str:
    """`2026-12-02 09:14 on laptop-3fa9c1` (local time)."""
    try:
        when = datetime.fromtimestamp(stamp[0] / 1000).astimezone().strftime("%Y-%m-%d %H:%M") if stamp[0] else "?"
    except (ValueError, OverflowError, OSError):  # a stamp kept from before MAX_WALL was checked
        when = "?"
    return f"{when} on {stamp[2]}"

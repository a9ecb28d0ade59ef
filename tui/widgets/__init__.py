"""The triage screen's widgets, and the few text helpers the list and the detail pane share."""

from __future__ import annotations

from datetime import date

from storage.model import Status

STAR = "★"
STATUS_MARKS = {Status.INBOX: "·", Status.QUEUED: "▸", Status.READ: "✓", Status.SKIPPED: "✗"}


def fmt_date(iso: str, today: str) -> str:
    """A feed date as people read it: "Mar 11" this year, "Mar 11 2025" otherwise, a bare year as it is ("2006"),
    "" when unknown."""
    if len(iso) == 4 and iso.isdigit():
        return iso
    try:
        d = date.fromisoformat(iso[:10])
    except ValueError:
        return ""
    text = f"{d:%b} {d.day}"
    return text if today[:4] == iso[:4] else f"{text} {d.year}"

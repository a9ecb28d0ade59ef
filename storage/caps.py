"""What ingest keeps of a field that no real paper needs so much of (a 1 MB title froze the app on every visit).

A cut field ends in "…" so that it reads as cut; the ingest report counts the entries that were cut. Cutting
happens before dedupe, the same way every time, so ingesting the same feed again still changes nothing.
"""

from __future__ import annotations

from .model import Record

MAX_TITLE = 2_000  # characters; the longest real titles are ~300
MAX_ABSTRACT = 100_000  # characters; arXiv caps abstracts at 1,920
MAX_AUTHORS = 1_000  # big-collaboration papers list ~3,000: the first thousand are kept, the rest counted
MARK = "…"


def cut_text(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + MARK


def cap_record(rec: Record) -> bool:
    """Cut `rec`'s over-long fields in place; True when any was cut."""
    cut = False
    if len(rec.title) > MAX_TITLE:
        rec.title, cut = cut_text(rec.title, MAX_TITLE), True
    if len(rec.abstract) > MAX_ABSTRACT:
        rec.abstract, cut = cut_text(rec.abstract, MAX_ABSTRACT), True
    if len(rec.authors) > MAX_AUTHORS:
        more = len(rec.authors) - MAX_AUTHORS
        rec.authors, cut = [*rec.authors[:MAX_AUTHORS], f"{MARK} and {more:,} more"], True
    return cut


def describe(entries: int) -> str:
    """The ingest report's line about cut fields."""
    return (f"{entries} {'entry' if entries == 1 else 'entries'} had over-long fields cut to fit "
            f"(title {MAX_TITLE:,} characters, abstract {MAX_ABSTRACT:,}, {MAX_AUTHORS:,} authors); cut text ends in {MARK}")

"""Text copied from the Hugging Face Daily Papers web page.

Layout: a header ("new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research
community"), a date line ("Mar 13"), then title block, abstract block, title block, ... separated by blank lines.
A block may be hard-wrapped over several lines; its lines are joined.

Tolerated: header lines missing or reordered, a BOM, Windows line endings, several date lines (each one dates the
entries after it, and ends a title still waiting for its abstract), a trailing title with no abstract (a record
with an empty abstract). An abstract split into paragraphs by a blank line would shift the alternation; a block in
title position longer than any title (> MAX_TITLE chars) is therefore taken as the previous abstract's next
paragraph.

Dates carry no year: it is the latest year that does not put the date after the file's modification day. A date
line may also carry one ("Mar 13, 2026"), which is then used as is.
"""

from __future__ import annotations

import re
from datetime import date

from ..model import Record
from ..normalize import clean_text
from .common import feed_name, iter_lines

MAX_TITLE = 400  # real titles stay under ~200 characters; real abstracts are rarely under ~500
# Header lines that only the HF page has; "new" and "Subscribe" are too common to identify it on their own.
_MARKERS = re.compile(r"^(?:get trending papers in your email inbox!?|by\s*ak and the research community)$", re.I)
_WEAK_MARKERS = re.compile(r"^(?:new|subscribe)$", re.I)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE = re.compile(
    r"^(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(\d{1,2})(?:(?:,\s*|\s+)(\d{4}))?$",
    re.I,
)


# The letters a header or date line can start with, as the case-blind patterns read them ("ſ" reads as "s"). A line
# starting otherwise (most titles and every abstract) skips the patterns, which were half the cost of a big page.
_FIRST = frozenset("gbnsjfmaodGBNSJFMAOD\u017f")


def _is_header(line: str) -> bool:
    return line[:1] in _FIRST and bool(_MARKERS.match(line) or _WEAK_MARKERS.match(line))


def _date_parts(line: str) -> tuple[int, int, int | None] | None:
    """(month, day, year or None) when the line is a date line such as "Mar 13", else None."""
    m = _DATE.match(line) if line[:1] in _FIRST else None
    if not m:
        return None
    month = _MONTHS.index(m.group(1)[:3].lower()) + 1
    day = int(m.group(2))
    year = int(m.group(3)) if m.group(3) else None
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: "Feb 29" without a year is a valid date line
    except ValueError:
        return None
    return month, day, year


def resolve_day(month: int, day: int, year: int | None, ref: date) -> str:
    """ISO date; a missing year is the latest one that keeps the date on or before `ref` (Feb 29 included)."""
    if year is not None:
        return date(year, month, day).isoformat()
    # Within 8 years back there is always a fit, leap days included.
    for year in range(ref.year, max(ref.year - 8, 0), -1):
        try:
            candidate = date(year, month, day)
        except ValueError:  # Feb 29 in a non-leap year
            continue
        if candidate <= ref:
            return candidate.isoformat()
    return ""


def _blocks(text: str) -> list[list[str]]:
    """Runs of non-blank lines, each line stripped."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _tokens(text: str):
    """("date", (m, d, y)) and ("block", lines) in page order, header lines dropped.

    Before the first entry any header line goes; later, blocks made only of header lines (pages pasted one after
    the other) go too.
    """
    started = False
    for lines in _blocks(text):
        if all(_is_header(line) for line in lines):
            continue
        if not started:
            lines = [line for line in lines if not _is_header(line)]
            if not lines:
                continue
        started = True
        # A date line opens its block when the page was copied without the blank line after it.
        while lines and (parts := _date_parts(lines[0])):
            yield "date", parts
            lines = lines[1:]
        if lines:
            yield "block", lines


def looks_like(text: str) -> bool:
    """An HF page starts with its header or, header-less, with a date line that has a block after it.

    Only the file's opening counts: a README that quotes the header further down is not a page.
    """
    strong = False
    after_date = False
    for line in (line.strip() for line in iter_lines(text.lstrip("\ufeff"))):
        if not line:
            continue
        if _MARKERS.match(line):
            strong = True
        elif _WEAK_MARKERS.match(line):
            continue
        elif after_date:
            return True
        elif _date_parts(line):
            after_date = True
        else:
            return strong
    return strong


def parse(text: str, path: str, ref_day: date) -> list[Record]:
    feed = feed_name(path)
    records: list[Record] = []
    day = ""
    title: str | None = None  # a title waiting for its abstract

    def close(abstract: str = "") -> None:
        nonlocal title
        if title is not None:
            records.append(Record(title=title, abstract=abstract, date=day, feed=feed))
            title = None

    for kind, value in _tokens(text):
        if kind == "date":
            close()
            day = resolve_day(*value, ref_day)
            continue
        joined = clean_text(" ".join(value))
        if title is not None:
            close(joined)
        elif len(joined) > MAX_TITLE and records and records[-1].date == day:
            # Record text is one line (clean_text), so the paragraph break becomes a space like any wrap.
            records[-1].abstract = f"{records[-1].abstract} {joined}".strip()
        else:
            title = joined
    close()
    return records

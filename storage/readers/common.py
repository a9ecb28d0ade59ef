"""What every reader shares: the error and result types, byte-to-text decoding, dates and author lists."""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Iterator

from ..model import Record
from ..normalize import clean_name, fold

FORMATS = ("hf-page", "hf-json", "arxiv-atom", "arxiv-rss", "bibtex")


class FeedError(Exception):
    """A feed file that cannot be read; `str(e)` is the one-line message shown to the user."""

    def __init__(self, path: str, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{self.path}: {message}")


@dataclass(slots=True)
class FeedResult:
    path: str
    format: str  # one of FORMATS
    records: list[Record] = field(default_factory=list)


BINARY = "binary file, not a feed"

_UTF16_32_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Unicode category Cc (U+0000-U+001F, U+007F-U+009F) but the controls text files carry (\t \n \v \f \r, ESC):
# many of these mean the file is not text. One regex pass instead of a category lookup per character (10 ms for
# 64 KB, twice per file); tests/unit/test_decode_text.py checks the class against unicodedata over every code point.
CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
SAMPLE = 65536  # characters looked at for controls


def decode(data: bytes) -> tuple[str | None, str]:
    """(the file as text, "") or (None, why it is not text). The text has its BOM dropped and line endings
    normalised to \n. Why, in words a person can act on: a Latin-1 or Windows-1252 file is text, just not UTF-8, and
    calling it binary would send them looking in the wrong place."""
    for bom, codec in _UTF16_32_BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None, BINARY
            break
    else:
        if b"\x00" in data:
            return None, BINARY
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            return None, f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); save the feed as UTF-8"
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        return None, BINARY
    if len(CONTROLS.findall(text, 0, SAMPLE)) * 100 > min(len(text), SAMPLE):
        return None, BINARY
    return text.replace("\r\n", "\n").replace("\r", "\n"), ""


def decode_text(data: bytes) -> str | None:
    """The file as text (BOM dropped, line endings normalised to \\n), or None when it is not text."""
    return decode(data)[0]


def iter_lines(text: str) -> Iterator[str]:
    """`text.split("\n")` one line at a time: a reader that looks at a feed's opening stops there, without a list of
    every line of the feed."""
    pos = 0
    while (end := text.find("\n", pos)) >= 0:
        yield text[pos:end]
        pos = end + 1
    yield text[pos:]


def feed_name(path: str) -> str:
    """The file's name as the library keeps it. A name that is not valid UTF-8 (`feed\\xff.json`) comes from the OS as
    lone surrogates, which no UTF-8 file can hold: its bad bytes become U+FFFD."""
    name = os.path.basename(os.path.normpath(os.fsdecode(path)))
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_NAME_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def file_day(path: str) -> date:
    """The reference that dates without a year are placed before: the day the file's name says
    ("hf-daily-2024-05-28.txt", which outlives a copy), else its modification day (local time)."""
    if m := _NAME_DAY.search(os.path.basename(path)):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    try:
        return date.fromtimestamp(os.stat(path).st_mtime)
    except (OSError, OverflowError, ValueError):
        return date.today()


def iso_day(value: str | None) -> str:
    """The calendar day an ISO 8601 or RFC 822 timestamp names, in the timestamp's own zone; "" if unparsable.

    The feed's own day is kept (not converted to UTC): "Mon, 27 Apr 2026 23:00 -0400" is the 27th.
    """
    if not value or not isinstance(value, str):
        return ""
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    try:  # "2024-05-28T03:14:41.021Z" and friends: the leading date is all we need
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return ""


def clean_names(names, *, unique: bool = False) -> list[str]:
    """Clean author names with empties dropped, in order.

    `unique` also drops repeats (same name ignoring case/accents). Only for sources known to duplicate by mistake
    (BibTeX): elsewhere two co-authors may well share a name.
    """
    seen: set[str] = set()
    out: list[str] = []
    for raw in names:
        name = clean_name(raw if isinstance(raw, str) else "")
        key = fold(name)
        if name and not (unique and key in seen):
            seen.add(key)
            out.append(name)
    return out

"""A small BibTeX reader: entries -> records (title, authors, abstract, arXiv id, url).

Handles `{...}` and `"..."` values with nested braces, `#` concatenation, @string macros, `key = {...}` and
`key={...}` alike, brace-protected words ("{AI}"), common accent commands (`{\\"o}`), "Last, First" names, and
authors listed twice (dropped). Other LaTeX (math, \\textit{...}) is kept as written, as the other feeds keep it.
BibTeX has no feed date, so `date` is ""; the year goes to extra["year"].
"""

from __future__ import annotations

import re
import unicodedata

from ..model import CITATION_FIELDS, Record
from ..normalize import arxiv_id, arxiv_url, clean_text
from .common import FeedError, clean_names, feed_name, iter_lines

_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_FIELD_NAME = re.compile(r"\s*([A-Za-z][\w\-:.+/]*)\s*=\s*")
_KEY = re.compile(r"\s*([^,\s{}()]*)\s*,")
_GAP_FIELD = re.compile(r"(?m)^[\s,}]*([A-Za-z][\w\-:.+/]*)\s*=\s*[{\"\w]")
_BARE = re.compile(r"[\w\-:.+/]+")
_AND = re.compile(r"\s+and\s+", re.I)
_COMMA = re.compile(r"\s*,\s*")
_SKIPPED = {"comment", "preamble"}
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")

_MONTHS = {m: str(i).zfill(2) for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}

# Accent commands -> combining marks; `\"{o}`, `{\"o}` and `\"o` all become "ö".
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "r": "\u030a", "k": "\u0328"}
_ACCENT = re.compile(r"""\\([\"'`^~=.]|[uvHcrk](?=[\s{]))\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))""")
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
            "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}
_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])\s*")
_ESCAPES = re.compile(r"\\([&%$#_{}])")
_ARG_OWNER = re.compile(r"(?:\\[A-Za-z]+\*?|[\^_])\s*$")  # what a following {...} is the argument of


class _Malformed(Exception):
    pass


def looks_like(text: str) -> bool:
    """The first line that is not blank or a %-comment opens an entry ("@article{...")."""
    for line in iter_lines(text):
        line = line.strip()
        if line and not line.startswith("%"):
            return bool(_ENTRY.match(line))
    return False


def parse(text: str, path: str) -> list[Record]:
    try:
        entries = _entries(text)
    except _Malformed as e:
        raise FeedError(path, f"malformed BibTeX: {e}") from None
    feed = feed_name(path)
    return [_record(kind, key, fields, feed) for kind, key, fields in entries]


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _entries(text: str) -> list[tuple[str, str, dict[str, str]]]:
    macros = dict(_MONTHS)
    out = []
    pos = 0
    while (m := _ENTRY.search(text, pos)) is not None:
        kind, opener = m.group(1).lower(), m.group(2)
        closer = "}" if opener == "{" else ")"
        start = m.end()
        if kind in _SKIPPED:
            pos = _skip_group(text, start, closer, m.start())
            continue
        if kind == "string":
            fields, pos = _fields(text, start, closer, macros, m.start())
            macros.update(fields)
            continue
        key = _KEY.match(text, start)
        if not key:
            raise _Malformed(f"entry at line {_line_of(text, m.start())} has no citation key")
        fields, pos = _fields(text, key.end(), closer, macros, m.start())
        _check_gap(text, pos, key.group(1))
        out.append((kind, key.group(1), fields))
    return out


def _check_gap(text: str, pos: int, key: str) -> None:
    """Text between entries is a comment in BibTeX, but a field assignment there means a stray closing brace
    ended the entry early (`title={X}}},` then `author=...`): say so, rather than silently lose those fields."""
    nxt = _ENTRY.search(text, pos)
    gap = text[pos : nxt.start() if nxt else len(text)]
    if (field := _GAP_FIELD.search(gap)) is not None:
        raise _Malformed(f"entry {key!r} ends early at line {_line_of(text, pos - 1)} (a stray closing brace?), "
                         f"leaving {field.group(1)!r} at line {_line_of(text, pos + field.start(1))} outside it")


def _skip_group(text: str, pos: int, closer: str, begin: int) -> int:
    opener = "{" if closer == "}" else "("
    depth = 1
    for i in range(pos, len(text)):
        if text[i] == opener:
            depth += 1
        elif text[i] == closer:
            depth -= 1
            if depth == 0:
                return i + 1
    raise _Malformed(f"entry at line {_line_of(text, begin)} is not closed (truncated file?)")


def _fields(text: str, pos: int, closer: str, macros: dict, begin: int) -> tuple[dict[str, str], int]:
    fields: dict[str, str] = {}
    n = len(text)
    while True:
        while pos < n and text[pos] in " \t\n,":
            pos += 1
        if pos >= n:
            raise _Malformed(f"entry at line {_line_of(text, begin)} is not closed (truncated file?)")
        if text[pos] == closer:
            return fields, pos + 1
        name = _FIELD_NAME.match(text, pos)
        if not name:
            raise _Malformed(f"unexpected {text[pos]!r} at line {_line_of(text, pos)}")
        value, pos = _value(text, name.end(), macros, begin)
        fields[name.group(1).lower()] = value


def _value(text: str, pos: int, macros: dict, begin: int) -> tuple[str, int]:
    """A field value: parts joined by `#`, each {braced}, "quoted" or a bare number/macro."""
    parts = []
    n = len(text)
    while True:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            raise _Malformed(f"entry at line {_line_of(text, begin)} is not closed (truncated file?)")
        ch = text[pos]
        if ch in '{"':
            end = _group_end(text, pos, begin)
            parts.append(text[pos + 1 : end])
            pos = end + 1
        else:
            bare = _BARE.match(text, pos)
            if not bare:
                raise _Malformed(f"unexpected {ch!r} at line {_line_of(text, pos)}")
            parts.append(macros.get(bare.group(0).lower(), bare.group(0)))
            pos = bare.end()
        while pos < n and text[pos].isspace():
            pos += 1
        if pos < n and text[pos] == "#":
            pos += 1
            continue
        return "".join(parts), pos


def _group_end(text: str, pos: int, begin: int) -> int:
    """Index of the brace or quote closing the group opened at `pos` (braces nest inside both)."""
    quote = text[pos] == '"'
    depth = 0
    i = pos + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                if not quote:
                    return i
                raise _Malformed(f"unbalanced '}}' at line {_line_of(text, i)}")
            depth -= 1
        elif ch == '"' and quote and depth == 0:
            return i
        i += 1
    raise _Malformed(f"entry at line {_line_of(text, begin)} is not closed (truncated file?)")


def to_text(value: str) -> str:
    """BibTeX field -> display text: accents resolved, escapes and protective braces dropped, other LaTeX kept."""
    value = _ACCENT.sub(lambda m: _accented(m.group(1), m.group(2) or m.group(3)), value)
    value = _LETTER.sub(lambda m: _LETTERS[m.group(1)], value)
    value = _ESCAPES.sub(lambda m: "\x00" + m.group(1), value)  # protect \{ \} from brace removal below
    value = _drop_braces(value).replace("\x00", "")
    return clean_text(value.replace("~", " "))


def _accented(command: str, letter: str) -> str:
    letter = {"\\i": "i", "\\j": "j"}.get(letter, letter.lstrip("\\"))
    return unicodedata.normalize("NFC", letter + _ACCENTS[command])


def _drop_braces(value: str) -> str:
    """Remove grouping braces, keeping those that hold a command's argument (\\textit{X}, ^{3}) and math."""
    out: list[str] = []
    keep: list[bool] = []
    in_math = False
    for i, ch in enumerate(value):
        if ch == "$" and (i == 0 or value[i - 1] != "\x00"):
            in_math = not in_math
        if ch == "{" and (i == 0 or value[i - 1] != "\x00"):
            before = "".join(out[-40:])  # a command name is short; never rescan the whole value
            keep.append(in_math or bool(_ARG_OWNER.search(before)))
            if keep[-1]:
                out.append(ch)
            continue
        if ch == "}" and (i == 0 or value[i - 1] != "\x00") and keep:
            if keep.pop():
                out.append(ch)
            continue
        out.append(ch)
    return "".join(out)


def _author_names(value: str) -> list[str]:
    names = []
    for raw in _split_top(value, _AND):
        # Commas outside braces separate "Last, First" (or "Last, Jr, First"); "{Barnes, Inc.}" stays whole.
        parts = [to_text(p) for p in _split_top(raw, _COMMA)]
        if len(parts) == 2:
            parts = [parts[1], parts[0]]
        elif len(parts) >= 3:
            parts = [parts[2], parts[0], parts[1]]
        name = " ".join(p for p in parts if p)
        if name and name.lower() != "others":
            names.append(name)
    return clean_names(names, unique=True)


def _split_top(value: str, separator: re.Pattern) -> list[str]:
    """Split on `separator` outside braces ("{Barnes and Noble}" is one name)."""
    pieces, depth, start, pos = [], 0, 0, 0
    while pos < len(value):
        ch = value[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and (m := separator.match(value, pos)):
            pieces.append(value[start:pos])
            start = pos = m.end()
            continue
        pos += 1
    pieces.append(value[start:])
    return pieces


def _arxiv_of(fields: dict[str, str]) -> str:
    eprint = fields.get("eprint", "")
    prefix = fields.get("archiveprefix", fields.get("eprinttype", "arxiv")).lower()
    if eprint and "arxiv" in prefix:
        return arxiv_id(eprint)
    for name in ("url", "doi", "journal", "note", "howpublished"):
        value = fields.get(name, "")
        if "arxiv" in value.lower():
            # "10.48550/arXiv.2401.12345": the id follows a dot, which arxiv_id's pattern does not accept.
            aid = arxiv_id(re.sub(r"(?i)arxiv\.", "arXiv:", value))
            if aid:
                return aid
    return ""


def _record(kind: str, key: str, fields: dict[str, str], feed: str) -> Record:
    aid = _arxiv_of(fields)
    doi = to_text(fields.get("doi", ""))
    url = arxiv_url(aid) or to_text(fields.get("url", "")) or (f"https://doi.org/{doi}" if doi else "")
    extra: dict = {"bibtex_key": key, "entry_type": kind}
    year = to_text(fields.get("year", ""))
    if year:
        extra["year"] = year
    venue = to_text(fields.get("journal") or fields.get("booktitle") or "")
    if venue:
        extra["venue"] = venue
    if doi:
        extra["doi"] = doi
    # What a citation of it needs, as text, so that the BibTeX export gives back what this file said.
    kept = {name: text for name in CITATION_FIELDS if (text := to_text(fields.get(name, "")))}
    if kept:
        extra["bibtex_fields"] = kept
    return Record(
        title=to_text(fields.get("title", "")),
        abstract=to_text(fields.get("abstract", "")),
        authors=_author_names(fields.get("author", "")),
        arxiv_id=aid,
        url=url,
        date="",
        feed=feed,
        extra=extra,
        published=m.group(0) if (m := _YEAR.search(year)) else "",
    )

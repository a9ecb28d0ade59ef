"""Exports of a selection of papers: JSON records and Markdown for notes/reading groups (BibTeX: bibtex_export.py).

Every export takes `items`, a list of (Paper, PaperState) pairs in the order to show. Feed text and user notes are
data, never markup: the Markdown export escapes them so any CommonMark renderer shows them literally.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import unicodedata
from collections.abc import Sequence
from urllib.parse import urlsplit

from storage.model import Paper, PaperState
from storage.normalize import arxiv_url

Items = Sequence[tuple[Paper, PaperState]]

GROUP_MODES = ("tag", "date", "none")
_MAX_AUTHORS = 3

# ---- JSON ----------------------------------------------------------------------------------------------------------


def paper_record(p: Paper, s: PaperState) -> dict:
    """The `list --json` record of one paper; key order is part of the interface."""
    return {
        "id": p.id,
        "title": p.title,
        "abstract": p.abstract,
        "authors": list(p.authors),
        "arxiv_id": p.arxiv_id,
        "url": p.url,
        "sources": [src.to_dict() for src in p.sources],
        "starred": s.starred,
        "tags": list(s.tags),
        "note": s.note,
        "status": s.status.value,
        "queue_position": s.queue_position,
        "added": p.added,
        "first_seen": p.first_seen,
        "extra": dict(p.extra),
    }


def to_json(items: Items) -> str:
    return json.dumps([paper_record(p, s) for p, s in items], indent=2, ensure_ascii=False) + "\n"


# ---- Markdown: escaping --------------------------------------------------------------------------------------------

# Escaped wherever they appear. Beyond CommonMark's own syntax this covers what GFM and Obsidian add on top:
# `|` tables, `~` strikethrough, `$` math, `#` tags, `^` block references.
_ALWAYS_ESCAPE = frozenset("\\`*_[]<>&|$~#^")
# Obsidian `==highlight==` and `%%comment%%`: only a doubled run means anything, so single ones stay readable.
_RUNS = re.compile(r"={2,}|%{2,}")
# What would start a block at the start of a line: bullets, setext underline, ordered-list markers `1.` / `1)`.
_LINE_START = re.compile(r"[-+=]|\d+[.)]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _entity(ch: str) -> str:
    return f"&#x{ord(ch):X};"


def _controls_to_spaces(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(" " if ch != "\t" and unicodedata.category(ch) == "Cc" else ch for ch in text)


def escape_markdown(text: str) -> str:
    """`text` as one line of inline Markdown that CommonMark renders as exactly `text`.

    ASCII punctuation that can mean something is backslash-escaped, so it can start no link, emphasis, code span,
    HTML, entity or (at the start of a line) block. Leading and trailing whitespace become numeric character
    references, because CommonMark strips it from lines and would turn leading spaces into code blocks. Line
    breaks become spaces (what CommonMark would show for a soft break): split multi-line text and escape each line.
    Other control characters but tab also become spaces: no character reference can spell them.
    """
    text = _controls_to_spaces(_LINE_BREAK.sub(" ", text))
    core = text.strip()
    if not core:
        return "".join(map(_entity, text))
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(lead) + len(core) :]

    escape_at = {i for i, ch in enumerate(core) if ch in _ALWAYS_ESCAPE}
    for m in _RUNS.finditer(core):
        escape_at.update(range(m.start(), m.end()))
    m = _LINE_START.match(core)
    if m:
        escape_at.add(m.end() - 1)  # the marker's last character: `\-`, `1\.`
    body = "".join("\\" + ch if i in escape_at else ch for i, ch in enumerate(core))
    return "".join(map(_entity, lead)) + body + "".join(map(_entity, trail))


def _code_span(text: str) -> str:
    """`text` as a CommonMark code span that shows it verbatim (line breaks and controls but tab become spaces)."""
    text = _controls_to_spaces(_LINE_BREAK.sub(" ", text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    # A code span drops one space from each end when both are there, and a fence must not touch a backtick.
    pad = text.startswith("`") or text.endswith("`") or (text[:1] == " " and text[-1:] == " " and text.strip(" "))
    return f"{fence} {text} {fence}" if pad else f"{fence}{text}{fence}"


_URL_KEEP = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&'*+,;=")
_PCT = re.compile(r"%[0-9A-Fa-f]{2}")
_ENTITY_LIKE = re.compile(r"&(?=#[0-9]+;|#[xX][0-9A-Fa-f]+;|[A-Za-z0-9]+;)")


def safe_url(url: str) -> str | None:
    """An http(s) URL percent-encoded so it is a valid link destination everywhere, else None.

    Spaces, `<>`, parentheses, brackets, backslashes and non-ASCII are percent-encoded (existing `%XX` kept), so
    nothing in the URL can end the Markdown link early. Any other scheme (`javascript:`, `data:`) is refused.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    out = []
    for i, ch in enumerate(url):
        if ch in _URL_KEEP or (ch == "%" and _PCT.match(url, i)):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
    return "".join(out)


def link_destination(url: str) -> str:
    """A URL as a Markdown link destination. CommonMark decodes entity references there; `\\&` keeps an `&amp;`
    in a URL as written."""
    return _ENTITY_LIKE.sub(r"\\&", url)


# ---- Markdown: layout ----------------------------------------------------------------------------------------------


def paper_url(p: Paper) -> str | None:
    """The paper's web page: its own URL when http(s), else its arXiv page; None when it has neither."""
    return safe_url(p.url) or safe_url(arxiv_url(p.arxiv_id))


def markdown_link(p: Paper) -> str:
    """`[Title](url)`, the title escaped so it renders as itself; the escaped title alone when there is no URL."""
    title = escape_markdown(p.title) if p.title else "(untitled)"
    url = paper_url(p)
    return f"[{title}]({link_destination(url)})" if url else title


def _title_line(p: Paper) -> str:
    return f"**{markdown_link(p)}**"


def _authors(authors: list[str]) -> str:
    names = [escape_markdown(a) for a in authors if a.strip()]
    if len(names) > _MAX_AUTHORS:
        return ", ".join(names[:_MAX_AUTHORS]) + " et al."
    return ", ".join(names)


def _dates(p: Paper) -> list[str]:
    return sorted({src.date for src in p.sources if src.date})


def _meta_line(p: Paper, s: PaperState) -> str:
    parts = []
    authors = _authors(p.authors)
    if authors:
        parts.append(authors)
    dates = _dates(p)
    if dates:
        parts.append("seen " + escape_markdown(", ".join(dates)))
    tags = [t.strip() for t in s.tags if t.strip()]
    if tags:
        spans = " ".join(_code_span("#" + t) for t in tags)
        # A line must not open with a run of backticks: three or more would start a fenced code block.
        parts.append(spans if parts else "tags " + spans)
    if p.url.strip() and safe_url(p.url) is None:
        parts.append("link (not http/https, not clickable): " + _code_span(p.url.strip()))
    return " · ".join(parts)


def _note_paragraphs(note: str) -> list[list[str]]:
    """The note's paragraphs, each a list of lines: blank lines separate paragraphs, runs of them count as one."""
    paragraphs: list[list[str]] = [[]]
    for line in _LINE_BREAK.split(note):
        if _controls_to_spaces(line).strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [para for para in paragraphs if para]


def _paper_blocks(p: Paper, s: PaperState, abstracts: bool) -> list[list[str]]:
    """The Markdown blocks of one list item, as lines without the list indentation; each line is final text."""
    head = [_title_line(p)]
    meta = _meta_line(p, s)
    if meta:
        head = [head[0] + "  ", meta]  # two trailing spaces: a hard line break in CommonMark, GFM and Obsidian
    blocks = [head]
    paragraphs = _note_paragraphs(s.note)
    if paragraphs:
        quote: list[str] = []
        for para in paragraphs:
            if quote:
                quote.append(">")
            lines = [escape_markdown(line) for line in para]
            quote.extend("> " + line + "  " for line in lines[:-1])
            quote.append("> " + lines[-1])
        blocks.append(quote)
    if abstracts and p.abstract.strip():
        blocks.append([escape_markdown(p.abstract.strip())])
    return blocks


def _paper_list(pairs: list[tuple[Paper, PaperState]], abstracts: bool) -> list[str]:
    items = [_paper_blocks(p, s, abstracts) for p, s in pairs]
    # Items with several blocks need blank lines between them; then the whole list is spaced out the same way.
    loose = any(len(blocks) > 1 for blocks in items)
    out: list[str] = []
    for blocks in items:
        if out and loose:
            out.append("")
        for n, block in enumerate(blocks):
            if n:
                out.append("")
            for k, line in enumerate(block):
                out.append(("- " if n == 0 and k == 0 else "  ") + line)
    return out


def _groups(items: Items, group_by: str) -> list[tuple[str | None, list[tuple[Paper, PaperState]]]]:
    if group_by == "none":
        return [(None, list(items))]
    groups: dict[str, list[tuple[Paper, PaperState]]] = {}
    if group_by == "tag":
        untagged = []
        for p, s in items:
            tags = list(dict.fromkeys(t.strip() for t in s.tags if t.strip()))
            for tag in tags:
                groups.setdefault(tag, []).append((p, s))
            if not tags:
                untagged.append((p, s))
        ordered = [(tag, groups[tag]) for tag in sorted(groups, key=lambda t: (t.casefold(), t))]
        return ordered + ([("Untagged", untagged)] if untagged else [])
    if group_by == "date":
        undated = []
        for p, s in items:
            if p.first_seen:
                groups.setdefault(p.first_seen, []).append((p, s))
            else:
                undated.append((p, s))
        ordered = [(day, groups[day]) for day in sorted(groups, reverse=True)]
        return ordered + ([("Undated", undated)] if undated else [])
    raise ValueError(f"unknown group_by {group_by!r}: expected one of {', '.join(GROUP_MODES)}")


def to_markdown(
    items: Items,
    *,
    group_by: str = "tag",
    abstracts: bool = False,
    heading: str | None = None,
    today: str | None = None,
) -> str:
    """A Markdown digest of `items` for notes or a reading group.

    `# heading` (default "Starred papers — <today>"; give it without the `#`), then `## <tag>` sections (sorted,
    "Untagged" last; a paper appears under each of its tags), `## <first-seen date>` sections (newest first,
    "Undated" last), or one flat list (`group_by="none"`). Each paper is a list item: the bold title linked to
    its http(s) URL or arXiv page, then authors (three, then "et al."), feed dates and tags, its note as a
    blockquote (one quoted line per note line; blank lines separate paragraphs) and, with `abstracts`, the
    abstract as a paragraph. All text goes through `escape_markdown`, so it renders as itself.
    """
    groups = _groups(items, group_by)
    if heading is None:
        heading = f"Starred papers — {today or _dt.date.today().isoformat()}"
    lines = ["# " + escape_markdown(heading), ""]
    if not items:
        lines.append("No papers to export.")
        return "\n".join(lines) + "\n"
    for name, pairs in groups:
        if name is not None:
            lines += ["## " + escape_markdown(name), ""]
        lines += _paper_list(pairs, abstracts)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"

"""feedparser, made strict enough for files: a truncated or broken feed is an error, never a partial result."""

from __future__ import annotations

import io
import re
import xml.sax

import feedparser

from ..normalize import clean_text
from .common import FeedError

# Skipped when sniffing the root element: XML declaration, processing instructions, comments, DOCTYPE.
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)", re.S | re.I)
_ROOT = re.compile(rb"\s*<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_TAIL_COMMENT = re.compile(rb"(?:<!--.*?-->|<\?.*?\?>|\s)+\Z", re.S)
# Bozo reasons about labels, not the document: a declared encoding overridden, or a non-XML content type.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_ROOT_NAMES = {b"feed": "arxiv-atom", b"rss": "arxiv-rss", b"rdf": "arxiv-rss"}  # rdf: RSS 1.0 (<rdf:RDF>)


def root_format(data: bytes) -> str | None:
    """"arxiv-atom" for an Atom <feed>, "arxiv-rss" for <rss>/<rdf:RDF>, None for anything else."""
    data = data.lstrip(b"\xef\xbb\xbf")
    pos = 0
    while True:
        m = _PROLOG.match(data, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    m = _ROOT.match(data, pos)
    return _ROOT_NAMES.get(m.group(2).lower()) if m else None


def _closed(data: bytes, root: bytes) -> bool:
    """Whether the document ends with its root's end tag (what a truncated download lacks)."""
    body = _TAIL_COMMENT.sub(b"", data[-4096:]) if data else b""
    return bool(re.search(rb"</(?:[\w.\-]+:)?" + root + rb"\s*>\Z", body, re.I))


def parse(data: bytes, path: str, item_tag: str) -> feedparser.FeedParserDict:
    """Parse with feedparser; raise FeedError when its error recovery would lose or cut entries.

    feedparser falls back to a forgiving parser on any XML error ("bozo"). Harmless cases (an undefined entity, a
    stray "&") keep every entry, so they are accepted; a missing root end tag or fewer entries than the file's
    start tags means the result would be silently partial, so that is an error.
    """
    # A stream, never the bytes themselves: feedparser treats a str/bytes argument as a possible path or URL.
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    except (UnicodeError, LookupError) as e:  # feedparser trips on garbage in the encoding declaration
        raise FeedError(path, f"malformed XML: bad encoding declaration ({type(e).__name__})") from None
    except ValueError as e:  # feedparser's strict parser on a namespace URI with a space in it, and the like
        raise FeedError(path, f"malformed XML ({clean_text(str(e))[:80]})") from None
    if not parsed.get("bozo"):
        return parsed
    exc = parsed.get("bozo_exception")
    if isinstance(exc, _HARMLESS):
        return parsed  # the document itself parsed in full
    root = b"feed" if item_tag == "entry" else rb"(?:rss|RDF)"
    starts = len(re.findall(rb"<(?:[\w.\-]+:)?" + item_tag.encode() + rb"[\s>/]", data))
    if _closed(data, root) and len(parsed.entries) >= starts:
        return parsed
    raise FeedError(path, f"truncated or malformed XML: {_describe(exc, data)}")


def _describe(exc: Exception, data: bytes) -> str:
    if isinstance(exc, xml.sax.SAXParseException):
        # feedparser prepends a declaration line when the file has none; count lines of the file itself.
        shift = 0 if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml") else 1
        line = max(exc.getLineNumber() - shift, 1)
        return f"{exc.getMessage()} at line {line}"
    return clean_text(str(exc)) or type(exc).__name__


def text_of(entry, key: str) -> str:
    value = entry.get(key)
    return value if isinstance(value, str) else ""


# The few HTML tags older arXiv RSS wrapped text in (<p>abstract</p>, <a href=...>Author</a>). Only these: abstracts
# quote other tags as text ("the <pad> token"), and that text must survive.
_WRAPPER_TAGS = re.compile(r"</?(?:p|a|br)(?:\s[^<>]*)?/?>", re.I)


def strip_wrapper_tags(text: str) -> str:
    return _WRAPPER_TAGS.sub(" ", text)

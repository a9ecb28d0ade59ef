"""arXiv API Atom responses (export.arxiv.org/api/query), legacy (pre-2025) and new (2025+) layouts alike.

feedparser hides the layout differences (namespace placement, quote style, element order). An error from the API
comes back as a normal feed whose only entry is titled "Error" with an id under /api/errors: that is raised as a
FeedError, never ingested as a paper. A feed with no entries (totalResults 0) is a valid, empty result.
"""

from __future__ import annotations

import re

from ..model import Record
from ..normalize import arxiv_id, arxiv_url, clean_text
from . import xmlfeed
from .common import FeedError, feed_name, iso_day, clean_names

_VERSION = re.compile(r"(v\d+)/?$")


def parse(data: bytes, path: str) -> list[Record]:
    parsed = xmlfeed.parse(data, path, "entry")
    for entry in parsed.entries:
        if "/api/errors" in xmlfeed.text_of(entry, "id"):
            reason = clean_text(xmlfeed.text_of(entry, "summary")) or clean_text(xmlfeed.text_of(entry, "id"))
            raise FeedError(path, f"arXiv API error: {reason}")
    feed = feed_name(path)
    # The day the API answered the query is the day it listed these entries; an entry's <published> is when the
    # paper first appeared on arXiv, which may be years before (and is not "seen on").
    listed = iso_day(xmlfeed.text_of(parsed.feed, "updated")) if parsed.get("feed") else ""
    return [_record(entry, feed, listed) for entry in parsed.entries]


def _record(entry, feed: str, listed: str = "") -> Record:
    raw_id = xmlfeed.text_of(entry, "id")
    aid = arxiv_id(raw_id) if "arxiv" in raw_id.lower() else ""
    version = _VERSION.search(raw_id) if aid else None
    extra: dict = {}
    for key, name in (("arxiv_doi", "doi"), ("arxiv_comment", "comment"), ("arxiv_journal_ref", "journal_ref")):
        value = clean_text(xmlfeed.text_of(entry, key))
        if value:
            extra[name] = value
    primary = entry.get("arxiv_primary_category")
    if isinstance(primary, dict) and primary.get("term"):
        extra["primary_category"] = clean_text(primary["term"])
    categories = [clean_text(t.get("term")) for t in entry.get("tags") or [] if isinstance(t, dict) and t.get("term")]
    if categories:
        extra["categories"] = categories
    for link in entry.get("links") or []:
        if isinstance(link, dict) and link.get("title") == "pdf" and link.get("href"):
            extra["pdf_url"] = clean_text(link["href"])
    if version:
        extra["version"] = version.group(1)
    updated = iso_day(xmlfeed.text_of(entry, "updated"))
    if updated:
        extra["updated"] = updated
    return Record(
        title=clean_text(xmlfeed.text_of(entry, "title")),
        abstract=clean_text(xmlfeed.text_of(entry, "summary")),
        authors=clean_names(a.get("name", "") for a in entry.get("authors") or [] if isinstance(a, dict)),
        arxiv_id=aid,
        url=arxiv_url(aid) or clean_text(xmlfeed.text_of(entry, "link")),
        date=listed,
        feed=feed,
        extra=extra,
        published=iso_day(xmlfeed.text_of(entry, "published")) or updated,
    )

"""arXiv RSS listings (rss.arxiv.org/rss/<category>), with the older RSS 1.0 layout tolerated.

An item's description is "arXiv:2604.22002v1 Announce Type: new \\nAbstract: ..."; the prefix is metadata, the
abstract is what follows "Abstract:". Authors come as one comma-separated dc:creator ("A,  B, Mononym").
"""

from __future__ import annotations

import re

from ..model import Record
from ..normalize import arxiv_id, arxiv_url, clean_text
from . import xmlfeed
from .common import clean_names, feed_name, iso_day

_ANNOUNCE = re.compile(r"^\s*arXiv:\s*(\S+)\s+Announce Type:\s*([\w-]*)", re.I)
_ABSTRACT = re.compile(r"\s*Abstract:\s*", re.I)
_AND = re.compile(r"^and\s+", re.I)


def parse(data: bytes, path: str) -> list[Record]:
    parsed = xmlfeed.parse(data, path, "item")
    channel = parsed.get("feed") or {}
    # The channel's pubDate is the listing's day; items carry the same, and lastBuildDate is a last resort.
    channel_day = iso_day(xmlfeed.text_of(channel, "published")) or iso_day(xmlfeed.text_of(channel, "updated"))
    feed = feed_name(path)
    return [_record(item, feed, channel_day) for item in parsed.entries]


def _record(item, feed: str, channel_day: str) -> Record:
    description = xmlfeed.strip_wrapper_tags(xmlfeed.text_of(item, "summary"))
    extra: dict = {}
    listed_id = ""
    announce = _ANNOUNCE.match(description)
    if announce:
        listed_id = announce.group(1)
        if announce.group(2):
            extra["announce_type"] = announce.group(2).lower()
        description = description[announce.end():]
    abstract = _ABSTRACT.match(description)
    if abstract:
        description = description[abstract.end():]
    announce_type = clean_text(xmlfeed.text_of(item, "arxiv_announce_type"))
    if announce_type:
        extra["announce_type"] = announce_type
    categories = [clean_text(t.get("term")) for t in item.get("tags") or [] if isinstance(t, dict) and t.get("term")]
    if categories:
        extra["categories"] = categories
    rights = clean_text(xmlfeed.text_of(item, "rights"))
    if rights:
        extra["license"] = rights
    link = xmlfeed.text_of(item, "link")
    aid = arxiv_id(xmlfeed.text_of(item, "id")) or arxiv_id(listed_id) or arxiv_id(link)
    return Record(
        title=clean_text(xmlfeed.text_of(item, "title")),
        abstract=clean_text(description),
        authors=_authors(item),
        arxiv_id=aid,
        url=arxiv_url(aid) or clean_text(link),
        date=channel_day or iso_day(xmlfeed.text_of(item, "published")),
        feed=feed,
        extra=extra,
    )


def _authors(item) -> list[str]:
    # One dc:creator holding every name is the arXiv way; several dc:creator elements are accepted too.
    creators = [a.get("name", "") for a in item.get("authors") or [] if isinstance(a, dict)]
    if not any(creators):
        creators = [xmlfeed.text_of(item, "author")]
    names: list[str] = []
    for creator in creators:
        text = xmlfeed.strip_wrapper_tags(creator or "")
        names.extend(_AND.sub("", part.strip()) for part in text.split(","))
    return clean_names(names)

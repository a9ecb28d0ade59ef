"""The paper model: what a reader yields (Record), what the library keeps (Paper), what the user owns (PaperState)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

# Fields of a .bib entry kept in extra["bibtex_fields"] for the BibTeX export (title, author, abstract, year, doi and
# the arXiv id have their own places).
CITATION_FIELDS = ("journal", "booktitle", "volume", "number", "pages", "publisher", "month", "editor", "series",
                   "edition", "address", "organization", "institution", "school", "howpublished", "note")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|2\d\d\d)(?!\d)")


class Status(StrEnum):
    INBOX = "inbox"
    QUEUED = "queued"
    READ = "read"
    SKIPPED = "skipped"


@dataclass(slots=True)
class Source:
    """One sighting of a paper: which feed file listed it, the day the feed listed it (ISO `YYYY-MM-DD`; "" when the
    feed does not say, as in a .bib: then the paper's ingest day stands in), and when the feed says the paper was
    published (ISO day, or just a year from a .bib; "" when it does not say)."""

    feed: str
    date: str = ""
    published: str = ""

    def to_dict(self) -> dict:
        d = {"feed": self.feed, "date": self.date}
        if self.published:  # written only when known: libraries from before it stay as they were
            d["published"] = self.published
        return d


@dataclass(slots=True)
class Record:
    """One normalised entry read from a feed, before dedupe.

    Readers fill what the format carries; text is already cleaned (see `normalize.clean_text`).
    """

    title: str
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    arxiv_id: str = ""  # without version, "" when unknown
    url: str = ""
    date: str = ""  # the feed date, ISO
    feed: str = ""  # the feed's file name
    extra: dict = field(default_factory=dict)  # format-specific extras (upvotes, github, keywords)
    published: str = ""  # when the feed says the paper was published (ISO day or year), "" when it does not


@dataclass(slots=True)
class Paper:
    """One deduplicated paper. `id` is fixed at first ingest and never changes."""

    id: str
    title: str
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    arxiv_id: str = ""
    url: str = ""
    sources: list[Source] = field(default_factory=list)
    added: str = ""  # ISO timestamp of first ingest
    extra: dict = field(default_factory=dict)
    # Every record merged into this paper after the first: {"title", "feed", "date", "reason"} (for `dupes`).
    merges: list[dict] = field(default_factory=list)

    @property
    def first_seen(self) -> str:
        """The earliest feed date, falling back to the ingest day."""
        dates = [s.date for s in self.sources if s.date]
        return min(dates) if dates else self.added[:10]

    @property
    def published(self) -> str:
        """The earliest publication date (or year) a source gave, "" when none did."""
        said = [s.published for s in self.sources if s.published]
        return min(said) if said else ""

    @property
    def last_seen(self) -> str:
        dates = [s.date for s in self.sources if s.date]
        return max(dates) if dates else self.added[:10]

    def to_dict(self, *, abstract: bool = True) -> dict:
        # By hand, not dataclasses.asdict: asdict deep-copies field by field and was most of a 100k-paper save.
        d = {"id": self.id, "title": self.title}
        if abstract:
            d["abstract"] = self.abstract
        d.update(
            authors=list(self.authors),
            arxiv_id=self.arxiv_id,
            url=self.url,
            sources=[s.to_dict() for s in self.sources],
            added=self.added,
            extra={k: v.copy() if isinstance(v, (list, dict)) else v for k, v in self.extra.items()},
            merges=[dict(m) for m in self.merges],
        )
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Paper:
        # Positional, and one `get` bound once: this runs for every paper at every open (100k papers).
        get = d.get
        return cls(
            d["id"],
            get("title", ""),
            get("abstract", ""),
            list(get("authors", ())),
            get("arxiv_id", ""),
            get("url", ""),
            [Source(s.get("feed", ""), s.get("date", ""), s.get("published", "")) for s in get("sources", ())],
            get("added", ""),
            dict(get("extra", ())),
            list(get("merges", ())),
        )


@dataclass(slots=True)
class PaperState:
    """What the user did with a paper. Only non-default states are stored."""

    starred: bool = False
    tags: list[str] = field(default_factory=list)
    note: str = ""
    status: Status = Status.INBOX
    queue_position: int | None = None
    updated: str = ""  # ISO timestamp of the last change
    triaged: str = ""  # ISO timestamp when it first left the inbox (for "triaged today")

    def is_default(self) -> bool:
        return (
            not self.starred
            and not self.tags
            and not self.note
            and self.status == Status.INBOX
            and self.queue_position is None
        )

    def to_dict(self) -> dict:
        return {
            "starred": self.starred,
            "tags": list(self.tags),
            "note": self.note,
            "status": self.status.value,
            "queue_position": self.queue_position,
            "updated": self.updated,
            "triaged": self.triaged,
        }

    @classmethod
    def from_dict(cls, d: dict | None) -> PaperState:
        if not d:
            return cls()
        return cls(
            starred=bool(d.get("starred", False)),
            tags=list(d.get("tags", [])),
            note=d.get("note", ""),
            status=Status(d.get("status", "inbox")),
            queue_position=d.get("queue_position"),
            updated=d.get("updated", ""),
            triaged=d.get("triaged", ""),
        )


def published_year(paper: Paper) -> str:
    """The year the paper was published, as its source said it (a .bib's year, a feed's publication date), or ""."""
    said = [s.published for s in paper.sources if s.published]
    if said and (m := _YEAR.search(min(said))):
        return m.group(1)
    for key in ("year", "published"):
        value = paper.extra.get(key)
        if isinstance(value, str) and (m := _YEAR.search(value)):
            return m.group(1)
    return ""

"""Subscriptions: which URLs one feed asks for today.

A URL with `{date}` is one request per day (YYYY-MM-DD): every day after the last day known complete, up to today,
at most MAX_DAYS of them. A day counts as complete once it was fetched on a later day: a daily list still grows
during its own day, so today is asked for again next time (a conditional GET makes that cheap). First time: today
only, unless `--since` says from when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MAX_DAYS = 14
DATE = "{date}"
# The config's shortcuts: `hf = true` and `arxiv = ["cs.CL", ...]` (storage/config.py) stand for these feeds.
HF_DAILY = ("HF daily", "https://huggingface.co/api/daily_papers?date={date}")
ARXIV_CATEGORY = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$")  # cs.CL, hep-th, q-bio.NC, astro-ph.CO


def arxiv_rss_url(category: str) -> str:
    return f"https://rss.arxiv.org/rss/{category}"


@dataclass(frozen=True)
class Request:
    feed: str  # the subscription's name
    url: str
    day: str = ""  # YYYY-MM-DD for a {date} feed


def is_dated(url: str) -> bool:
    return DATE in url


def days_to_fetch(today: date, done_through: str = "", since: date | None = None) -> list[date]:
    """The days a {date} feed fetches now, oldest first (never more than MAX_DAYS, always ending with today)."""
    if since is not None:
        start = since
    elif done_through:
        start = date.fromisoformat(done_through) + timedelta(days=1)
    else:
        start = today
    start = max(start, today - timedelta(days=MAX_DAYS - 1))
    start = min(start, today)
    return [start + timedelta(days=n) for n in range((today - start).days + 1)]


def requests_for(feed, today: date, done_through: str = "", since: date | None = None) -> list[Request]:
    """`feed`: anything with `name` and `url` (storage.config.FeedConfig)."""
    if not is_dated(feed.url):
        return [Request(feed.name, feed.url)]
    return [Request(feed.name, feed.url.replace(DATE, d.isoformat()), d.isoformat())
            for d in days_to_fetch(today, done_through, since)]


def complete_through(today: date, done_through: str, results: list[tuple[str, bool]]) -> str:
    """The new last complete day after fetching `results` [(day, ok)] in order: it moves over the days that
    succeeded, stops at the first failure, and never reaches today (still growing)."""
    for day, ok in sorted(results):
        if not ok:
            break
        if day < today.isoformat() and day > done_through:
            done_through = day
    return done_through


_UNSAFE = re.compile(r"[^\w.\- ]+")


def folder_name(name: str) -> str:
    """A feed's folder under <data dir>/feeds/: its name, with anything a path could trip on replaced."""
    safe = _UNSAFE.sub("_", name).strip(" .")
    return safe or "feed"


def default_name(url: str) -> str:
    """A name for `feeds add URL` without --name: the arXiv category, "HF daily", or host/last-segment."""
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host.endswith("huggingface.co") and "daily_papers" in parts.path:
        return "HF daily"
    if host.endswith("huggingface.co") and segments[:1] == ["papers"]:
        return "HF papers"
    if host.endswith("arxiv.org"):
        query = parse_qs(parts.query).get("search_query")
        if query:
            return query[0]
        if segments:
            return segments[-1]
    return f"{host}/{segments[-1]}" if segments else host or url

"""Hugging Face `/api/daily_papers` JSON: a list of {"paper": {...}, "title", "publishedAt", ...} objects.

Both schemas seen in the wild are read: the 2024 one (top-level `mediaUrl`, few keys) and the 2026 one
(`submittedBy`, `ai_keywords`, `githubRepo`, `projectPage`, `organization`, `submittedOnDailyAt`).

Choices:
- Title: `paper.title` (arXiv's plain title; its hard wraps are joined by clean_text), falling back to the top-level
  `title`. The top-level title is the submitter's copy and may carry LaTeX (`$\\textit{Trans-LoRA}$: ...`); arXiv's
  form matches what the arXiv feeds give for the same paper, so dedupe compares like with like. A top-level title
  that differs is kept in extra["hf_title"].
- Date (the day the paper was on the daily list): `submittedOnDailyAt` when present (2026 schema); else the
  top-level `publishedAt`, which in the 2024 schema is the daily submission time (in 2026 it means something else,
  but then `submittedOnDailyAt` exists); else a YYYY-MM-DD in the file name; else "". Content wins over the file
  name because files get renamed.
- `url` is the arXiv abs page; the HF paper page is extra["hf_url"].
"""

from __future__ import annotations

import json
import re

from ..model import Record
from ..normalize import arxiv_id, arxiv_url, clean_text, hf_url
from .common import FeedError, clean_names, feed_name, iso_day

NOT_HF = "not a Hugging Face daily papers JSON"
_JSON_START = re.compile(r"\s*(?:\[\s*[{\]]|\{\s*[\"}])")
_NAME_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def looks_like(text: str) -> bool:
    """JSON: an object or array that parses, or (cut short) opens like one: `[{`, `[]`, `{"`, `{}`.

    Whether it is the HF schema is `parse`'s job, so that a wrong JSON file gets the precise "not a Hugging Face
    daily papers JSON" message, and a truncated one "truncated or malformed JSON", rather than "unknown format".
    """
    if _JSON_START.match(text):
        return True
    if not text.lstrip().startswith(("[", "{")):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    except RecursionError:  # JSON all the same: `parse` says "nested too deeply"
        return True
    return True


def parse(text: str, path: str) -> list[Record]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise FeedError(path, f"truncated or malformed JSON: {e.msg} (line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise FeedError(path, "malformed JSON: nested too deeply") from None
    items = _items(doc)
    if items is None:
        raise FeedError(path, f'{NOT_HF} (expected a list of objects with a "paper" object)')
    feed = feed_name(path)
    name_day = _NAME_DATE.search(feed)
    fallback_day = iso_day(name_day.group(1)) if name_day else ""
    records = []
    for n, item in enumerate(items, 1):
        if not (isinstance(item, dict) and isinstance(item.get("paper"), dict)):
            raise FeedError(path, f'{NOT_HF}: entry {n} has no "paper" object')
        records.append(_record(item, feed, fallback_day))
    return records


def _items(doc) -> list | None:
    if isinstance(doc, list):
        return doc if not doc or any(isinstance(item, dict) for item in doc) else None
    if isinstance(doc, dict):
        if "paper" in doc:
            return [doc]
        # A wrapper object such as {"papers": [...]} (some scripts save the list under a key).
        for value in doc.values():
            if isinstance(value, list) and value and all(isinstance(v, dict) and "paper" in v for v in value):
                return value
    return None


def _s(value) -> str:
    return value if isinstance(value, str) else ""


def _record(item: dict, feed: str, fallback_day: str) -> Record:
    paper = item["paper"]
    aid = arxiv_id(_s(paper.get("id")))
    title = clean_text(_s(paper.get("title"))) or clean_text(_s(item.get("title")))
    hf_title = clean_text(_s(item.get("title")))
    daily = _s(paper.get("submittedOnDailyAt")) or _s(item.get("submittedOnDailyAt"))
    extra: dict = {}
    if aid:
        extra["hf_url"] = hf_url(aid)
    if hf_title and hf_title != title:
        extra["hf_title"] = hf_title
    for source, key, name in (
        (paper, "upvotes", "upvotes"),
        (item, "numComments", "num_comments"),
        (paper, "githubStars", "github_stars"),
    ):
        value = source.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            extra[name] = value
    for key, name in (("githubRepo", "github"), ("projectPage", "project_page"), ("ai_summary", "ai_summary")):
        value = clean_text(_s(paper.get(key)))
        if value:
            extra[name] = value
    keywords = paper.get("ai_keywords")
    if isinstance(keywords, list):
        keywords = [k for k in (clean_text(_s(k)) for k in keywords) if k]
        if keywords:
            extra["ai_keywords"] = keywords
    org = _name_of(paper.get("organization")) or _name_of(item.get("organization"))
    if org:
        extra["organization"] = org
    submitter = _name_of(item.get("submittedBy")) or _name_of(paper.get("submittedOnDailyBy"))
    if submitter:
        extra["submitted_by"] = submitter
    published = iso_day(_s(paper.get("publishedAt")))
    if published:
        extra["published"] = published
    authors = paper.get("authors") if isinstance(paper.get("authors"), list) else []
    return Record(
        title=title,
        abstract=clean_text(_s(paper.get("summary"))) or clean_text(_s(item.get("summary"))),
        authors=clean_names(_s(a.get("name")) for a in authors if isinstance(a, dict)),
        arxiv_id=aid,
        url=arxiv_url(aid),
        date=iso_day(daily) or iso_day(_s(item.get("publishedAt"))) or fallback_day,
        feed=feed,
        extra=extra,
        published=published,
    )


def _name_of(obj) -> str:
    if not isinstance(obj, dict):
        return ""
    return clean_text(_s(obj.get("fullname"))) or clean_text(_s(obj.get("name")))

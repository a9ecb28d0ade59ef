"""The search language: free text mixed with Elfeed-style tokens.

    +tag -tag           has / lacks a tag
    is:starred          starred (also is:inbox is:queued is:read is:skipped, and is:unstarred)
    is:new              new since the last app session (storage/fresh.py; the store fills Query.new_ids)
    @7d @2w @3m @1y     first seen within the last N days / weeks / months / years
    au:name             an author name contains `name`
    id:2405.17258       the paper id or arXiv id starts with this
    anything else       words that must all appear in title, authors, tags, note (and abstract when loaded)

`"quoted words"` keep spaces together (a tag with a space: `"+new topic"`). A malformed token raises QueryError with
a message fit for the search bar.
"""

from __future__ import annotations

import re
import shlex
from datetime import date, timedelta

from ..model import Status
from ..normalize import clean_tag, fold
from .match import Query

_AGE = re.compile(r"^@(\d+)([dwmy])$")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_IS = {"starred", "unstarred", "noted", "new", *(s.value for s in Status)}
_IS_ALIASES = {"queue": "queued", "star": "starred", "unstar": "unstarred", "skip": "skipped", "note": "noted"}


class QueryError(ValueError):
    pass


def _tokens(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unclosed quote while the user is still typing: take the words as they are
        return text.replace('"', " ").replace("'", " ").split()


def _is_tag_token(low: str) -> bool:
    return low.startswith("+") or (low.startswith("-") and len(low) > 1 and not low[1:].isdigit())


def tag_token(tag: str) -> str:
    """The `+tag` token that selects `tag`, quoted when the tag holds spaces or quotes."""
    token = "+" + tag
    return token if token == shlex.quote(token) else shlex.quote(token)


def with_tag(text: str, tag: str) -> str:
    """`text` with its `+tag` tokens replaced by `+tag` (what choosing a tag in the tag filter does): the other
    tokens and words stay."""
    kept = [tok for tok in _tokens(text) if not tok.startswith("+")]
    return " ".join([*(shlex.quote(tok) for tok in kept), tag_token(tag)])


def parse(text: str, today: date | None = None) -> Query:
    """The query `text` says; QueryError names the first malformed token."""
    q, errors = parse_partial(text, today)
    if errors:
        raise errors[0]
    return q


def parse_partial(text: str, today: date | None = None) -> tuple[Query, list[QueryError]]:
    """The query of the tokens that read well, and an error for each one that does not. The search bar searches with
    the good tokens while one is being typed (`is:` on its way to `is:starred` is no match for the word "is")."""
    q = Query()
    today = today or date.today()
    errors: list[QueryError] = []
    for tok in _tokens(text):
        try:
            _add(q, tok, today)
        except QueryError as e:
            errors.append(e)
    return q, errors


def _add(q: Query, tok: str, today: date) -> None:
    """Add one token to `q`, or raise QueryError (leaving `q` as it was)."""
    low = tok.lower()
    if low == "-":  # a -tag being typed (the list should not flash empty); a lone + is reported, see below
        return
    if _is_tag_token(low):
        tag = clean_tag(tok[1:])
        if not tag:
            raise QueryError(f"'{tok}': a tag name must follow {tok[0]}")
        (q.with_tags if low[0] == "+" else q.without_tags).append(tag)
    elif low.startswith("is:"):
        what = _IS_ALIASES.get(low[3:], low[3:])
        if what not in _IS:
            raise QueryError(f"'{tok}': is: takes one of {', '.join(sorted(_IS))}")
        q.is_.append(what)
    elif low.startswith("@"):
        m = _AGE.match(low)
        if not m:
            raise QueryError(f"'{tok}': use @Nd, @Nw, @Nm or @Ny (e.g. @7d)")
        try:
            q.since = (today - timedelta(days=int(m.group(1)) * _DAYS[m.group(2)])).isoformat()
        except (OverflowError, ValueError):  # before year 1 (@9999y), or more days than a timedelta holds
            raise QueryError(f"'{tok}': too far back (the calendar starts at year 1)") from None
    elif low.startswith("au:"):
        if not low[3:]:
            raise QueryError(f"'{tok}': au: needs a name")
        q.authors.append(fold(tok[3:]))
    elif low.startswith("id:"):
        if not low[3:]:
            raise QueryError(f"'{tok}': id: needs an id")
        q.ids.append(low[3:].removeprefix("arxiv:"))
    else:
        q.words.extend(fold(tok).split())

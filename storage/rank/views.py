"""One list, in the order asked for: what `papertriage list --sort/--like` and the app's interest order share.

In the interest order a search's single `+tag` does not filter: it asks for the papers like that tag's (the tag's
own papers first, then the rest of the view by the tag's model), as arxiv-sanity ranks by a tag.
"""

from __future__ import annotations

from dataclasses import replace
from ..search import Query, parse
from .ranking import Ranked, Ranker

SORTS = ("date", "interest")


def like_tag(query: str | Query | None) -> tuple[str | None, str | Query | None]:
    """(tag, the query without it) when the query names exactly one `+tag`; else (None, query)."""
    if not query:
        return None, query
    q = parse(query) if isinstance(query, str) else query
    if len(q.with_tags) != 1:
        return None, query
    return q.with_tags[0], replace(q, with_tags=[])


def ordered(store, ranker: Ranker | None, *, view: str = "all", tag: str | None = None,
            query: str | Query | None = None, sort: str = "date", like: str | None = None) -> Ranked:
    """The view's papers in the order asked for. `like`: a paper id (resolved) or `+tag`."""
    if not like and sort == "date":
        return Ranked(store.view_ids(view, tag=tag, query=query))
    ranker = ranker or Ranker(store)
    if like and like.startswith("+"):
        from ..normalize import clean_tags

        t = (clean_tags([like]) or [""])[0]
        return ranker.interest(store.view_ids(view, tag=tag, query=query), tag=t)
    if like:
        return ranker.like(store.resolve(like), store.view_ids(view, tag=tag, query=query))
    by_tag, rest = like_tag(query)
    if by_tag:
        return ranker.interest(store.view_ids(view, tag=tag, query=rest), tag=by_tag)
    return ranker.interest(store.view_ids(view, tag=tag, query=query))

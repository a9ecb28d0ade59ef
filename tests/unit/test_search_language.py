"""The search language on the sample library, at the store: each token alone, mixed with others and with free text,
and the message of each malformed token. tests/app/test_app_search.py checks that the search bar is wired to this
(the same hits for a few of these queries, and a malformed token shown in the bar)."""

from __future__ import annotations

from datetime import date

import pytest
from support.library import INBOX, TODAY

from storage.search import QueryError, parse, parse_partial
from storage.store import Store

# The All view: newest first (the undated paper: added today).
ALL = ["2611.01001", "2611.01002", "2611.01010", "pt-5b1e0c9a", "2611.01004", "2611.01005", "2611.01003",
       "2611.01006", "2611.01007", "2512.09008"]

TOKENS = [
    ("+survey", ["2611.01003"]),
    ("+SURVEY", ["2611.01003"]),  # tags are lower case
    ("-survey", [p for p in ALL if p != "2611.01003"]),
    ("is:starred", ["2611.01003", "2512.09008"]),
    ("is:unstarred", [p for p in ALL if p not in ("2611.01003", "2512.09008")]),
    ("is:inbox", INBOX),
    ("is:queued", ["2611.01004", "2611.01005"]),
    ("is:queue", ["2611.01004", "2611.01005"]),
    ("is:read", ["2611.01006"]),
    ("is:skipped", ["2611.01007"]),
    ("is:noted", ["2611.01003"]),
    ("@1d", ["2611.01001", "2611.01002", "2611.01010", "pt-5b1e0c9a", "2611.01004", "2611.01005"]),  # Nov 20+
    ("@2d", [p for p in ALL if p != "2512.09008"]),
    ("@7d", [p for p in ALL if p != "2512.09008"]),
    ("@2w", [p for p in ALL if p != "2512.09008"]),
    ("@1y", ALL),
    ("au:quill", ["2611.01001"]),
    ("au:ivy au:kim", ["2611.01003"]),
    ('"au:Jon Table"', ["2611.01003"]),
    ("id:2512.09008", ["2512.09008"]),
    ("id:arXiv:2512", ["2512.09008"]),
    ("id:pt-5b1e", ["pt-5b1e0c9a"]),
    # combinations, with free text
    ("+survey is:starred", ["2611.01003"]),
    ("is:starred -survey", ["2512.09008"]),
    ("is:starred @7d attention", ["2611.01003"]),
    ("au:ada +retrieval sparse", ["2611.01001"]),
    ("+survey graph", []),
    ("is:read is:skipped", []),
]

MALFORMED = [
    ("+", "a tag name must follow +"),
    ("is:bogus", "is: takes one of"),
    ("@7x", "use @Nd"),
    ("@", "use @Nd"),
    ("au:", "au: needs a name"),
    ("id:", "id: needs an id"),
]


@pytest.fixture
def store(library_dir) -> Store:
    return Store(library_dir)


def hits(store: Store, text: str) -> list[str]:
    """What the All view lists for `text` typed on TODAY (the app's search runs the same store search)."""
    return store.view_ids("all", query=parse(text, today=date.fromisoformat(TODAY)))


def test_the_all_view_order_used_here(store):
    """ALL is what the fixture library lists in the All view (guards the expectations below)."""
    assert store.view_ids("all") == ALL


@pytest.mark.parametrize(("query", "expected"), TOKENS, ids=[q for q, _ in TOKENS])
def test_search_tokens(store, query, expected):
    assert hits(store, query) == expected


@pytest.mark.parametrize(("bad", "says"), MALFORMED, ids=[b for b, _ in MALFORMED])
def test_a_malformed_token_says_what_is_wrong(bad, says):
    with pytest.raises(QueryError) as e:
        parse(f"graph {bad}")
    assert says in str(e.value) and bad in str(e.value)


def test_a_tag_being_typed_is_no_error(store):
    assert hits(store, "graph -") == ["2512.09008"]


def test_parse_partial_keeps_the_good_tokens_and_names_the_bad_ones(store):
    """What the search bar searches while a token is malformed: the other tokens (never the half-typed word)."""
    q, errors = parse_partial("sparse au: is:bogus", today=date.fromisoformat(TODAY))
    assert [str(e).split(":")[0] for e in errors] == ["'au", "'is"]
    assert store.view_ids("all", query=q) == hits(store, "sparse") == ["2611.01001"]
    q, errors = parse_partial("is:", today=date.fromisoformat(TODAY))
    assert q.empty and len(errors) == 1
    assert parse_partial("+survey is:star", today=date.fromisoformat(TODAY))[1] == []

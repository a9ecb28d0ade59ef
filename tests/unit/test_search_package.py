"""storage/search/: one predicate (`Query.matches`), one index that agrees with it, one tag normaliser."""

from __future__ import annotations

from datetime import date

import pytest

from storage.normalize import clean_tag, clean_tags
from storage.search import Query, SearchIndex, parse
from storage.store import Store

QUERIES = [
    "", "attention", "invented result", "survey attention", "+survey", "-survey", "+retrieval attention",
    "is:starred", "is:unstarred survey", "is:queued", "is:read", "is:skipped", "is:inbox", "is:noted",
    "@2d", "@1y", "au:ivy", "au:ivy au:table", "id:2611.0100", "id:pt-", "section", "compare linear",
    "markup literal", "[bold]", "hygiene", "zzz-not-there", "tokens sparsely", "+survey -attention",
]


@pytest.fixture
def store(library_dir) -> Store:
    store = Store(library_dir)
    store.load_abstracts()
    return store


@pytest.mark.parametrize("text", QUERIES)
def test_the_index_finds_what_the_predicate_matches(store, text):
    q = parse(text, today=date(2026, 11, 21))
    one_by_one = [pid for pid in store.ordered_ids() if q.matches(store.get(pid), store.state_of(pid))]
    assert sorted(store.search(store.ordered_ids(), q)) == sorted(one_by_one)
    assert sorted(SearchIndex(store).search(store.ordered_ids(), q)) == sorted(one_by_one)


@pytest.mark.parametrize("text", ["section", "compare linear", "attention"])
def test_without_abstracts_only_the_other_texts_count(store, text):
    q = parse(text)
    one_by_one = [pid for pid in store.ordered_ids()
                  if q.matches(store.get(pid), store.state_of(pid), abstracts=False)]
    assert sorted(store.search(store.ordered_ids(), q, abstracts=False)) == sorted(one_by_one)


def test_a_note_change_is_searched_at_once(store):
    pid = store.ordered_ids()[0]
    assert pid not in store.view_ids(query="quokka")
    store.set_note(pid, "a Quokka appears")
    assert store.view_ids(query="quokka") == [pid]
    store.undo()
    assert store.view_ids(query="quokka") == []


@pytest.mark.parametrize("typed", ["Survey", " survey ", "#survey", "+survey", "++survey", "+#Survey", "SURVEY"])
def test_a_tag_is_searched_as_it_is_stored(store, typed):
    """One normaliser: whatever `t` (add_tags) keeps, `+tag` in the search bar finds (`++survey` found nothing)."""
    assert clean_tags([typed]) == ["survey"]
    assert parse("+" + typed.strip()).with_tags == ["survey"]
    assert store.view_ids(query="+" + typed.strip()) == store.view_ids(tag="survey") != []


def test_tags_with_spaces_and_entities_match_the_store(store):
    pid = store.ordered_ids()[0]
    store.add_tags([pid], ["New   Topic", "R&amp;D"])
    assert store.state_of(pid).tags[-2:] == ["new topic", "r&d"]
    assert store.view_ids(query='"+new topic"') == [pid]
    assert store.view_ids(query="+r&amp;d") == store.view_ids(query="+R&D") == [pid]
    assert clean_tag("  # Mixed  Case ") == "mixed case"


def test_the_predicate_reads_a_paper_and_a_state_only():
    from storage.model import Paper, PaperState, Status, Source

    paper = Paper("2601.00001", "Éclair Methods", authors=["Zoë Ant"], arxiv_id="2601.00001",
                  sources=[Source("f.txt", "2026-01-05")], abstract="About pastry.")
    state = PaperState(starred=True, tags=["food"], note="Try it", status=Status.QUEUED)
    assert parse("eclair au:zoe +food is:starred is:queued is:noted id:2601 @30d",
                 today=date(2026, 1, 20)).matches(paper, state)
    assert parse("pastry").matches(paper, state) and not parse("pastry").matches(paper, state, abstracts=False)
    assert not parse("-food").matches(paper, state) and not parse("is:read").matches(paper, state)
    assert Query().matches(paper, PaperState())

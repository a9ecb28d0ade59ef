"""The background worker's long loops call its `pace` every few thousand papers (storage/pacing.py), so the app's
keys do not share the GIL with a whole loop: reading the rest of the library, assigning the abstracts, building the
search index."""

from __future__ import annotations

from storage import pacing
from storage.firstscreen import display_order
from storage.search import index, parse
from storage.store import Store


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


def test_paced_gives_every_item_and_calls_pace_after_each_run_of_them():
    pace = Counter()
    assert list(pacing.paced(range(10), pace, every=3)) == list(range(10))
    assert pace.calls == 3
    assert list(pacing.paced(range(10), None, every=3)) == list(range(10))


def test_the_worker_steps_call_pace_between_runs_of_papers(library_dir, monkeypatch):
    monkeypatch.setattr(pacing, "EVERY", 1)
    monkeypatch.setattr(index, "PART", 1)
    store = Store(library_dir, lazy=True)
    papers = store.library.papers
    assert len(papers) > 2

    order = Counter()
    assert display_order(papers, order) == display_order(papers)
    assert order.calls == len(papers)

    abstracts = Counter()
    store.load_abstracts(abstracts)
    assert abstracts.calls >= len(papers)  # one after each paper assigned its abstract, besides the file's pieces
    assert any(p.abstract for p in papers)

    warm = Counter()
    store.warm_search(pace=warm)
    assert warm.calls >= 4 * len(papers)  # ids and parts, of the text index and of the abstracts' index
    with_abstract = next(p for p in papers if p.abstract)
    word = with_abstract.abstract.split()[-1].strip(".,")
    ids = store.library.order()
    assert with_abstract.id in store.search(ids, parse(word))  # the index built in runs finds what it holds
    assert set(store.search(ids, parse(word))) == {pid for pid in ids if parse(word).matches(
        store.get(pid), store.state_of(pid))}

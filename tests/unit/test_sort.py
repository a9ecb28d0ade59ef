"""The upvotes and title orders (storage/sort.py) and `papertriage list --sort upvotes|title`, in-process."""

from __future__ import annotations

import json

from storage.sort import SortKeys, order, title_key
from storage.store import Store
from support.library import build_library, give_upvotes
from tui.cli import main

UPVOTES = {"2611.01001": 12, "2611.01004": 40, "2611.01005": 12, "2611.01006": 0}


def test_title_key_ignores_case_accents_latex_and_leading_punctuation():
    assert title_key("Attention") == title_key("attention") == "attention"
    assert title_key("“Quoted” titles") == "quoted” titles" and title_key("[WIP] x") == "wip] x"
    assert title_key("$\\mathcal{O}(n)$ Attention")[:5] == "o(n) " and title_key("R\\'{e}nyi Sampling") == "renyi sampling"
    assert title_key("Étude") == "etude" and title_key("...") == "..."  # nothing but punctuation: as it is
    assert title_key("3D Gaussians") < title_key("a survey")  # digits stay and sort first


def test_order_by_upvotes_none_last_and_title_ties_keep_the_date_order():
    ids = ["a", "b", "c", "d", "e"]
    ups = {"a": {"upvotes": 3}, "b": {}, "c": {"upvotes": 9}, "d": {"upvotes": 3}, "e": {"upvotes": True}}
    assert order("upvotes", ids, str, ups.__getitem__) == ["c", "a", "d", "b", "e"]  # a bool is no count
    titles = {"a": "beta", "b": "Alpha", "c": "beta", "d": "'Alpha", "e": "gamma"}
    assert order("title", ids, titles.__getitem__, dict) == ["b", "d", "a", "c", "e"]


def _with_upvotes(tmp_path):
    return give_upvotes(build_library(tmp_path / "data"), UPVOTES)


def test_sort_keys_arrange_any_view_and_wait_for_a_new_library_order(tmp_path):
    store = Store(_with_upvotes(tmp_path))
    keys = SortKeys(store)
    every = store.ordered_ids()
    assert keys.arrange(every, "upvotes") is None and not keys.ready("upvotes")  # not computed: the caller waits
    keys.compute("upvotes")
    by_up = keys.arrange(every, "upvotes")
    assert by_up[:4] == ["2611.01004", "2611.01001", "2611.01005", "2611.01006"]  # 40, 12, 12 (date order), 0
    assert set(by_up) == set(every) and len(by_up) == len(every)
    inbox = store.view_ids("inbox")
    assert keys.arrange(inbox, "upvotes") == [p for p in by_up if p in inbox]  # a big view: filtered
    assert keys.arrange(["2611.01006", "zz-unknown", "2611.01004"], "upvotes") == [
        "2611.01004", "2611.01006", "zz-unknown"]  # a small one: sorted; unknown ids last
    store._forget_indices()  # an ingest: a new library order
    assert keys.arrange(every, "upvotes") is None


def test_cli_list_sorts_by_upvotes_and_title(tmp_path, capsys):
    data = _with_upvotes(tmp_path)
    assert main(["--data-dir", str(data), "list", "--sort", "upvotes", "--json", "--limit", "5"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows[:4]] == ["2611.01004", "2611.01001", "2611.01005", "2611.01006"]
    assert "score" not in rows[0] and len(rows) == 5
    assert main(["--data-dir", str(data), "list", "--sort", "title", "--view", "inbox"]) == 0
    lines = capsys.readouterr().out.splitlines()
    store = Store(data)
    titles = [store.title(line.split()[0]) for line in lines]
    assert len(titles) == len(store.view_ids("inbox")) and titles == sorted(titles, key=title_key)
    ids = [line.split()[0] for line in lines]
    assert ids == ["2611.01003", "2611.01010", "2611.01002", "2512.09008", "2611.01001", "pt-5b1e0c9a"]  # A Survey,
    # An Extremely, [bold]... (the bracket skipped), Graph, Sparse, Workshop

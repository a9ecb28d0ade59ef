"""Ingest keeps at most a 2,000-character title, a 100,000-character abstract and 1,000 authors, and says so."""

from __future__ import annotations

import json

from storage.caps import MAX_ABSTRACT, MAX_AUTHORS, MAX_TITLE
from storage.store import Store
from tui.cli import main


def _feed(path, title: str, abstract: str, authors: int) -> None:
    item = {"paper": {"id": "2611.00001", "title": title, "summary": abstract,
                      "authors": [{"name": f"Author {i}"} for i in range(authors)]},
            "publishedAt": "2026-11-20T00:00:00.000Z"}
    small = {"paper": {"id": "2611.00002", "title": "A Normal Paper", "summary": "Short.", "authors": []},
             "publishedAt": "2026-11-20T00:00:00.000Z"}
    path.write_text(json.dumps([item, small]))


def test_over_long_fields_are_cut_with_a_mark_and_counted(tmp_path, capsys):
    feed = tmp_path / "feed.json"
    _feed(feed, "Huge " * 200_000, "word " * 150_000, 1_500)  # a 1 MB title, a 750 KB abstract
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", str(feed)]) == 0
    out = capsys.readouterr().out
    assert "2 new papers" in out
    assert ("1 entry had over-long fields cut to fit (title 2,000 characters, abstract 100,000, 1,000 authors); "
            "cut text ends in …") in out

    store = Store(data)
    store.library.load_abstracts()
    paper = store.get("2611.00001")
    assert len(paper.title) <= MAX_TITLE and paper.title.endswith("Huge…")
    assert len(paper.abstract) <= MAX_ABSTRACT and paper.abstract.endswith("word…")
    assert len(paper.authors) == MAX_AUTHORS + 1 and paper.authors[-1] == "… and 500 more"
    assert Store(data).get("2611.00002").title == "A Normal Paper"

    assert main(["--data-dir", str(data), "ingest", str(feed)]) == 0  # cut the same way again: nothing new
    out = capsys.readouterr().out
    assert "0 new papers, 2 merged repeats" in out


def test_fields_within_the_caps_are_kept_whole(tmp_path, capsys):
    feed = tmp_path / "feed.json"
    _feed(feed, "T" * MAX_TITLE, "a" * MAX_ABSTRACT, MAX_AUTHORS)
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", str(feed)]) == 0
    assert "cut" not in capsys.readouterr().out
    store = Store(data)
    store.library.load_abstracts()
    paper = store.get("2611.00001")
    assert (len(paper.title), len(paper.abstract), len(paper.authors)) == (MAX_TITLE, MAX_ABSTRACT, MAX_AUTHORS)

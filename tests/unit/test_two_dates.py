"""Two dates per sighting: when the feed listed the paper (sorting, `@7d`, "seen on") and when it was published."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

from storage.model import Paper, PaperState, Source
from storage.readers import read
from storage.store import Store
from tui.widgets.detail import detail_text

FEEDS = Path(__file__).parents[1] / "fixtures" / "feeds"
OLD = Path(__file__).parents[1] / "fixtures" / "old_versions"
BIB = "@article{Hinton06, title={Deep Belief Nets}, author={Hinton, Geoffrey}, journal={Neural Computation}, year={2006}}\n"
TODAY = "2026-12-01"


def test_a_bib_paper_is_listed_the_day_it_was_added_and_shows_its_publication_year(tmp_path):
    (tmp_path / "refs.bib").write_text(BIB)
    store = Store(tmp_path / "data")
    store.ingest([str(tmp_path / "refs.bib")])
    (paper,) = store.papers
    assert paper.sources == [Source("refs.bib", "", "2006")]
    added = paper.added[:10]
    assert store.first_seen(paper.id) == added  # the ingest day is its listing day: it sorts and matches @7d so
    assert store.list_date(paper.id) == "2006"  # but the list says when it is from, not "Dec 1"
    text = detail_text(paper, PaperState(), "", added).plain
    assert "from refs.bib · published 2006" in text and "seen on" not in text


def test_an_atom_entry_is_seen_on_the_query_day_and_published_on_its_own(tmp_path):
    store = Store(tmp_path / "data")
    store.ingest([str(FEEDS / "arxiv_atom_legacy.xml")])
    paper = store.papers[0]
    assert (paper.sources[0].date, paper.sources[0].published) == ("2016-10-09", "2012-01-23")
    text = detail_text(paper, PaperState(), "", TODAY).plain
    assert "seen on Oct 9 2016 (arxiv_atom_legacy.xml) · published Jan 23 2012" in text
    assert store.list_date(paper.id) == "2012"


def test_hf_page_text_without_a_year_takes_the_year_of_the_date_in_its_name(tmp_path):
    copy = tmp_path / "hf-daily-2024-03-20.txt"
    shutil.copy(FEEDS / "hf_page.txt", copy)  # a copy made today: its mtime says nothing about the feed
    stamp = datetime(2026, 12, 1).timestamp()
    os.utime(copy, (stamp, stamp))
    days = {r.date for r in read(copy).records}
    assert days and all(d.startswith(("2024-", "2023-")) and d <= "2024-03-20" for d in days)


def test_an_old_library_loads_and_saves_its_sources_as_they_were(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(OLD, data, ignore=shutil.ignore_patterns("README.md"))
    store = Store(data)
    assert all(s.published == "" for p in store.papers for s in p.sources)
    store.library.save()
    saved = json.loads((data / "library.json").read_text())
    assert all(set(s) == {"feed", "date"} for p in saved["papers"] for s in p["sources"])


def test_a_published_date_survives_a_save(tmp_path):
    store = Store(tmp_path / "data")
    store.library.add(Paper(id="a", title="A", sources=[Source("q.xml", "2026-11-20", "2019-01-02")]))
    store.library.save()
    assert Store(tmp_path / "data").get("a").sources == [Source("q.xml", "2026-11-20", "2019-01-02")]

"""The BibTeX export gives back what a .bib gave (type, key, venue, volume, pages, year) and what arXiv said."""

from __future__ import annotations

from storage.bibtex_export import to_bibtex
from storage.model import Paper, PaperState, Source
from storage.readers import read
from storage.store import Store

BIB = r"""@article{Hinton06,
  title = {A Fast Learning Algorithm for Deep Belief Nets},
  author = {Hinton, Geoffrey E. and Osindero, Simon},
  journal = {Neural Computation},
  volume = {18},
  number = {7},
  pages = {1527--1554},
  year = {2006},
}
@inproceedings{lecun1998,
  title = {Gradient-Based Learning},
  author = {LeCun, Yann},
  booktitle = {Proceedings of the {IEEE}},
  pages = {2278--2324},
  year = 1998,
  publisher = {IEEE},
}
"""


def _export(tmp_path, text: str, name: str = "refs.bib") -> dict:
    (tmp_path / name).write_text(text)
    store = Store(tmp_path / "data")
    assert not store.ingest([str(tmp_path / name)]).errors
    out = tmp_path / "out.bib"
    out.write_text(to_bibtex([(p, PaperState()) for p in store.papers]))
    return {r.extra["bibtex_key"]: r for r in read(out).records}  # read back by the project's own reader


def test_a_bib_entry_exports_with_its_type_key_fields_and_year(tmp_path):
    back = _export(tmp_path, BIB)
    hinton, lecun = back["Hinton06"], back["lecun1998"]
    assert (hinton.extra["entry_type"], hinton.extra["year"]) == ("article", "2006")  # not @misc, not this year
    assert hinton.extra["bibtex_fields"] == {"journal": "Neural Computation", "volume": "18", "number": "7",
                                             "pages": "1527--1554"}
    assert hinton.authors == ["Geoffrey E. Hinton", "Simon Osindero"]
    assert (lecun.extra["entry_type"], lecun.extra["year"]) == ("inproceedings", "1998")
    assert lecun.extra["bibtex_fields"] == {"booktitle": "Proceedings of the IEEE", "pages": "2278--2324",
                                            "publisher": "IEEE"}


def test_a_bib_key_is_kept_unless_another_paper_took_it_first():
    a = Paper(id="a", title="One", extra={"bibtex_key": "Same", "entry_type": "article"})
    b = Paper(id="b", title="Two", extra={"bibtex_key": "Same", "entry_type": "article"})
    c = Paper(id="c", title="Same", authors=["Ann Same"], sources=[Source("f", "2026-01-02")])
    text = to_bibtex([(p, PaperState()) for p in (a, b, c)])
    assert text.count("@article{Same,\n") == 1 and "@article{anon" in text and "@misc{same2026same,\n" in text


def test_an_old_library_bib_paper_exports_its_venue():
    p = Paper(id="h1", title="T", extra={"bibtex_key": "K1", "entry_type": "article", "venue": "Nature",
                                         "year": "2006"})
    text = to_bibtex([(p, PaperState())])
    assert text.startswith("@article{K1,\n") and "  journal = {Nature},\n" in text and "  year = {2006},\n" in text


ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title>arXiv Query</title>
  <id>http://arxiv.org/api/x</id>
  <updated>2026-11-20T00:00:00-05:00</updated>
  <entry>
    <id>http://arxiv.org/abs/1901.00001v2</id>
    <updated>2019-03-01T00:00:00Z</updated>
    <published>2019-01-01T00:00:00Z</published>
    <title>An Invented Published Paper</title>
    <summary>We invent a result and publish it.</summary>
    <author><name>Ann Lee</name></author>
    <arxiv:doi>10.1234/invented.5678</arxiv:doi>
    <arxiv:journal_ref>Invented Journal 12 (2019) 34-56</arxiv:journal_ref>
  </entry>
</feed>
"""


def test_an_arxiv_atom_doi_journal_ref_and_published_year_are_exported(tmp_path):
    (tmp_path / "q.xml").write_text(ATOM)
    store = Store(tmp_path / "data")
    store.ingest([str(tmp_path / "q.xml")])
    text = to_bibtex([(p, PaperState()) for p in store.papers])
    assert "  doi = {10.1234/invented.5678},\n" in text
    assert "  note = {Invented Journal 12 (2019) 34-56},\n" in text
    assert "  year = {2019},\n" in text and text.startswith("@misc{lee2019invented,")

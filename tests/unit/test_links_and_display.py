"""What the reader and the detail pane show beside the feed's text: a paper's links, its venue, HF's extras, and the
reader's text (literal, whole author list, a long abstract laid out a piece at a time); the keys' screens."""

from __future__ import annotations

import pytest

from storage.config import Config, parse_config
from storage.display import github_stars, hf_facts, keywords, venue
from storage.links import link_of, paper_links, pdf_url
from storage.model import Paper, PaperState, Source, Status
from tui import keymap
from tui.screens.reader import reader_text
from tui.widgets.detail import HEAD_CHARS, detail_text

TODAY = "2026-11-21"


def hf_paper(**extra) -> Paper:
    base = {"hf_url": "https://huggingface.co/papers/2608.90011", "upvotes": 61, "num_comments": 2,
            "github": "https://github.com/nimbus-labs/nimbus-world", "github_stars": 2341,
            "project_page": "https://nimbus-labs.github.io/world/", "ai_summary": "A [b]one-line[/b] summary.",
            "ai_keywords": ["world model", "SE(3) transformations"]}
    return Paper("2608.90011", "Nimbus", "An abstract.", ["A"], "2608.90011", "https://arxiv.org/abs/2608.90011",
                 [Source("hf.json", "2026-08-14")], extra=base | extra)


def test_paper_links_every_kind_once_and_only_http():
    links = paper_links(hf_paper(doi="10.1/xyz"))
    assert [(l.kind, l.url) for l in links] == [
        ("abstract", "https://arxiv.org/abs/2608.90011"), ("pdf", "https://arxiv.org/pdf/2608.90011"),
        ("hf", "https://huggingface.co/papers/2608.90011"), ("github", "https://github.com/nimbus-labs/nimbus-world"),
        ("project", "https://nimbus-labs.github.io/world/"), ("doi", "https://doi.org/10.1/xyz")]
    # a feed's own pdf_url wins; a javascript: project page is never offered; the DOI that is the URL comes once
    p = Paper("x", "T", url="https://doi.org/10.1/xyz",
              extra={"pdf_url": "http://arxiv.org/pdf/2401.00001v2", "project_page": "javascript:alert(1)",
                     "doi": "10.1/xyz"})
    assert [(l.kind, l.url) for l in paper_links(p)] == [("abstract", "https://doi.org/10.1/xyz"),
                                                         ("pdf", "http://arxiv.org/pdf/2401.00001v2")]
    assert link_of(Paper("y", "No links"), "pdf") is None and pdf_url(Paper("y", "T", arxiv_id="")) is None


def test_venue_and_hf_facts():
    assert venue({"venue": "NeurIPS 2024", "journal_ref": "J. X 1"}) == "NeurIPS 2024"
    assert venue({"journal_ref": "Phys. Rev. B 70, 1 (2004)"}) == "Phys. Rev. B 70, 1 (2004)" and venue({}) == ""
    assert hf_facts({"upvotes": 1234, "num_comments": 1}) == "▲ 1,234 upvotes · 1 comment"
    assert hf_facts({"upvotes": 0}) == "▲ 0 upvotes" and hf_facts({"upvotes": True}) == "" == hf_facts({})
    assert github_stars({"github_stars": 2341}) == "★ 2,341" and github_stars({}) == ""
    assert keywords({"ai_keywords": ["a", 3, ""]}) == ["a"] and keywords({"ai_keywords": "a"}) == []


def test_reader_text_has_everything_literally_and_the_head_of_a_long_abstract():
    authors = [f"Author {i}" for i in range(125)]
    p = hf_paper()
    p.title, p.authors = "R\\'{e}nyi [b]bold[/b] and [/ on $\\mathcal{O}(n)$ and $x$", authors
    p.abstract = "word " * 4000  # 20,000 characters
    state = PaperState(starred=True, tags=["x"], note="see [i]here[/i]", status=Status.QUEUED)
    text = reader_text(p, state, p.abstract, TODAY, queue_position=3).plain
    assert text.startswith("Rényi [b]bold[/b] and [/ on 𝒪(n) and $x$\n")  # LaTeX as text, markup as text
    assert ", ".join(authors) in text  # every author
    assert "▲ 61 upvotes · 2 comments" in text and "status queued #3" in text and "★ starred" in text
    assert "GitHub repository  https://github.com/nimbus-labs/nimbus-world  ★ 2,341" in text
    assert "project page       https://nimbus-labs.github.io/world/" in text
    assert "keywords world model, SE(3) transformations" in text and "A [b]one-line[/b] summary." in text
    assert "see [i]here[/i]" in text
    assert len(text) < HEAD_CHARS + 5000  # only the head of the 20,000 characters is laid out when it opens
    assert p.title.startswith("R\\'{e}nyi")  # display only: the paper keeps the feed's text
    assert "loading abstract…" in reader_text(p, state, None, TODAY).plain


def test_detail_pane_shortens_authors_and_shows_venue_and_upvotes():
    p = hf_paper(venue="ICLR 2026")
    p.authors = [f"Author {i}" for i in range(125)]
    text = detail_text(p, PaperState(), "An abstract.", TODAY).plain
    assert "Author 0, Author 1, Author 2 … and 122 more\n" in text
    assert "arXiv 2608.90011 · ICLR 2026 · https://arxiv.org/abs/2608.90011" in text and "▲ 61 upvotes" in text


def test_keys_clash_per_screen(tmp_path):
    keymap.check_config(Config(path=None))  # j is the list's next paper and the reader's scroll: no clash
    path = tmp_path / "config.toml"
    with pytest.raises(Exception, match=r"config.toml:2: keys: 'b' is given to both close_reader and scroll_page_up in the reader"):
        keymap.check_config(parse_config('[keys]\nclose_reader = "b"\n', path))
    keymap.check_config(parse_config('[keys]\nclear = "b"\n', path))  # b pages up only in the reader
    with pytest.raises(Exception, match=r"'s' is given to both close_reader and star in the reader"):
        keymap.check_config(parse_config('[keys]\nclose_reader = "s"\n', path))

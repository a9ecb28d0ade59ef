"""Dedupe: which records become one paper, which never do, and what a merge keeps."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import random
import re
import textwrap
from pathlib import Path

import pytest

from storage.dedupe import REASON_SEEN, Deduper, MergeResult, new_paper_id
from storage.model import Paper, Record, Source
from storage.normalize import title_key
from support.clihelp import SHARED_FEEDS

NOW = "2026-03-01T09:00:00"

# Invented abstracts of three different papers; A and B open alike, as many real abstracts do.
ABS_A = (
    "We present Quillfern, a retrieval method that indexes lecture notes by the questions they answer rather "
    "than by their wording. On three invented benchmarks Quillfern improves recall by eleven points over dense "
    "retrieval while using a tenth of the memory, and it degrades gracefully when notes are noisy or partial."
)
ABS_B = (
    "We present Marrowind, a scheduler that places training jobs on shared clusters by predicting their memory "
    "peaks from the first hundred steps. Across a simulated week of traffic it cuts queueing delay in half and "
    "avoids every out-of-memory restart that the default placement policy caused in our experiments."
)
ABS_C = (
    "This survey organises two hundred invented studies of tabular anomaly detection into four families, "
    "compares their assumptions about label noise, and closes with a checklist for practitioners who must pick "
    "a detector without ground truth. Code and a living bibliography accompany the survey."
)
NOTES = "Quillfern: Question-Indexed Lecture Notes"
NOTES_TYPO = "Quillfern: Question-Indexed Lecture Ntes"


def rec(title: str, abstract: str = "", feed: str = "f1.txt", date: str = "2026-03-01", **kw) -> Record:
    return Record(title=title, abstract=abstract, feed=feed, date=date, **kw)


def ingest(*records: Record) -> tuple[Deduper, list[MergeResult]]:
    d = Deduper([])
    return d, [d.add(r, NOW) for r in records]


def distinct(results: list[MergeResult]) -> int:
    return len({id(r.paper) for r in results})


def truncate(text: str, n: int, mark: str = "…") -> str:
    return text[:n].rsplit(" ", 1)[0] + mark


# -- new papers and ids ---------------------------------------------------------------------------------------


def test_new_paper_takes_the_record_fields():
    r = rec("Quillfern", ABS_A, authors=["Ada Quill"], arxiv_id="2403.01234", url="u", extra={"upvotes": 3})
    d, [res] = ingest(r)
    p = res.paper
    assert (res.is_new, res.reason) == (True, "")
    assert (p.id, p.title, p.abstract, p.authors, p.arxiv_id, p.url) == (
        "2403.01234", "Quillfern", ABS_A, ["Ada Quill"], "2403.01234", "u")
    assert p.sources == [Source("f1.txt", "2026-03-01")]
    assert (p.added, p.extra, p.merges) == (NOW, {"upvotes": 3}, [])
    assert d.papers_changed() == {"2403.01234"}
    r.authors.append("Someone Else")  # the paper owns its own lists
    assert p.authors == ["Ada Quill"]


def test_new_paper_id_hashes_the_title_key_and_suffixes_collisions():
    r = rec("Quillfern: Question-Indexed Notes")
    base = "h" + hashlib.sha1(title_key(r.title).encode()).hexdigest()[:12]
    assert new_paper_id(r, lambda _: False) == base
    assert new_paper_id(rec("QUILLFERN — question indexed notes!"), lambda _: False) == base
    assert new_paper_id(r, {base}.__contains__) == base + "-2"
    assert new_paper_id(r, {base, base + "-2"}.__contains__) == base + "-3"
    assert new_paper_id(rec("x", arxiv_id="2403.01234"), lambda _: False) == "2403.01234"
    assert new_paper_id(rec("x", arxiv_id="2403.01234"), {"2403.01234"}.__contains__) == "2403.01234-2"


def test_titles_without_latin_letters_are_not_one_paper():
    d, results = ingest(rec("深度学习综述", ABS_A), rec("强化学习综述", ABS_B))
    assert all(r.is_new for r in results)
    assert results[0].paper.id != results[1].paper.id


# -- rule 1: arXiv id ------------------------------------------------------------------------------------------


def test_same_arxiv_id_merges_whatever_the_title():
    d, (a, b) = ingest(
        rec("$\\textit{Quillfern}$: notes", ABS_A, arxiv_id="2403.01234"),
        rec("A rather different title", "", feed="f2.txt", arxiv_id="2403.01234"),
    )
    assert b.paper is a.paper and not b.is_new
    assert b.reason == "same arXiv id 2403.01234"


# -- rule 2: normalised title ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, second",
    [
        (NOTES, "quillfern   question indexed lecture notes."),
        ("Über Quillfern: Café Notes", "Uber QUILLFERN - Cafe notes"),
        ("Mesh$^{3}$D: Lifting Quills", "Mesh^3D: Lifting Quills"),
        ("$\\textit{Trans-Quill}$: Towards Notes", "Trans-Quill: towards notes"),
        ("Quill$_2$-Net for Notes", "Quill_2-Net for Notes"),
        ("Pre-training Quills", "Pretraining Quills"),
    ],
)
@pytest.mark.parametrize("flip", [False, True])
def test_same_normalised_title_merges(first, second, flip):
    if flip:
        first, second = second, first
    d, (a, b) = ingest(rec(first, ABS_A), rec(second, ABS_A, feed="f2.txt"))
    assert b.paper is a.paper
    assert b.reason == "same normalised title"
    assert a.paper.title == first  # the first-seen title stays


def test_same_title_with_clearly_different_abstracts_is_two_papers():
    d, (a, b) = ingest(rec("A Survey of Methods", ABS_A), rec("A survey of methods", ABS_C, feed="f2.txt"))
    assert b.is_new and b.paper is not a.paper
    assert b.paper.id == a.paper.id + "-2"
    # Each later copy finds its own paper.
    c = d.add(rec("A SURVEY OF METHODS", ABS_C, feed="f3.txt"), NOW)
    assert c.paper is b.paper and c.reason == "same normalised title"


def test_same_title_merges_when_one_abstract_is_missing():
    d, (a, b) = ingest(rec("Quillfern", ABS_A), rec("Quillfern", "", feed="f2.txt"))
    assert b.paper is a.paper


# -- rule 3: fuzzy ---------------------------------------------------------------------------------------------

FUZZY_REASON = re.compile(r"fuzzy: title (\d+), abstract (\d+)")


@pytest.mark.parametrize(
    "first, second",
    [
        ("Quillfern: Question-Indexed Retrieval of Notes", "Quillfern: Question-Indexed Retrieval of Ntes"),
        ("Quillfern: Question-Indexed Retrieval of Notes", "Quilfern: Question-Indexed Retreival of Notes"),  # two typos
        ("Scheduling Jobs by Predicted Memory Peaks", "Scheduling Jobs by Predicted Memory Peeks."),
        ("Scheduling Jobs by Predicted Memory Peaks", "Scheduling Jobs by the Predicted Memory Peaks"),
    ],
)
@pytest.mark.parametrize("flip", [False, True])
def test_nearly_equal_title_and_abstract_merge(first, second, flip):
    if flip:
        first, second = second, first
    d, (a, b) = ingest(rec(first, ABS_A), rec(second, ABS_A.replace("eleven", "11"), feed="f2.txt"))
    assert b.paper is a.paper
    m = FUZZY_REASON.fullmatch(b.reason)
    assert m and int(m[1]) >= 90 and int(m[2]) >= 90


@pytest.mark.parametrize(
    "first, second",
    [
        (rec("A Survey", ABS_A, arxiv_id="2403.00001"), rec("A Survey", ABS_A, arxiv_id="2403.00002")),
        (rec("Quillfern 1.5B: Small Notes", ABS_A), rec("Quillfern 15B: Small Notes", ABS_A)),
        (rec(NOTES, ""), rec(NOTES_TYPO, "")),  # a title alone is not enough for a fuzzy match
        (rec(NOTES, ABS_A, arxiv_id="2403.00001"), rec(NOTES_TYPO, ABS_A, arxiv_id="2403.00002")),
        (rec(NOTES, ABS_A), rec(NOTES_TYPO, ABS_A[:170] + ABS_B[170:])),  # same opening, different body
        (rec(NOTES, ABS_A), rec(NOTES_TYPO, truncate(ABS_A, 120))),  # too short an overlap to be evidence
        (rec("Quillfern-2: Scaling Notes", ABS_A), rec("Quillfern-3: Scaling Notes", ABS_A)),  # never a typo
        (rec("Quillfern-3: Scaling Notes", ABS_A), rec("Quillfern-2: Scaling Notes", ABS_A)),
    ],
)
def test_kept_apart(first, second):
    d, (a, b) = ingest(first, dataclasses.replace(second, feed="f2.txt"))
    assert b.is_new and b.paper.id != a.paper.id


@pytest.mark.parametrize(
    "first, second",
    [
        ("Quillfern-2: Scaling Question-Indexed Notes", "Quillfern-3: Scaling Question-Indexed Notes"),
        ("Quillfern V2: Scaling Question-Indexed Notes", "Quillfern V3: Scaling Question-Indexed Notes"),
        ("Scaling Laws of LLMs for Lecture Notes", "Scaling Laws of VLMs for Lecture Notes"),
        ("Training a Note Retriever for $100K", "Training a Note Retriever for $200K"),
        (NOTES, "Quillfern: Question-Indexed Lecture Notes 2"),
    ],
)
@pytest.mark.parametrize("flip", [False, True])
def test_one_word_or_version_apart_with_different_abstracts_never_merge(first, second, flip):
    if flip:
        first, second = second, first
    d, (a, b) = ingest(rec(first, ABS_A), rec(second, ABS_B, feed="f2.txt"))
    assert b.is_new and b.paper is not a.paper and b.paper.id != a.paper.id
    # A third listing of either one still finds its own paper.
    c = d.add(rec(second.upper(), ABS_B, feed="f3.txt"), NOW)
    assert c.paper is b.paper


def test_one_word_apart_with_the_same_abstract_is_a_typo_merge():
    # The counterpart of the never-merge cases: the abstract is what keeps "LLMs"/"VLMs" apart.
    d, (a, b) = ingest(
        rec("Scaling Laws of LLMs for Lecture Notes", ABS_A), rec("Scaling Laws of VLMs for Lecture Notes", ABS_A, feed="b")
    )
    assert b.paper is a.paper and b.reason.startswith("fuzzy:")


# -- abstracts: truncation and wrapping ------------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["...", "…"])
@pytest.mark.parametrize("title2", [NOTES, NOTES_TYPO])
def test_truncated_abstract_merges_and_the_full_one_is_kept(mark, title2):
    cut = truncate(ABS_A, 200, mark)
    full_first = ingest(rec(NOTES, ABS_A), rec(title2, cut, feed="f2.txt"))[1]
    cut_first = ingest(rec(NOTES, cut), rec(title2, ABS_A, feed="f2.txt"))[1]
    for a, b in (full_first, cut_first):
        assert b.paper is a.paper
        assert a.paper.abstract == ABS_A


def test_abstract_choice_prefers_untruncated_then_longer():
    short_full = ABS_A.split(". ")[0] + "."
    long_cut = truncate(ABS_A, 250)
    d, results = ingest(
        rec("Quillfern", ""),
        rec("Quillfern", long_cut, feed="f2.txt"),  # truncated replaces empty
        rec("Quillfern", short_full, feed="f3.txt"),  # untruncated replaces truncated, even if shorter
        rec("Quillfern", truncate(ABS_A, 280), feed="f4.txt"),  # truncated never replaces untruncated
        rec("Quillfern", ABS_A, feed="f5.txt"),  # longer untruncated replaces shorter
        rec("Quillfern", short_full, feed="f6.txt"),
    )
    p = results[0].paper
    assert distinct(results) == 1
    assert p.abstract == ABS_A


def test_wrapped_and_unwrapped_abstracts_merge():
    wrapped = textwrap.fill(ABS_A, 60).replace("dense\n", "dense \n  ")
    d, results = ingest(
        rec(NOTES, ABS_A),
        rec(NOTES_TYPO, wrapped, feed="f2.txt"),
        rec(NOTES, wrapped, feed="f3.txt"),
    )
    assert distinct(results) == 1
    assert results[1].reason == "fuzzy: title 99, abstract 100"


# -- what a merge keeps ----------------------------------------------------------------------------------------


def test_merge_fills_missing_fields_and_keeps_existing_ones():
    d, (a, b) = ingest(
        rec("Quillfern", ABS_A, url="", extra={"upvotes": 3}),
        rec("QUILLFERN.", ABS_A, feed="f2.txt", authors=["Ada Quill"], arxiv_id="2403.01234",
            url="https://arxiv.org/abs/2403.01234", extra={"upvotes": 9, "github": "g"}),
    )
    p = a.paper
    assert (p.title, p.authors, p.arxiv_id) == ("Quillfern", ["Ada Quill"], "2403.01234")
    assert p.url == "https://arxiv.org/abs/2403.01234"
    assert p.extra == {"upvotes": 3, "github": "g"}
    c = d.add(rec("Other title", "", feed="f3.txt", authors=["Someone"], url="x"), NOW)
    assert c.is_new
    e = d.add(rec("Quillfern", ABS_A, feed="f4.txt", authors=["Someone"], url="x"), NOW)
    assert e.paper is p and (p.authors, p.url) == (["Ada Quill"], "https://arxiv.org/abs/2403.01234")


def test_id_is_stable_when_a_later_record_brings_the_arxiv_id():
    d, (a, b, c) = ingest(
        rec("Quillfern", ABS_A),
        rec("Quillfern", ABS_A, feed="f2.txt", arxiv_id="2403.01234"),
        rec("Completely renamed in v2", "", feed="f3.txt", arxiv_id="2403.01234"),
    )
    assert a.paper.id.startswith("h") and a.paper.arxiv_id == "2403.01234"
    assert c.paper is a.paper and c.reason == "same arXiv id 2403.01234"
    # Also after a reload from the stored form.
    d2 = Deduper([Paper.from_dict(a.paper.to_dict())])
    assert d2.add(rec("x", feed="f4.txt", arxiv_id="2403.01234"), NOW).paper.id == a.paper.id


def test_sources_and_merge_log():
    d, results = ingest(
        rec(NOTES, ABS_A, feed="hf.txt", date="2026-03-01"),
        rec(NOTES, ABS_A, feed="hf.txt", date="2026-03-02"),
        rec(NOTES_TYPO, ABS_A, feed="rss.xml", date="2026-03-02"),
        rec(NOTES, ABS_A, feed="hf.txt", date="2026-03-01"),
    )
    p = results[0].paper
    assert [(s.feed, s.date) for s in p.sources] == [
        ("hf.txt", "2026-03-01"), ("hf.txt", "2026-03-02"), ("rss.xml", "2026-03-02")]
    assert p.merges == [
        {"title": NOTES, "feed": "hf.txt", "date": "2026-03-02", "reason": "same normalised title"},
        {"title": NOTES_TYPO, "feed": "rss.xml", "date": "2026-03-02", "reason": "fuzzy: title 99, abstract 100"},
    ]
    assert results[3].reason == REASON_SEEN and not results[3].is_new


def test_reingest_changes_nothing():
    records = [
        rec(NOTES, ABS_A, feed="a.txt"),
        rec(NOTES_TYPO, truncate(ABS_A, 200), feed="b.txt", arxiv_id="2403.01234"),
        rec("A Survey of Methods", ABS_B, feed="a.txt"),
        rec("A survey of methods", ABS_C, feed="b.txt"),
        rec("Mesh$^{3}$D", ABS_C, feed="b.txt", date=""),
    ]
    d, _ = ingest(*records)
    papers = list({id(p): p for p in (d.add(r, NOW).paper for r in records)}.values())
    assert d.papers_changed() == {p.id for p in papers}
    stored = [Paper.from_dict(copy.deepcopy(p.to_dict())) for p in papers]
    snapshot = [p.to_dict() for p in stored]
    d2 = Deduper(stored)
    results = [d2.add(r, "later") for r in records]
    assert [r.reason for r in results] == [REASON_SEEN] * len(records)
    assert not any(r.is_new for r in results)
    assert [p.to_dict() for p in stored] == snapshot
    assert d2.papers_changed() == set()


def test_a_merged_title_is_matched_exactly_later():
    d, (a, b, c) = ingest(
        rec("Quillfern", ABS_A, arxiv_id="2403.01234"),
        rec("Notes Indexed by Questions", "", feed="f2.txt", arxiv_id="2403.01234"),
        rec("Notes indexed by questions.", "", feed="f3.txt"),
    )
    assert c.paper is a.paper and c.reason == "same normalised title"


def test_stored_merge_titles_are_matched_exactly():
    p = Paper(id="h1", title="Quillfern", abstract=ABS_A, sources=[Source("a", "")],
              merges=[{"title": "Kwillfern!", "feed": "b", "date": "", "reason": "same arXiv id 2403.01234"}])
    d = Deduper([p])
    res = d.add(rec("KWILLFERN", "", feed="c"), NOW)
    assert res.paper is p and res.reason == "same normalised title"
    assert d.papers_changed() == {"h1"}


# -- scale -----------------------------------------------------------------------------------------------------


def _synthetic(rng: random.Random, words: list[str]) -> Record:
    title = " ".join(rng.choice(words).capitalize() for _ in range(rng.randint(4, 9)))
    abstract = " ".join(rng.choice(words) for _ in range(rng.randint(40, 80))) + "."
    return Record(title=title, abstract=abstract, feed="base.txt")


def _noisy_copy(rng: random.Random, r: Record, n: int) -> Record:
    title, abstract = r.title, r.abstract
    kind = n % 5
    if kind == 0:  # a dropped letter inside a word
        spots = [i for i, ch in enumerate(title) if ch.isalpha() and i and title[i - 1].isalpha()]
        i = rng.choice(spots)
        title = title[:i] + title[i + 1 :]
    elif kind == 1:
        title = title.upper() + "."
    elif kind == 2:
        abstract = truncate(abstract, rng.randint(220, 300), "...")  # long enough to be evidence
    elif kind == 3:
        abstract = textwrap.fill(abstract, 50)
    else:
        title, abstract = title.lower(), truncate(abstract, 240)
    return Record(title=title, abstract=abstract, feed=f"copy{n % 7}.txt", date="2026-03-02")


def test_scale_twenty_thousand_records_with_noisy_repeats():
    rng = random.Random(7)
    syllables = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiou"]
    words = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(3000)})
    originals = [_synthetic(rng, words) for _ in range(17_000)]
    repeats = [_noisy_copy(rng, rng.choice(originals), n) for n in range(3_000)]
    stream = originals + repeats
    rng.shuffle(stream)  # a repeat may come before its original
    d = Deduper([])
    results = [d.add(r, NOW) for r in stream]
    assert sum(r.is_new for r in results) == 17_000
    assert len(d.papers_changed()) == 17_000


# -- real pages (optional) -------------------------------------------------------------------------------------

HF_PAGES = SHARED_FEEDS / "hf-pages"


@pytest.mark.skipif(not HF_PAGES.is_dir(), reason="real HF pages not present")
def test_real_hf_pages():
    d = Deduper([])
    results = []
    for path in sorted(HF_PAGES.glob("*.txt")):
        blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
        date = blocks[4]
        for title, abstract in zip(blocks[5::2], blocks[6::2]):
            results.append(d.add(Record(title=title, abstract=abstract, feed=path.name, date=date), NOW))
    assert len(results) == 247
    assert distinct(results) == 224

"""Ingesting a feed again changes nothing, at any size: every listing already folded into a paper is recognised."""

from __future__ import annotations

import copy
import json
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import dedupe, synth
from storage.dedupe import REASON_SEEN, Deduper
from storage.model import Paper, Record
from storage.store import Store

NOW = "2026-03-01T09:00:00"
ABS = (
    "We present Quillfern, a retrieval method that indexes lecture notes by the questions they answer rather "
    "than by their wording. On three invented benchmarks Quillfern improves recall by eleven points over dense "
    "retrieval while using a tenth of the memory, and it degrades gracefully when notes are noisy or partial."
)

_WORDS = "graph token memory planner budget kernel latency sparse reward agent vision corpus robust".split()


def _filler(i: int, form: str = "{}: Verifiable Simulators for Program Synthesis") -> Record:
    # Shares every block key but the coined name's with the original: enough of them evict it from capped blocks.
    name = "Zor" + "".join(chr(97 + i // 26**k % 26) for k in range(3))
    return Record(title=form.format(name),
                  abstract=" ".join(random.Random(i).choices(_WORDS, k=60)), feed="later.txt",
                  date="2026-03-02")


def _stored(d: Deduper, papers: list[Paper]) -> list[Paper]:
    return [Paper.from_dict(copy.deepcopy(p.to_dict())) for p in papers]


def test_a_typod_repeat_within_one_feed_is_remembered_as_a_title_of_its_paper():
    feed = [Record(title="Quillfern: Verifiable Simulators for Program Synthesis", abstract=ABS, feed="a.txt",
                   date="2026-03-01"),
            Record(title="Quillfern: Verifiale Simulators for Program Synthesis", abstract=ABS, feed="a.txt",
                   date="2026-03-01")]
    d = Deduper([])
    first = [d.add(r, NOW) for r in feed]
    fillers = [d.add(_filler(i), NOW).paper for i in range(3 * dedupe.BLOCK_CAP)]
    paper = first[0].paper
    assert first[1].paper is paper
    assert [m["title"] for m in paper.merges] == [feed[1].title]  # shown by `dupes`, and matched exactly later

    again = Deduper(_stored(d, [paper, *fillers]))
    results = [again.add(r, "later") for r in feed]
    assert [(r.is_new, r.reason) for r in results] == [(False, REASON_SEEN)] * 2
    assert again.papers_changed() == set()


def test_a_typod_copy_finds_its_original_past_full_blocks():
    form = "Verifiable Simulators with {} for Program Synthesis under a $100K Budget"
    d = Deduper([])
    original = d.add(Record(title=form.format("Quillfern"), abstract=ABS, feed="a.txt", date="2026-03-01"), NOW).paper
    for i in range(3 * dedupe.BLOCK_CAP):
        d.add(_filler(i, form), NOW)
    # The typo breaks the blocks that hold the coined name; the others are full of later papers.
    res = d.add(Record(title=form.format("Quillfern").replace("Verifiable", "Verifiale"), abstract=ABS,
                       feed="b.txt", date="2026-03-05"), NOW)
    assert res.paper is original and res.reason.startswith("fuzzy")


def test_reingest_of_a_feed_whose_blocks_overflow_adds_nothing(tmp_path, monkeypatch):
    """The 50k re-ingest bug at a small size: blocks capped at 4 overflow as 64 do at 50,000 entries."""
    monkeypatch.setattr(dedupe, "BLOCK_CAP", 4)
    feed = tmp_path / "feed.txt"
    distinct = synth.write_feed(feed, 3000)
    store = Store(tmp_path / "data")
    first = store.ingest([str(feed)])
    library = (tmp_path / "data" / "library.json").read_bytes()
    second = store.ingest([str(feed)])
    assert first.new == distinct == len(store)
    assert (second.new, second.merged) == (0, 3000)
    assert (tmp_path / "data" / "library.json").read_bytes() == library


@pytest.mark.scale
def test_the_50k_synthetic_feed_ingested_twice_is_a_no_op(tmp_path, request):
    """`python -m storage.synth 50000 -o big.txt`, ingest twice (about a minute: `pytest -m scale`)."""
    if "scale" not in (request.config.getoption("markexpr") or "").replace("not scale", ""):
        pytest.skip("a minute long: run with `-m scale`")
    feed = tmp_path / "big.txt"
    distinct = synth.write_feed(feed, 50_000)
    store = Store(tmp_path / "data")
    assert store.ingest([str(feed)]).new == distinct
    second = store.ingest([str(feed)])
    assert (second.new, len(store)) == (0, distinct)


# -- the property: ingest(A); ingest(A) == ingest(A) --------------------------------------------------------------

_TITLES = ["Quillfern: Question-Indexed Lecture Notes", "Marrowind Schedules Training Jobs", "A Survey of Methods",
           "日本語のタイトル", "Mesh$^{3}$D", "X-2: Towards Robust Agents", "X-3: Towards Robust Agents"]


@st.composite
def _record(draw) -> Record:
    title = draw(st.sampled_from(_TITLES))
    noise = draw(st.sampled_from(["", "upper", "typo", "drop"]))
    if noise == "upper":
        title = title.upper()
    elif noise == "typo" and len(title) > 12:
        i = draw(st.integers(3, len(title) - 2))
        title = title[:i] + title[i + 1:]
    abstract = draw(st.sampled_from(["", ABS, ABS[:200] + "…", ABS.replace("Quillfern", "Marrowind"),
                                     "Short and different."]))
    return Record(title=title, abstract=abstract, authors=draw(st.lists(st.sampled_from(["Ada", "Bo"]), max_size=2)),
                  arxiv_id=draw(st.sampled_from(["", "", "2403.01234", "2403.05678"])),
                  feed=draw(st.sampled_from(["a.txt", "b.json"])), date=draw(st.sampled_from(["", "2026-03-01"])),
                  extra=draw(st.sampled_from([{}, {"upvotes": 3}])))


@settings(max_examples=int(os.environ.get("DEDUPE_EXAMPLES", 300)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_record(), max_size=12))
def test_ingesting_the_same_records_again_changes_nothing(records):
    d = Deduper([])
    papers: dict[str, Paper] = {}
    for r in records:
        res = d.add(copy.deepcopy(r), NOW)
        papers[res.paper.id] = res.paper
    once = json.dumps([p.to_dict() for p in papers.values()], sort_keys=True)

    stored = [Paper.from_dict(json.loads(json.dumps(p.to_dict()))) for p in papers.values()]
    again = Deduper(stored)
    results = [again.add(copy.deepcopy(r), "later") for r in records]
    assert not any(r.is_new for r in results)
    assert json.dumps([p.to_dict() for p in stored], sort_keys=True) == once
    assert again.papers_changed() == set()

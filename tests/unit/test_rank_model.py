"""The interest model, "more like this" and the explanations, on a small two-topic library (rankfixture.py)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from support.rankfixture import build, of, topic_papers

from storage.model import Paper, Source, Status
from storage.rank import MIN_POSITIVES, Ranker
from storage.rank import features as F
from storage.rank import model as M
from storage.rank.features import TOKEN, paper_terms


def _stop_words():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS


ENGLISH_STOP_WORDS = _stop_words()


@pytest.fixture
def store(tmp_path):
    return build(tmp_path / "data")


def star_decoding(store, n=6):
    store.set_star(of(store, "d")[:n], True)


def test_positives_rank_above_negatives(store):
    star_decoding(store)
    store.set_status(of(store, "r")[:4], Status.SKIPPED)
    inbox = store.view_ids("inbox")
    ranked = Ranker(store).interest(inbox)
    assert ranked.ranked and not ranked.reason
    top = ranked.ids[: len(of(store, "d")) - 6]
    assert all(pid.startswith("d") for pid in top), ranked.ids
    scores = [ranked.scores[pid] for pid in ranked.ids]
    assert scores == sorted(scores, reverse=True)


def test_a_skip_lowers_similar_papers(store):
    star_decoding(store)
    store.set_star(["r001"], True)  # one robot paper liked, so robot papers are not all at the bottom anyway
    robots = [pid for pid in of(store, "r") if pid != "r001"]
    before = Ranker(store).interest(store.view_ids("inbox"))
    store.set_status(robots[:3], Status.SKIPPED)
    after = Ranker(store).interest(store.view_ids("inbox"))
    rest = robots[3:]
    drop = [after.scores[p] - before.scores[p] for p in rest]
    assert sum(d < 0 for d in drop) > len(rest) * 0.8, drop
    decoding = [p for p in of(store, "d")[6:]]
    assert sum(after.scores[p] - before.scores[p] for p in decoding) > sum(drop)


def test_explanation_words_are_features_of_the_paper(store):
    star_decoding(store)
    ranker = Ranker(store)
    ranked = ranker.interest(store.view_ids("inbox"))
    seen_plus = seen_minus = False
    for pid in ranked.ids[:3] + ranked.ids[-3:]:
        p = store.get(pid)
        why = ranker.why(ranked, pid)
        assert why, pid
        terms = set(paper_terms(p.title, p.abstract, p.authors))
        text = " ".join(f"{p.title} {p.abstract}".split())
        for line in why:
            mark, shown = line.split(" ", 1)
            assert mark in "+-"
            seen_plus |= mark == "+"
            seen_minus |= mark == "-"
            if shown in p.authors:
                assert "au:" + shown.lower() in terms
                continue
            assert all(part.strip() in text for part in shown.split("\u2026")), (line, pid)  # as the paper has them
            words = [w for w in re.findall(TOKEN, shown.lower()) if w not in ENGLISH_STOP_WORDS]
            assert " ".join(words) in terms, (line, pid)  # and a feature of it
    assert seen_plus and seen_minus


def test_top_paper_is_explained_by_the_starred_topic(store):
    star_decoding(store)
    ranker = Ranker(store)
    ranked = ranker.interest(store.view_ids("inbox"))
    why = " ".join(ranker.why(ranked, ranked.ids[0]))
    assert any(phrase in why for phrase in ["speculative", "decoding", "kv", "cache", "draft", "token", "attention",
                                            "beam", "Ada Quill", "Bo Renn", "Cy Dee"]), why


def test_under_five_positives_the_order_stays_by_date_and_says_why(store):
    store.set_star(of(store, "d")[: MIN_POSITIVES - 1], True)
    inbox = store.view_ids("inbox")
    ranked = Ranker(store).interest(inbox)
    assert ranked.ids == inbox and ranked.scores is None
    assert "needs 5" in ranked.reason and "you have 4" in ranked.reason and "date order" in ranked.reason
    assert not (store.dir / "rank" / M.MODEL_FILE).exists()


def test_more_like_this_puts_the_paper_first_then_its_topic(store):
    ranked = Ranker(store).like("r005", store.view_ids("all"))
    assert ranked.ids[0] == "r005"
    assert sum(p.startswith("r") for p in ranked.ids[1:11]) >= 9, ranked.ids[:11]
    assert ranked.scores["r005"] == pytest.approx(1.0, abs=1e-5)


def test_like_a_tag_puts_its_papers_first_then_papers_like_them(store):
    store.add_tags(["r001", "r003"], ["robots"])
    ranked = Ranker(store).interest(store.view_ids("all"), tag="robots")
    assert ranked.ranked and ranked.ids[:2] == sorted(ranked.ids[:2], key=lambda p: -ranked.scores[p])
    assert set(ranked.ids[:2]) == {"r001", "r003"}
    assert sum(p.startswith("r") for p in ranked.ids[2:12]) >= 8, ranked.ids[:12]
    assert ranked.label == "interest: like +robots"
    missing = Ranker(store).interest(store.view_ids("all"), tag="nothing")
    assert missing.scores is None and "no paper has the tag" in missing.reason


def test_the_model_is_saved_and_a_stale_one_is_fitted_again(store):
    star_decoding(store)
    Ranker(store).interest(store.view_ids("inbox"))
    path = store.dir / "rank" / M.MODEL_FILE
    sig = Ranker(store).signals()
    assert M.load(store.dir, sig.fingerprint()) is not None
    store.set_star(["d030"], True)
    sig2 = Ranker(store).signals()
    assert M.load(store.dir, sig2.fingerprint()) is None  # stale: fitted from other signals
    Ranker(store).interest(store.view_ids("inbox"))
    assert M.load(store.dir, sig2.fingerprint()) is not None
    path.write_bytes(b"not a model")
    assert M.load(store.dir, sig2.fingerprint()) is None
    assert Ranker(store).interest(store.view_ids("inbox")).ranked  # damaged: fitted again, not an error


def test_features_are_added_per_ingest_without_rewriting_old_rows(tmp_path):
    papers = topic_papers()
    store = build(tmp_path / "data", papers[:30])
    assert F.update(store.dir, store.library.papers) == 30
    first = sorted((store.dir / "rank").glob("features-*.npz"))
    stamp = first[0].stat().st_mtime_ns
    for p in papers[30:]:
        store.library.add(p)
    assert F.update(store.dir, store.library.papers) == 10
    assert F.update(store.dir, store.library.papers) == 0
    shards = sorted((store.dir / "rank").glob("features-*.npz"))
    assert len(shards) == 2 and shards[0].stat().st_mtime_ns == stamp
    feats = F.load(store.dir)
    assert sorted(feats.ids) == sorted(p.id for p in papers) and feats.counts.shape == (40, F.N_FEATURES)


def test_small_shards_are_merged_and_nothing_is_lost(tmp_path):
    papers = topic_papers(n_each=10)
    store = build(tmp_path / "data", papers[:2])
    F.update(store.dir, store.library.papers)
    for p in papers[2:]:
        store.library.add(p)
        F.update(store.dir, store.library.papers)
    shards = list((store.dir / "rank").glob("features-*.npz"))
    assert len(shards) < F.MAX_SMALL
    assert sorted(F.load(store.dir).ids) == sorted(p.id for p in papers)


def test_a_damaged_shard_is_dropped_and_its_papers_featurised_again(store):
    star_decoding(store)
    Ranker(store).interest(store.view_ids("inbox"))
    for shard in (store.dir / "rank").glob("features-*.npz"):
        shard.write_bytes(b"garbage")
    ranked = Ranker(store).interest(store.view_ids("inbox"))
    assert ranked.ranked and ranked.ids[0].startswith("d")
    assert len(F.load(store.dir).ids) == 40


def test_ingest_writes_the_new_papers_features(tmp_path):
    feed = tmp_path / "feed.bib"
    feed.write_text("@article{a1, title={Speculative Decoding with Draft Models}, author={Ada Quill},"
                    " abstract={A kv cache trick.}, year={2026}}\n"
                    "@article{a2, title={Tactile Sensors for Robot Grasping}, author={Lu Grip},"
                    " abstract={A gripper control trick.}, year={2026}}\n")
    from storage.store import Store

    store = Store(tmp_path / "data")
    report = store.ingest([str(feed)])
    assert report.new == 2, report
    assert F.known_ids(store.dir) == {p.id for p in store.library.papers}


def test_a_paper_with_no_words_still_has_a_place(store):
    store.library.add(Paper(id="empty1", title="", sources=[Source("f", "2026-11-30")]))
    star_decoding(store)
    ranker = Ranker(store)
    ranked = ranker.interest(store.view_ids("inbox"))
    assert "empty1" in ranked.ids and ranker.why(ranked, "empty1") == []
    assert Ranker(store).like("empty1", store.view_ids("all")).ids[0] == "empty1"


@pytest.mark.parametrize("module", ["storage.store", "storage.rank", "storage.rank.views", "tui.cli"])
def test_importing_does_not_import_scikit_learn_or_numpy(module):
    code = f"import sys, {module}; print('sklearn' in sys.modules, 'numpy' in sys.modules, 'scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False"]


def test_features_of_another_version_are_rebuilt(store, monkeypatch):
    F.update(store.dir, store.library.papers)
    monkeypatch.setattr(F, "FEATURES_VERSION", F.FEATURES_VERSION + 1)
    assert F.known_ids(store.dir) == set()  # an old shard counts as none (and is cleared)
    assert F.update(store.dir, store.library.papers) == 40
    assert len(F.load(store.dir).ids) == 40


def test_title_words_are_terms_twice_and_title_and_abstract_read_as_one_text():
    terms = paper_terms("Quantum Widgets", "Sparse gadgets win.", ["Ada Quill"])
    assert terms.count("quantum") == 1 and "ti:quantum" in terms and "ti:quantum widgets" in terms
    assert "ti:sparse" not in terms and "ti:gadgets" not in terms  # abstract words are not title terms
    assert "widgets sparse" in terms  # one text, as arxiv-sanity-lite reads it
    assert "au:ada quill" in terms


def test_an_explanation_names_a_title_word_once_without_its_prefix(store):
    star_decoding(store)
    ranker = Ranker(store)
    ranked = ranker.interest(store.view_ids("inbox"))
    lines = [line for pid in ranked.ids[:5] + ranked.ids[-5:] for line in ranker.why(ranked, pid)]
    assert lines and not any("ti:" in line for line in lines), lines
    for pid in ranked.ids[:5]:
        shown = [line.split(" ", 1)[1] for line in ranker.why(ranked, pid)]
        assert len(shown) == len(set(shown)), shown

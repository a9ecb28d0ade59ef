"""Ranking: speed at 100,000 papers, and how good the interest order is on a labelled synthetic set.

    python tests/benchmarks/bench_rank.py speed --work DIR [--papers 100000]
    python tests/benchmarks/bench_rank.py quality [--papers 6000] [--topics 10] [--seeds 3]

speed: a library of PAPERS papers (benchlib.library, made once per work dir) gets its features (the full build an
upgrade does once), then a day of 1,000 new papers (another generator seed, so all distinct) is ingested through
`Store.ingest`; the time inside the ranking hook is reported apart from the whole ingest. Then a user stars 20
papers of one topic and the re-rank after one more triage action (what the app's worker does: signals, refit, score
every paper, sort) is timed, five times; also the first load of the features into a fresh process's Ranker.

quality: papers from `storage.synth.generate` (repeats dropped), labelled by the topic their abstract opens with
("a ... method for protein design."). Twenty topics; each abstract also names 5-9 random other topics, so a topic's
words are in about a third of all papers. A user stars k papers of one topic (k = 1, 3, 10, 30); precision@20 is
the share of that topic among the first 20 unstarred papers of the order, averaged over topics and seeds, against
the base rate (the topic's share: what the date order gives) and against arxiv-sanity-lite's recipe as published
(TfidfVectorizer max_features 20000, min_df 5, max_df 0.1, uni+bigrams, sublinear tf; LinearSVC balanced, C 0.01,
every other paper a negative). "+ skips": the user also skipped 2k papers of other topics.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import time
from pathlib import Path

import benchlib
from storage import synth
from storage.model import Paper, Source
from storage.rank import features as F
from storage.rank import model as M
from storage.rank.signals import SKIP_WEIGHT, Signals

_TOPIC = re.compile(r"^We introduce (\S+), an? [\w-]+ method for (.+?)\. ")


# -- speed ------------------------------------------------------------------------------------------------------------
def speed(work: Path, papers: int) -> dict:
    import shutil

    from storage.rank import Ranker
    from storage.store import Store

    src = benchlib.library(work, papers)
    out: dict = {"papers": papers}
    # The full build (what an upgrade does once) goes into the benchmark's own library, so that a second run skips it.
    lib = Store(src)
    lib.library.load_abstracts()
    t, c = time.perf_counter(), time.process_time()
    built = F.update(src, lib.library.papers)
    if built:
        out["full_build_papers"] = built
        out["full_build_s"] = round(time.perf_counter() - t, 2)
        out["full_build_cpu_s"] = round(time.process_time() - c, 2)
    data = benchlib.fresh_copy(src, work / "rank-speed")
    (data / "rank").mkdir()
    for shard in (src / "rank").glob("features-*.npz"):
        os.link(shard, data / "rank" / shard.name)
    store = Store(data)
    store.library.load_abstracts()

    day = work / "rank-day"
    shutil.rmtree(day, ignore_errors=True)
    day.mkdir()
    new, _ = labelled(1000, seed=99)  # distinct papers; "(new)" keeps them apart from the library's titles too
    entries = [(f"{p.title} (new)", p.abstract) for p in new]
    (day / "2027-01-02.txt").write_text(synth._HEADER + synth._page_text("2027-01-02", entries, True))
    hook = {"s": 0.0, "cpu": 0.0}
    real = F.update

    def timed(*a, **k):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return real(*a, **k)
        finally:
            hook["s"] += time.perf_counter() - t0
            hook["cpu"] += time.process_time() - c0

    # scikit-learn's hashing import (once per process, whatever the ingest) is reported apart from the day's features.
    t, c = time.perf_counter(), time.process_time()
    F.count_rows([("warm", "up", ())])
    out["hashing_import_s"] = round(time.perf_counter() - t, 2)
    out["hashing_import_cpu_s"] = round(time.process_time() - c, 2)
    F.update = timed
    t = time.perf_counter()
    report = store.ingest([str(day)])
    out["ingest_day_s"] = round(time.perf_counter() - t, 2)
    F.update = real
    out["features_for_day_cpu_s"] = round(hook["cpu"], 2)
    out["ingest_day_new"] = report.new
    out["features_for_day_s"] = round(hook["s"], 2)
    out["shards"] = len(list((data / "rank").glob("features-*.npz")))

    store = Store(data)
    store.library.load_abstracts()
    import sklearn.svm  # noqa: F401 - its import (seconds on a loaded machine) is not the features' load

    t, c = time.perf_counter(), time.process_time()
    ranker = Ranker(store)
    ranker.prepare()
    out["load_features_s"] = round(time.perf_counter() - t, 2)
    out["load_features_cpu_s"] = round(time.process_time() - c, 2)
    out["nnz_per_paper"] = round(ranker.feats.tfidf.nnz / len(ranker.feats), 1)
    topic = [p.id for p in store.library.papers if "protein design" in p.title.lower()]
    store.set_star(topic[:20], True)
    inbox = store.view_ids("inbox")
    times, cpu = [], []
    every = store.ordered_ids()
    for pid in topic[20:25]:
        store.set_star([pid], True)  # a triage action: the signals change, so the model is stale
        t, c = time.perf_counter(), time.process_time()
        ranked = ranker.interest(every)  # what the app's worker ranks: every paper
        ranked.positions()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    out["rerank_s"] = [round(x, 3) for x in times]
    out["rerank_median_s"] = round(statistics.median(times), 3)
    out["rerank_cpu_median_s"] = round(statistics.median(cpu), 3)
    # The sample of unlabelled papers: its size against precision@20 at this library size (labels: the topic the
    # abstract opens with; 10 stars of one topic).
    labels = {p.id: (m.group(2).lower() if (m := _TOPIC.match(p.abstract)) else "") for p in store.library.papers}
    members = [pid for pid, t in labels.items() if t == "protein design"]
    from storage.rank.signals import Signals as Sig

    chosen = random.Random(3).sample(members, 10)
    sig = Sig({pid: 1.0 for pid in chosen}, {})
    for sample in (2_000, 5_000, 20_000, None):
        t, c = time.perf_counter(), time.process_time()
        m = M.fit(ranker.feats, sig, sample=sample)
        fit_cpu = time.process_time() - c
        scores = m.scores(ranker.feats)
        order = [ranker.feats.ids[i] for i in (-scores).argsort()[:60] if ranker.feats.ids[i] not in chosen][:20]
        out[f"sample_{sample or 'all'}"] = {"fit_cpu_s": round(fit_cpu, 3),
                                             "p_at_20": sum(labels[p] == "protein design" for p in order) / 20}
    t, c = time.perf_counter(), time.process_time()
    ranker.like(inbox[10], every).positions()
    out["like_s"] = round(time.perf_counter() - t, 3)
    out["like_cpu_s"] = round(time.process_time() - c, 3)
    top = ranked.ids[:20]
    out["top20_protein_design"] = sum("protein design" in store.get(p).title.lower() for p in top)
    out["peak_rss_mb"] = benchlib.peak_rss_mb()
    return out


# -- the app's thread while a worker re-ranks --------------------------------------------------------------------------
def gaps(data: Path, rounds: int = 3) -> dict:
    """A thread re-ranks (as the app's worker) while the main thread sleeps 1 ms at a time: how late it wakes is how
    long a key would wait. Also the main thread's own share: arranging the inbox by the new order, one "why"."""
    import sys
    import threading

    from storage.rank import Ranker
    from storage.store import Store

    sys.setswitchinterval(0.001)  # as the app sets it
    store = Store(data)
    store.library.load_abstracts()
    ranker = Ranker(store)
    every = store.ordered_ids()
    ranked = ranker.interest(every)
    inbox = store.view_ids("inbox")
    out: dict = {"papers": len(every), "inbox": len(inbox)}
    pos = ranked.positions()
    c = time.process_time()
    sorted(inbox, key=pos.__getitem__)
    out["arrange_inbox_cpu_s"] = round(time.process_time() - c, 3)
    c = time.process_time()
    ranker.why(ranked, inbox[0])
    out["why_cpu_s"] = round(time.process_time() - c, 4)
    runs = []
    for pid in [p for p in every if not store.state_of(p).starred][:rounds]:
        store.set_star([pid], True)
        done = threading.Event()

        def work() -> None:
            ranker.interest(every).positions()
            done.set()

        th = threading.Thread(target=work)
        waits = []
        th.start()
        last = time.perf_counter()
        while not done.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            waits.append(now - last)
            last = now
        th.join()
        waits.sort()
        runs.append({"median_ms": round(1000 * statistics.median(waits), 1),
                     "p90_ms": round(1000 * waits[int(len(waits) * 0.9)], 1), "max_ms": round(1000 * waits[-1], 1)})
    out["main_thread_waits"] = runs
    return out


# -- quality ----------------------------------------------------------------------------------------------------------
def labelled(n: int, seed: int = 11) -> tuple[list[Paper], list[str]]:
    papers, labels, seen = [], [], set()
    for i, (day, title, abstract) in enumerate(synth.generate(int(n / 0.85) + 50, seed=seed)):
        m = _TOPIC.match(abstract)
        if not m or m.group(1) in seen:  # a repeat (noisy copy) of an earlier paper: one paper, one label
            continue
        seen.add(m.group(1))
        papers.append(Paper(id=f"p{i}", title=title, abstract=abstract, authors=[f"Author {i % 97}"],
                            sources=[Source("f", day)]))
        labels.append(m.group(2).lower())
        if len(papers) == n:
            break
    return papers, labels


def asl_scores(texts: list[str], y) -> "list[float]":
    """arxiv-sanity-lite's recipe (its compute.py and serve.py), fitted on this set."""
    import numpy as np
    from sklearn import svm
    from sklearn.feature_extraction.text import TfidfVectorizer

    v = TfidfVectorizer(input="content", encoding="utf-8", decode_error="replace", strip_accents="unicode",
                        lowercase=True, analyzer="word", stop_words="english",
                        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b", ngram_range=(1, 2), max_features=20000,
                        norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True, max_df=0.1, min_df=5)
    x = v.fit_transform(texts).astype(np.float32)
    clf = svm.LinearSVC(class_weight="balanced", verbose=False, max_iter=10000, tol=1e-6, C=0.01)
    clf.fit(x, y)
    return clf.decision_function(x)


def precision_at(scores, labels, topic, exclude, k=20) -> float:
    order = sorted((i for i in range(len(labels)) if i not in exclude), key=lambda i: -scores[i])[:k]
    return sum(labels[i] == topic for i in order) / k


def quality(n: int, n_topics: int, seeds: int, ks=(1, 3, 10, 30), ablations: bool = False) -> dict:
    import numpy as np

    papers, labels = labelled(n)
    feats = F.Features([p.id for p in papers], F.count_rows((p.title, p.abstract, p.authors) for p in papers))
    feats.row = {pid: i for i, pid in enumerate(feats.ids)}
    narrow = F.Features(feats.ids, feats.counts, feats.row)
    narrow._tfidf = F.weigh(feats.counts, feats.idf(max_df=0.1))
    texts = [p.title + ". " + p.abstract for p in papers]
    topics = sorted(set(labels), key=lambda t: -labels.count(t))[:n_topics]
    methods = ["date (base rate)", "arxiv-sanity-lite", "papertriage", "papertriage + skips", "papertriage max_df 0.1"]
    variants = {}
    fits: dict = {}
    if ablations:  # each difference to arxiv-sanity-lite's recipe alone
        bare = F.Features(feats.ids, F.count_rows((p.title, p.abstract, ()) for p in papers), feats.row)
        variants["papertriage, no author terms"] = bare
        mindf = F.Features(feats.ids, feats.counts, feats.row)
        mindf._tfidf = F.weigh(feats.counts, feats.idf(min_df=5))
        variants["papertriage, min_df 5"] = mindf

        def rows(terms):
            m = F._hasher().transform(terms(p) for p in papers)
            m.sum_duplicates()
            return F.Features(feats.ids, m, feats.row)

        w, au = F._words(), (lambda p: ["au:" + a.lower() for a in p.authors])
        variants["papertriage, no title terms"] = rows(lambda p: w(f"{p.title}. {p.abstract}") + au(p))
        variants["papertriage, title and abstract apart"] = rows(
            lambda p: w(p.title) + w(p.abstract) + [F.TITLE + t for t in w(p.title)] + au(p))
        variants["papertriage, C 0.01"] = feats
        fits["papertriage, C 0.01"] = {"c": 0.01}
        variants["papertriage, all papers negatives"] = feats
        fits["papertriage, all papers negatives"] = {"sample": None}
        methods += list(variants)
    result: dict = {"papers": len(papers), "topics": len(topics), "seeds": seeds, "p_at_20": {}}
    for k in ks:
        got: dict[str, list[float]] = {m: [] for m in methods}
        for topic in topics:
            members = [i for i, t in enumerate(labels) if t == topic]
            others = [i for i, t in enumerate(labels) if t != topic]
            for seed in range(seeds):
                rng = random.Random(seed * 1000 + k)
                starred = rng.sample(members, k)
                skipped = rng.sample(others, 2 * k)
                base = (len(members) - k) / (len(papers) - k)
                got["date (base rate)"].append(base)
                y = np.zeros(len(papers), dtype=np.int8)
                y[starred] = 1
                got["arxiv-sanity-lite"].append(precision_at(asl_scores(texts, y), labels, topic, set(starred)))
                pos = {papers[i].id: 1.0 for i in starred}
                sig = Signals(pos, {})
                got["papertriage"].append(
                    precision_at(M.fit(feats, sig).scores(feats), labels, topic, set(starred)))
                sig = Signals(pos, {papers[i].id: SKIP_WEIGHT for i in skipped})
                got["papertriage + skips"].append(
                    precision_at(M.fit(feats, sig).scores(feats), labels, topic, set(starred) | set(skipped)))
                got["papertriage max_df 0.1"].append(
                    precision_at(M.fit(narrow, Signals(pos, {})).scores(narrow), labels, topic, set(starred)))
                for name, f in variants.items():
                    got[name].append(precision_at(M.fit(f, Signals(pos, {}), **fits.get(name, {})).scores(f), labels,
                                                  topic, set(starred)))
        result["p_at_20"][k] = {m: round(statistics.mean(v), 3) for m, v in got.items()}
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    s = sub.add_parser("speed")
    s.add_argument("--work", type=Path, default=Path("/tmp/papertriage-bench"))
    s.add_argument("--papers", type=int, default=100_000)
    s = sub.add_parser("gaps")
    s.add_argument("--data", type=Path, default=Path("/tmp/papertriage-bench/rank-speed"),
                   help="a data dir with papers starred (the one `speed` leaves)")
    s = sub.add_parser("quality")
    s.add_argument("--papers", type=int, default=6000)
    s.add_argument("--topics", type=int, default=10)
    s.add_argument("--seeds", type=int, default=3)
    s.add_argument("--stars", default="1,3,10,30", help="numbers of starred papers, comma-separated")
    s.add_argument("--ablations", action="store_true", help="also each difference to the anchor alone")
    args = ap.parse_args(argv)
    if args.what == "gaps":
        benchlib.emit({"gaps": gaps(args.data), "machine": benchlib.machine()})
    elif args.what == "speed":
        benchlib.emit({"speed": speed(args.work, args.papers), "machine": benchlib.machine()})
    else:
        ks = tuple(int(k) for k in args.stars.split(","))
        benchlib.emit({"quality": quality(args.papers, args.topics, args.seeds, ks, args.ablations),
                       "machine": benchlib.machine()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Orders of a list of papers: by interest (the user's model, or a tag's), or by likeness to one paper.

`Ranker` keeps one data dir's features and fitted models in memory, so a re-rank after a triage action is a refit
on a sample plus one sparse product. It needs the whole library and its abstracts (the app's worker has them after
the first paint; the CLI reads them). Everything it writes is derived data under `rank/`; a failure to write only
means the work is done again next time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from . import features as F
from . import model as M
from .signals import MIN_POSITIVES, Signals, fallback_reason, signals

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

WHY_TERMS = 3


@dataclass
class Ranked:
    """`ids` in order. `scores` is None when the order fell back to date; `reason` then says why."""

    ids: list[str]
    scores: Mapping[str, float] | None = None
    reason: str = ""
    label: str = "date"  # what the header says: "interest", "interest: like +tag", "like <title>"
    weights: "np.ndarray | None" = field(default=None, repr=False)  # what `why` explains with
    _positions: "Positions | None" = field(default=None, repr=False)

    @property
    def ranked(self) -> bool:
        return self.scores is not None

    def positions(self) -> "Positions":
        """Each id's place (made once: a worker makes it, so the app's thread only looks places up)."""
        if self._positions is None:
            self._positions = _chunked(self.ids, Positions())
        return self._positions


CHUNK = 4096


def _chunked(ids: Sequence[str], into: dict | None = None) -> dict:
    """{id: index}, built a few thousand at a time: one dict() of 100,000 keys is one C call that holds the GIL
    for a long moment (keys in the app wait for it); between pieces the app's thread gets its turn."""
    out = {} if into is None else into
    for start in range(0, len(ids), CHUNK):
        out.update(zip(ids[start : start + CHUNK], range(start, start + CHUNK)))
    return out


class Scores(Mapping):
    """Paper id -> score, read from the scores array on demand (no dict of 100,000 floats to build)."""

    def __init__(self, index: dict[str, int], values: "np.ndarray") -> None:
        self._index, self._values = index, values

    def __getitem__(self, pid: str) -> float:
        return float(self._values[self._index[pid]])

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


class Positions(dict):
    """Paper id -> place in an order; an id the order does not know (a paper new since) goes after all."""

    def __missing__(self, pid: str) -> int:
        return len(self)


class Ranker:
    def __init__(self, store, *, now: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.now = now
        self.feats: F.Features | None = None
        self._models: dict[tuple[str, str], M.Model | None] = {}  # (tag or "", fingerprint) -> model
        self._lock = threading.RLock()  # the app explains on its main thread while a worker may re-rank

    # -- features -----------------------------------------------------------------------------------------------------
    def prepare(self, progress: Callable[[int], None] | None = None) -> F.Features:
        """Rows for every paper of the library (featurising the missing ones, saved when the disk lets us)."""
        with self._lock:
            lib = self.store.library
            papers = lib.papers
            feats = self.feats
            if feats is not None and len(feats) == len(papers) and all(p.id in feats.row for p in papers):
                return feats
            lib.load_abstracts()
            known = {p.id for p in papers}
            if feats is None or any(pid not in known for pid in feats.ids):
                feats = F.load(self.store.dir, known)
            missing = [p for p in papers if p.id not in feats.row]
            if missing:
                if progress and len(missing) > 1000:
                    progress(len(missing))
                try:
                    F.update(self.store.dir, missing)
                    feats = F.load(self.store.dir, known)
                except OSError:  # a read-only data dir: rank from rows made in memory
                    feats = F.load(self.store.dir, known)
                todo = [p for p in papers if p.id not in feats.row]
                if todo:
                    feats = _with_rows(feats, todo)
            _ = feats.tfidf  # weighed here, in the worker, before anyone else sees these rows
            feats.counts = None  # the raw counts are on disk (80 MB at 100k papers): the next rows reload them
            self.feats = feats
            self._models.clear()  # the idf moved with the new rows
            return feats

    # -- orders -------------------------------------------------------------------------------------------------------
    def signals(self, tag: str | None = None) -> Signals:
        st = self.store.state
        states = st.states if st else {}
        return signals(states, self.store.library.by_id, now=self.now() if self.now else None, tag=tag)

    def model(self, sig: Signals, tag: str | None = None) -> M.Model | None:
        with self._lock:
            feats = self.prepare()
            key = (tag or "", sig.fingerprint())
            if key in self._models:
                return self._models[key]
            model = M.load(self.store.dir, key[1]) if not tag else None
            if model is None:
                model = M.fit(feats, sig)
                if model is not None and not tag:
                    M.save(self.store.dir, model)
            self._models = {k: v for k, v in self._models.items() if k[0] != key[0]}
            self._models[key] = model
            return model

    def interest(self, ids: Sequence[str], tag: str | None = None) -> Ranked:
        """`ids` by the user's model, or with `tag` by that tag's model with the tag's own papers first. Under
        MIN_POSITIVES positives (any for a tag) the ids stay in their order and `reason` says why."""
        sig = self.signals(tag)
        if tag:
            if not sig.positive:
                return Ranked(list(ids), reason=f"no paper has the tag {tag!r} yet: showing date order")
        elif not sig.enough:
            return Ranked(list(ids), reason=fallback_reason(len(sig.positive)))
        model = self.model(sig, tag)
        if model is None:
            return Ranked(list(ids), reason="nothing to learn from yet: showing date order")
        feats = self.feats
        ranked = self._order(ids, model.scores(feats), first=set(sig.positive) if tag else set())
        ranked.label, ranked.weights = ("interest: like +" + tag) if tag else "interest", model.w
        return ranked

    def like(self, pid: str, ids: Sequence[str]) -> Ranked:
        """`ids` by cosine similarity to paper `pid`, the paper itself first (added when not among `ids`)."""
        from .like import query_vector, similarities

        with self._lock:
            feats = self.prepare()
        q = query_vector(feats, [pid])
        pool = list(ids) if pid in ids else [pid, *ids]
        if q is None:
            return Ranked(pool, reason="this paper has no words to compare")
        ranked = self._order(pool, similarities(feats, q), first={pid})
        ranked.label, ranked.weights = "like " + pid, q
        return ranked

    def _order(self, ids: Sequence[str], scores: "np.ndarray", first: set[str]) -> Ranked:
        import numpy as np

        row = self.feats.row
        rows = np.fromiter((row.get(pid, -1) for pid in ids), dtype=np.int64, count=len(ids))
        got = np.where(rows >= 0, scores[rows], -np.inf)
        lead = np.fromiter((pid in first for pid in ids), dtype=bool, count=len(ids)) if first else np.zeros(len(ids), bool)
        # Stable: equal scores keep the order given (the feed date's); `first` papers before all others.
        order = np.lexsort((np.arange(len(ids)), -got, ~lead))
        return Ranked([ids[i] for i in order.tolist()], Scores(dict(zip(ids, range(len(ids)))) if len(ids) < CHUNK
                                                              else _chunked(ids), got))

    def why(self, ranked: Ranked, pid: str, k: int = WHY_TERMS) -> list[str]:
        """The paper's terms that moved its place most in `ranked` (empty for a date order)."""
        feats = self.feats  # no lock: the rows and weights are never changed in place, only replaced, so the app's
        if ranked.weights is None or feats is None:  # main thread explains while a worker may be re-ranking
            return []
        p = self.store.get(pid)
        return M.explain(feats, ranked.weights, pid, p.title, self.store.abstract(pid), p.authors, k)


def _with_rows(feats: F.Features, papers) -> F.Features:
    from scipy.sparse import vstack

    rows = F.count_rows((p.title, p.abstract, p.authors) for p in papers)
    ids = feats.ids + [p.id for p in papers]
    counts = rows if feats.counts is None else vstack([feats.counts, rows], format="csr")
    return F.Features(ids, counts, {pid: i for i, pid in enumerate(ids)})


def after_ingest(store) -> None:
    """The ingest hook: rows for the new papers. Never fails an ingest (derived data: rebuilt when needed)."""
    try:
        F.update(store.dir, store.library.papers)
    except Exception:  # noqa: BLE001 - a ranking failure must not lose an ingest
        pass


__all__ = ["MIN_POSITIVES", "Ranked", "Ranker", "after_ingest"]

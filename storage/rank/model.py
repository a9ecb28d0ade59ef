"""The interest model: a linear SVM over the TF-IDF rows, fitted from the user's signals; scores and explanations.

arxiv-sanity-lite's recipe is the anchor: LinearSVC, balanced class weights, C = 0.01, positives against every other
paper. Three changes, both measured in tests/benchmarks/bench_rank.py (BENCHMARKS.md, "Ranking"):
- the other papers are a fixed-seed sample of at most UNLABELLED_SAMPLE (not all 100,000), which keeps a refit after
  each triage action well under a second at the same precision;
- C is 0.005: with the title terms (features.py) a softer margin ranks better from one to three stars;
- skipped papers are explicit negatives weighing SKIP_WEIGHT, and every signal fades with its age (signals.py).

The fitted weights are saved as `rank/model.npz` with the fingerprint of the signals they came from; a model whose
fingerprint differs from the current signals is stale and is fitted again. Deleting the file is always safe.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..atomic import atomic_write
from ..normalize import fold
from .features import FEATURES_VERSION, TITLE, Features, paper_terms, phrase, rank_dir, term_columns
from .signals import Signals

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

MODEL_FILE = "model.npz"
MODEL_VERSION = 1
C = 0.005  # arxiv-sanity-lite's 0.01 measured worse with 1-3 stars (BENCHMARKS.md, "Ranking")
UNLABELLED_SAMPLE = 5_000
SEED = 1729


@dataclass
class Model:
    w: "np.ndarray"  # one weight per feature column (float32)
    b: float
    fingerprint: str

    def scores(self, feats: Features) -> "np.ndarray":
        """One score per feature row (higher: more interesting)."""
        return feats.tfidf @ self.w + self.b


def training_rows(feats: Features, sig: Signals, sample: int = UNLABELLED_SAMPLE, seed: int = SEED):
    """(rows, labels, weights): the labelled rows, and a sample of the others as weak negatives (weight 1)."""
    import numpy as np

    pos = [(feats.row[p], w) for p, w in sig.positive.items() if p in feats.row]
    neg = [(feats.row[p], w) for p, w in sig.negative.items() if p in feats.row]
    labelled = np.zeros(len(feats), dtype=bool)
    labelled[[r for r, _ in pos + neg]] = True
    rest = np.flatnonzero(~labelled)
    if sample is not None and len(rest) > sample:
        rest = np.sort(np.random.default_rng(seed).choice(rest, size=sample, replace=False))
    rows = np.array([r for r, _ in pos] + [r for r, _ in neg] + rest.tolist(), dtype=np.int64)
    y = np.array([1] * len(pos) + [0] * (len(neg) + len(rest)), dtype=np.int8)
    weights = np.array([w for _, w in pos] + [w for _, w in neg] + [1.0] * len(rest), dtype=np.float64)
    return rows, y, weights


def fit(feats: Features, sig: Signals, *, c: float = C, sample: int | None = UNLABELLED_SAMPLE,
        weighted: bool = True) -> Model | None:
    """None when there is nothing to fit (no positive with features, or no other paper at all)."""
    import numpy as np
    from sklearn.svm import LinearSVC

    rows, y, weights = training_rows(feats, sig, sample)
    if not y.any() or y.all():
        return None
    clf = LinearSVC(class_weight="balanced", C=c, max_iter=2000, tol=1e-4)
    clf.fit(feats.tfidf[rows], y, sample_weight=weights if weighted else None)
    return Model(clf.coef_.ravel().astype(np.float32), float(clf.intercept_[0]), sig.fingerprint())


# -- on disk ----------------------------------------------------------------------------------------------------------
def save(data_dir: Path, model: Model) -> None:
    """Best effort: a model that cannot be written is fitted again next time."""
    import numpy as np

    buf = io.BytesIO()
    meta = json.dumps({"version": MODEL_VERSION, "features": FEATURES_VERSION, "b": model.b,
                       "fingerprint": model.fingerprint}).encode()
    np.savez(buf, meta=np.frombuffer(meta, dtype=np.uint8), w=model.w)
    try:
        rank_dir(data_dir).mkdir(parents=True, exist_ok=True)
        atomic_write(rank_dir(data_dir) / MODEL_FILE, buf.getvalue(), backup=False)
    except OSError:
        pass


def load(data_dir: Path, fingerprint: str) -> Model | None:
    """The saved model when it was fitted from these signals; None when missing, stale or unreadable."""
    import numpy as np

    path = rank_dir(data_dir) / MODEL_FILE
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode())
            w = z["w"]
    except FileNotFoundError:
        return None
    except Exception:  # damaged: derived data, fit again
        return None
    if (meta.get("version") != MODEL_VERSION or meta.get("features") != FEATURES_VERSION
            or meta.get("fingerprint") != fingerprint or w.ndim != 1):
        return None
    return Model(w.astype(np.float32, copy=False), float(meta.get("b", 0.0)), fingerprint)


# -- explanations -----------------------------------------------------------------------------------------------------
def explain(feats: Features, weights: "np.ndarray", pid: str, title: str, abstract: str,
            authors: Sequence[str], k: int = 3) -> list[str]:
    """The paper's own terms that moved its score most: up to k that pushed it up ("+ kv cache"), then up to k
    that pushed it down ("- robotics"). Authors are shown as written ("+ Ada Quill")."""
    row = feats.row.get(pid)
    if row is None:
        return []
    x = feats.tfidf[row]
    value = dict(zip(x.indices.tolist(), x.data.tolist()))
    terms = list(dict.fromkeys(paper_terms(title, abstract, authors)))
    shown = {"au:" + " ".join(fold(a).split()): a for a in authors}
    contrib: dict[str, float] = {}
    for term, col in zip(terms, term_columns(terms)):
        c = value.get(col, 0.0) * float(weights[col])
        if c:  # a title term is the same words to the reader: one reason, both weights
            key = term.removeprefix(TITLE)
            contrib[key] = contrib.get(key, 0.0) + c
    out: list[str] = []
    for sign, mark in ((1, "+"), (-1, "-")):
        picked: list[str] = []
        for term in sorted((t for t, c in contrib.items() if c * sign > 0), key=lambda t: -abs(contrib[t])):
            # One mention per word: "kv cache" says "cache" already, and leaves room for another reason.
            if any(not set(term.split()).isdisjoint(p.split()) for p in picked):
                continue
            picked.append(term)
            if len(picked) == k:
                break
        text = f"{title}\n{abstract}"
        out += [f"{mark} {shown.get(t) or phrase(t, text)}" for t in picked]
    return out

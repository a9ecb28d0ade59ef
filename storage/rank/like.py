"""More like this: cosine similarity of TF-IDF rows, to one paper or to the centre of a tag's papers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from .features import Features

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np


def query_vector(feats: Features, pids: Iterable[str]) -> "np.ndarray | None":
    """The unit-length mean of the papers' rows (dense, one value per column); None when none has a row."""
    import numpy as np

    rows = [feats.row[p] for p in pids if p in feats.row]
    if not rows:
        return None
    q = np.asarray(feats.tfidf[rows].sum(axis=0)).ravel().astype(np.float32)
    norm = float(np.linalg.norm(q))
    return q / norm if norm else q


def similarities(feats: Features, q: "np.ndarray") -> "np.ndarray":
    """Cosine similarity of every row to `q` (rows are unit length)."""
    return feats.tfidf @ q

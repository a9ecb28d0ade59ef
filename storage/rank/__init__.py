"""Ranking: the inbox in the order of the user's interest, "more like this", and why each paper is where it is.

features.py (hashed term counts, written at ingest), signals.py (what triage says), model.py (fit, score,
explain), like.py (cosine similarity), ranking.py (the orders a list asks for). All of it is derived data under
`<data dir>/rank/`. Importing this package imports neither numpy nor scikit-learn: they load inside the functions
that need them, which run in the app's worker or a CLI command, never on the app's start path.
"""

from .ranking import Ranked, Ranker, after_ingest
from .signals import MIN_POSITIVES

__all__ = ["MIN_POSITIVES", "Ranked", "Ranker", "after_ingest"]

"""Paper features for ranking: hashed term counts kept on disk, added to at each ingest, never refitted.

A paper's terms are the unigrams and bigrams of its title and abstract read as one text (English stop words
dropped), the title's terms once more as title terms (`ti:kv cache`), and one term per author (`au:ada quill`).
Terms are hashed into N_FEATURES columns (scikit-learn's HashingVectorizer), so a new paper needs no vocabulary and no
old row changes: an ingest writes one more shard, `rank/features-<n>.npz`, holding the new papers' raw counts and
their ids. Small shards are merged now and then, so a library of a year of daily ingests stays a handful of files. TF-IDF
weights come from the document frequencies of all loaded rows, computed at load time (one bincount), so they too
follow the library without a refit.

Everything here is derived data: a missing or damaged shard is dropped and its papers featurised again.
scikit-learn and scipy are imported inside the functions, never at module import (the app's start path imports
storage, and must stay free of them).
"""

from __future__ import annotations

import io
import json
import os
import re
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from ..atomic import atomic_write
from ..normalize import fold

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from scipy.sparse import csr_matrix

    from ..model import Paper

N_FEATURES = 2**20
FEATURES_VERSION = 2  # the terms and their hashing: a shard of another version is rebuilt
RANK_DIR = "rank"
MERGE_BELOW = 20_000  # shards smaller than this (rows) are merged once there are MAX_SMALL of them
MAX_SMALL = 8
# Terms in more than this share of papers say nothing about a paper ("model", "results"); arxiv-sanity-lite uses
# 0.1, which at a small library or a one-field feed drops the very topic words (BENCHMARKS.md, "Ranking").
# Terms in a single paper match nothing else.
MAX_DF = 0.5
MIN_DF = 2
_SHARD_NAME = re.compile(r"^features-(\d+)-(\d+)\.npz$")  # number, rows

TOKEN = r"(?u)\b[^\W\d_][\w-]*\w\b"  # words of 2+ characters starting with a letter ("kv", "sim-to-real")
_analyzer = None


def rank_dir(data_dir: Path) -> Path:
    return Path(data_dir) / RANK_DIR


def _words():
    """Unigrams and bigrams of a text, lower case, English stop words dropped before pairing (scikit-learn's word
    n-grams, as arxiv-sanity-lite): "method for protein design" gives "method protein". Bigrams that keep such
    context measured far better than phrase-only bigrams (BENCHMARKS.md, "Ranking"); `phrase` shows the text."""
    global _analyzer
    if _analyzer is None:
        from sklearn.feature_extraction.text import HashingVectorizer

        _analyzer = HashingVectorizer(ngram_range=(1, 2), stop_words="english", token_pattern=TOKEN).build_analyzer()
    return _analyzer


def phrase(term: str, text: str) -> str:
    """A bigram as the text has it: with the stop words dropped between its words ("method for protein"), or
    "a … b" when punctuation or numbers stood between them. The term itself for a unigram or when not found."""
    words = term.split()
    if len(words) != 2 or term.startswith("au:"):
        return term
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as stop

    low = text.lower()
    if len(low) != len(text):  # a case change moved the offsets: show the term
        return term
    tokens = [(m.group(), m.start(), m.end()) for m in re.finditer(TOKEN, low) if m.group() not in stop]
    for (a, start, mid), (b, mid_end, end) in zip(tokens, tokens[1:]):
        if a == words[0] and b == words[1]:
            between = low[mid:mid_end].split()
            if all(w in stop for w in between):
                return " ".join(text[start:end].split())
            return f"{text[start:mid]} \u2026 {text[mid_end:end]}"
    return term


TITLE = "ti:"


def paper_terms(title: str, abstract: str, authors: Sequence[str]) -> list[str]:
    """The terms of one paper, repeats kept (they are its term counts). Title and abstract are one text, as
    arxiv-sanity-lite reads them; the title's words are also terms of their own, since a title names what a paper is
    about while an abstract also names what it compares with (both measured: BENCHMARKS.md, "Ranking")."""
    words = _words()
    head = words(title)
    return (words(f"{title}. {abstract}" if abstract else title) + [TITLE + t for t in head]
            + ["au:" + " ".join(fold(a).split()) for a in authors if a.strip()])


def _hasher():
    from sklearn.feature_extraction import FeatureHasher

    return FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False, dtype=_float32())


def _float32():
    import numpy as np

    return np.float32


def term_columns(terms: Sequence[str]) -> list[int]:
    """The column of each term (the same hashing as the stored rows)."""
    if not terms:
        return []
    return _hasher().transform([[t] for t in terms]).indices.tolist()


def count_rows(papers: Iterable[tuple[str, str, Sequence[str]]]) -> "csr_matrix":
    """Raw term counts, one row per (title, abstract, authors)."""
    m = _hasher().transform(paper_terms(t, a, au) for t, a, au in papers)
    m.sum_duplicates()
    return m


@dataclass
class Features:
    """All rows loaded: `ids[i]` is the paper of row i of `counts` (raw) and `tfidf` (weighted, unit rows)."""

    ids: list[str] = field(default_factory=list)
    counts: "csr_matrix | None" = None
    row: dict[str, int] = field(default_factory=dict)
    _tfidf: "csr_matrix | None" = None
    _df: "np.ndarray | None" = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def df(self) -> "np.ndarray":
        if self._df is None:
            import numpy as np

            self._df = np.bincount(self.counts.indices, minlength=N_FEATURES) if self.counts is not None \
                else np.zeros(N_FEATURES, dtype=np.int64)
        return self._df

    def idf(self, max_df: float = MAX_DF, min_df: int = MIN_DF) -> "np.ndarray":
        """Smoothed idf (as scikit-learn's), zero for terms too common or too rare to tell papers apart."""
        import numpy as np

        n = max(len(self.ids), 1)
        df = self.df
        idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
        keep = (df >= min(min_df, n)) & (df <= max(max_df * n, min_df))
        idf[~keep] = 0
        return idf

    @property
    def tfidf(self) -> "csr_matrix":
        """Sublinear tf × idf, rows scaled to unit length (arxiv-sanity-lite's weighting)."""
        if self._tfidf is None:
            self._tfidf = weigh(self.counts, self.idf())
        return self._tfidf


def weigh(counts: "csr_matrix", idf: "np.ndarray") -> "csr_matrix":
    import numpy as np
    from sklearn.preprocessing import normalize

    m = counts.copy()
    if not m.shape[0]:
        return m
    m.data = (1 + np.log(m.data)) * idf[m.indices]
    m.eliminate_zeros()
    return normalize(m, norm="l2", copy=False)


# -- on disk ----------------------------------------------------------------------------------------------------------
def _shard_path(directory: Path, number: int, rows: int) -> Path:
    return directory / f"features-{number:06d}-{rows}.npz"


def _shards(directory: Path) -> list[tuple[int, int, Path]]:
    """(number, rows, path) of each shard, oldest first."""
    out = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []
    for e in entries:
        m = _SHARD_NAME.match(e.name)
        if m:
            out.append((int(m.group(1)), int(m.group(2)), Path(e.path)))
    return sorted(out)


def _read_shard(path: Path):
    import numpy as np
    from scipy.sparse import csr_matrix

    with np.load(path, allow_pickle=False) as z:
        ids = json.loads(bytes(z["ids"]).decode())
        if int(z["version"]) != FEATURES_VERSION:
            raise ValueError("features of another version")
        shape = tuple(int(x) for x in z["shape"])
        m = csr_matrix((z["data"], z["indices"], z["indptr"]), shape=shape)
    if shape != (len(ids), N_FEATURES) or not all(isinstance(i, str) for i in ids):
        raise ValueError("shape and ids disagree")
    return ids, m


def _write_shard(path: Path, ids: list[str], m: "csr_matrix") -> None:
    import numpy as np

    buf = io.BytesIO()
    np.savez(buf, version=np.array(FEATURES_VERSION), ids=np.frombuffer(json.dumps(ids).encode(), dtype=np.uint8), shape=np.array(m.shape),
             data=m.data.astype(np.float32), indices=m.indices.astype(np.int32), indptr=m.indptr.astype(np.int64))
    atomic_write(path, buf.getvalue(), backup=False)


def load(data_dir: Path, known: set[str] | None = None) -> Features:
    """Every readable shard. Rows of papers no longer in `known` (when given) and repeated ids are dropped;
    an unreadable shard is deleted (its papers are featurised again by `update`)."""
    from scipy.sparse import csr_matrix, vstack

    ids: list[str] = []
    parts = []
    seen: set[str] = set()
    for _, _, path in _shards(rank_dir(data_dir)):
        try:
            sids, m = _read_shard(path)
        except OSError:  # gone meanwhile (another process merged it) or unreadable: its papers are done again
            continue
        except Exception:  # damaged or foreign: derived data, so rebuild rather than fail
            with suppress(OSError):
                path.unlink(missing_ok=True)
            continue
        keep = [i for i, pid in enumerate(sids) if pid not in seen and (known is None or pid in known)]
        if len(keep) != len(sids):
            m = m[keep]
            sids = [sids[i] for i in keep]
        seen.update(sids)
        ids += sids
        parts.append(m)
    counts = vstack(parts, format="csr") if parts else csr_matrix((0, N_FEATURES), dtype=_float32())
    return Features(ids, counts, {pid: i for i, pid in enumerate(ids)})


def known_ids(data_dir: Path) -> set[str]:
    """The papers that have a row (reads only the shards' id lists)."""
    import numpy as np

    out: set[str] = set()
    for _, _, path in _shards(rank_dir(data_dir)):
        try:
            with np.load(path, allow_pickle=False) as z:
                if int(z["version"]) != FEATURES_VERSION:
                    raise ValueError("features of another version")
                out.update(json.loads(bytes(z["ids"]).decode()))
        except OSError:
            continue
        except Exception:
            with suppress(OSError):
                path.unlink(missing_ok=True)
    return out


def update(data_dir: Path, papers: Sequence["Paper"]) -> int:
    """Featurise the papers that have no row yet (one new shard), merge small shards; returns how many were new.
    Reads no old rows (only the shards' ids), so its cost follows the new papers, not the library."""
    have = known_ids(data_dir)
    new = [p for p in papers if p.id not in have]
    if not new:
        return 0
    directory = rank_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    rows = count_rows((p.title, p.abstract, p.authors) for p in new)
    shards = _shards(directory)
    number = shards[-1][0] + 1 if shards else 1
    _write_shard(_shard_path(directory, number, len(new)), [p.id for p in new], rows)
    _merge_small(directory)
    return len(new)


def _merge_small(directory: Path) -> None:
    """Once there are MAX_SMALL small shards, write them as one (so the file count stays small, and no ingest
    rewrites more than MERGE_BELOW × MAX_SMALL rows)."""
    from scipy.sparse import vstack

    small = [(number, path) for number, rows, path in _shards(directory) if rows < MERGE_BELOW]
    if len(small) < MAX_SMALL:
        return
    ids, parts = [], []
    for _, path in small:
        try:
            sids, m = _read_shard(path)
        except Exception:
            return  # another process is merging, or damage that `load` will clear: merge another time
        ids += sids
        parts.append(m)
    # Written under the newest number before the others go: a crash in between leaves repeats, which `load` drops.
    _write_shard(_shard_path(directory, small[-1][0], len(ids)), ids, vstack(parts, format="csr"))
    for _, path in small:
        if path != _shard_path(directory, small[-1][0], len(ids)):
            path.unlink(missing_ok=True)

"""Search over many papers: `SearchIndex.search` gives what testing `Query.matches` on each paper gives, faster.

Free words are the costly part. Testing `word in text` paper by paper costs a Python step per paper per word (about
0.2 s for 100k papers); one `str.find` pass over the papers' folded texts joined into a few long strings costs a
Python step per *hit* only, and jumps to the next paper after each. Only those hits then meet the other tests.
"""

from __future__ import annotations

import gc
from bisect import bisect_right
from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Iterable, Protocol

from ..normalize import fold
from ..pacing import paced
from .match import Query, paper_text, state_text

if TYPE_CHECKING:
    from ..model import Paper, PaperState

SEP = "\n"  # never inside a search word (words are split on whitespace), so no hit spans two papers
PART = 2048  # papers per joined part (about 2 MB of abstracts)
# After this many hits in a part, if more than one text in DENSE_SHARE has the word, the rest are tested one by one.
DENSE_AFTER = 64
DENSE_SHARE = 8


class TextIndex:
    """`texts[k]` belongs to `keys[k]`; `containing(word)` gives the keys whose text contains the word.

    The texts are joined in parts of PART papers: no single join or scan of 100 MB holds the GIL (and so the app's
    keys, when a search runs in a worker thread) for more than a millisecond or two.

    Keys and offsets are kept in tuples, not lists: a tuple of strings or ints drops out of the garbage collector's
    sight at the first collection it survives, where a list of 100k keys would be walked by every collection of its
    generation for as long as the index lives (at 100k papers: 8, then 15 ms in the first keys after the app warmed
    its indices, and more in every full collection).
    """

    def __init__(self, keys: list[str], texts: Iterable[str]) -> None:
        self.keys = tuple(keys)
        self.parts: list[tuple[str, tuple[int, ...]]] = []  # (joined texts, where each starts in it)
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) == PART:
                self._add(batch)
                batch = []
        if batch or not self.parts:
            self._add(batch)

    def _add(self, texts: list[str]) -> None:
        starts, pos = [], 0
        for text in texts:
            starts.append(pos)
            pos += len(text) + 1
        self.parts.append((SEP.join(texts), tuple(starts)))

    def containing(self, word: str) -> set[str]:
        if not word:
            return set(self.keys)
        out: list[str] = []
        for n, (blob, starts) in enumerate(self.parts):
            first = n * PART
            out += [self.keys[first + k] for k in _hits(blob, starts, word)]
        return set(out)


def _hits(blob: str, starts: tuple[int, ...], word: str) -> list[int]:
    """Indices of the texts in `blob` (texts joined by SEP, starting at `starts`) that contain `word`."""
    find = blob.find
    last = len(starts) - 1
    out: list[int] = []
    at = find(word)
    while at >= 0:
        k = bisect_right(starts, at) - 1
        out.append(k)
        if k >= last:
            break
        if len(out) >= DENSE_AFTER and len(out) * DENSE_SHARE > k:
            # A common word: a hop per hit now costs more than testing each remaining text where it lies.
            ends = starts[k + 2:] + (len(blob) + 1,)
            out += [j for j, s, e in zip(range(k + 1, last + 1), starts[k + 1:], ends) if find(word, s, e - 1) >= 0]
            break
        at = find(word, starts[k + 1])  # the rest of this text cannot add anything
    return out


class Corpus(Protocol):
    """What the index reads (the Store gives it)."""

    @property
    def papers(self) -> list[Paper]: ...  # every paper, in library order

    def get(self, pid: str) -> Paper: ...

    def state_of(self, pid: str) -> PaperState: ...

    def annotated_ids(self) -> list[str]: ...  # the papers with a stored state (a copy: it may change meanwhile)

    def load_abstracts(self) -> None: ...


class SearchIndex:
    """A store's search index: built at the first query (or `warm`), dropped by `clear` when the library changes.

    Titles, authors and ids change only on ingest, so they live in one TextIndex; tags and notes change with every
    action, so they are folded per paper (`notes`, dropped per paper by `forget` when its state changes).
    """

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.notes: dict[str, str] = {}  # paper id -> state_text
        self.clear()

    def clear(self) -> None:
        self.text: TextIndex | None = None
        self.abstracts: TextIndex | None = None
        self.titles: dict[str, str] = {}
        self.notes.clear()

    def forget(self, pids: Iterable[str] | None = None) -> None:
        """These papers' states changed (None: any may have): their tags and notes are folded again when needed."""
        if pids is None:
            self.notes.clear()
        else:
            for pid in pids:
                self.notes.pop(pid, None)

    def warm(self, *, abstracts: bool = True, pace: Callable[[], None] | None = None) -> None:
        """Build the indices now; `pace` is called every ~1,000 papers (the app's worker gives way there)."""
        self.text_index(pace)
        if abstracts:
            self.abstract_index(pace)
        # The indices' tuples leave the collector's sight at the first collection that sees them (9 ms at 100k
        # papers): let it be this one, in the warming (background) thread, not one that the app's next keys trigger.
        gc.collect(0)

    def text_index(self, pace: Callable[[], None] | None = None) -> TextIndex:
        if self.text is None:
            papers = self.corpus.papers
            self.text = TextIndex([p.id for p in papers], (paper_text(p) for p in paced(papers, pace)))
        return self.text

    def abstract_index(self, pace: Callable[[], None] | None = None) -> TextIndex:
        """The folded abstracts joined (loads the abstracts)."""
        if self.abstracts is None:
            self.corpus.load_abstracts()
            papers = self.corpus.papers
            self.abstracts = TextIndex([p.id for p in papers], (fold(p.abstract) for p in paced(papers, pace)))
        return self.abstracts

    def note_text(self, pid: str) -> str:
        text = self.notes.get(pid)
        if text is None:
            text = self.notes[pid] = state_text(self.corpus.state_of(pid))
        return text

    def word_hits(self, words: list[str], *, abstracts: bool = True) -> set[str]:
        """Papers whose text (title, authors, ids, tags, note; abstract too when `abstracts`) has every word."""
        # A copy of the keys first: the app searches in a worker thread while actions change the states.
        notes = {pid: self.note_text(pid) for pid in self.corpus.annotated_ids()}
        found: set[str] | None = None
        for word in words:
            here = self.text_index().containing(word) | {pid for pid, text in notes.items() if word in text}
            if abstracts:
                here |= self.abstract_index().containing(word)
            found = here if found is None else found & here
            if not found:
                break
        return found or set()

    def search(self, ids: Iterable[str], q: Query, *, abstracts: bool = True) -> list[str]:
        """The papers of `ids` that `q.matches`, in order; free-text hits ranked by how well the title matches."""
        hits = list(ids)
        if q.words:
            found = self.word_hits(q.words, abstracts=abstracts)
            hits = [pid for pid in hits if pid in found]
        rest = replace(q, words=[])  # the words are settled: the index found them
        if not rest.empty:
            get, state_of = self.corpus.get, self.corpus.state_of
            hits = [pid for pid in hits if rest.matches(get(pid), state_of(pid), abstracts=abstracts)]
        if q.words and len(hits) > 1:
            hits = self.rank_by_title(q.text, hits)
        return hits

    def folded_title(self, pid: str) -> str:
        title = self.titles.get(pid)
        if title is None:
            title = self.titles[pid] = fold(self.corpus.get(pid).title)
        return title
    def rank_by_title(self, text: str, pids: list[str]) -> list[str]:
        """`pids` ordered by how well their folded title matches `text` (partial ratio); ties keep their order."""
        from rapidfuzz import fuzz, process  # loaded at the first ranked search, not at every start

        titles = [self.folded_title(pid) for pid in pids]
        scores = [0.0] * len(pids)
        for _, score, k in process.extract_iter(text, titles, scorer=fuzz.partial_ratio, processor=None):
            scores[k] = score
        order = sorted(range(len(pids)), key=scores.__getitem__, reverse=True)  # a reversed sort is still stable
        return [pids[k] for k in order]

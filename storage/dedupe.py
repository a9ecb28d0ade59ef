"""Merge feed records into library papers: one Paper per real paper, and a reason for every merge.

Matching runs cheapest first: arXiv id, then the exact title key, then a fuzzy title + abstract comparison only
among papers that share a block key with the record. No step looks at the whole library, so the cost of a record
stays flat however many papers there are.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from storage.dedupe_keys import block_keys, exact_key, sighting, word_keys
from storage.model import Paper, Record, Source
from storage.normalize import abstract_key, fold, is_truncated, title_key

# fuzz.ratio on title keys. One typo in a 30-character title scores ~96, a dropped letter ~98.
TITLE_FUZZY = 90
# fuzz.ratio on abstract keys. Distinct abstracts on one topic score at most ~51 in full and ~77 over a
# 150-character prefix (measured on 224 LLM papers); a re-wrapped or re-encoded copy scores ~100.
ABSTRACT_SAME = 90
ABSTRACT_DISAGREE = 60
# A cut abstract compared over fewer characters proves little: many open with the same stock phrase (distinct
# papers reach 86 over 100 characters, 77 over 150).
MIN_PREFIX = 150
# Papers kept per block key (the most recent ones); bounds the fuzzy work per record.
BLOCK_CAP = 64
# Papers per single-word block. A word in more titles than this says nothing about which paper it is: its block
# is dropped for good, so the blocks that stay are the rare words (a coined name), and they never evict the
# original a typo'd copy is looking for, however many papers came since.
WORD_CAP = 16
_SATURATED: list = []  # the shared, always empty, member list of a dropped word block
# Abstract keys of library papers kept for reuse; bounds memory on a huge ingest (an entry is ~1.5 kB).
AKEY_CACHE = 20_000

REASON_SEEN = "already seen in this feed"

_DIGITS = re.compile(r"\d+")


@dataclass
class MergeResult:
    paper: Paper
    is_new: bool
    reason: str  # "" for a new paper


def new_paper_id(rec: Record, taken: Callable[[str], bool], tkey: str | None = None) -> str:
    """The arXiv id when known, else "h" + 12 hex of sha1(title key); "-2", "-3"... while the id is taken.

    `tkey` is `title_key(rec.title)` when the caller already has it.
    """
    if rec.arxiv_id:
        base = rec.arxiv_id
    else:
        # A title with no Latin letters or digits has an empty key; hash its folded text so such titles differ.
        key = (title_key(rec.title) if tkey is None else tkey) or fold(rec.title)
        base = "h" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
    pid, n = base, 1
    while taken(pid):
        n += 1
        pid = f"{base}-{n}"
    return pid


def _better_abstract(new: str, old: str) -> bool:
    """Untruncated beats truncated; within the same kind, longer wins. Anything beats nothing."""
    if not new:
        return False
    if not old:
        return True
    new_cut, old_cut = is_truncated(new), is_truncated(old)
    if new_cut != old_cut:
        return old_cut
    return len(new) > len(old)


def _abstract_similarity(a: str, a_cut: bool, b: str, b_cut: bool) -> float | None:
    """fuzz.ratio of two abstract keys; a cut one is compared with the same-length prefix of the other.

    A much shorter abstract counts as cut even without a mark: some feeds shorten silently. None when there is
    no evidence: an abstract is missing, or the overlap is too short to mean anything.
    """
    if not a or not b:
        return None
    if a == b:
        return 100.0
    n = min(len(a), len(b))
    if a_cut or b_cut or n < 0.8 * max(len(a), len(b)):
        if n < MIN_PREFIX:
            return None
        a, b = a[:n], b[:n]
    return fuzz.ratio(a, b, processor=None)


def _conflict(rec: Record, paper: Paper) -> bool:
    return bool(rec.arxiv_id and paper.arxiv_id and rec.arxiv_id != paper.arxiv_id)


class _Probe:
    """The comparison forms of one incoming record, computed at most once and only when needed.

    Cached by hand rather than with functools.cached_property, which takes a lock on every first access (Python
    3.11), once per record and property on the ingest's hot path.
    """

    __slots__ = ("rec", "tkey", "exact", "_block_keys", "_word_keys", "_akey", "_cut")

    def __init__(self, rec: Record) -> None:
        self.rec = rec
        self.tkey = title_key(rec.title)
        self.exact = exact_key(self.tkey)
        self._block_keys: list[int] | None = None
        self._word_keys: list[int] | None = None
        self._akey: str | None = None
        self._cut: bool | None = None

    @property
    def block_keys(self) -> list[int]:
        if self._block_keys is None:
            self._block_keys = block_keys(self.tkey)
        return self._block_keys

    @property
    def word_keys(self) -> list[int]:
        if self._word_keys is None:
            self._word_keys = word_keys(self.tkey)
        return self._word_keys

    @property
    def sighting(self) -> int:
        # A title without Latin letters or digits has no key: its folded text stands in, so it is still recognised.
        return sighting(self.rec.feed, self.rec.date, self.exact or fold(self.rec.title))

    @property
    def akey(self) -> str:
        if self._akey is None:
            self._akey = abstract_key(self.rec.abstract)
        return self._akey

    @property
    def cut(self) -> bool:
        if self._cut is None:
            self._cut = is_truncated(self.rec.abstract)
        return self._cut


class Deduper:
    """Indices over the library's papers; `add` folds one record into them."""

    def __init__(self, papers: Iterable[Paper]) -> None:
        self._by_id: dict[str, Paper] = {}
        self._by_arxiv: dict[str, Paper] = {}
        self._by_title: dict[str, list[Paper]] = {}
        # Built on the first fuzzy lookup: a re-ingest that only meets known papers never pays for it.
        # Block key -> [title key, paper, title key, paper, ...]: flat, so that a block's title keys are one slice
        # away and a million papers do not cost a million tuples.
        self._blocks: dict[int, list] | None = None
        self._unblocked: list[tuple[str, Paper]] = []
        self._akeys: dict[str, str] = {}  # paper id -> abstract key, filled lazily, dropped when it changes
        self._changed: set[str] = set()
        # Every listing already folded into a paper (see _sighting) -> that paper: a record seen before goes
        # straight back to where it went the first time, so ingesting a feed again changes nothing.
        self._seen: dict[int, Paper] = {}
        for paper in papers:
            self._by_id[paper.id] = paper
            if paper.arxiv_id:
                self._by_arxiv.setdefault(paper.arxiv_id, paper)
            exact = self._index_title(paper, paper.title)
            if paper.sources:
                first = paper.sources[0]
                self._seen[sighting(first.feed, first.date, exact or fold(paper.title))] = paper
            for m in paper.merges:
                # Titles it was also listed under: a re-ingest or a later copy then matches exactly.
                alias = m.get("title", "")
                if alias:
                    exact = self._index_title(paper, alias) if alias != paper.title else exact_key(title_key(alias))
                    self._seen[sighting(m.get("feed", ""), m.get("date", ""), exact or fold(alias))] = paper

    def papers_changed(self) -> set[str]:
        return set(self._changed)

    def add(self, rec: Record, now: str) -> MergeResult:
        probe = _Probe(rec)
        if (paper := self._seen.get(probe.sighting)) is not None and self._listed(paper, rec):
            return self._merge(paper, probe, REASON_SEEN)
        if rec.arxiv_id and (paper := self._by_arxiv.get(rec.arxiv_id)):
            return self._merge(paper, probe, f"same arXiv id {rec.arxiv_id}")
        if probe.exact:
            if paper := self._title_match(probe):
                return self._merge(paper, probe, "same normalised title")
            if found := self._fuzzy_match(probe):
                paper, tscore, ascore = found
                return self._merge(paper, probe, f"fuzzy: title {tscore:.0f}, abstract {ascore:.0f}")
        return self._create(probe, now)

    # -- matching ---------------------------------------------------------------------------------------------

    @staticmethod
    def _listed(paper: Paper, rec: Record) -> bool:
        return any(s.feed == rec.feed and s.date == rec.date for s in paper.sources)

    def _title_match(self, probe: _Probe) -> Paper | None:
        """The paper with the same exact title key, unless ids conflict or the abstracts clearly disagree."""
        best: tuple[float, Paper] | None = None
        for paper in self._by_title.get(probe.exact, ()):
            if _conflict(probe.rec, paper):
                continue
            sim = self._similarity(paper, probe)
            if sim is not None and sim < ABSTRACT_DISAGREE:
                continue
            rank = -1.0 if sim is None else sim
            if best is None or rank > best[0]:
                best = (rank, paper)
        return best[1] if best else None

    def _fuzzy_match(self, probe: _Probe) -> tuple[Paper, float, float] | None:
        """Nearly equal title AND nearly equal abstract, among papers sharing a block key."""
        if not probe.rec.abstract:
            return None  # a title alone is not enough evidence for a fuzzy merge
        blocks = self._ensure_blocks()
        digits: list[str] | None = None
        seen: set[tuple[str, str]] = set()  # a (title key, paper) pair sits in several of the probe's blocks
        best: tuple[float, Paper, float, float] | None = None
        for key in (*probe.block_keys, *probe.word_keys):
            members = blocks.get(key)
            if not members:
                continue
            # Each block is scored on its own, straight from its flat list: no candidate list is built per record.
            for tkey, tscore, i in process.extract(
                probe.tkey, members[0::2], scorer=fuzz.ratio, processor=None, score_cutoff=TITLE_FUZZY, limit=None
            ):
                paper = members[2 * i + 1]
                if (tkey, paper.id) in seen:
                    continue
                seen.add((tkey, paper.id))
                if digits is None:
                    digits = _DIGITS.findall(probe.tkey)
                # Already judged by the exact step (and refused); a version number or amount is never a typo.
                if exact_key(tkey) == probe.exact or _conflict(probe.rec, paper) or _DIGITS.findall(tkey) != digits:
                    continue
                ascore = self._similarity(paper, probe)
                if ascore is None or ascore < ABSTRACT_SAME:
                    continue
                # Ties go to the higher title score, then to the paper listed first.
                if best is None or (tscore + ascore, tscore) > (best[0], best[2]):
                    best = (tscore + ascore, paper, tscore, ascore)
        return (best[1], best[2], best[3]) if best else None

    def _similarity(self, paper: Paper, probe: _Probe) -> float | None:
        if paper.abstract and paper.abstract == probe.rec.abstract:
            return 100.0
        akey = self._akeys.get(paper.id)
        if akey is None:
            if len(self._akeys) >= AKEY_CACHE:
                self._akeys.clear()
            akey = self._akeys[paper.id] = abstract_key(paper.abstract)
        return _abstract_similarity(akey, is_truncated(paper.abstract), probe.akey, probe.cut)

    # -- indices ----------------------------------------------------------------------------------------------

    def _index_title(self, paper: Paper, title: str, probe: _Probe | None = None) -> str:
        """Index `paper` under `title`; `probe` is that title's probe when the caller has one (its keys are reused).
        Returns the title's exact key."""
        tkey = title_key(title) if probe is None else probe.tkey
        exact = exact_key(tkey) if probe is None else probe.exact
        if not exact:
            return exact
        same = self._by_title.get(exact)
        if same is None:
            self._by_title[exact] = [paper]
        elif any(p is paper for p in same):
            return exact
        else:
            same.append(paper)
        if self._blocks is None:
            self._unblocked.append((tkey, paper))
        else:
            self._block((tkey, paper), probe)
        return exact

    def _ensure_blocks(self) -> dict[int, list]:
        if self._blocks is None:
            self._blocks = {}
            for entry in self._unblocked:
                self._block(entry)
            self._unblocked = []
        return self._blocks

    def _block(self, entry: tuple[str, Paper], probe: _Probe | None = None) -> None:
        blocks = self._blocks
        assert blocks is not None
        tkey, paper = entry
        for key in block_keys(tkey) if probe is None else probe.block_keys:
            members = blocks.get(key)
            if members is None:
                blocks[key] = [tkey, paper]
            else:
                members += (tkey, paper)
                if len(members) > 2 * BLOCK_CAP:
                    del members[:2]  # keep the most recent: repeats tend to arrive close together
        for key in word_keys(tkey) if probe is None else probe.word_keys:
            members = blocks.get(key)
            if members is None:
                blocks[key] = [tkey, paper]
            elif members is not _SATURATED:
                members += (tkey, paper)
                if len(members) > 2 * WORD_CAP:
                    blocks[key] = _SATURATED

    # -- changes ----------------------------------------------------------------------------------------------

    def _create(self, probe: _Probe, now: str) -> MergeResult:
        rec = probe.rec
        paper = Paper(
            id=new_paper_id(rec, self._by_id.__contains__, probe.tkey),
            title=rec.title,
            abstract=rec.abstract,
            authors=list(rec.authors),
            arxiv_id=rec.arxiv_id,
            url=rec.url,
            sources=[Source(rec.feed, rec.date, rec.published)],
            added=now,
            extra=dict(rec.extra),
        )
        self._by_id[paper.id] = paper
        if paper.arxiv_id:
            self._by_arxiv.setdefault(paper.arxiv_id, paper)
        self._index_title(paper, paper.title, probe)
        self._seen[probe.sighting] = paper
        self._changed.add(paper.id)
        return MergeResult(paper, True, "")

    def _merge(self, paper: Paper, probe: _Probe, reason: str) -> MergeResult:
        rec = probe.rec
        filled = self._fill(paper, rec)
        if self._listed(paper, rec):
            # Re-ingest (or a feed listing a paper twice): no new sighting. Filling is idempotent, so a second
            # run over the same file changes nothing.
            if probe.sighting not in self._seen:
                # A feed listing it twice under two titles (one typo'd): the other title is remembered as this
                # paper's, or a re-ingest, with the blocks full of later papers, could not find it again.
                self._seen[probe.sighting] = paper
                paper.merges.append({"title": rec.title, "feed": rec.feed, "date": rec.date, "reason": reason})
                self._index_title(paper, rec.title, probe)
                filled = True
            if filled:
                self._changed.add(paper.id)
            return MergeResult(paper, False, REASON_SEEN)
        paper.sources.append(Source(rec.feed, rec.date, rec.published))
        paper.merges.append({"title": rec.title, "feed": rec.feed, "date": rec.date, "reason": reason})
        self._changed.add(paper.id)
        self._index_title(paper, rec.title, probe)
        self._seen[probe.sighting] = paper
        return MergeResult(paper, False, reason)

    def _fill(self, paper: Paper, rec: Record) -> bool:
        """Fill what the paper lacks from a later record; the first-seen title and the id never change."""
        changed = False
        if rec.arxiv_id and not paper.arxiv_id:
            paper.arxiv_id = rec.arxiv_id
            self._by_arxiv.setdefault(rec.arxiv_id, paper)
            changed = True
        if rec.authors and not paper.authors:
            paper.authors = list(rec.authors)
            changed = True
        if rec.url and not paper.url:
            paper.url = rec.url
            changed = True
        for key, value in rec.extra.items():
            if key not in paper.extra:
                paper.extra[key] = value
                changed = True
        if _better_abstract(rec.abstract, paper.abstract):
            paper.abstract = rec.abstract
            self._akeys.pop(paper.id, None)
            changed = True
        return changed

"""A parsed search (`Query`) and the one rule for whether a paper matches it (`Query.matches`).

The word index (index.py) finds the same papers faster; it indexes the texts `paper_text` and `state_text` give,
so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Paper, PaperState, Status
from ..normalize import fold


def paper_text(paper: Paper) -> str:
    """The folded text of a paper that free words are looked up in (besides its abstract): changes only on ingest."""
    return fold(" ".join([paper.title, " ".join(paper.authors), paper.arxiv_id, paper.id]))


def state_text(state: PaperState) -> str:
    """The folded text of the user's state that free words are looked up in: changes with every action."""
    return fold(" ".join(state.tags) + " " + state.note)


@dataclass
class Query:
    words: list[str] = field(default_factory=list)  # folded free-text words
    with_tags: list[str] = field(default_factory=list)
    without_tags: list[str] = field(default_factory=list)
    is_: list[str] = field(default_factory=list)
    since: str = ""  # ISO date; first seen on or after it
    authors: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    # For `is:new`: the new papers' ids (storage/fresh.py), given by the Store before it matches; None matches none.
    new_ids: set[str] | None = field(default=None, compare=False, repr=False)

    @property
    def empty(self) -> bool:
        return not (self.words or self.with_tags or self.without_tags or self.is_ or self.since or self.authors or self.ids)

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def matches(self, paper: Paper, state: PaperState, *, abstracts: bool = True) -> bool:
        """Whether `paper` (with the user's `state` of it) is a hit. Free words must each appear in its text (title,
        authors, ids), its tags or note, or (when `abstracts`) its abstract as loaded in `paper.abstract`."""
        s = state
        if self.with_tags and not all(t in s.tags for t in self.with_tags):
            return False
        if self.without_tags and any(t in s.tags for t in self.without_tags):
            return False
        for what in self.is_:
            if what == "starred" and not s.starred or what == "unstarred" and s.starred:
                return False
            if what == "noted" and not s.note:
                return False
            if what == "new" and (self.new_ids is None or paper.id not in self.new_ids):
                return False
            if what in Status._value2member_map_ and s.status.value != what:
                return False
        if self.since and paper.first_seen < self.since:
            return False
        if self.authors and not all(any(a in fold(name) for name in paper.authors) for a in self.authors):
            return False
        if self.ids and not any(paper.id.lower().startswith(i) or paper.arxiv_id.startswith(i) for i in self.ids):
            return False
        if self.words:
            texts = (paper_text(paper), state_text(s))
            missing = [w for w in self.words if not any(w in t for t in texts)]
            if missing and abstracts and paper.abstract:
                abstract = fold(paper.abstract)
                missing = [w for w in missing if w not in abstract]
            if missing:
                return False
        return True

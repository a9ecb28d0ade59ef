"""The sample library the tests share: ten invented papers and what its user has done to them.

The library is built from Paper objects directly, so it does not depend on the feed readers.
"""

from __future__ import annotations

from pathlib import Path

from storage.model import Paper, Source, Status
from storage.store import Store

TODAY = "2026-11-21"
NOW = f"{TODAY}T09:30:00+00:00"

HOSTILE_TITLE = "[bold]Not Bold[/bold] and [/ escapes: a [link=http://x]y[/link] study of $x$ *stars*"
HOSTILE_ABSTRACT = (
    "We show that [bold]markup[/bold] must stay literal, that [/ and [/] are text, that "
    "[link=http://x]y[/link] is not a link, and that $x$ and *emphasis* are plain characters."
)
LONG_TITLE = (
    "An Extremely Long Title That Keeps Going Well Past The Width Of Any Reasonable Terminal Column "
    "So That The List Has To Cut It With An Ellipsis"
)


def _paper(pid: str, title: str, dates: list[str], authors: list[str], abstract: str, arxiv: bool = True) -> Paper:
    return Paper(
        id=pid,
        title=title,
        abstract=abstract,
        authors=authors,
        arxiv_id=pid if arxiv else "",
        url="" if arxiv else "https://example.org/notes/evaluation-hygiene",
        sources=[Source(f"hf-daily-{d}.txt" if d else "notes.bib", d) for d in dates],
        added=NOW,
    )


def sample_papers() -> list[Paper]:
    """Ten invented papers; the list shows them newest feed date first."""
    words = "Each sentence of this invented abstract describes an invented method and an invented result. "
    return [
        _paper("2611.01001", "Sparse Mixture Routing for Long-Context Retrieval", ["2026-11-21"],
               ["Ada Quill", "Bo Renn"], "We route tokens sparsely. " + words * 3),
        _paper("2611.01002", HOSTILE_TITLE, ["2026-11-21"], ["Cy [Markup] Dee"], HOSTILE_ABSTRACT),
        _paper("2611.01010", LONG_TITLE, ["2026-11-21"], ["Eve Long"], words * 2),
        _paper("2611.01004", "Tiny Recursive Planners Beat Large Agents", ["2026-11-20"],
               ["Fay Small", "Gus Plan"], "Small planners, big results. " + words),
        _paper("2611.01005", "Calibrated Uncertainty for Protein Folding Ensembles", ["2026-11-20"],
               ["Hal Fold"], "Ensembles that know what they do not know. " + words),
        _paper("2611.01003", "A Survey of $\\mathcal{O}(n)$ Attention Variants", ["2026-11-19", "2026-11-21"],
               ["Ivy Survey", "Jon Table", "Kim Chart"], "We survey linear-time attention. " + words * 12),
        _paper("2611.01006", "Diffusion Policies with Replay Memory", ["2026-11-19"], ["Lu Diff"], words),
        _paper("2611.01007", "Benchmarking Multilingual Speech Tokenizers", ["2026-11-19"], ["Mo Speech"], words),
        _paper("2512.09008", "Graph Neural Operators on Irregular Meshes", ["2025-12-30"], ["Ned Mesh"], words),
        _paper("pt-5b1e0c9a", "Workshop Notes on Evaluation Hygiene", [""], ["Ora Notes"], "", arxiv=False),
    ]


# What the fixture library's user has done so far (each line is one store action).
STARRED = ["2611.01003", "2512.09008"]
QUEUED = ["2611.01004", "2611.01005"]
READ = ["2611.01006"]
SKIPPED = ["2611.01007"]
TAGS = {"2611.01003": ["survey", "attention"], "2611.01001": ["retrieval"]}
NOTES = {"2611.01003": "Read section 3 first.\nCompare with [b]linear[/b] attention."}


def fixed_clock() -> str:
    """The clock of the tests' stores: their actions stamp NOW, so "triaged today" is stable against App(today=TODAY)."""
    return NOW


def build_library(data_dir: Path, with_state: bool = True) -> Path:
    store = Store(data_dir, clock=fixed_clock)
    for paper in sample_papers():
        store.library.add(paper)
    store.library.save()
    if with_state:
        store.set_star(STARRED, True)
        for pid, tags in TAGS.items():
            store.add_tags([pid], tags)
        for pid, note in NOTES.items():
            store.set_note(pid, note)
        for pid in QUEUED:
            store.set_status([pid], Status.QUEUED)
        store.set_status(READ, Status.READ)
        store.set_status(SKIPPED, Status.SKIPPED)
    return data_dir


# The Inbox with the state above.
INBOX = ["2611.01001", "2611.01002", "2611.01010", "pt-5b1e0c9a", "2611.01003", "2512.09008"]


def give_upvotes(data_dir: Path, upvotes: dict[str, int]) -> Path:
    """Give these papers of the sample library HF upvotes (the sample papers have none)."""
    store = Store(data_dir)
    for pid, n in upvotes.items():
        store.library.by_id[pid].extra["upvotes"] = n
    store.library.save()
    return data_dir


FEED = """new

Get trending papers in your email inbox!

Subscribe

byAK and the research community

Nov 22, 2026

Quiet Gradients: Invented Optimisers for Invented Models

An invented abstract about quiet gradients, written for this test only.

Sparse Mixture Routing for Long-Context Retrieval

{repeat_abstract}
"""


def write_day_feed(directory: Path) -> Path:
    """An HF page text of the next day (Nov 22) in `directory` (created): one new paper and one repeat of the
    library's first (its abstract under another title), for the tests of ingest from the app."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "hf-daily-2026-11-22.txt"
    path.write_text(FEED.format(repeat_abstract=sample_papers()[0].abstract))
    return path

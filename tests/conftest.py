"""Shared fixtures: a small synthetic library (invented papers) with some state, and a fixed clock.

The library is built from Paper objects directly, so these fixtures do not depend on the feed readers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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


@pytest.fixture(autouse=True)
def no_user_config(tmp_path_factory, monkeypatch):
    """No test reads the config of the person running the tests: $PAPERTRIAGE_CONFIG names a file that is not there
    (subprocesses inherit it). A test that wants a config passes `--config` or sets the variable itself."""
    monkeypatch.setenv("PAPERTRIAGE_CONFIG", str(tmp_path_factory.getbasetemp() / "no-such-config.toml"))


@pytest.fixture
def fixed_now(monkeypatch):
    """Store actions stamp NOW, so "triaged today" is stable against App(today=TODAY)."""
    monkeypatch.setattr("storage.store.now_iso", lambda: NOW)
    return NOW


def build_library(data_dir: Path, with_state: bool = True) -> Path:
    store = Store(data_dir)
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


@pytest.fixture
def library_dir(tmp_path, fixed_now) -> Path:
    """A data dir with the sample library and some state (see STARRED, QUEUED, READ, SKIPPED, TAGS, NOTES)."""
    return build_library(tmp_path / "data")


@pytest.fixture
def bare_library_dir(tmp_path, fixed_now) -> Path:
    """The sample library with no user state at all."""
    return build_library(tmp_path / "data", with_state=False)


@pytest.fixture
def empty_dir(tmp_path) -> Path:
    """A data dir that does not exist yet (a first run)."""
    return tmp_path / "fresh"


# -- helpers for the app tests (import them: `from conftest import ...`) ------------------------------------------------
INBOX = ["2611.01001", "2611.01002", "2611.01010", "pt-5b1e0c9a", "2611.01003", "2512.09008"]  # with the state above


def make_app(data_dir: Path, *, lazy: bool = True, **kw):
    """The app on a fresh Store of `data_dir`, with the fixed today; opened lazily, as the CLI opens it."""
    from tui.app import PapertriageApp

    kw.setdefault("today", TODAY)
    return PapertriageApp(Store(data_dir, lazy=lazy), **kw)


async def settle(app, pilot) -> None:
    """Wait for background workers (abstracts, ingest) and the messages they post, and for the detail pane to
    follow the cursor (after a burst of moves it waits until the cursor rests: see DetailPane.follow)."""
    from tui.widgets.detail import DetailPane

    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    for _ in range(200):
        if not any(pane.pending for pane in app.screen_stack[0].query(DetailPane)):
            break
        await pilot.pause(0.01)
    await pilot.pause()


def cursor_line(app) -> str:
    """The text drawn on the list's cursor row (what the user sees)."""
    papers = app.papers
    return papers.render_line(papers.cursor - round(papers.scroll_y)).text


def header(app) -> str:
    from tui.widgets.header import HeaderBar

    return app.query_one(HeaderBar).plain


def detail(app) -> str:
    from tui.widgets.detail import DetailPane

    return app.query_one(DetailPane).plain


def notes(app, severity: str | None = None) -> list[str]:
    """Notification messages shown so far (Textual keeps them on the app until they expire)."""
    return [n.message for n in app._notifications if severity is None or n.severity == severity]

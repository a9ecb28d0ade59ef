"""The bundled demo feed (tui/demo/) keeps the shape and the counts its README promises.

`papertriage demo` and the screenshots depend on these files, so a careless edit should fail here first.
The splitter below is deliberately tiny and independent of storage/readers: it checks the files themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tui
from storage.normalize import abstract_key, clean_text, is_truncated, title_key

DEMO = Path(tui.__file__).parent / "demo"
HEADER = ["new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community"]
FILES = {"hf-daily-2026-11-20.txt": "Nov 20", "hf-daily-2026-11-21.txt": "Nov 21"}
PER_FILE = 30
DISTINCT_PAPERS = 52  # 30 + 30 - 8 repeats


def split_page(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(date line, [(title, abstract)]) of an HF Daily Papers page text; blocks are separated by blank lines."""
    blocks = re.split(r"\n[ \t]*\n", text.strip("\n"))
    assert blocks[:4] == HEADER, "page header missing"
    body = blocks[5:]
    assert len(body) % 2 == 0, "a title without an abstract"
    return blocks[4], [(body[i], body[i + 1]) for i in range(0, len(body), 2)]


def load(name: str) -> tuple[str, list[tuple[str, str]]]:
    return split_page((DEMO / name).read_text(encoding="utf-8"))


def all_pairs() -> list[tuple[str, str]]:
    return [pair for name in FILES for pair in load(name)[1]]


def same_paper(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """The demo's intended dedupe: same title key, or same abstract (a truncated one matching as a prefix)."""
    if title_key(a[0]) == title_key(b[0]):
        return True
    ka, kb = abstract_key(clean_text(a[1])), abstract_key(clean_text(b[1]))
    short, long_ = sorted((ka, kb), key=len)
    return ka == kb or (is_truncated(clean_text(min(a[1], b[1], key=len))) and long_.startswith(short))


@pytest.mark.parametrize("name", FILES)
def test_file_shape(name: str) -> None:
    raw = (DEMO / name).read_bytes()
    assert raw.endswith(b".\n") and not raw.endswith(b"\n\n"), "one final newline after the last abstract"
    assert b"\r" not in raw and b"\t" not in raw
    text = raw.decode("utf-8")
    assert all(line == line.rstrip() for line in text.splitlines()), "trailing spaces"
    date, pairs = load(name)
    assert date == FILES[name]
    assert len(pairs) == PER_FILE
    for title, abstract in pairs:
        assert "\n" not in title and not title.endswith("."), title
        assert abstract.endswith("."), title
        words = len(abstract.split())
        assert 80 <= words <= 200 or is_truncated(abstract), (title, words)


def test_dedupe_expectations() -> None:
    distinct: list[tuple[str, str]] = []
    for pair in all_pairs():
        if not any(same_paper(pair, seen) for seen in distinct):
            distinct.append(pair)
    assert len(distinct) == DISTINCT_PAPERS
    # Within one day every paper is distinct.
    for name in FILES:
        pairs = load(name)[1]
        assert len({title_key(t) for t, _ in pairs}) == PER_FILE


def test_near_titles_stay_distinct() -> None:
    titles = {t: a for t, a in all_pairs()}
    for first, second in [
        ("Halcyon-2: Open Multilingual", "Halcyon-3: Open Multilingual"),
        ("Scaling Laws for Sparse Autoencoders in Language", "Scaling Laws for Sparse Autoencoders in Vision"),
    ]:
        a = next(p for p in titles.items() if p[0].startswith(first))
        b = next(p for p in titles.items() if p[0].startswith(second))
        assert not same_paper(a, b)


def test_repeat_variants_present() -> None:
    day1 = dict(load("hf-daily-2026-11-20.txt")[1])
    day2 = dict(load("hf-daily-2026-11-21.txt")[1])
    exact = [t for t in day2 if t in day1 and day1[t] == day2[t]]
    assert len(exact) == 4
    rewrapped = [t for t in day2 if t in day1 and day1[t] != day2[t] and clean_text(day1[t]) == day2[t]]
    assert len(rewrapped) == 1 and "\n" in day1[rewrapped[0]]
    truncated = [t for t in day2 if t in day1 and is_truncated(day2[t])]
    assert len(truncated) == 1
    assert day1[truncated[0]].startswith(day2[truncated[0]].removesuffix("..."))
    recased = [t for t in day2 if t not in day1 and any(t.lower() == d.lower() for d in day1)]
    assert len(recased) == 1
    typo = [t for t in day2 if t not in day1 and day2[t] in day1.values() and t not in recased]
    assert len(typo) == 1 and "Retreival" in typo[0]


def test_quirks_present() -> None:
    pairs = all_pairs()
    titles = [t for t, _ in pairs]
    assert any("$^{3}$D" in t for t in titles)
    assert any(r"$\mathcal{O}(n)$" in t for t in titles)
    assert any(t.startswith("[Re] ") for t in titles)
    assert any("[/" in t for t in titles)
    assert any("&amp;" in t for t in titles)
    assert any(not t.isascii() for t in titles)
    assert sum(len(t) > 150 for t in titles) >= 2
    assert any(a.count("\n") >= 5 for _, a in pairs), "a hard-wrapped abstract"


@pytest.mark.parametrize("name", FILES)
def test_real_reader_agrees(name: str) -> None:
    try:
        from storage.readers import read
    except ImportError:
        pytest.skip("storage.readers.read not available yet")
    records = read(DEMO / name).records
    assert len(records) == PER_FILE
    assert all(r.title and r.abstract for r in records)


def test_ingest_gives_the_promised_library(tmp_path: Path) -> None:
    try:
        from storage.readers import read  # noqa: F401  (Store.ingest needs it)
        from storage.store import Store
    except ImportError:
        pytest.skip("storage.store / storage.readers not available yet")
    store = Store(tmp_path)
    report = store.ingest([str(DEMO / name) for name in FILES])
    assert report.errors == []
    repeats = 2 * PER_FILE - DISTINCT_PAPERS
    assert (report.entries, report.new, report.merged) == (2 * PER_FILE, DISTINCT_PAPERS, repeats)
    assert len(store) == DISTINCT_PAPERS
    again = Store(tmp_path).ingest([str(DEMO / name) for name in FILES])
    assert (again.new, again.merged) == (0, 2 * PER_FILE)

"""library.json and abstracts.json read in pieces (storage/pieces.py) give exactly what the whole-file read gives.

PIECE is made tiny here, so that a piece ends at every kind of place: inside titles and abstracts that hold the
separators themselves, inside nested objects of `extra` that start with an "id" key, at the last entry.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import library, pieces
from storage.errors import DataFileError
from storage.library import Library, read_abstracts, read_papers
from storage.model import Paper, Source
from storage.jsonfile import load_json_file

TRICKY = ['},{"id":"x"}', 'a",', '","', '\\', '"', "}}", "]}", "é ✓ 𝒳", "", "line\nbreak", '\\","']


def _no_whole_read(path):
    if path.exists():  # a missing file is None whichever way it is read
        pytest.fail(f"whole-file parse of {path.name}")


def whole_papers(path):
    """What read_papers gave before pieces: the whole-file parse."""
    return library._papers(path, load_json_file(path))


def whole_abstracts(path):
    return load_json_file(path)["abstracts"]


def paper(n: int, text: str = "") -> Paper:
    return Paper(
        f"p{n}", f"Title {n} {text}", f"Abstract {n} {text}", [f"Author {text}", "B"], f"26{n:02d}.0001",
        f"https://x/{n}", [Source(f"feed{n % 3}.txt", "2026-11-0" + str(1 + n % 9)), Source("other", "")],
        "2026-11-20T10:00:00+00:00",
        {"links": [{"id": "a", "t": text}, {"id": "b"}], "upvotes": n, "nested": {"id": {"id": [text]}}},
        [{"title": f"merged {text}", "feed": "f", "date": "", "reason": "arxiv id"}] if n % 2 else [],
    )


def save(tmp_path, papers: list[Paper]) -> Library:
    lib = Library(tmp_path)
    for p in papers:
        lib.add(p)
    lib.save()
    return lib


@pytest.fixture
def tiny_pieces(monkeypatch):
    monkeypatch.setattr(pieces, "PIECE", 37)
    monkeypatch.setattr(pieces, "MAX_CARRY", 10**9)  # entries here are far longer than 16 tiny pieces


@pytest.fixture
def no_whole_read(monkeypatch):
    """The library's own whole-file parse fails the test: what is read must come from the pieces."""
    monkeypatch.setattr(library, "load_json_file", _no_whole_read)


def test_pieces_read_what_the_whole_file_read_does(tmp_path, tiny_pieces, no_whole_read):
    papers = [paper(n, TRICKY[n % len(TRICKY)]) for n in range(40)]
    save(tmp_path, papers)
    calls = []
    got = read_papers(tmp_path / "library.json", lambda: calls.append(1))
    assert got == whole_papers(tmp_path / "library.json") == [Paper(**{**_fields(p), "abstract": ""}) for p in papers]
    assert len(calls) > 10  # the pace is given between pieces
    abstracts = read_abstracts(tmp_path / "abstracts.json", lambda: calls.append(2))
    assert abstracts == whole_abstracts(tmp_path / "abstracts.json") == {p.id: p.abstract for p in papers}
    assert list(abstracts) == [p.id for p in papers] and calls.count(2) > 10


def _fields(p: Paper) -> dict:
    return {name: getattr(p, name) for name in Paper.__slots__}


def test_the_pieces_are_decoded_without_a_whole_file_parse(tmp_path, no_whole_read):
    save(tmp_path, [paper(n) for n in range(5)])
    assert len(read_papers(tmp_path / "library.json")) == 5
    assert len(read_abstracts(tmp_path / "abstracts.json")) == 5


@pytest.mark.parametrize("damage, message", [
    (lambda t: t.replace('"id":"p3"', '"id":"p2"'), "an id appears twice"),
    (lambda t: t.replace('"id":"p3"', '"id":""'), "damaged paper record"),
    (lambda t: t.replace('"authors":["Author ","B"]', '"authors":"Bob"', 1), None),
    (lambda t: t.replace('"title":"Title 3 "', '"title":3'), "damaged paper record"),
    (lambda t: t[:len(t) // 2], "not valid JSON"),
    (lambda t: t.replace('"id":"p4"', '"id":"p4",', 1), "not valid JSON"),
])
def test_damage_is_reported_as_by_the_whole_file_read(tmp_path, tiny_pieces, damage, message):
    save(tmp_path, [paper(n) for n in range(8)])
    path = tmp_path / "library.json"
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    try:
        expected = whole_papers(path) if load_json_file(path) else None
    except DataFileError as e:
        expected = e
    if not isinstance(expected, DataFileError):  # a file the whole read takes: the pieces take it the same way
        assert read_papers(path) == expected
        return
    with pytest.raises(DataFileError) as got:
        read_papers(path)
    assert str(got.value) == str(expected) and (message or "") in str(got.value)


def test_other_layouts_are_read_whole(tmp_path, tiny_pieces):
    """Pretty-printed (by hand, or another tool) and an older schema: the whole-file read, which migrates."""
    save(tmp_path, [paper(n, '","') for n in range(6)])
    for name in ("library.json", "abstracts.json"):
        path = tmp_path / name
        path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=2), encoding="utf-8")
    assert read_papers(tmp_path / "library.json") == whole_papers(tmp_path / "library.json")
    assert read_abstracts(tmp_path / "abstracts.json") == whole_abstracts(tmp_path / "abstracts.json")
    assert len(read_papers(tmp_path / "library.json")) == 6


def test_an_empty_library_reads_empty(tmp_path):
    Library(tmp_path).save()
    assert read_papers(tmp_path / "library.json") == [] and read_abstracts(tmp_path / "abstracts.json") == {}


_text = st.lists(st.sampled_from(list('{}[]",:\\ abé\n') + ["id", '"id":', "},{", '","']), max_size=12).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.tuples(_text, _text, _text), min_size=0, max_size=12), piece=st.integers(8, 300))
def test_any_text_reads_back_the_same_in_pieces(tmp_path_factory, monkeypatch, texts, piece):
    monkeypatch.setattr(pieces, "PIECE", piece)
    monkeypatch.setattr(pieces, "MAX_CARRY", 10**9)
    monkeypatch.setattr(library, "load_json_file", _no_whole_read)
    tmp = tmp_path_factory.mktemp("lib")
    papers = [Paper(f"id{n}", title, abstract, [author], extra={"id": title, "l": [{"id": author}]})
              for n, (title, abstract, author) in enumerate(texts)]
    save(tmp, papers)
    assert read_papers(tmp / "library.json") == whole_papers(tmp / "library.json")
    assert read_abstracts(tmp / "abstracts.json") == whole_abstracts(tmp / "abstracts.json")

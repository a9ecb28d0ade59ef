"""Wrong shapes in a data file or a feed are one clear error, never a silent change of what the file said."""

from __future__ import annotations

import json

import pytest

from storage.readers import FeedError, read
from tui.cli import main


def _library(d, paper: dict) -> None:
    d.mkdir()
    (d / "library.json").write_text(json.dumps({"schema": 2, "papers": [paper]}))


@pytest.mark.parametrize("field", ["authors", "sources", "merges"])
def test_a_string_where_a_list_belongs_in_library_json_is_an_error(tmp_path, capsys, field):
    d = tmp_path / "data"
    _library(d, {"id": "a", "title": "A", field: "Bob"})
    before = (d / "library.json").read_bytes()
    assert main(["--data-dir", str(d), "list", "--json"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {d / 'library.json'}: ")
    assert f"{field} of 'a' is str, not a list" in err  # not authors B, o, b
    assert (d / "library.json").read_bytes() == before


def test_a_list_of_authors_still_loads(tmp_path, capsys):
    d = tmp_path / "data"
    _library(d, {"id": "a", "title": "A", "authors": ["Bob"]})
    assert main(["--data-dir", str(d), "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["authors"] == ["Bob"]


def test_a_deeply_nested_json_feed_says_so(tmp_path):
    for name, text in (("open.json", "[" * 100_000), ("closed.json", "[" * 100_000 + "]" * 100_000)):
        (tmp_path / name).write_text(text)
        with pytest.raises(FeedError) as e:
            read(tmp_path / name)
        assert e.value.message == "malformed JSON: nested too deeply"


STRAY = """@article{Hinton06,
  title = {A Fast Learning Algorithm}}},
  author = {Hinton, Geoffrey},
  year = {2006},
}
"""


def test_a_stray_closing_brace_in_a_bib_entry_is_an_error_not_a_lost_author(tmp_path):
    (tmp_path / "refs.bib").write_text(STRAY)
    with pytest.raises(FeedError) as e:
        read(tmp_path / "refs.bib")
    assert e.value.message == ("malformed BibTeX: entry 'Hinton06' ends early at line 2 (a stray closing brace?), "
                               "leaving 'author' at line 3 outside it")


def test_prose_and_stray_braces_between_entries_lose_nothing_and_are_allowed(tmp_path):
    (tmp_path / "refs.bib").write_text("@misc{a, title={A}, author={Ann Lee}}}\nSome words between: x.\n"
                                       "@misc{b, title={B}, author={Bo Ray}}\n")
    assert [(r.title, r.authors) for r in read(tmp_path / "refs.bib").records] == [
        ("A", ["Ann Lee"]), ("B", ["Bo Ray"])]

"""Hostile input: every reader on arbitrary and mutated input, and hostile feed text through the CLI.

Each feed reader, given anything, returns records or raises FeedError, nothing else; the data-file readers return
data or raise DataFileError. The mutations start from the fixture feeds (and data files) and truncate, insert,
delete, replace, duplicate and splice bytes, so most inputs are almost valid. Every test runs 1,000 examples:

    pytest tests/test_fuzz_readers.py --hypothesis-show-statistics
"""

from __future__ import annotations

import json
import shutil
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.examples import examples

from storage.errors import DataFileError
from storage.library import read_abstracts, read_papers
from storage.readers import FeedError, arxiv_atom, arxiv_rss, bibtex, detect, hf_json, hf_page, read
from storage.state import StateStore
from storage.store import Store

from support.clihelp import FEEDS, FIXTURES, run

FUZZ = settings(max_examples=examples(1000), suppress_health_check=[HealthCheck.too_slow])
FIXTURE_FILES = {p.name: p.read_bytes() for p in sorted(FEEDS.iterdir()) if p.is_file()}
BY_FORMAT = {
    "hf-page": ["hf_page.txt", "hf_day1.txt", "hf_day2.txt", "hostile_hf_page.txt"],
    "hf-json": ["hf_daily_2024-05-28.json", "hf_daily_2026-08-14.json", "hostile_hf_daily_2026-11-20.json"],
    "arxiv-atom": ["arxiv_atom_legacy.xml", "arxiv_atom_new.xml", "arxiv_atom_error.xml", "arxiv_atom_empty.xml",
                   "hostile_arxiv_atom.xml"],
    "arxiv-rss": ["arxiv_rss_cs_cl.xml"],
    "bibtex": ["refs.bib"],
}
# Bytes that matter to some format: what a mutation most likely breaks a parser with.
TOKENS = [b"<", b">", b"</", b"&", b"&amp;", b"&#0;", b"&#x1b;", b"<![CDATA[", b"]]>", b"<!--", b"-->", b"{", b"}",
          b"[", b"]", b'"', b"\\", b"\\u0000", b"\\ud800", b"@", b"=", b",", b"#", b"\n", b"\n\n", b"\r", b"\x00",
          b"\xff", b"\xc3", b"\xef\xbb\xbf", b"\x1b[31m", b"\xe2\x80\xae", b"Mar 13", b"Feb 29", b"<entry>",
          b"</entry>", b"<item>", b"</feed>", b"@article{", b"null", b"[]", b"{}", b"1e999", b"-0", b"\t"]
# Control characters a terminal acts on, and the bidi overrides that reorder what it shows.
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def unsafe(text: str, allowed: str = "") -> list[str]:
    return [hex(ord(c)) for c in text if (unicodedata.category(c) == "Cc" and c not in allowed) or c in BIDI]


@st.composite
def mutated(draw, names: list[str], pool: dict[str, bytes] = FIXTURE_FILES) -> bytes:
    data = bytearray(pool[draw(st.sampled_from(names))])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["truncate", "insert", "delete", "replace", "splice", "duplicate"]))
        pos = draw(st.integers(0, len(data)))
        if op == "truncate":
            del data[pos:]
        elif op == "insert":
            data[pos:pos] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 80))]
        elif op == "replace":
            data[pos:pos + draw(st.integers(1, 4))] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=4))
        elif op == "splice":  # a piece of another fixture, of any format
            other = pool[draw(st.sampled_from(sorted(pool)))]
            start = draw(st.integers(0, len(other)))
            data[pos:pos] = other[start:start + draw(st.integers(0, 600))]
        else:  # repeat a stretch (records twice, tags twice)
            data[pos:pos] = data[pos:pos + draw(st.integers(1, 400))]
    return bytes(data)


def text_of(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


# feedparser's strict parser raised ValueError on a namespace URI with a space in it: now a FeedError (pinned below).
NAMESPACE_FEEDS = {
    "arxiv-rss": b'<rss xmlns:arxiv="h\xa0ttp://x" version="2.0"><channel><item><title>A</title>'
                 b"<arxiv:announce_type>new</arxiv:announce_type></item></channel></rss>",
    "arxiv-atom": b'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="h\xa0ttp://x"><entry>'
                  b"<arxiv:doi>1</arxiv:doi></entry></feed>",
}


def check(parse, *args) -> None:
    """The reader's whole contract: clean records or a FeedError with a one-line, safe message."""
    try:
        records = parse(*args)
    except FeedError as e:
        message = str(e)
        assert "\n" not in message and not unsafe(message), repr(message)
        return
    assert isinstance(records, list)
    for rec in records:
        for text in (rec.title, rec.abstract, *rec.authors):
            assert isinstance(text, str) and "\n" not in text and not unsafe(text), repr(text)
        assert rec.date == "" or (len(rec.date) == 10 and date.fromisoformat(rec.date))
        json.dumps(rec.extra)  # what the library will store


def text_inputs(fmt: str):
    return st.text(max_size=2000) | st.builds(text_of, mutated(BY_FORMAT[fmt]))


def byte_inputs(fmt: str):
    """Mutated fixtures, and arbitrary bytes inside the format's root element: what `read` routes to the reader.

    (Bytes that `detect` turns away, e.g. any NUL, never reach an XML reader; those are covered by the `read` test.)
    """
    root = b'<feed xmlns="http://www.w3.org/2005/Atom">' if fmt == "arxiv-atom" else b'<rss version="2.0">'
    end = b"</feed>" if fmt == "arxiv-atom" else b"</rss>"
    wrapped = st.builds(lambda head, body, tail: head + body + tail,
                        st.sampled_from([root, b"<?xml version='1.0'?>\n" + root]), st.binary(max_size=2000),
                        st.sampled_from([end, b""]))
    return (wrapped | mutated(BY_FORMAT[fmt])).filter(lambda data: detect(data) == fmt)


@FUZZ
@given(text_inputs("hf-page"))
def test_hf_page_reader(text):
    check(hf_page.parse, text, "feed.txt", date(2026, 3, 20))


@FUZZ
@given(text_inputs("hf-json"))
def test_hf_json_reader(text):
    check(hf_json.parse, text, "hf_daily_2026-08-14.json")


@FUZZ
@given(text_inputs("bibtex"))
def test_bibtex_reader(text):
    check(bibtex.parse, text, "refs.bib")


@FUZZ
@given(byte_inputs("arxiv-atom"))
def test_arxiv_atom_reader(data):
    check(arxiv_atom.parse, data, "feed.xml")


@FUZZ
@given(byte_inputs("arxiv-rss"))
def test_arxiv_rss_reader(data):
    check(arxiv_rss.parse, data, "feed.xml")


@pytest.fixture(scope="module")
def scratch():
    d = Path(tempfile.mkdtemp(prefix="fuzz-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


@FUZZ
@given(data=st.binary(max_size=3000) | mutated(sorted(FIXTURE_FILES)))
def test_read_detects_and_reads_any_file(scratch, data):
    """The public entry point, detection included. A reader bug would show as "cannot read feed (SomeError...)"."""
    path = scratch / "feed"
    path.write_bytes(data)
    check(read_records, path)
    try:
        read(path)
    except FeedError as e:
        assert "cannot read feed (" not in str(e), f"a reader raised something else than FeedError: {e}"


@pytest.mark.parametrize("fmt", sorted(NAMESPACE_FEEDS))
def test_bad_xml_namespace_is_a_feed_error(fmt):
    parse = arxiv_atom.parse if fmt == "arxiv-atom" else arxiv_rss.parse
    with pytest.raises(FeedError, match="malformed XML"):
        parse(NAMESPACE_FEEDS[fmt], "feed.xml")


def read_records(path):
    return read(path).records


# -- the data files ---------------------------------------------------------------------------------------------------
def data_file_pool() -> dict[str, bytes]:
    """Valid library, abstracts and state files of the current version (written by Store) and of version 1."""
    d = Path(tempfile.mkdtemp(prefix="fuzz-data-"))
    try:
        from support.library import build_library

        build_library(d)
        store = Store(d)
        store.undo()
        store.set_ui(view="queue", cursor="2611.01003")
        pool = {f"v2-{p.name}": p.read_bytes() for p in d.iterdir() if p.suffix == ".json"}
    finally:
        shutil.rmtree(d, ignore_errors=True)
    for p in (FIXTURES / "old_versions").glob("*.json"):
        pool[f"v1-{p.name}"] = p.read_bytes()
    return pool


DATA_FILES = data_file_pool()
ROLE = {name: name.split("-", 1)[1] for name in DATA_FILES}


def open_as(role: str, path: Path) -> None:
    """Open `path` the way the app does, then use what was read (a wrong type would crash here)."""
    if role == "state.json":
        st_ = StateStore(path)
        for pid in list(st_.ids()):
            st_.get(pid)
        st_.all_tags()
        st_.ui()
        st_.undo()
        st_.redo()
    elif role == "library.json":
        for p in read_papers(path) or []:
            p.first_seen, p.last_seen, p.title.lower(), " ".join(p.authors)
    else:
        for pid, text in (read_abstracts(path) or {}).items():
            pid.lower(), text.lower()


@FUZZ
@given(name=st.sampled_from(sorted(DATA_FILES)), data=st.data())
def test_data_file_readers(scratch, name, data):
    raw = data.draw(st.binary(max_size=2000) | mutated([name], DATA_FILES) | st.just(DATA_FILES[name]))
    role = ROLE[name]
    d = scratch / "data"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir()
    path = d / role
    path.write_bytes(raw)
    try:
        open_as(role, path)
    except DataFileError as e:
        assert "\n" not in str(e) and str(path) in str(e) and not unsafe(str(e)), repr(str(e))
        assert path.read_bytes() == raw  # a damaged file is never rewritten
        return
    leftovers = [p.name for p in d.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers


# -- hostile text through the CLI -------------------------------------------------------------------------------------
HOSTILE = sorted(n for n in FIXTURE_FILES if n.startswith("hostile_"))


def long_title_feed(path: Path) -> Path:
    """An hf-json feed whose one title is 100 KB, escapes sprinkled through it."""
    title = ("Very Long Title \x1b[31mred\x1b[0m \u202eflip\u202c " * 2200)[:100_000]
    item = {"paper": {"id": "2611.09999", "title": title, "summary": "Short.", "authors": [{"name": "Len Gthy"}],
                      "publishedAt": "2026-11-21T00:00:00.000Z"}, "title": title}
    path.write_text(json.dumps([item]))
    return path


@pytest.mark.parametrize(
    "feed",
    [*HOSTILE, "100kb-title"],
)
def test_hostile_feed_text_is_printed_safely(tmp_path, feed):
    path = long_title_feed(tmp_path / "long.json") if feed == "100kb-title" else FEEDS / feed
    d = tmp_path / "data"
    proc = run("ingest", str(path), data_dir=d)
    assert proc.returncode in (0, 1) and not unsafe(proc.stdout + proc.stderr, "\n"), proc.stderr
    if feed == "hostile_invalid_utf8.txt":  # not text: reported in one line, nothing ingested
        assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "hostile_invalid_utf8.txt" in proc.stderr
        return
    assert proc.returncode == 0, proc.stderr
    plain = run("list", data_dir=d, check_rc=0).stdout
    assert plain and not unsafe(plain, "\n\t"), unsafe(plain, "\n\t")
    listed = run("list", "--json", data_dir=d, check_rc=0).stdout
    assert not unsafe(listed, "\n\t"), unsafe(listed, "\n\t")
    papers = json.loads(listed)
    assert papers and all(not unsafe(json.dumps(p, ensure_ascii=False)) for p in papers)
    if feed == "100kb-title":
        # Ingest keeps 2,000 characters of it (storage/caps.py), printed whole and safely.
        assert len(papers[0]["title"]) == 2_000 and papers[0]["title"].endswith("…") and len(plain) > 2_000

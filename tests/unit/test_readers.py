"""Feed readers: each format on its synthetic fixture, detection by content, every error as one FeedError line."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from storage import readers
from storage.readers import FeedError, detect, expand_paths, read
from storage.readers.hf_page import resolve_day
from support.clihelp import FEEDS, SHARED_FEEDS

FIX = FEEDS
REAL = SHARED_FEEDS

FORMATS = {  # fixture: (format, records); see fixtures/feeds/README.md
    "hf_page.txt": ("hf-page", 7), "hf_day1.txt": ("hf-page", 8), "hf_day2.txt": ("hf-page", 9),
    "hf_daily_2024-05-28.json": ("hf-json", 4), "hf_daily_2026-08-14.json": ("hf-json", 4),
    "arxiv_atom_legacy.xml": ("arxiv-atom", 3), "arxiv_atom_new.xml": ("arxiv-atom", 3),
    "arxiv_atom_empty.xml": ("arxiv-atom", 0),  # totalResults 0: valid and empty
    "arxiv_rss_cs_cl.xml": ("arxiv-rss", 3), "refs.bib": ("bibtex", 4),
}
ERRORS = {
    "binary.bin": "binary file, not a feed", "empty.txt": "empty file", "prose.md": "unknown format (expected",
    "README.md": "unknown format (expected", "truncated.xml": "truncated or malformed XML",
    "arxiv_atom_error.xml": "arXiv API error: incorrect id format for xyz",
}


def copy_dated(tmp_path: Path, name: str, day: datetime, as_name: str | None = None) -> Path:
    """A copy of a fixture whose mtime (the reference for year-less dates) is `day`."""
    dest = tmp_path / (as_name or name)
    shutil.copyfile(FIX / name, dest)
    stamp = day.timestamp()
    os.utime(dest, (stamp, stamp))
    return dest


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def raises(path: Path) -> FeedError:
    with pytest.raises(FeedError) as info:
        read(path)
    return info.value


# -- every reader ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_fixture_format_and_count(name: str) -> None:
    fmt, count = FORMATS[name]
    assert detect((FIX / name).read_bytes()) == fmt
    result = read(FIX / name)
    assert (result.format, len(result.records), result.path) == (fmt, count, str(FIX / name))
    for rec in result.records:
        assert rec.feed == name
        for text in (rec.title, rec.abstract, *rec.authors):
            assert text == text.strip() and "\n" not in text and "  " not in text
        assert not re.search(r"v\d+$", rec.arxiv_id)
        assert rec.date == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", rec.date)
        if rec.arxiv_id:
            assert rec.url == f"https://arxiv.org/abs/{rec.arxiv_id}"


# -- HF page ---------------------------------------------------------------------------------------------------------


def test_hf_page_blocks_wraps_latex_entities_and_markup(tmp_path: Path) -> None:
    recs = read(copy_dated(tmp_path, "hf_page.txt", datetime(2026, 6, 1, 12))).records
    assert [r.title for r in recs] == [
        "Lattice Whisper: Sparse State-Space Adapters for Long-Context Speech Recognition",
        r"Holo$^{3}$D: Trilinear Fields for $\textit{Instant}$ Scene Capture",
        "Promises & Perils of Self-Grading Agents",
        "Escaping [bold] Tags and [/] Closers in Terminal Renderers",
        "A* Search Meets Token Budgets: Planning with $5 of Compute",
        "Kilo-Scale Reward Models Without Preference Data",
        "Untitled Draft: Notes on Sparse Mixtures",
    ]
    assert "adapters that extend frozen speech recognisers to hour-long recordings. Adapters sit" in recs[0].abstract
    assert r"19.63\,FPS" in recs[1].abstract and "$10^{-3}$" in recs[1].abstract
    assert '<think> traces' in recs[2].abstract and '"self-grading gap"' in recs[2].abstract
    assert "R&D and café" in recs[2].abstract
    assert "[red]alert[/red]" in recs[3].abstract
    assert recs[-1].abstract == ""
    assert [r.date for r in recs] == ["2026-03-13"] * 5 + ["2026-03-12"] * 2
    assert all(r.authors == [] and r.arxiv_id == "" and r.url == "" for r in recs)


def test_hf_page_year_is_latest_not_after_file_mtime(tmp_path: Path) -> None:
    recs = read(copy_dated(tmp_path, "hf_page.txt", datetime(2026, 3, 12, 12))).records
    assert [recs[0].date, recs[-1].date] == ["2025-03-13", "2026-03-12"]
    assert resolve_day(2, 29, None, date(2026, 3, 1)) == "2024-02-29"
    assert resolve_day(12, 31, None, date(2027, 1, 1)) == "2026-12-31"
    assert resolve_day(3, 14, 2026, date(2020, 1, 1)) == "2026-03-14"
    written = read(copy_dated(tmp_path, "hf_day2.txt", datetime(2030, 1, 1))).records  # "Mar 14, 2026"
    assert {r.date for r in written} == {"2026-03-14"}


def test_hf_page_bom_and_windows_line_endings(tmp_path: Path) -> None:
    plain = copy_dated(tmp_path, "hf_page.txt", datetime(2026, 6, 1))
    crlf = write(tmp_path, "crlf.txt", b"\xef\xbb\xbf" + plain.read_bytes().replace(b"\n", b"\r\n"))
    os.utime(crlf, (plain.stat().st_mtime,) * 2)
    assert detect(crlf.read_bytes()) == "hf-page"
    assert [(r.title, r.abstract, r.date) for r in read(crlf).records] == [
        (r.title, r.abstract, r.date) for r in read(plain).records
    ]


ENTRY = "Title One\n\nAbstract one.\n\nTitle Two\nwrapped\n\nAbstract two,\nwrapped.\n"


@pytest.mark.parametrize(
    "text",
    [
        "Mar 13\n\n" + ENTRY,  # no header at all
        "Subscribe\n\nbyAK and the research community\n\nnew\n\nGet trending papers in your email inbox!\n\nMar 13\n\n"
        + ENTRY,  # reordered
        "byAK and the research community\nMar 13\n" + ENTRY.rstrip(),  # no blank lines around the date
    ],
    ids=["no-header", "reordered-header", "date-glued-to-title"],
)
def test_hf_page_header_missing_reordered_or_glued(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, "page.txt", text)
    assert detect(path.read_bytes()) == "hf-page"
    recs = read(path).records
    assert [(r.title, r.abstract) for r in recs] == [
        ("Title One", "Abstract one."),
        ("Title Two wrapped", "Abstract two, wrapped."),
    ]
    assert recs[0].date.endswith("-03-13")


def test_hf_page_pasted_pages_keep_their_dates(tmp_path: Path) -> None:
    text = (FIX / "hf_day1.txt").read_text(encoding="utf-8") + (FIX / "hf_day2.txt").read_text(encoding="utf-8")
    recs = read(write(tmp_path, "both.txt", text)).records
    assert [r.date for r in recs] == ["2026-03-13"] * 8 + ["2026-03-14"] * 9
    assert recs[8].title.startswith("Cartographer")


def test_hf_page_long_block_after_an_abstract_is_its_next_paragraph(tmp_path: Path) -> None:
    second = "Second paragraph " * 30
    text = f"Mar 13\n\nTitle One\n\nFirst paragraph.\n\n{second}\n\nTitle Two\n\nAbstract two."
    recs = read(write(tmp_path, "page.txt", text)).records
    assert [r.title for r in recs] == ["Title One", "Title Two"]
    assert recs[0].abstract.startswith("First paragraph. Second paragraph")


def test_hf_page_header_only_is_an_empty_page(tmp_path: Path) -> None:
    path = write(tmp_path, "page.txt", "new\n\nGet trending papers in your email inbox!\n\nMar 13\n")
    assert read(path).records == []


def test_dedupe_pair_files_read_as_documented() -> None:
    day1, day2 = (read(FIX / f"hf_day{n}.txt").records for n in (1, 2))
    titles2 = [r.title for r in day2]
    assert "Mosaic Retreival with Learned Sparse Indices" in titles2
    assert "Quiet Gradients : Noise-Robust Optimisation for Diffusion Models" in titles2
    tidal1 = next(r for r in day1 if r.title.startswith("Tidal"))
    tidal2 = next(r for r in day2 if r.title.startswith("TIDAL"))
    assert tidal1.abstract == tidal2.abstract  # re-wrapped in day 2, equal once joined
    lantern2 = next(r for r in day2 if r.title.startswith("Lantern"))
    assert lantern2.abstract.endswith("...")


# -- HF JSON ---------------------------------------------------------------------------------------------------------


def test_hf_json_old_schema() -> None:
    recs = read(FIX / "hf_daily_2024-05-28.json").records
    assert recs[0].title == "Sparse Lattice Adapters for Parameter Efficient Fine-Tuning"  # paper.title, wrap joined
    assert recs[0].abstract.startswith("Sparse Lattice Adapters place low-rank updates on a fixed lattice of layers")
    # paper.title is preferred over the LaTeX-marked top-level title, which is kept aside
    assert recs[1].title == "Quill-LoRA: towards data-free Transfer of Low-Rank Adapters"
    assert recs[1].extra["hf_title"].startswith(r"$\textit{Quill-LoRA}$")
    assert recs[2].authors == ["Zoë Łukasiewicz-Núñez", "Hiro Tanaka"]
    assert [r.arxiv_id for r in recs] == ["2405.90001", "2405.90002", "2405.90003", "2405.90004"]
    assert [r.date for r in recs] == ["2024-05-28"] * 4  # entry 4: from the file name
    assert recs[0].extra["upvotes"] == 33 and recs[0].extra["hf_url"] == "https://huggingface.co/papers/2405.90001"


def test_hf_json_date_without_file_name_date(tmp_path: Path) -> None:
    recs = read(copy_dated(tmp_path, "hf_daily_2024-05-28.json", datetime(2026, 1, 1), "daily.json")).records
    assert [r.date for r in recs] == ["2024-05-28"] * 3 + [""]


def test_hf_json_new_schema() -> None:
    recs = read(FIX / "hf_daily_2026-08-14.json").records
    assert {r.date for r in recs} == {"2026-08-14"}  # submittedOnDailyAt, not either publishedAt
    first = recs[0]
    assert first.authors == ["Nimbus Team", "Rui Chen"]
    assert r"19.63\,FPS" in first.abstract
    assert first.extra["github"] == "https://github.com/nimbus-labs/nimbus-world"
    assert first.extra["project_page"] == "https://nimbus-labs.github.io/world/"
    assert first.extra["ai_keywords"] == ["world model", "SE(3) transformations"]
    assert first.extra["ai_summary"] == "A one-line summary of Nimbus-World 1.0."  # what the reader (Enter) shows
    assert first.extra["github_stars"] == 23 and recs[1].extra["github_stars"] == 2341
    assert first.extra["num_comments"] == 2 and first.extra["hf_url"] == "https://huggingface.co/papers/2608.90011"
    assert first.extra["organization"] == "Nimbus Labs"
    assert [r.extra["upvotes"] for r in recs] == [61, 53, 0, 0]
    assert "github" not in recs[2].extra


def test_hf_json_wrapper_object_and_empty_list(tmp_path: Path) -> None:
    items = json.loads((FIX / "hf_daily_2026-08-14.json").read_text(encoding="utf-8"))
    assert len(read(write(tmp_path, "wrapped.json", json.dumps({"papers": items}))).records) == 4
    empty = read(write(tmp_path, "empty.json", "[]"))
    assert (empty.format, empty.records) == ("hf-json", [])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"name": "not a feed"}', 'not a Hugging Face daily papers JSON (expected a list of objects with a "paper"'),
        ('[{"title": "x"}]', 'not a Hugging Face daily papers JSON: entry 1 has no "paper" object'),
        ("[1, 2]", "not a Hugging Face daily papers JSON (expected"),
        ('[{"paper": {"id": "2405.00001", "title": "x"', "truncated or malformed JSON: "),
    ],
)
def test_hf_json_errors(tmp_path: Path, text: str, message: str) -> None:
    err = raises(write(tmp_path, "bad.json", text))
    assert err.message.startswith(message)


# -- arXiv Atom ------------------------------------------------------------------------------------------------------


def test_arxiv_atom_legacy() -> None:
    recs = read(FIX / "arxiv_atom_legacy.xml").records
    assert [r.arxiv_id for r in recs] == ["1201.0001", "cond-mat/0412001", "math/0309001"]
    assert recs[0].title == "Superfluid Flow Through Nanopores in the presence of quenched disorder"
    assert recs[0].abstract.startswith("We simulate helium")
    assert 'W > W_c the flow' in recs[0].abstract and '"glassy" phase' in recs[0].abstract
    assert recs[0].authors == ["Mira Okafor", "Jonas Lindqvist"]
    # The day the API listed it (the feed's <updated>), and apart from it the day arXiv first published it.
    assert (recs[0].date, recs[0].published) == ("2016-10-09", "2012-01-23")
    assert recs[0].extra["doi"] == "10.1000/EXAMPLE.2012.001"
    assert recs[0].extra["version"] == "v2" and recs[0].extra["comment"] == "12 pages, 5 figures"
    assert recs[1].url == "https://arxiv.org/abs/cond-mat/0412001"


def test_arxiv_atom_new_keeps_angle_brackets_as_text() -> None:
    recs = read(FIX / "arxiv_atom_new.xml").records
    assert recs[0].title == "ChatGPT-Style Tutors and Software Testing Education: Promises & Perils"
    assert [r.arxiv_id for r in recs] == ["2303.90021", "2405.90031", "1812.90041"]
    assert "the <pad> token carries position information when a < b. Models" in recs[1].abstract
    assert recs[1].authors == ["Aurora Ramírez", "José Raúl Romero"]
    assert [r.published for r in recs] == ["2023-03-14", "2024-05-22", "2018-12-30"]
    assert {r.date for r in recs} == {"2026-04-12"}  # the query's day, not a publication date shown as "seen on"


def test_xml_harmless_bozo_is_tolerated_but_cut_feed_is_not(tmp_path: Path) -> None:
    data = (FIX / "arxiv_atom_new.xml").read_text(encoding="utf-8")
    undefined_entity = write(tmp_path, "entity.xml", data.replace("Lipo Wang", "Lipo&nbsp;Wang"))
    assert len(read(undefined_entity).records) == 3
    unclosed = write(tmp_path, "unclosed.xml", data.replace("</feed>", ""))
    assert raises(unclosed).message.startswith("truncated or malformed XML: ")


# -- arXiv RSS -------------------------------------------------------------------------------------------------------


def test_arxiv_rss() -> None:
    assert (FIX / "arxiv_rss_cs_cl.xml").read_bytes().startswith(b"<rss")  # no XML declaration
    recs = read(FIX / "arxiv_rss_cs_cl.xml").records
    assert recs[0].abstract.startswith("We analyse 30 multilingual")  # "arXiv:... Announce Type" prefix dropped
    assert "a < b prompts" in recs[0].abstract
    assert recs[0].authors == ["Amara Khan", "Ravi Kandala", "Deepti", "Sara Munir", "Joy Pal"]
    assert [r.arxiv_id for r in recs] == ["2604.90001", "2604.90002", "2604.90003"]
    assert {r.date for r in recs} == {"2026-04-27"}
    assert recs[1].extra["announce_type"] == "replace" and recs[1].extra["categories"] == ["cs.CL", "cs.AI", "cs.LG"]
    assert 'the same "task" heads' in recs[1].abstract


def test_arxiv_rss_old_html_layout(tmp_path: Path) -> None:
    rss = (
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>cs.CL</title>'
        "<item><title>Old Style</title><link>http://arxiv.org/abs/1701.00001v1</link>"
        "<description>&lt;p&gt;An abstract in a paragraph.&lt;/p&gt;</description>"
        '<dc:creator>&lt;a href="http://arxiv.org/a/x"&gt;Ann Lee&lt;/a&gt;, and &lt;a href="y"&gt;Bo Kim&lt;/a&gt;'
        "</dc:creator></item></channel></rss>"
    )
    (rec,) = read(write(tmp_path, "old.rss", rss)).records
    assert (rec.abstract, rec.authors) == ("An abstract in a paragraph.", ["Ann Lee", "Bo Kim"])
    assert rec.arxiv_id == "1701.00001"


# -- BibTeX ----------------------------------------------------------------------------------------------------------


def test_bibtex() -> None:
    recs = read(FIX / "refs.bib").records
    assert [r.title for r in recs] == [
        "Sparse Lattice Adapters for Parameter-Efficient Fine-Tuning",
        "Tutors and Testing: Promises & Perils of AI Graders",
        r"Holo$^{3}$D: Trilinear Fields for \textit{Instant} Capture",
        "Reading at Scale",
    ]
    assert recs[0].authors == ["Mira Okafor", "Jonas Lindqvist"]  # the repeated author once
    assert recs[0].abstract.endswith("on a fixed lattice of layers. They match full fine-tuning.")  # wrap joined
    assert recs[1].authors == ["Priya Raman", "Tomasz Wójcik", "Jörg Müller"]  # "others" dropped
    assert [r.arxiv_id for r in recs] == ["2405.90001", "2303.90021", "2210.90051", ""]
    assert recs[2].extra["venue"] == "Advances in Neural Information Processing Systems"  # @string macro
    assert recs[3].authors == ["Barnes and Noble, Inc."] and recs[3].url == "https://doi.org/10.1000/example.book"
    assert {r.date for r in recs} == {""}


def test_bibtex_unclosed_entry_is_an_error(tmp_path: Path) -> None:
    err = raises(write(tmp_path, "cut.bib", "@misc{ok, title={Fine}}\n@article{key,\n  title = {Cut off"))
    assert err.message == "malformed BibTeX: entry at line 2 is not closed (truncated file?)"


# -- detection and errors --------------------------------------------------------------------------------------------


def test_detection_ignores_file_extensions(tmp_path: Path) -> None:
    assert read(copy_dated(tmp_path, "hf_page.txt", datetime(2026, 6, 1), "page.json")).format == "hf-page"
    assert read(copy_dated(tmp_path, "arxiv_atom_new.xml", datetime(2026, 6, 1), "feed.txt")).format == "arxiv-atom"
    assert read(copy_dated(tmp_path, "refs.bib", datetime(2026, 6, 1), "refs.xml")).format == "bibtex"


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n", b"\x00\x01\x02", b"\xff\xfe\x00", b"<html><body>hi</body></html>", b"[1, 2", b"[![badge](x)]",
     b"# README\n\nMar 13\n\nSome title\n", b"Mar 13\n", b"\xc3\x28 invalid utf-8", b"<?xml version='1.0'?><x/>"],
)
def test_detect_unknown_data_is_none(data: bytes) -> None:
    assert detect(data) is None


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_error_fixtures_name_the_file(name: str) -> None:
    err = raises(FIX / name)
    assert err.path == str(FIX / name)
    assert err.message.startswith(ERRORS[name])
    assert str(err) == f"{FIX / name}: {err.message}" and "\n" not in str(err)


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"  \n\n", "empty file"), (b"\xef\xbb\xbf\r\n", "empty file"),
     (b"caf\xe9 au lait\n", "not UTF-8 text (byte 0xe9 at offset 3); save the feed as UTF-8"),
     (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file, not a feed")],
)
def test_more_bad_contents(tmp_path: Path, data: bytes, message: str) -> None:
    assert raises(write(tmp_path, "f", data)).message == message


def test_missing_file_directory_and_fifo(tmp_path: Path) -> None:
    assert raises(tmp_path / "nope.txt").message == "no such file"
    assert raises(tmp_path).message == "is a directory, not a feed file"
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe")
        assert raises(tmp_path / "pipe").message == "not a regular file"


def test_unexpected_failure_becomes_feed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args, **kwargs):
        raise KeyError("paper")

    monkeypatch.setattr(readers.hf_page, "parse", boom)
    err = raises(FIX / "hf_page.txt")
    assert err.message == "cannot read feed (KeyError: 'paper')"


# -- expand_paths ----------------------------------------------------------------------------------------------------


def test_expand_paths(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    (folder / "sub").mkdir(parents=True)
    for name in ("b.txt", "a.xml", ".hidden", "sub/c.txt"):
        (folder / name).write_text("x")
    single = tmp_path / "one.json"
    assert expand_paths([single, folder, "missing.txt"]) == [
        str(single), str(folder / "a.xml"), str(folder / "b.txt"), "missing.txt"
    ]
    (tmp_path / "empty").mkdir()
    assert expand_paths([tmp_path / "empty"]) == []


def test_expand_paths_unlistable_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(readers.os, "scandir", denied)
    with pytest.raises(FeedError) as info:
        expand_paths([tmp_path])
    assert str(info.value) == f"{tmp_path}: cannot list directory: Permission denied"


# -- the real samples (only where /work/shared/feeds sits beside the checkout) ----------------------------------------

needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real feed samples not present at {REAL}")


@needs_real
def test_real_hf_pages() -> None:
    counts = [len(read(p).records) for p in expand_paths([REAL / "hf-pages"])]
    assert counts == [82, 93, 72] and sum(counts) == 247


@needs_real
@pytest.mark.parametrize(
    ("name", "fmt", "count"),
    [("hf_daily_papers_2024-05-28.json", "hf-json", 15), ("hf_daily_papers_2026-08-14.json", "hf-json", 23),
     ("arxiv_api_atom_2016_au_del_maestro.xml", "arxiv-atom", 10), ("arxiv_rss_2026-04-27_cs_cl.xml", "arxiv-rss", 3),
     ("arxiv_api_atom_2026_q_testing_m10.xml", "arxiv-atom", 10), ("iclr2026_conference.bib", "bibtex", 3)],
)
def test_real_samples(name: str, fmt: str, count: int) -> None:
    result = read(REAL / "real" / name)
    assert (result.format, len(result.records)) == (fmt, count)
    assert all(r.title for r in result.records)


@needs_real
def test_real_error_feed_and_prose() -> None:
    assert raises(REAL / "real" / "arxiv_api_atom_2026_error_bad_id.xml").message.startswith("arXiv API error: ")
    assert raises(REAL / "real" / "SOURCES.md").message.startswith("unknown format")

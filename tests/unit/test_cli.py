"""The `papertriage` command as scripts use it: each call runs `tui.cli.main(argv)` in this process (see
support/clihelp.py), JSON parsed, exit codes checked. The installed command as a real process: e2e/test_cli_smoke.py."""

import json

import pytest
from markdown_it import MarkdownIt

from support.clihelp import FEEDS, SHARED_FEEDS, run

HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
DAY1 = HEADER + """Mar 11

Sparse Routing for [Mixture] of Experts

We route tokens to experts with a learned sparse gate and show that
the gate converges quickly on large corpora.

Teaching *Small* Models to Plan with $^{3}$D Scenes

Small models learn to plan in 3D scenes from synthetic demonstrations &amp; language feedback.
"""
DAY2 = HEADER + """Mar 12

Teaching *small* models to plan with ^3D scenes

Small models learn to plan in 3D scenes from synthetic demonstrations & language feedback.

A Benchmark for Long-Context Retrieval](http://evil.example) <b>x</b> | $5

We build a benchmark that measures retrieval over book-length contexts.
"""
KEYS = {"id", "title", "abstract", "authors", "arxiv_id", "url", "sources", "starred", "tags", "note", "status",
        "queue_position", "added"}


@pytest.fixture
def lib(tmp_path):
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "day1.txt").write_text(DAY1)
    (feeds / "day2.txt").write_text(DAY2)
    data = tmp_path / "data"
    proc = run("ingest", str(feeds / "day1.txt"), str(feeds / "day2.txt"), data_dir=data, check_rc=0)
    assert "4 entries read" in proc.stdout and "3 new papers" in proc.stdout and "1 merged" in proc.stdout
    return data, feeds


def listed(data, *args):
    return json.loads(run("list", "--json", *args, data_dir=data, check_rc=0).stdout)


def test_list_json_contract(lib):
    data, _ = lib
    papers = listed(data)
    assert len(papers) == 3
    for p in papers:
        assert KEYS <= set(p)
    merged = next(p for p in papers if p["title"].startswith("Teaching"))
    assert merged["title"] == "Teaching *Small* Models to Plan with $^{3}$D Scenes"  # first-seen title kept
    assert [s["feed"] for s in merged["sources"]] == ["day1.txt", "day2.txt"]
    assert "&" in merged["abstract"] and "&amp;" not in merged["abstract"]
    sparse = next(p for p in papers if p["title"].startswith("Sparse"))
    assert "\n" not in sparse["abstract"] and "sparse gate and show" in sparse["abstract"]


def test_reingest_is_a_no_op(lib):
    data, feeds = lib
    before = (data / "library.json").read_bytes()
    proc = run("ingest", str(feeds), data_dir=data, check_rc=0)
    assert "0 new papers" in proc.stdout
    assert (data / "library.json").read_bytes() == before


def test_actions_and_views(lib):
    data, _ = lib
    ids = [p["id"] for p in listed(data)]
    run("star", ids[0], ids[1], data_dir=data, check_rc=0)
    run("tag", ids[0], "LLM", "survey", data_dir=data, check_rc=0)
    run("note", ids[0], "read section 3 [twice]", data_dir=data, check_rc=0)
    run("status", ids[1], "queued", data_dir=data, check_rc=0)
    run("untag", ids[0], "survey", data_dir=data, check_rc=0)
    run("unstar", ids[1], data_dir=data, check_rc=0)
    first = listed(data, "--view", "starred")
    assert [p["id"] for p in first] == [ids[0]]
    assert first[0]["tags"] == ["llm"] and first[0]["note"] == "read section 3 [twice]"
    queue = listed(data, "--view", "queue")
    assert [(p["id"], p["status"], p["queue_position"]) for p in queue] == [(ids[1], "queued", 1)]
    assert [p["id"] for p in listed(data, "--view", "inbox")] == [ids[0], ids[2]]
    assert [p["id"] for p in listed(data, "--tag", "LLM")] == [ids[0]]
    assert [p["id"] for p in listed(data, "--query", "+llm is:starred")] == [ids[0]]
    text = run("list", "--view", "starred", data_dir=data, check_rc=0).stdout
    assert ids[0] in text and "[llm]" in text


def test_unknown_id_and_bad_query(lib):
    data, _ = lib
    proc = run("star", "9999.99999", data_dir=data, check_rc=1)
    assert proc.stderr.startswith("error: ") and "9999.99999" in proc.stderr
    proc = run("list", "--query", "is:nonsense", data_dir=data, check_rc=1)
    assert "is:" in proc.stderr and proc.stderr.count("\n") == 1


def test_export_markdown_renders_titles_literally(lib):
    data, _ = lib
    ids = [p["id"] for p in listed(data)]
    for pid in ids:
        run("star", pid, data_dir=data, check_rc=0)
    run("tag", ids[0], "retrieval", data_dir=data, check_rc=0)
    md = run("export", data_dir=data, check_rc=0).stdout
    tokens = MarkdownIt("commonmark").parse(md)
    texts = "".join(c.content for t in tokens if t.type == "inline" for c in t.children if c.type == "text")
    for p in listed(data):
        assert p["title"] in texts
    assert not any(c.type in ("html_inline", "link_open") and "evil" in str(c.attrs) + c.content
                   for t in tokens if t.type == "inline" for c in t.children)


def test_export_formats_and_output_file(lib, tmp_path):
    data, _ = lib
    ids = [p["id"] for p in listed(data)]
    run("star", ids[0], data_dir=data, check_rc=0)
    exported = json.loads(run("export", "--format", "json", data_dir=data, check_rc=0).stdout)
    assert [p["id"] for p in exported] == [ids[0]] and KEYS <= set(exported[0])
    bib = run("export", "--format", "bibtex", "--view", "all", data_dir=data, check_rc=0).stdout
    assert bib.count("@misc{") == 3
    out = tmp_path / "out.md"
    proc = run("export", "--abstracts", "--group-by", "none", "-o", str(out), data_dir=data, check_rc=0)
    assert "exported 1 paper to" in proc.stderr
    first = listed(data)[0]
    assert first["abstract"][:40] in out.read_text()


def test_dupes_lists_merge_reasons(lib):
    data, _ = lib
    out = run("dupes", data_dir=data, check_rc=0).stdout
    assert "Teaching *Small* Models" in out and "day2.txt" in out and "title" in out


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("empty.txt", b"", "empty"),
        ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff", "binary"),
        ("notes.md", b"# My reading notes\n\nNothing to see here, just prose about papers.\n", "unknown format"),
        ("cut.xml", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Half', "truncated"),
    ],
)
def test_bad_input_one_line_error_others_still_ingested(tmp_path, name, content, problem):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(DAY1)
    data = tmp_path / "data"
    proc = run("ingest", str(bad), str(good), data_dir=data, check_rc=1)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}: ") and problem in lines[0].lower()
    assert len(listed(data)) == 2


def test_missing_path_is_reported(tmp_path):
    proc = run("ingest", str(tmp_path / "nope.txt"), data_dir=tmp_path / "d", check_rc=1)
    assert "nope.txt" in proc.stderr and proc.stderr.count("\n") == 1


def test_env_var_sets_the_data_dir(tmp_path):
    feed = tmp_path / "f.txt"
    feed.write_text(DAY1)
    run("ingest", str(feed), env={"PAPERTRIAGE_DATA_DIR": str(tmp_path / "envdata")}, check_rc=0)
    assert (tmp_path / "envdata" / "library.json").exists()


def test_fixture_feeds_directory_ingests(tmp_path):
    """Every fixture feed: the good ones ingest, the broken ones are reported one line each, no traceback."""
    proc = run("ingest", str(FEEDS), data_dir=tmp_path, check_rc=1)
    assert len(listed(tmp_path)) > 10
    assert all(line.startswith("error: ") for line in proc.stderr.strip().splitlines())


@pytest.mark.skipif(not SHARED_FEEDS.exists(), reason="../shared/feeds not beside the checkout")
def test_shared_hf_pages_give_224_papers(tmp_path):
    proc = run("ingest", str(SHARED_FEEDS / "hf-pages"), data_dir=tmp_path, check_rc=0)
    assert "247 entries" in proc.stdout
    assert len(listed(tmp_path)) == 224
    again = run("ingest", str(SHARED_FEEDS / "hf-pages"), data_dir=tmp_path, check_rc=0)
    assert "0 new papers" in again.stdout and len(listed(tmp_path)) == 224


@pytest.mark.skipif(not SHARED_FEEDS.exists(), reason="../shared/feeds not beside the checkout")
@pytest.mark.parametrize("name, count", [
    ("hf_daily_papers_2024-05-28.json", 15), ("hf_daily_papers_2026-08-14.json", 23),
    ("arxiv_api_atom_2016_au_del_maestro.xml", 10), ("arxiv_api_atom_2026_q_testing_m10.xml", 10),
    ("arxiv_rss_2026-04-27_cs_cl.xml", 3),
])
def test_shared_real_feeds(tmp_path, name, count):
    proc = run("ingest", str(SHARED_FEEDS / "real" / name), data_dir=tmp_path, check_rc=0)
    assert f"{count} entries" in proc.stdout and len(listed(tmp_path)) == count


@pytest.mark.skipif(not SHARED_FEEDS.exists(), reason="../shared/feeds not beside the checkout")
def test_shared_error_feed_reported(tmp_path):
    proc = run("ingest", str(SHARED_FEEDS / "real" / "arxiv_api_atom_2026_error_bad_id.xml"), data_dir=tmp_path, check_rc=1)
    assert "arXiv API error" in proc.stderr and "incorrect id format" in proc.stderr


def test_a_note_or_tag_that_is_not_utf8_is_kept_with_a_replacement_character(tmp_path):
    """Invalid UTF-8 on the command line reaches Python as lone surrogates, which cannot be written as UTF-8."""
    import subprocess

    from support.clihelp import papertriage_cmd

    data = tmp_path / "data"
    run("ingest", str(FEEDS / "hf_day1.txt"), data_dir=data, check_rc=0)
    pid = json.loads(run("list", "--json", data_dir=data, check_rc=0).stdout)[0]["id"]
    for args in ([b"note", pid.encode(), b"caf\xe9 au lait"], [b"tag", pid.encode(), b"r\xe9sum\xe9"]):
        proc = subprocess.run([*map(str.encode, papertriage_cmd()), b"--data-dir", str(data).encode(), *args],
                              capture_output=True, timeout=60)
        assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr
    [paper] = [p for p in json.loads(run("list", "--json", data_dir=data, check_rc=0).stdout) if p["id"] == pid]
    assert paper["note"] == "caf\ufffd au lait" and paper["tags"] == ["r\ufffdsum\ufffd"]

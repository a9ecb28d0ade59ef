"""Edges of the command line (issue 10, items 7, 8, 11): odd file names, out-of-range queries, mistyped commands,
usage errors, `--version`, `untag` of a tag the paper lacks. In-process through `tui.cli.main(argv)`."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from support.clihelp import FEEDS, cli
from tui.cli import main

HF = FEEDS / "hf_daily_2024-05-28.json"


# -- 7: a feed file name that is not UTF-8 --------------------------------------------------------------------------
def test_a_feed_whose_name_is_not_utf8_ingests_and_leaves_no_temp_file(tmp_path, capsys):
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    bad = os.path.join(os.fsencode(feeds), b"feed\xff\xfe.json")
    shutil.copyfile(HF, bad)
    data = tmp_path / "data"
    for _ in range(2):  # the folder ingests again: nothing blocks later ingests
        code, out, err = cli(capsys, "--data-dir", str(data), "ingest", str(feeds))
        assert code == 0, err
        assert "library has 4 papers" in out
    assert not [n for n in os.listdir(data) if n.endswith((".tmp", ".baktmp"))]
    lib = json.loads((data / "library.json").read_text("utf-8"))
    assert {s["feed"] for p in lib["papers"] for s in p["sources"]} == {"feed\ufffd\ufffd.json"}


def test_a_save_that_fails_with_a_non_disk_error_leaves_no_temp_file(tmp_path, monkeypatch):
    from storage import library as library_mod
    from storage.store import Store

    store = Store(tmp_path / "data")
    store.ingest([str(HF)])

    def boom(*a, **k):
        raise ValueError("not an OSError")

    monkeypatch.setattr(library_mod, "commit", boom)
    with pytest.raises(ValueError):
        store.library.save()
    assert not [n for n in os.listdir(tmp_path / "data") if n.endswith((".tmp", ".baktmp"))]


# -- 8: ages beyond the calendar ------------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["@9999y", "@2100y", "@9999999d", "@99999999999999999999999d"])
def test_an_age_before_year_one_is_a_query_error(library_dir, capsys, query):
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "list", "--query", query)
    assert code == 1 and out == ""
    assert err == f"error: query: '{query}': too far back (the calendar starts at year 1)\n"


# -- 11: mistyped commands, usage errors, --version, untag ----------------------------------------------------------
def test_a_mistyped_command_is_an_error_with_a_suggestion_and_takes_no_lock(library_dir, capsys, monkeypatch):
    monkeypatch.chdir(library_dir.parent)
    opened = []
    monkeypatch.setattr("tui.app.run_app", lambda *a, **k: opened.append(a) or 0)
    before = (library_dir / "lock").read_bytes() if (library_dir / "lock").exists() else None
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "lsit")
    assert (code, out, err) == (1, "", "error: unknown command 'lsit' (did you mean list?)\n")
    assert opened == []
    after = (library_dir / "lock").read_bytes() if (library_dir / "lock").exists() else None
    assert after == before
    code, out, err = cli(capsys, "qqqq")
    assert code == 1 and err == "error: unknown command 'qqqq' (see `papertriage --help`)\n"
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "missing-feed.json")
    assert (code, err) == (1, "error: missing-feed.json: no such file or directory\n")
    assert opened == []


def test_an_existing_path_still_opens_the_app_on_it(library_dir, capsys, monkeypatch):
    got = []
    monkeypatch.setattr("tui.app.run_app", lambda store, ingest, **k: got.append(ingest) or 0)
    assert cli(capsys, "--data-dir", str(library_dir), str(HF))[0] == 0
    assert got == [[str(HF)]]


@pytest.mark.parametrize("argv", [["list", "--view", "nope"], ["star"], ["--bogus"], ["status", "x", "done"],
                                  ["list", "extra"]])
def test_usage_errors_are_one_error_line_and_exit_1(library_dir, capsys, argv):
    code, out, err = cli(capsys, "--data-dir", str(library_dir), *argv)
    assert code == 1 and out == ""
    assert err.startswith("error: papertriage") and err.count("\n") == 1, err
    assert "usage:" not in err


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("papertriage ") and out.strip() != "papertriage"


def test_untag_of_a_tag_the_paper_lacks_says_so_and_changes_nothing(library_dir, capsys):
    files = [library_dir / "state.json", library_dir / "state.journal"]
    before = [f.read_bytes() for f in files]
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "untag", "2611.01003", "notatag")
    assert code == 1 and out == ""
    assert err == ("error: 2611.01003: the paper has no tag 'notatag' (its tags: survey, attention); "
                   "nothing was changed\n")
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "untag", "2611.01002", "x")
    assert code == 1 and "(it has no tags)" in err
    assert [f.read_bytes() for f in files] == before
    code, out, err = cli(capsys, "--data-dir", str(library_dir), "untag", "2611.01003", "survey")
    assert code == 0 and "[attention]" in out

"""`papertriage fetch` and `papertriage feeds` in-process (tui.cli.main) against a local server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.fetchserver import FeedServer, Reply, closed_port, hf_day
from storage.lock import WriterLock
from storage.store import Store
from support.clihelp import cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
RSS = (FIXTURES / "arxiv_rss_cs_cl.xml").read_bytes()


@pytest.fixture
def server():
    s = FeedServer()
    yield s
    s.close()


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERTRIAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PAPERTRIAGE_CONFIG", str(tmp_path / "config.toml"))
    return tmp_path


def write_config(env: Path, feeds: list[tuple[str, str]], extra: str = "[fetch]\ntimeout = 2\n") -> Path:
    text = "# my subscriptions\n" + extra + "".join(
        f'\n[[feeds]]\nname = "{name}"  # keep this comment\nurl = "{url}"\n' for name, url in feeds)
    path = env / "config.toml"
    path.write_text(text)
    return path


def test_fetch_prints_a_line_per_feed_and_a_failed_feed_makes_exit_1(env, server, capsys):
    import datetime

    today = datetime.date.today().isoformat()
    server.route(f"/hf?date={today}", Reply(200, hf_day(today, [("2612.00001", "An Invented Paper")])))
    server.route("/rss", Reply(200, RSS, {"ETag": '"e"'}), Reply(304, b""))
    server.route("/lg", Reply(404, b"no"))
    write_config(env, [("HF daily", server.url("/hf?date={date}")), ("cs.CL", server.url("/rss")),
                       ("cs.LG", server.url("/lg"))])
    code, out, err = cli(capsys, "fetch")
    assert code == 1
    assert out.splitlines() == ["HF daily: 1 day, 1 entry, 1 new paper", "cs.CL: 3 entries, 3 new papers"]
    assert err.splitlines() == ["error: cs.LG: HTTP 404 Not Found"]  # piped: no progress display
    assert len(Store(env / "data")) == 4
    code, out, err = cli(capsys, "fetch", "cs.CL")
    assert (code, out, err) == (0, "cs.CL: not modified\n", "")


def test_fetch_offline_is_one_line_per_feed_and_loses_nothing(env, capsys):
    port = closed_port()
    write_config(env, [("a", f"http://127.0.0.1:{port}/a"), ("b", f"http://127.0.0.1:{port}/b")])
    code, out, err = cli(capsys, "fetch")
    assert code == 1 and out == ""
    assert err.splitlines() == ["error: a: cannot connect to 127.0.0.1: connection refused",
                                "error: b: cannot connect to 127.0.0.1: connection refused"]
    code, out, _ = cli(capsys, "feeds", "--json")
    assert [r["last_status"] for r in json.loads(out)] == ["error: cannot connect to 127.0.0.1: connection refused"] * 2


def test_fetch_user_mistakes_are_one_line(env, server, capsys):
    assert cli(capsys, "fetch") == (1, "", f"error: {env / 'config.toml'}: no [[feeds]] to fetch "
                                           "(`papertriage feeds add URL` adds one)\n")
    write_config(env, [("cs.CL", server.url("/rss"))])
    assert cli(capsys, "fetch", "nope") == (1, "", f"error: {env / 'config.toml'}: no feed named 'nope' "
                                                   "(feeds: cs.CL)\n")
    assert cli(capsys, "fetch", "--since", "yesterday")[2] == "error: --since: expected a day as YYYY-MM-DD, not 'yesterday'\n"
    assert cli(capsys, "fetch", "--since", "2999-01-01")[2] == "error: --since: 2999-01-01 is in the future\n"
    assert server.seen() == []


def test_fetch_refuses_while_the_app_holds_the_data_dir(env, server, capsys):
    write_config(env, [("cs.CL", server.route("/rss", Reply(200, RSS)))])
    with WriterLock(env / "data", command="papertriage").acquire():
        code, out, err = cli(capsys, "fetch")
    assert code == 1 and "in use by another papertriage" in err and server.seen() == []


def test_feeds_lists_last_fetch_status_and_paper_counts(env, server, capsys):
    write_config(env, [("cs.CL", server.route("/rss", Reply(200, RSS))), ("later", server.url("/later"))])
    cli(capsys, "fetch", "cs.CL")
    cli(capsys, "status", "2604.90001", "read")
    code, out, err = cli(capsys, "feeds")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("cs.CL: 3 papers (2 in inbox); last fetch ") and lines[0].endswith(" UTC, ok")
    assert lines[1:] == [f"    {server.url('/rss')}", "later: 0 papers (0 in inbox); last fetch never fetched",
                         f"    {server.url('/later')}"]
    rows = json.loads(cli(capsys, "feeds", "--json")[1])
    assert [(r["name"], r["papers"], r["inbox"], r["last_status"]) for r in rows] == [
        ("cs.CL", 3, 2, "ok"), ("later", 0, 0, "")]


def test_feeds_add_and_remove_keep_the_users_comments(env, capsys):
    path = write_config(env, [("HF daily", "https://huggingface.co/api/daily_papers?date={date}")],
                        extra="[keys]\nstar = \"w\"  # my key\n")
    code, _, err = cli(capsys, "feeds", "add", "https://rss.arxiv.org/rss/cs.CL", "--tag", "nlp")
    assert code == 0 and "added 'cs.CL'" in err
    text = path.read_text()
    assert "# my subscriptions" in text and "# keep this comment" in text and "# my key" in text
    assert 'name = "cs.CL"\nurl = "https://rss.arxiv.org/rss/cs.CL"\ntags = ["nlp"]' in text
    assert cli(capsys, "feeds", "add", "https://rss.arxiv.org/rss/cs.CL", "--name", "again")[2] == (
        f"error: {path}:9: https://rss.arxiv.org/rss/cs.CL is already subscribed as 'cs.CL'\n")
    assert cli(capsys, "feeds", "add", "ftp://x/y")[2] == "error: ftp://x/y: a feed URL must start with http:// or https://\n"
    rows = json.loads(cli(capsys, "feeds", "--json")[1])
    assert [(r["name"], r["tags"]) for r in rows] == [("HF daily", []), ("cs.CL", ["nlp"])]
    assert cli(capsys, "feeds", "remove", "hf daily")[0] == 0
    text = path.read_text()
    assert "HF daily" not in text and "# my subscriptions" in text and "# my key" in text and "cs.CL" in text
    assert cli(capsys, "feeds", "remove", "nope")[2] == f"error: {path}: no feed named 'nope' (feeds: cs.CL)\n"


def test_feeds_add_creates_the_config_file(env, capsys):
    assert cli(capsys, "feeds", "add", "https://huggingface.co/api/daily_papers?date={date}")[0] == 0
    rows = json.loads(cli(capsys, "feeds", "--json")[1])
    assert [(r["name"], r["url"]) for r in rows] == [("HF daily", "https://huggingface.co/api/daily_papers?date={date}")]


def test_the_shortcuts_hf_and_arxiv_are_feeds_and_can_be_removed(env, capsys):
    path = env / "config.toml"
    path.write_text('hf = true  # the daily list\narxiv = ["cs.CL", "hep-th"]  # my categories\n')
    rows = json.loads(cli(capsys, "feeds", "--json")[1])
    assert [(r["name"], r["url"]) for r in rows] == [
        ("HF daily", "https://huggingface.co/api/daily_papers?date={date}"),
        ("cs.CL", "https://rss.arxiv.org/rss/cs.CL"), ("hep-th", "https://rss.arxiv.org/rss/hep-th")]
    assert cli(capsys, "feeds", "add", "https://rss.arxiv.org/rss/cs.CL", "--name", "x")[2] == (
        f"error: {path}:2: https://rss.arxiv.org/rss/cs.CL is already subscribed as 'cs.CL'\n")
    assert cli(capsys, "feeds", "remove", "cs.CL")[0] == 0
    assert path.read_text() == 'hf = true  # the daily list\narxiv = ["hep-th"]  # my categories\n'
    assert cli(capsys, "feeds", "remove", "HF daily")[0] == 0
    assert path.read_text() == 'arxiv = ["hep-th"]  # my categories\n'


@pytest.mark.parametrize("text, error", [
    ('arxiv = "cs.CL"\n', 'FILE:1: arxiv must be a list of arXiv categories, e.g. ["cs.CL", "cs.LG"], not a string'),
    ('arxiv = ["cs CL"]\n', "FILE:1: arxiv: 'cs CL' is not an arXiv category"),
    ('hf = "yes"\n', "FILE:1: hf must be true or false"),
    ('[[feeds]]\nname = "cs.CL"\nurl = "http://x"\n', "FILE:5: two feeds are named 'cs.CL'"),
])
def test_bad_shortcuts_name_their_line(env, capsys, text, error):
    path = env / "config.toml"
    path.write_text(("\n\n\n\narxiv = [\"cs.CL\"]\n" + text) if text.startswith("[[") else text)
    code, out, err = cli(capsys, "feeds")
    assert code == 1 and err.startswith("error: " + error.replace("FILE", str(path)))


def test_the_progress_line_on_a_terminal_shows_each_feed_and_is_erased():
    import io

    from storage.fetch.run import FeedProgress
    from tui.fetch_cli import FetchBar

    stream = io.StringIO()
    bar = FetchBar(stream)
    bar.update(FeedProgress("HF daily", 0, 3))
    bar.update(FeedProgress("cs.CL", 1, 1))
    bar.update(FeedProgress("HF daily", 2, 3))
    bar.update(FeedProgress("cs.LG", 1, 1, errors=1))
    assert bar.line() == "fetching  HF daily 2/3  cs.CL done  cs.LG 1 failed"
    bar.close()
    assert stream.getvalue().endswith("\r\x1b[K") and stream.getvalue().count("\r") == 5

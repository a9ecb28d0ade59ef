"""storage/fetch/run.py end to end against a local server: what is kept under feeds/, what reaches the library."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from support.fetchserver import FeedServer, Reply, hf_day
from storage.config import FeedConfig as Feed
from storage.fetch.http import HttpClient, Politeness
from storage.fetch.run import fetch_feeds
from storage.fetch.state import STATE_FILE
from storage.store import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
RSS = (FIXTURES / "arxiv_rss_cs_cl.xml").read_bytes()  # 3 entries
TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture
def server():
    s = FeedServer()
    yield s
    s.close()


def fetch(data: Path, feeds, today=TODAY, **kw):
    with HttpClient(timeout=kw.pop("timeout", 2.0), backoff=0.05, **kw.pop("client", {})) as c:
        return fetch_feeds(data, feeds, c, today=today, **kw)


def kept(data: Path) -> list[str]:
    root = data / "feeds"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_200_then_a_304_keeps_one_body_and_changes_nothing(tmp_path, server):
    url = server.route("/rss", Reply(200, RSS, {"ETag": '"r1"', "Last-Modified": "Mon, 23 Nov 2026 05:00:00 GMT"}),
                       Reply(304, b"", {"ETag": '"r1"'}))
    first = fetch(tmp_path, [Feed("cs.CL", url)])
    assert first.feeds[0].summary() == "cs.CL: 3 entries, 3 new papers" and not first.failed
    library = (tmp_path / "library.json").read_bytes()
    second = fetch(tmp_path, [Feed("cs.CL", url)])
    assert second.feeds[0].summary() == "cs.CL: not modified" and second.new == 0
    assert server.seen("/rss")[1].headers["If-None-Match"] == '"r1"'
    assert server.seen("/rss")[1].headers["If-Modified-Since"] == "Mon, 23 Nov 2026 05:00:00 GMT"
    assert (tmp_path / "library.json").read_bytes() == library
    assert len(kept(tmp_path)) == 1 and kept(tmp_path)[0].startswith("cs.CL/")
    status = json.loads((tmp_path / STATE_FILE).read_text())["feeds"]["cs.CL"]
    assert status["status"] == "not modified" and status["last_ok"]


def test_a_server_ignoring_validators_costs_no_new_file_or_ingest(tmp_path, server):
    url = server.route("/rss", Reply(200, RSS))
    fetch(tmp_path, [Feed("cs.CL", url)])
    again = fetch(tmp_path, [Feed("cs.CL", url)])
    assert again.feeds[0].summary() == "cs.CL: not modified"
    assert len(kept(tmp_path)) == 1
    assert Store(tmp_path).dupes() == []


def test_date_backfill_over_five_days_with_an_empty_weekend(tmp_path, server):
    days = {"2026-11-19": 2, "2026-11-20": 3, "2026-11-21": 0, "2026-11-22": 0, "2026-11-23": 1}  # Thu..Mon
    for n, (day, count) in enumerate(days.items()):
        server.route(f"/api/daily_papers?date={day}",
                     Reply(200, hf_day(day, [(f"2611.{n}000{i}", f"Invented Paper {n}.{i}") for i in range(count)])))
    feed = Feed("HF daily", server.url("/api/daily_papers?date={date}"))
    report = fetch(tmp_path, [feed], since=date(2026, 11, 19))
    assert [s.path for s in server.seen()] == [f"/api/daily_papers?date={d}" for d in days]  # oldest first
    assert report.feeds[0].summary() == "HF daily: 5 days, 6 entries, 6 new papers" and not report.failed
    assert kept(tmp_path) == [f"HF daily/{d}.json" for d in days]
    store = Store(tmp_path)
    assert {p.sources[0].feed for p in store.papers} == {"HF daily"}
    assert sorted(p.first_seen for p in store.papers) == ["2026-11-19"] * 2 + ["2026-11-20"] * 3 + ["2026-11-23"]
    # The next morning: Monday is asked for again (it was still growing), Tuesday for the first time.
    server.route("/api/daily_papers?date=2026-11-24", Reply(200, hf_day("2026-11-24", [("2611.90001", "Tuesday")])))
    next_day = fetch(tmp_path, [feed], today=date(2026, 11, 24))
    assert [s.path for s in server.seen()[5:]] == ["/api/daily_papers?date=2026-11-23",
                                                   "/api/daily_papers?date=2026-11-24"]
    assert next_day.feeds[0].summary() == "HF daily: 2 days, 1 entry, 1 new paper, 1 not modified"


def test_first_fetch_of_a_date_feed_is_today_only_and_the_backfill_is_capped(tmp_path, server):
    feed = Feed("HF daily", server.url("/d?date={date}"))
    server.route("/d?date=2026-11-23", Reply(200, b"[]"))
    fetch(tmp_path, [feed])
    assert [s.path for s in server.seen()] == ["/d?date=2026-11-23"]
    fetch(tmp_path, [feed], since=date(2026, 1, 1))
    assert len(server.seen()) == 1 + 14 and server.seen()[1].path == "/d?date=2026-11-10"


def test_a_failed_day_is_asked_for_again_next_time(tmp_path, server):
    feed = Feed("HF daily", server.url("/d?date={date}"))
    server.route("/d?date=2026-11-21", Reply(200, b"[]"))
    server.route("/d?date=2026-11-22", Reply(503, b""))
    server.route("/d?date=2026-11-23", Reply(200, b"[]"))
    report = fetch(tmp_path, [feed], since=date(2026, 11, 21))
    assert report.failed and report.feeds[0].error_lines() == ["error: HF daily: 2026-11-22: HTTP 503 after 3 tries"]
    assert report.feeds[0].summary() == "HF daily: 2 days, 0 entries, 0 new papers"
    server.route("/d?date=2026-11-22", Reply(200, b"[]"))
    fetch(tmp_path, [feed])
    assert [s.path for s in server.seen()[-2:]] == ["/d?date=2026-11-22", "/d?date=2026-11-23"]


def test_a_503_recovering_on_the_second_try_is_ingested(tmp_path, server):
    url = server.route("/rss", Reply(503, b"busy"), Reply(200, RSS))
    report = fetch(tmp_path, [Feed("cs.CL", url)])
    assert not report.failed and report.new == 3 and len(server.seen()) == 2


def test_an_html_error_page_with_status_200_is_reported_not_kept(tmp_path, server):
    page = b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head><body>Back soon</body></html>"
    url = server.route("/rss", Reply(200, page, {"Content-Type": "text/html; charset=utf-8"}))
    good = server.route("/good", Reply(200, RSS))
    report = fetch(tmp_path, [Feed("cs.CL", url), Feed("other", good)])
    bad = report.feeds[0]
    assert bad.error_lines() == [f"error: cs.CL: the server sent an HTML page, not a feed (HTTP 200 from {url})"]
    assert report.feeds[1].summary() == "other: 3 entries, 3 new papers"  # the others are still ingested
    assert kept(tmp_path) == [k for k in kept(tmp_path) if k.startswith("other/")] and len(kept(tmp_path)) == 1
    status = json.loads((tmp_path / STATE_FILE).read_text())["feeds"]["cs.CL"]
    assert status["status"].startswith("error: the server sent an HTML page") and status["last_ok"] == ""


def test_an_arxiv_api_error_feed_is_reported_not_ingested(tmp_path, server):
    url = server.route("/api/query?search_query=xyz", Reply(200, (FIXTURES / "arxiv_atom_error.xml").read_bytes()))
    report = fetch(tmp_path, [Feed("arXiv query", url)])
    assert report.feeds[0].error_lines() == ["error: arXiv query: arXiv API error: incorrect id format for xyz"]
    assert kept(tmp_path) == [] and len(Store(tmp_path)) == 0


def test_a_body_cut_off_is_reported_and_nothing_is_kept(tmp_path, server):
    url = server.route("/rss", Reply(200, RSS, cut=len(RSS) // 2))
    report = fetch(tmp_path, [Feed("cs.CL", url)])
    assert report.feeds[0].error_lines() == [
        f"error: cs.CL: body cut off ({len(RSS) // 2} of {len(RSS)} bytes) after 3 tries"]
    assert kept(tmp_path) == [] and not (tmp_path / "library.json").exists()


def test_a_redirect_is_followed_and_kept_under_the_feed(tmp_path, server):
    server.route("/old", Reply(302, b"", {"Location": "/new"}))
    server.route("/new", Reply(200, RSS))
    report = fetch(tmp_path, [Feed("cs.CL", server.url("/old"))])
    assert report.new == 3 and [s.path for s in server.seen()] == ["/old", "/new"]


def test_feed_tags_go_to_new_papers_only_and_triaged_papers_are_left_alone(tmp_path, server):
    url = server.route("/rss", Reply(200, RSS))
    hf = server.route("/hf", Reply(200, hf_day("2026-11-23", [("2604.90001", "Seen Earlier In HF")])))
    fetch(tmp_path, [Feed("HF", hf)])
    store = Store(tmp_path)
    store.set_status(["2604.90001"], "read")
    store.set_star(["2604.90001"], True)
    store.close()
    report = fetch(tmp_path, [Feed("cs.CL", url, ("nlp",))])
    assert report.feeds[0].summary() == "cs.CL: 3 entries, 2 new papers"
    store = Store(tmp_path)
    s = store.state_of("2604.90001")
    assert (s.status.value, s.starred, s.tags) == ("read", True, [])  # a repeat: merged, state untouched
    assert all(store.state_of(pid).tags == ["nlp"] for pid in report.new_ids) and len(report.new_ids) == 2
    dupes = store.dupes()
    assert [p.id for p in dupes] == ["2604.90001"] and dupes[0].merges[0]["feed"] == "cs.CL"  # `dupes` names it


def test_a_damaged_fetch_state_is_a_warning_and_starts_afresh(tmp_path, server):
    (tmp_path / STATE_FILE).write_text("{not json")
    url = server.route("/rss", Reply(200, RSS))
    report = fetch(tmp_path, [Feed("cs.CL", url)])
    assert report.warnings == [f"warning: {tmp_path / STATE_FILE}: unreadable (Expecting property name enclosed in "
                               "double quotes: line 1 column 2 (char 1)); starting afresh"]
    assert report.new == 3 and json.loads((tmp_path / STATE_FILE).read_text())["feeds"]["cs.CL"]["status"] == "ok"


def test_arxiv_feeds_keep_their_gap_and_other_hosts_do_not_wait(tmp_path):
    arxiv, hf = FeedServer("127.0.0.2"), FeedServer("127.0.0.1")
    try:
        feeds = [Feed(f"cat{n}", arxiv.route(f"/rss/cat{n}", Reply(200, b"<rss><channel></channel></rss>")))
                 for n in range(3)]
        feeds.append(Feed("HF", hf.route("/hf", Reply(200, b"[]", delay=0.2))))
        report = fetch(tmp_path, feeds, client={"politeness": Politeness(frozenset({"127.0.0.2"}), gap=0.3)})
        assert not report.failed, [f.error_lines() for f in report.feeds]
        at = [s.at for s in arxiv.seen()]
        assert [s.path for s in arxiv.seen()] == ["/rss/cat0", "/rss/cat1", "/rss/cat2"]  # config order
        assert all(b - a >= 0.3 for a, b in zip(at, at[1:]))
        assert hf.seen()[0].at < at[1]
    finally:
        arxiv.close()
        hf.close()


def test_a_server_that_never_answers_is_reported_and_nothing_changes(tmp_path, server):
    from support.fetchserver import SilentServer

    silent = SilentServer()
    try:
        good = server.route("/rss", Reply(200, RSS))
        report = fetch(tmp_path, [Feed("slow", silent.url("/feed")), Feed("cs.CL", good)], timeout=0.3)
        assert report.feeds[0].error_lines() == ["error: slow: timed out waiting for an answer (0.3 s) after 3 tries"]
        assert report.feeds[1].summary() == "cs.CL: 3 entries, 3 new papers"
        assert kept(tmp_path) == [k for k in kept(tmp_path) if k.startswith("cs.CL/")]
    finally:
        silent.close()


def test_a_429_with_retry_after_is_waited_for_then_ingested(tmp_path, server):
    url = server.route("/rss", Reply(429, b"", {"Retry-After": "1"}), Reply(200, RSS))
    report = fetch(tmp_path, [Feed("cs.CL", url)])
    one, two = server.seen()
    assert two.at - one.at >= 1.0 and report.new == 3 and not report.failed


def test_fetch_state_that_cannot_be_saved_is_a_warning_and_the_papers_are_in(tmp_path, server, monkeypatch):
    from storage.fetch import state as state_module

    def full(*args, **kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(state_module, "atomic_write", full)
    report = fetch(tmp_path, [Feed("cs.CL", server.route("/rss", Reply(200, RSS)))])
    assert report.new == 3 and len(Store(tmp_path)) == 3
    assert report.warnings == [f"warning: {tmp_path / STATE_FILE}: could not save (No space left on device); "
                               "the next fetch asks for the same again"]


def test_kept_bodies_and_fetch_state_are_private_like_the_other_data_files(tmp_path, server):
    import stat

    fetch(tmp_path, [Feed("cs.CL", server.route("/rss", Reply(200, RSS)))])
    body = next((tmp_path / "feeds" / "cs.CL").iterdir())
    assert stat.S_IMODE(body.stat().st_mode) == 0o600 and stat.S_IMODE((tmp_path / STATE_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "feeds" / "cs.CL").stat().st_mode) == stat.S_IMODE((tmp_path / "feeds").stat().st_mode) == 0o700

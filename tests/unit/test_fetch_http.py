"""storage/fetch/http.py against a real server on 127.0.0.x: validators, politeness, retries, timeouts, redirects."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from support.fetchserver import FeedServer, Reply, SilentServer, closed_port
from storage.fetch.http import ARXIV_HOSTS, FetchError, HttpClient, Politeness, user_agent


@pytest.fixture
def server():
    s = FeedServer()
    yield s
    s.close()


def client(**kw) -> HttpClient:
    kw.setdefault("timeout", 2.0)
    kw.setdefault("backoff", 0.05)
    return HttpClient(**kw)


def test_user_agent_names_papertriage_and_its_version(server):
    url = server.route("/f", Reply(200, b"x"))
    with client() as c:
        c.get(url)
    ua = server.seen("/f")[0].headers["User-Agent"]
    assert ua == user_agent()
    assert ua.startswith("papertriage/0.") and "(+http" in ua


def test_validators_are_sent_back_and_a_304_has_no_body(server):
    url = server.route("/f", Reply(200, b"body", {"ETag": '"abc"', "Last-Modified": "Tue, 01 Dec 2026 08:00:00 GMT"}),
                       Reply(304, b"", {"ETag": '"abc"'}))
    with client() as c:
        first = c.get(url)
        second = c.get(url, etag=first.etag, last_modified=first.last_modified)
    assert (first.status, first.body, first.etag) == (200, b"body", '"abc"')
    assert (second.status, second.body) == (304, b"")
    one, two = server.seen("/f")
    assert "If-None-Match" not in one.headers and "If-Modified-Since" not in one.headers
    assert two.headers["If-None-Match"] == '"abc"'
    assert two.headers["If-Modified-Since"] == "Tue, 01 Dec 2026 08:00:00 GMT"


def test_a_503_recovers_on_the_second_try(server):
    url = server.route("/f", Reply(503, b"busy"), Reply(200, b"ok"))
    with client() as c:
        got = c.get(url)
    assert (got.status, got.body, got.tries) == (200, b"ok", 2)
    assert len(server.seen("/f")) == 2


def test_a_5xx_that_stays_ends_after_three_tries_with_backoff(server):
    url = server.route("/f", Reply(503, b"busy"))
    with client(backoff=0.2) as c, pytest.raises(FetchError) as e:
        c.get(url)
    assert str(e.value) == "HTTP 503 after 3 tries"
    seen = server.seen("/f")
    assert len(seen) == 3
    assert seen[1].at - seen[0].at >= 0.2 and seen[2].at - seen[1].at >= 0.4  # doubling backoff


def test_a_429_waits_for_its_retry_after(server):
    url = server.route("/f", Reply(429, b"slow down", {"Retry-After": "1"}), Reply(200, b"ok"))
    with client(backoff=0.01) as c:
        got = c.get(url)
    assert got.body == b"ok"
    one, two = server.seen("/f")
    assert two.at - one.at >= 1.0  # Retry-After, not the 0.01 s backoff


def test_a_retry_after_beyond_the_limit_is_reported_not_waited_for(server):
    url = server.route("/f", Reply(429, b"", {"Retry-After": "3600"}))
    start = time.monotonic()
    with client(max_wait=5) as c, pytest.raises(FetchError, match=r"HTTP 429 \(the server asks to wait 3600 s\)"):
        c.get(url)
    assert time.monotonic() - start < 2 and len(server.seen("/f")) == 1


def test_a_server_that_never_answers_times_out():
    silent = SilentServer()
    try:
        start = time.monotonic()
        with client(timeout=0.3) as c, pytest.raises(FetchError) as e:
            c.get(silent.url("/f"))
        assert str(e.value) == "timed out waiting for an answer (0.3 s) after 3 tries"
        assert time.monotonic() - start < 5
    finally:
        silent.close()


def test_a_redirect_is_followed(server):
    server.route("/old", Reply(301, b"", {"Location": "/new"}))
    url = server.route("/new", Reply(200, b"here", {"ETag": '"n"'}))
    with client() as c:
        got = c.get(server.url("/old"))
    assert (got.status, got.body, got.final_url, got.etag) == (200, b"here", url, '"n"')
    assert [s.path for s in server.seen()] == ["/old", "/new"]
    assert server.seen("/new")[0].headers["User-Agent"] == user_agent()


def test_a_body_cut_off_midway_is_an_error_not_a_short_body(server):
    url = server.route("/f", Reply(200, b"x" * 100, cut=10))
    with client() as c, pytest.raises(FetchError) as e:
        c.get(url)
    assert str(e.value) == "body cut off (10 of 100 bytes) after 3 tries"


def test_connection_refused_is_one_line_and_not_retried():
    url = f"http://127.0.0.1:{closed_port()}/f"
    with client() as c, pytest.raises(FetchError) as e:
        c.get(url)
    assert e.value.offline and str(e.value) == "cannot connect to 127.0.0.1: connection refused"


def test_dns_failure_says_offline():
    def fail(request):  # what httpcore raises when the resolver has no answer (no real lookup in a test)
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    with client(transport=httpx.MockTransport(fail)) as c, pytest.raises(FetchError) as e:
        c.get("https://export.arxiv.org/api/query?search_query=cat:cs.CL")
    assert e.value.offline and str(e.value) == "cannot resolve export.arxiv.org (offline?)"


def test_other_statuses_are_reported_once(server):
    url = server.route("/f", Reply(404, b"gone"))
    with client() as c, pytest.raises(FetchError, match="^HTTP 404 Not Found$"):
        c.get(url)
    assert len(server.seen("/f")) == 1


def test_arxiv_hosts_are_the_slow_group_by_default():
    p = Politeness()
    assert {"export.arxiv.org", "rss.arxiv.org", "arxiv.org"} <= ARXIV_HOSTS == p.slow_hosts and p.gap == 3.0
    assert p.group("export.arxiv.org") == p.group("RSS.arxiv.org") != p.group("huggingface.co")


def test_requests_to_slow_hosts_keep_the_gap_while_other_hosts_run_in_parallel():
    slow, fast = FeedServer("127.0.0.2"), FeedServer("127.0.0.1")  # 127.0.0.2 stands in for arXiv
    try:
        for n in range(3):
            slow.route(f"/a{n}", Reply(200, b"a"))
        fast.route("/b", Reply(200, b"b", delay=0.1))
        gap = 0.4
        c = client(politeness=Politeness(slow_hosts=frozenset({"127.0.0.2"}), gap=gap))
        threads = [threading.Thread(target=lambda: [c.get(slow.url(f"/a{n}")) for n in range(3)]),
                   threading.Thread(target=lambda: c.get(fast.url("/b")))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        c.close()
        arxiv = [s.at for s in slow.seen()]
        assert [s.path for s in slow.seen()] == ["/a0", "/a1", "/a2"]
        assert all(b - a >= gap for a, b in zip(arxiv, arxiv[1:]))
        assert fast.seen("/b")[0].at < arxiv[1]  # the other host did not wait behind the arXiv gap
    finally:
        slow.close()
        fast.close()


def test_one_connection_at_a_time_per_host(server):
    for n in range(4):
        server.route(f"/f{n}", Reply(200, b"x", delay=0.15))
    with client() as c:
        threads = [threading.Thread(target=c.get, args=(server.url(f"/f{n}"),)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    arrivals = sorted(s.at for s in server.seen())
    assert all(b - a >= 0.15 for a, b in zip(arrivals, arrivals[1:]))  # each waited for the one before to end

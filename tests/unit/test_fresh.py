"""What is new since the last session and what came today (storage/fresh.py), and the Store's side of it."""

from __future__ import annotations

import json

from storage import fresh
from storage.model import Paper, Source
from storage.store import Store
from support.clihelp import run

DAY1 = "2026-11-20"
DAY2 = "2026-11-21"


def at(day: str, hms: str, tz: str = "+00:00") -> str:
    return f"{day}T{hms}{tz}"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: str) -> None:
        self.now = now

    def __call__(self) -> str:
        return self.now


def test_later_compares_stamps_across_offsets():
    assert fresh.later(at(DAY2, "09:00:01"), at(DAY2, "09:00:00"))
    assert not fresh.later(at(DAY2, "09:00:00"), at(DAY2, "09:00:00"))
    # the same instant at another offset (a DST change): parsed, not compared as strings
    assert not fresh.later(at(DAY2, "10:00:00", "+01:00"), at(DAY2, "09:00:00"))
    assert fresh.later(at(DAY2, "10:00:01", "+01:00"), at(DAY2, "09:00:00"))
    assert fresh.later(at(DAY2, "08:30:00", "-01:00"), at(DAY2, "09:00:00"))
    assert not fresh.later("", at(DAY2, "09:00:00"))  # an unknown ingest time is never new


def test_a_session_counts_when_the_user_acted_or_stayed():
    start = at(DAY2, "09:00:00")
    glance = {"start": start, "last": at(DAY2, "09:00:40"), "acted": False}
    assert not fresh.counts(glance)
    assert fresh.counts({**glance, "acted": True})
    assert fresh.counts({**glance, "last": at(DAY2, "09:02:00")})  # SEEN_AFTER seconds
    assert not fresh.counts({"start": "garbage", "last": start})


def test_the_threshold_across_a_day_of_sessions():
    """Yesterday's session saw yesterday's papers; this morning's fetch is new; two glances in a minute keep it;
    a real session moves the threshold to its end."""
    first = fresh.begin(None, at(DAY1, "18:00:00"))
    assert first["since"] == at(DAY1, "18:00:00")  # the first session: only its own ingests are new
    yesterday = fresh.touched(first, at(DAY1, "18:30:00"), acted=True)
    morning = fresh.begin(yesterday, at(DAY2, "08:00:00"))
    assert morning["since"] == at(DAY1, "18:30:00")
    glance1 = fresh.begin(fresh.touched(morning, at(DAY2, "08:00:20"), acted=False), at(DAY2, "08:00:30"))
    glance2 = fresh.begin(fresh.touched(glance1, at(DAY2, "08:00:50"), acted=False), at(DAY2, "08:01:00"))
    assert glance1["since"] == glance2["since"] == at(DAY1, "18:30:00")
    worked = fresh.touched(glance2, at(DAY2, "08:20:00"), acted=False)  # 19 minutes open: the list was seen
    assert fresh.begin(worked, at(DAY2, "17:00:00"))["since"] == at(DAY2, "08:20:00")
    assert fresh.begin({"last": 3}, at(DAY2, "09:00:00"))["since"] == at(DAY2, "09:00:00")  # damaged: as a first


def test_new_ids_and_todays_count_and_the_next_new():
    since = at(DAY2, "07:00:00")
    pairs = [_paper(pid, added, DAY2) for pid, added in
             [("a", at(DAY2, "08:00:00")), ("b", at(DAY1, "08:00:00")), ("c", ""), ("d", at(DAY2, "09:00:00", "+02:00"))]]
    assert fresh.new_ids(pairs, since) == {"a"}
    assert fresh.new_ids(pairs, since, {"b"}) == {"a", "b"}  # ingested in this session
    days = {"x": "2026-11-22", "a": DAY2, "b": DAY2, "c": DAY1, "d": DAY2}  # x: a feed's clock ahead; d after c
    assert fresh.today_count(["x", "a", "b", "c", "d"], days.__getitem__, DAY2) == 2
    ids = ["a", "b", "c", "d", "e"]
    new = {"b", "d"}.__contains__
    assert fresh.next_new(ids, 0, new) == (1, False)
    assert fresh.next_new(ids, 1, new) == (3, False)
    assert fresh.next_new(ids, 3, new) == (1, True)  # wraps
    assert fresh.next_new(ids, 0, {"a"}.__contains__) == (0, True)  # only the cursor's own
    assert fresh.next_new(ids, 2, set().__contains__) == (None, False)


def _paper(pid: str, added: str, day: str) -> Paper:
    return Paper(pid, f"Paper {pid}", sources=[Source("feed", day)], added=added)


def test_store_sessions_mark_new_papers_and_survive_reopening(tmp_path):
    clock = Clock(at(DAY1, "08:00:00"))
    store = Store(tmp_path, clock=clock)
    store.library.add(_paper("old", at(DAY1, "08:00:00"), DAY1))
    store.library.save()
    store.begin_session()
    assert store.new_ids() == set()  # the first session
    clock.now = at(DAY1, "08:30:00")
    store.set_ui(**store.touched_session(acted=True))
    store.close()

    clock.now = at(DAY2, "07:00:00")  # `papertriage fetch` in the morning, before the app
    cli = Store(tmp_path, clock=clock)
    cli.library.add(_paper("morning", clock.now, DAY2))
    cli.library.save()
    assert cli.new_ids() == {"morning"}  # the CLI: what the next app session will call new
    assert cli.view_ids("all", query="is:new") == ["morning"] and cli.view_ids("all", query="is:new -x") == ["morning"]
    cli.close()
    listed = run("list", "--query", "is:new", "--json", data_dir=tmp_path, check_rc=0).stdout
    assert [p["id"] for p in json.loads(listed)] == ["morning"]  # `papertriage list --query is:new`

    for glance in ("08:00:00", "08:00:30"):  # opened twice within a minute, nothing done
        clock.now = at(DAY2, glance)
        app = Store(tmp_path, clock=clock, lazy=True)
        app.begin_session()
        app.load_rest()
        assert app.new_ids() == {"morning"}
        assert app.today_count(DAY2) == 1
        clock.now = at(DAY2, glance[:-2] + "20")
        app.set_ui(**app.touched_session())
        app.close()

    clock.now = at(DAY2, "09:00:00")
    app = Store(tmp_path, clock=clock)
    app.begin_session()
    assert app.is_new("morning") and not app.is_new("old")
    feed = tmp_path / "in-app.bib"
    feed.write_text("@article{k1, title={Read In The App}, year={2026}}\n")
    app.ingest([str(feed)])  # the app's own ingest, stamped with this very second: new too
    (added,) = [p.id for p in app.papers if p.title == "Read In The App"]
    assert app.new_ids() == {"morning", added}
    clock.now = at(DAY2, "09:10:00")
    app.set_ui(**app.touched_session(acted=True))
    app.close()

    clock.now = at(DAY2, "18:00:00")
    evening = Store(tmp_path, clock=clock)
    evening.begin_session()
    assert evening.new_ids() == set()  # the 09:00 session saw them all


def test_an_empty_data_dir_stays_empty(empty_dir):
    store = Store(empty_dir)
    store.begin_session()
    assert not empty_dir.exists()


def test_the_header_says_new_and_today_and_cuts_them_whole():
    from tui.widgets.header import header_text

    counts = {"inbox": 85, "queue": 12, "starred": 3, "read": 7, "all": 200, "skipped": 9, "triaged_today": 4,
              "new": 1180, "today": 142}
    full = header_text("inbox", counts, order="by date").plain
    assert full.endswith("   by date   1,180 new · 142 today   4 triaged today · 85 left")
    assert " new" not in header_text("inbox", {**counts, "new": 0, "today": 0}).plain  # nothing to say: not said
    views = " Inbox 85 · Queue 12 · Starred 3 · Read 7 · All 200 · Skipped 9"
    # narrower: the day's progress goes first, then today, then the order, then new; never a part of one
    day = len("   4 triaged today · 85 left")
    assert header_text("inbox", counts, order="by date", width=len(full) - day).plain.endswith("date   1,180 new · 142 today")
    assert header_text("inbox", counts, order="by date", width=len(full) - day - 1).plain.endswith("date   1,180 new")
    assert header_text("inbox", counts, order="by date", width=len(views) + 21).plain == views + "   1,180 new"
    assert header_text("inbox", counts, order="by date", width=len(views) + 5).plain == views

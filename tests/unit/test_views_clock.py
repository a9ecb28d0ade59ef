"""views.py as pure functions, the Store's clock as a constructor argument, and the reads tui/ gets from Store."""

from __future__ import annotations

import pytest

from storage import views
from storage.model import PaperState, Status
from storage.store import Store

S = PaperState


def test_views_from_the_order_and_the_few_stored_states():
    order = ["a", "b", "c", "d"]
    states = {"b": S(status=Status.QUEUED, queue_position=7), "c": S(starred=True, status=Status.READ),
              "d": S(status=Status.QUEUED, queue_position=2), "x": S(status=Status.SKIPPED)}
    assert views.view_ids("inbox", order, states) == ["a"]
    assert views.view_ids("queue", order, states) == ["d", "b"]  # reading order, not feed order
    assert views.view_ids("starred", order, states) == ["c"]
    assert views.view_ids("skipped", order, states) == []  # "x" is not in the library's order
    assert views.view_ids("all", order, {}) == order
    with pytest.raises(ValueError, match="unknown view"):
        views.view_ids("later", order, states)
    assert views.queue_rank(states, "b") == 2 and views.queue_rank(states, "d") == 1
    assert views.queue_rank(states, "a") is None and views.queue_rank(states, "c") is None
    assert views.next_queue_position(states.values()) == 8 and views.next_queue_position([]) == 1


def test_counts_and_today_summary():
    today = "2026-11-21"
    states = {"a": S(starred=True, status=Status.READ, triaged=f"{today}T08:00", updated=f"{today}T08:00"),
              "b": S(status=Status.QUEUED, triaged="2026-11-20T08:00", updated="2026-11-20T08:00"),
              "gone": S(status=Status.SKIPPED, triaged=f"{today}T08:00", updated=f"{today}T08:00")}
    c = views.counts(5, states, lambda pid: pid != "gone", today)
    assert c == {"all": 5, "inbox": 3, "queue": 1, "starred": 1, "read": 1, "skipped": 0, "triaged_today": 1}
    assert views.today_summary(states.values(), today) == {"starred": 1, "queued": 0, "read": 1, "skipped": 1}


def test_the_clock_stamps_every_change_and_says_which_day_is_today(library_dir):
    now = ["2030-01-02T03:04:05+00:00"]
    store = Store(library_dir, clock=lambda: now[0])
    inbox = store.view_ids("inbox")
    store.set_status(inbox[:1], Status.READ)
    s = store.state_of(inbox[0])
    assert s.updated == s.triaged == now[0]
    assert store.today() == "2030-01-02"
    assert store.counts()["triaged_today"] == 1 and store.today_summary()["read"] == 1
    assert store.view_ids(query="@1y") == []  # the fixture's papers are from 2025-2026: not within a year of 2030
    now[0] = "2026-11-22T10:00:00+00:00"
    assert store.counts()["triaged_today"] == 0
    assert store.view_ids(query="@1d") == [pid for pid in store.ordered_ids() if store.get(pid).first_seen == "2026-11-21"]


def test_the_reads_tui_needs(library_dir):
    store = Store(library_dir)
    queue = store.view_ids("queue")
    assert [store.queue_rank(pid) for pid in queue] == [1, 2]
    assert store.queue_rank(store.view_ids("inbox")[0]) is None
    assert set(store.annotated_ids()) >= set(queue) | set(store.view_ids("starred"))
    assert store.unsaved_error is None and store.state_path == library_dir / "state.json"
    store.flush()  # nothing failed: nothing to do
    assert Store(library_dir / "empty").annotated_ids() == []
    assert Store(library_dir / "empty").unsaved_error is None

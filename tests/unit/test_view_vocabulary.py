"""One vocabulary for the queue: `queue` and `queued` both work for `--view`, `status` and `is:`."""

from __future__ import annotations

import json

from support.clihelp import run
from support.library import QUEUED, SKIPPED
from storage.search.parse import parse
from storage.store import Store
from storage.views import status_name, view_name


def test_words_map_to_one_view_and_one_status():
    assert view_name("queued") == view_name("queue") == "queue"
    assert status_name("queue") == status_name("queued") == "queued"
    assert view_name("skipped") == "skipped" and status_name("read") == "read"
    assert parse("is:queue").is_ == parse("is:queued").is_ == ["queued"]


def test_store_view_ids_takes_either_word(library_dir):
    store = Store(library_dir)
    assert store.view_ids("queued") == store.view_ids("queue") == QUEUED


def test_cli_list_view_queued_and_queue(library_dir):
    ids = [[p["id"] for p in json.loads(run("list", "--json", "--view", v, data_dir=library_dir, check_rc=0).stdout)]
           for v in ("queue", "queued")]
    assert ids[0] == ids[1] == QUEUED
    skipped = json.loads(run("list", "--json", "--view", "skipped", data_dir=library_dir, check_rc=0).stdout)
    assert [p["id"] for p in skipped] == SKIPPED


def test_cli_status_queue_is_queued(library_dir):
    run("status", SKIPPED[0], "queue", data_dir=library_dir, check_rc=0)
    assert Store(library_dir).state_of(SKIPPED[0]).status.value == "queued"


def test_cli_bad_view_is_one_line_error(library_dir):
    proc = run("list", "--view", "queues", data_dir=library_dir)
    assert proc.returncode != 0 and proc.stderr.startswith("error:") and len(proc.stderr.strip().splitlines()) == 1

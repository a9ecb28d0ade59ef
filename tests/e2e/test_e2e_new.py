"""What is new since last time, end to end in tmux: the ingest at start takes the cursor to the first new paper, `N`
walks the new papers, a glance at the app keeps the marks, a session that acted clears them."""

from __future__ import annotations

import pytest

from support.clihelp import FEEDS, papertriage_cmd
from support.tmuxhelp import TMUX, Pane, detail_text, list_rows
from storage.store import Store

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(TMUX is None, reason="tmux is not installed")]

YESTERDAY = "2026-03-13T10:00:00+00:00"
# hf_day2's papers that hf_day1 did not have, in list order (newest feed date first)
NEW = ["Cartographer", "Kestrel-3", "Benchmarking Tool Use of VLMs", "Training a Frontier Coder on a $200K"]


LOADING = "loading abstract…"  # the detail pane's hint until the library and abstracts are read


def header(screen: str) -> str:
    return screen.splitlines()[0]


def test_the_new_paper_jump(tmp_path):
    data = tmp_path / "data"
    store = Store(data, clock=lambda: YESTERDAY)  # yesterday: hf_day1 ingested, then a session that acted
    store.ingest([str(FEEDS / "hf_day1.txt")])
    last = store.ordered_ids()[-1]
    store.set_ui(view="inbox", cursor=last, cursor_index=7,
                 session={"start": YESTERDAY, "last": "2026-03-13T18:30:00+00:00", "acted": True, "since": ""})
    store.close()
    app = [*papertriage_cmd(), "--data-dir", str(data)]
    with Pane(tmp_path) as pane:
        pane.start([*app, str(FEEDS / "hf_day2.txt")])  # today: the app ingests hf_day2 as it opens
        screen = pane.wait_for(lambda s: "4 new" in header(s) and detail_text(s).startswith(NEW[0]))
        rows = list_rows(screen)
        assert [r[2] for r in rows] == ["•"] * 4 + [" "] * 8, rows  # the mark on the four new rows only
        for title in [*NEW[1:], NEW[0]]:  # N to each in turn, then round to the first
            pane.send("N")
            pane.wait_for(lambda s: detail_text(s).startswith(title))
        pane.send("q")
        assert pane.wait_exit() == 0

        pane.start(app)  # a glance: opened and closed at once, nothing done
        pane.wait_for(lambda s: "4 new" in header(s))
        pane.send("q")
        assert pane.wait_exit() == 0

        pane.start(app)  # still new after the glance; this time the user stars one
        pane.wait_for(lambda s: "4 new" in header(s))
        pane.send("s")
        pane.wait_for("Starred 1")
        pane.send("q")
        assert pane.wait_exit() == 0

        pane.start(app)  # that session saw them: nothing is new now (looked at once the whole library is read)
        screen = pane.wait_for(lambda s: s.startswith(" Inbox") and detail_text(s) != "" and LOADING not in s)
        assert " new" not in header(screen) and all(r[2] == " " for r in list_rows(screen))
        pane.send("q")
        assert pane.wait_exit() == 0

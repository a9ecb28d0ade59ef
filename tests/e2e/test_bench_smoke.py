"""The benchmark suite runs end to end at a tiny size. A smoke test only: no figure is judged, nothing is timed."""

from __future__ import annotations

import json
import subprocess
import sys
from support.clihelp import TESTS

RUN = TESTS / "benchmarks" / "run.py"


def test_benchmark_suite_runs_at_a_tiny_size(tmp_path):
    proc = subprocess.run([sys.executable, str(RUN), "--quick", "--work", str(tmp_path)], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((tmp_path / "results.json").read_text())

    (ingest,) = result["ingest"]
    assert ingest["correct"] and ingest["papers"] == ingest["expected_papers"] > 0  # the generator's known answer
    assert ingest["reingest_new"] == 0  # ingesting the same feeds again is a no-op
    assert result["baseline"]["ours_correct"]
    small, big = result["app"]
    assert 0 < small["papers"] < big["papers"]
    for app in (small, big):
        assert app["moves"] == app["keys"]  # every key event moved the cursor
        assert app["key_handled"]["n"] == app["keys"] and app["peak_rss_mb"] > 0
    assert [s["annotated"] for s in result["star"]] == result["config"]["annotated"]
    assert any(q["abstracts"] and q["hits"] for q in result["search"]["queries"])
    assert set(result["ratios"]) >= {"first_paint_big_over_small", "key_handled_big_over_small"}
    assert "| 300 |" in proc.stdout  # the Markdown summary


def test_big_ingests_read_ahead_in_a_helper_process_with_the_same_result(tmp_path, monkeypatch):
    """What makes the 100k ingest fast: feeds read in a helper process. Forced here at a tiny size."""
    from storage import ingest, synth
    from storage.store import Store

    feeds = tmp_path / "feeds"
    distinct = synth.write_feed(feeds, 400, split=True)
    (feeds / "broken.txt").write_bytes(b"\x00\x01 not a feed")
    inline = Store(tmp_path / "inline").ingest([str(feeds)])

    started = []
    real = ingest._Helper.__init__
    monkeypatch.setattr(ingest, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(ingest._Helper, "__init__", lambda self: (started.append(1), real(self))[1])
    store = Store(tmp_path / "helper")
    ahead = store.ingest([str(feeds)])

    assert started, "the helper process was not used"
    counts = (ahead.entries, ahead.new, ahead.merged)
    assert counts == (inline.entries, inline.new, inline.merged) == (400, distinct, 400 - distinct)
    assert ahead.errors == inline.errors and ahead.errors[0][0].endswith("broken.txt")
    assert [p.id for p in store.papers] == [p.id for p in Store(tmp_path / "inline").papers]

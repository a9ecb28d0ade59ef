"""`papertriage list --sort interest` as a user runs it: a real process, ingest first, then stars, then the list."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FEED = """@article{a1, title={Speculative Decoding with Draft Models}, author={Ada Quill}, abstract={Draft model and kv cache.}}
@article{a2, title={KV Cache Compression for Speculative Decoding}, author={Bo Renn}, abstract={The kv cache shrinks.}}
@article{a3, title={Draft Models Make Decoding Fast}, author={Ada Quill}, abstract={Speculative decoding again.}}
@article{a4, title={Token Latency of Speculative Decoding}, author={Cy Dee}, abstract={Draft model latency.}}
@article{a5, title={Beam Search Meets the KV Cache}, author={Bo Renn}, abstract={Beam search and kv cache.}}
@article{a6, title={Speculative Decoding at Scale}, author={Cy Dee}, abstract={Draft model at scale with kv cache.}}
@article{b1, title={Tactile Sensors for Robot Grasping}, author={Lu Grip}, abstract={Gripper control with tactile sensors.}}
@article{b2, title={Legged Locomotion Policies}, author={Mo Step}, abstract={Robot grasping and legged locomotion.}}
@article{b3, title={Sim-to-Real Robot Grasping}, author={Lu Grip}, abstract={Tactile sensors sim-to-real.}}
"""


def papertriage(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "--data-dir", str(data), *args], capture_output=True,
                          text=True, env=env, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_interest_order_from_the_command_line(tmp_path):
    feed = tmp_path / "feed.bib"
    feed.write_text(FEED)
    data = tmp_path / "data"
    assert papertriage(data, "ingest", str(feed)).returncode == 0
    assert list((data / "rank").glob("features-*.npz")), "features are written at ingest"
    rows = json.loads(papertriage(data, "list", "--json").stdout)
    ids = {r["title"].split()[0]: r["id"] for r in rows}
    decoding = [r["id"] for r in rows if "Decod" in r["title"] or "KV" in r["title"] or "Draft" in r["title"]]
    few = papertriage(data, "list", "--sort", "interest")
    assert "note: interest order needs 5" in few.stderr and few.returncode == 0
    assert papertriage(data, "star", *decoding[:5]).returncode == 0
    ranked = papertriage(data, "list", "--sort", "interest", "--json", "--limit", "6")
    assert ranked.returncode == 0 and ranked.stderr == ""
    top = json.loads(ranked.stdout)
    assert len(top) == 6 and set(r["id"] for r in top) == set(decoding), top
    assert top[0]["score"] >= top[-1]["score"] and all(r["why"] for r in top)
    like = json.loads(papertriage(data, "list", "--like", ids["Tactile"], "--limit", "3", "--json").stdout)
    assert like[0]["id"] == ids["Tactile"] and like[1]["title"].startswith("Sim-to-Real")

"""The process the torture test kills: a fork server whose children apply random actions through Store.

Run as a script, it imports the storage layer once and then waits for `run <seed> <data dir> <work dir>` lines on
stdin. For each it forks a child (so the 200+ children do not each pay for an interpreter start) that opens
Store(data dir) under the writer lock, as the app does, and applies a seeded random sequence of user actions until
it is killed. Every line goes to stdout with one os.write (shorter than PIPE_BUF, so a kill never cuts one):

    ready <pid>           the store is open; actions start now
    do <n> <json>         action n is about to run (the JSON is the action with concrete paper ids)
    ack <n>               action n returned: it is durable
    fail <text>           the child hit an error (the test fails with it)
    dead <pid> <status>   from the server, after the child was reaped

The same module gives the test the synthetic feeds that ingest actions read (`feed_text`), so it can tell which
titles an ingest adds without parsing the child's feed files.
"""

from __future__ import annotations

import json
import os
import random
import sys
import traceback
from pathlib import Path

TAGS = ["nlp", "vision", "to read", "rl", "agents", "läsa", "theory", "survey", "speech", "robotics"]
NOTES = [
    "", "Read section 3 first.", "Compare with [b]linear[/b] attention.\nThen table 2.", "Ünïcödé nöte — ok",
    "TODO: check the $x^2$ bound", "line one\nline two\nline three", "a *star* and a #hash",
]
STATUSES = ["inbox", "queued", "read", "skipped"]
MAX_PAPERS = 250  # ingests stop here, so the library (rewritten on each ingest) stays small
_SYL = "ka lo mi ra ze tu vo ni sha qua rex lyn dor fin gal hex ion jul kor mer nov pix sol tor umb vex wyn zor".split()
_WORDS = "sparse model token graph agent memory kernel policy reward vision speech data loss layer".split()


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYL) for _ in range(3))


def feed_text(seed: int, count: int) -> tuple[str, list[str]]:
    """A small Hugging Face page-text feed of `count` invented papers, and their titles as the reader yields them."""
    rng = random.Random(seed)
    titles, lines = [], ["Get trending papers in your email inbox!", "", "Mar 13, 2026", ""]
    for _ in range(count):
        title = " ".join(_word(rng).capitalize() for _ in range(5)) + f" {seed}"
        abstract = f"We study {title.lower()}. " + " ".join(rng.choice(_WORDS) for _ in range(30)) + "."
        titles.append(title)
        lines += [title, "", abstract, ""]
    return "\n".join(lines), titles


def _say(line: str) -> None:
    data = (line + "\n").encode()
    assert len(data) < 4096, "a protocol line must fit one atomic pipe write"
    os.write(1, data)


def _pick(rng: random.Random, ids: list[str], k: int) -> list[str]:
    return [rng.choice(ids) for _ in range(k)]


def next_action(rng: random.Random, store, seed: int, n: int) -> dict:
    ids = [p.id for p in store.papers]
    queue = store.queue_ids()
    op = rng.choices(
        ["star", "unstar", "tag", "untag", "note", "status", "bulk", "move", "undo", "redo", "ingest"],
        weights=[14, 5, 14, 7, 9, 20, 6, 12, 6, 3, 4],
    )[0]
    if op == "ingest" and len(ids) + 3 > MAX_PAPERS:
        op = "star"
    if op == "move" and not queue:
        op = "status"
    if op in ("star", "unstar"):
        return {"op": "star", "pids": _pick(rng, ids, 1), "on": op == "star"}
    if op in ("tag", "untag"):
        return {"op": op, "pids": _pick(rng, ids, 1), "tags": rng.sample(TAGS, rng.randint(1, 3))}
    if op == "note":
        return {"op": "note", "pid": rng.choice(ids), "text": rng.choice(NOTES) + rng.choice(["", " ", "\n"])}
    if op == "status":
        return {"op": "status", "pids": _pick(rng, ids, 1), "status": rng.choice(STATUSES)}
    if op == "bulk":
        kind = rng.choice(["status", "star", "tag"])
        pids = _pick(rng, ids, rng.randint(2, 6))
        if kind == "status":
            return {"op": "status", "pids": pids, "status": rng.choice(STATUSES)}
        if kind == "star":
            return {"op": "star", "pids": pids, "on": rng.random() < 0.6}
        return {"op": "tag", "pids": pids, "tags": [rng.choice(TAGS)]}
    if op == "move":
        return {"op": "move", "pid": rng.choice(queue), "delta": rng.choice([-1, 1])}
    if op in ("undo", "redo"):
        return {"op": op}
    return {"op": "ingest", "seed": seed * 10000 + n, "count": rng.randint(1, 3)}


def apply(store, action: dict, feeds: Path) -> None:
    op = action["op"]
    if op == "star":
        store.set_star(action["pids"], action["on"])
    elif op == "tag":
        store.add_tags(action["pids"], action["tags"])
    elif op == "untag":
        store.remove_tags(action["pids"], action["tags"])
    elif op == "note":
        store.set_note(action["pid"], action["text"])
    elif op == "status":
        store.set_status(action["pids"], action["status"])
    elif op == "move":
        store.move_in_queue(action["pid"], action["delta"])
    elif op == "undo":
        store.undo()
    elif op == "redo":
        store.redo()
    elif op == "ingest":
        text, _ = feed_text(action["seed"], action["count"])
        path = feeds / f"feed-{action['seed']}.txt"
        path.write_text(text)
        report = store.ingest([str(path)])
        if report.errors or report.new != action["count"]:
            raise RuntimeError(f"ingest of {path}: {report}")
    if store.state is not None and store.state.unsaved_error:
        raise RuntimeError(f"not saved: {store.state.unsaved_error}")


def child(seed: int, data_dir: Path, work: Path) -> None:
    from storage.lock import WriterLock
    from storage.store import Store

    WriterLock(data_dir, command="torture child").acquire(wait=5)
    store = Store(data_dir)
    rng = random.Random(seed)
    feeds = work / "feeds"
    feeds.mkdir(parents=True, exist_ok=True)
    _say(f"ready {os.getpid()}")
    for n in range(1, 100_000):
        action = next_action(rng, store, seed, n)
        _say(f"do {n} {json.dumps(action, ensure_ascii=True)}")
        apply(store, action, feeds)
        _say(f"ack {n}")


def serve() -> None:
    import storage.dedupe  # noqa: F401  (imported once here, so each forked child starts warm)
    import storage.lock  # noqa: F401
    import storage.readers  # noqa: F401
    import storage.store  # noqa: F401

    _say("server ready")
    for line in sys.stdin:
        cmd, seed, data_dir, work = line.split(" ", 3)
        assert cmd == "run"
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                child(int(seed), Path(data_dir), Path(work.rstrip("\n")))
            except BaseException:
                _say("fail " + json.dumps(traceback.format_exc()[-1500:]))
                code = 3
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        _say(f"dead {pid} {status}")


if __name__ == "__main__":
    serve()

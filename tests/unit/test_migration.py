"""Schema migration: version 1 files (tests/fixtures/old_versions/) are upgraded on open, once, keeping the old file."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from storage import doctor, migrate
from support.datadir import snapshot
from storage.errors import DataFileError
from storage.library import SCHEMA_VERSION as LIBRARY_VERSION
from storage.library import read_abstracts, read_papers
from storage.model import Source, Status
from storage.state import SCHEMA_VERSION as STATE_VERSION
from storage.state import StateStore
from storage.store import Store

from support.clihelp import FIXTURES, run

OLD = FIXTURES / "old_versions"
FILES = ("state.json", "library.json", "abstracts.json")


@pytest.fixture
def v1_dir(tmp_path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    for name in FILES:
        shutil.copyfile(OLD / name, d / name)
    return d


def test_the_fixtures_really_are_version_1():
    assert json.loads((OLD / "state.json").read_text())["meta"]["schema"]["version"] == 1
    assert json.loads((OLD / "library.json").read_text())["schema"] == 1
    assert json.loads((OLD / "abstracts.json").read_text())["schema"] == 1
    assert STATE_VERSION == 3 and LIBRARY_VERSION >= 2


def test_every_old_version_has_a_step():
    for kind, current in ((migrate.STATE, STATE_VERSION), (migrate.LIBRARY, LIBRARY_VERSION),
                          (migrate.ABSTRACTS, LIBRARY_VERSION)):
        assert sorted(migrate.STEPS[kind]) == list(range(1, current))


def test_opening_migrates_state_and_library(v1_dir):
    store = Store(v1_dir)
    a, b, notes = store.get("2603.10001"), store.get("2603.10002"), store.get("pt-5b1e0c9a")
    assert a.sources == [Source("hf-daily-2026-03-13.txt", "2026-03-13"), Source("hf-daily-2026-03-14.txt", "2026-03-14")]
    assert b.sources == [Source("alice@lab-reading-list.txt", "2026-03-12")]
    assert notes.sources == [Source("notes.bib", "")] and notes.first_seen == "2026-03-10"
    assert a.merges[0]["reason"] == "same title" and a.extra == {"upvotes": 12}

    s = store.state_of("2603.10001")
    assert s.tags == ["nlp", "to read", "adapters"] and s.status == Status.QUEUED and s.starred
    assert store.view_ids("queue") == ["2603.10001"]
    assert store.state_of("2603.10002").tags == [] and store.state_of("2603.10002").status == Status.READ
    assert store.ui() == {"view": "queue", "cursor": "2603.10001"}
    assert store.abstract("2603.10002").startswith("Tidal drafts tokens")

    # The undo history was migrated too: undoing walks back through v1 entries without error.
    assert store.undo() == ("mark read", ["2603.10002"])
    assert store.state_of("2603.10002").status == Status.INBOX
    assert store.undo()[0] == "tag adapters"
    assert store.state_of("2603.10001").tags == ["nlp", "to read"]
    assert store.undo()[0] == "queue"
    assert store.state_of("2603.10001").status == Status.INBOX
    assert store.redo()[0] == "queue"
    assert store.view_ids("queue") == ["2603.10001"]


def test_migrated_files_are_written_and_the_v1_files_kept(v1_dir):
    store = Store(v1_dir)
    store.library.load_abstracts()
    for name in FILES:
        assert (v1_dir / f"{name}.v1.bak").read_bytes() == (OLD / name).read_bytes()
    assert json.loads((v1_dir / "state.json").read_text())["meta"]["schema"]["version"] == STATE_VERSION
    lib = json.loads((v1_dir / "library.json").read_text())
    assert lib["schema"] == 2 and lib["papers"][1]["sources"] == [{"feed": "alice@lab-reading-list.txt", "date": "2026-03-12"}]
    assert json.loads((v1_dir / "abstracts.json").read_text())["schema"] == 2
    # What is on disk now reads back exactly as what was migrated in memory.
    on_disk = read_papers(v1_dir / "library.json")
    assert [(p.id, p.sources, p.merges, p.extra) for p in on_disk] == [(p.id, p.sources, p.merges, p.extra) for p in store.papers]
    assert StateStore(v1_dir / "state.json").states == store.state.states


def test_migration_is_idempotent(v1_dir):
    Store(v1_dir).library.load_abstracts()
    after_first = snapshot(v1_dir)
    store = Store(v1_dir)
    store.library.load_abstracts()
    assert snapshot(v1_dir) == after_first  # nothing rewritten, no second old copy
    data = json.loads((v1_dir / "library.json").read_text())
    assert migrate.upgrade(migrate.LIBRARY, v1_dir / "library.json", data, 2, 2, check=lambda d: d) is data
    # A step run on content already in the new shape leaves it as it is.
    assert migrate.library_v1_to_v2({"papers": [{"id": "x", "sources": [{"feed": "f", "date": ""}]}]}) == {
        "papers": [{"id": "x", "sources": [{"feed": "f", "date": ""}]}]
    }
    state = {"state": {"x": {"tags": ["a"], "status": "queued"}}}
    assert migrate.state_v1_to_v2(json.loads(json.dumps(state))) == state


def test_a_migration_that_cannot_be_written_still_opens_and_is_finished_later(v1_dir, monkeypatch):
    def disk_full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(migrate, "atomic_write", disk_full)
    store = Store(v1_dir)
    assert store.state_of("2603.10001").tags == ["nlp", "to read", "adapters"]  # migrated in memory
    for name in ("state.json", "library.json"):
        assert (v1_dir / name).read_bytes() == (OLD / name).read_bytes()  # the file is untouched
        assert (v1_dir / f"{name}.v1.bak").read_bytes() == (OLD / name).read_bytes()
    assert not [p for p in v1_dir.iterdir() if p.name.endswith(".tmp")]

    monkeypatch.undo()
    Store(v1_dir)  # like a crash between keeping the old copy and replacing the file: the next open finishes it
    assert json.loads((v1_dir / "library.json").read_text())["schema"] == 2
    assert sorted(p.name for p in v1_dir.iterdir() if ".v1." in p.name) == ["library.json.v1.bak", "state.json.v1.bak"]


def test_an_older_copy_already_kept_is_never_replaced(v1_dir):
    (v1_dir / "library.json.v1.bak").write_bytes(b"an older v1 library the user migrated before")
    Store(v1_dir)
    assert (v1_dir / "library.json.v1.bak").read_bytes() == b"an older v1 library the user migrated before"
    assert (v1_dir / "library.json.v1.1.bak").read_bytes() == (OLD / "library.json").read_bytes()


def test_backups_are_checked_in_memory_and_never_rewritten(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    for name in FILES:  # a v1 .bak beside a damaged file, as after a crash of an old version
        shutil.copyfile(OLD / name, d / f"{name}.bak")
        (d / name).write_bytes(b'{"truncated')
    before = snapshot(d)
    findings = doctor.check(d)
    assert all(not f.ok and f.backup_ok for f in findings if f.path.name in FILES), findings
    assert snapshot(d) == before
    doctor.repair(d)  # restores the v1 backups; opening them then migrates
    store = Store(d)
    assert store.state_of("2603.10001").status == Status.QUEUED
    assert (d / "state.json.v1.bak").read_bytes() == (OLD / "state.json").read_bytes()


@pytest.mark.parametrize(
    "name, change",
    [
        ("state.json", lambda d: d["state"]["2603.10001"].update(tags=42)),
        ("state.json", lambda d: d["meta"]["history"]["undo"][0]["before"].update({"2603.10001": "x"})),
        ("library.json", lambda d: d["papers"][0].update(sources=["ok@2026-01-01", 7])),
        ("library.json", lambda d: d.update(papers={"not": "a list"})),
        # Damage the step itself does not notice: caught by the check that runs before the migrated file is written.
        ("library.json", lambda d: d["papers"][0].update(title=["not", "text"])),
        ("abstracts.json", lambda d: d["abstracts"].update({"2603.10002": ["not", "text"]})),
        ("state.json", lambda d: d["state"]["2603.10002"].update(status="maybe")),
    ],
)
def test_damaged_old_content_is_a_clear_error_and_left_alone(v1_dir, name, change):
    data = json.loads((v1_dir / name).read_text())
    change(data)
    (v1_dir / name).write_text(json.dumps(data))
    before = (v1_dir / name).read_bytes()
    with pytest.raises(DataFileError) as e:
        Store(v1_dir).library.load_abstracts()
    assert str(v1_dir / name) in str(e.value)
    assert (v1_dir / name).read_bytes() == before and not (v1_dir / f"{name}.v1.bak").exists()


@pytest.mark.parametrize("version", [0, -3])
def test_a_version_never_written_is_refused(tmp_path, version):
    path = tmp_path / "library.json"
    path.write_text(json.dumps({"schema": version, "papers": []}))
    with pytest.raises(DataFileError, match="no migration from it"):
        read_papers(path)
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"meta": {"schema": {"version": version}}, "state": {}}))
    with pytest.raises(DataFileError, match="no migration from it"):
        StateStore(state)
    assert json.loads(state.read_text())["meta"]["schema"]["version"] == version


def test_read_only_readers_migrate_too(v1_dir):
    assert read_abstracts(v1_dir / "abstracts.json")["pt-5b1e0c9a"].startswith("Notes from")
    assert json.loads((v1_dir / "abstracts.json").read_text())["schema"] == 2


def test_cli_on_a_version_1_data_dir(v1_dir):
    listed = json.loads(run("list", "--json", data_dir=v1_dir, check_rc=0).stdout)
    first = next(p for p in listed if p["id"] == "2603.10001")
    assert first["tags"] == ["nlp", "to read", "adapters"] and first["status"] == "queued"
    assert first["sources"][0] == {"feed": "hf-daily-2026-03-13.txt", "date": "2026-03-13"}
    proc = run("doctor", data_dir=v1_dir, check_rc=0)
    assert proc.stdout.count("ok") >= 3 and "DAMAGED" not in proc.stdout
    run("tag", "2603.10002", "decoding", data_dir=v1_dir, check_rc=0)
    assert Store(v1_dir).state_of("2603.10002").tags == ["decoding"]
    assert sorted(p.name for p in v1_dir.iterdir() if ".v1." in p.name) == [f"{n}.v1.bak" for n in sorted(FILES)]


def test_source_strings(tmp_path):
    conv = migrate._source_v1
    assert conv("a.txt@2026-01-02") == {"feed": "a.txt", "date": "2026-01-02"}
    assert conv("a.txt@") == {"feed": "a.txt", "date": ""}
    assert conv("a.txt") == {"feed": "a.txt", "date": ""}
    assert conv("me@host.txt") == {"feed": "me@host.txt", "date": ""}
    assert conv({"feed": "f", "date": "d"}) == {"feed": "f", "date": "d"}
    assert os.path.exists(OLD / "README.md")

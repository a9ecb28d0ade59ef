"""The user's state (stars, tags, notes, status, queue) in TinyDB, written atomically, with an undo/redo log.

TinyDB's own JSONStorage re-reads and rewrites the file on every call and is not atomic. `AtomicJSONStorage` keeps
the data in memory and rewrites the file through `atomic_write`. Only papers whose state differs from the default
are stored. Even so, rewriting it per action grows with the number of annotated papers (60 ms at 10,000), so one
user action (state change + undo entry) is one fsynced line in a journal beside it (storage/journal.py), and the
file is rewritten from memory only now and then (see StateStore).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from . import migrate
from .atomic import atomic_write, existing_backup
from .errors import DataFileError
from . import history
from .journal import Journal, journal_path
from .jsonfile import load_json_file
from .model import PaperState
from .regular import read_regular
from .statecheck import check_state_data

STATE_FILE = "state.json"  # in the data dir
SCHEMA_VERSION = 3  # 1: tags as one comma-separated string, status "queue"; 2: no journal (see migrate.py)
HISTORY_LIMIT = 200  # undo levels kept on disk
JOURNAL_LINES = 2000  # journal lines before the snapshot is rewritten (~60 ms at 10k annotated papers, amortised)
JOURNAL_BYTES = 16 * 1024 * 1024


class AtomicJSONStorage(Storage):
    """A TinyDB Storage: in-memory data, atomic durable writes, optional batching.

    A failed write (disk full, read-only directory) keeps the data in memory, remembers the error in
    `unsaved_error`, and is retried by the next write or by `flush()`.
    """

    def __init__(self, path: str | Path, read_only: bool = False, **_: object) -> None:
        self.path = Path(path)
        self.read_only = read_only  # a read-only data dir: changes stay in memory, nothing is written or retried
        self._data: dict | None = None
        self._batch = 0
        self._dirty = False
        self.unsaved_error: OSError | None = None

    def read(self) -> dict | None:
        if self._data is None:
            self._data = load_json_file(self.path)
        return self._data

    def write(self, data: dict) -> None:
        self._data = data
        self._dirty = True
        if not self._batch:
            self.flush(raise_error=False)

    def flush(self, *, raise_error: bool = True) -> None:
        if not self._dirty or self._data is None:
            return
        if self.read_only:
            self._dirty = False
            return
        payload = json.dumps(self._data, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            atomic_write(self.path, payload)
        except OSError as e:
            self.unsaved_error = e
            if raise_error:
                raise
            return
        self._dirty = False
        self.unsaved_error = None

    def write_now(self, *, raise_error: bool = True) -> None:
        """Write the in-memory data (changed in place by the caller, not through `write`)."""
        self._dirty = True
        self.flush(raise_error=raise_error)

    def replace_data(self, data: dict) -> None:
        """Swap the in-memory content without writing it (after a migration, which writes the file itself)."""
        self._data = data

    @property
    def dirty(self) -> bool:
        return self._dirty

    @contextmanager
    def batch(self) -> Iterator[None]:
        self._batch += 1
        try:
            yield
        finally:
            self._batch -= 1
            if not self._batch:
                self.flush(raise_error=False)

    def close(self) -> None:
        pass


class StrIdTable(Table):
    """Documents keyed by the stable paper id instead of TinyDB's auto-increment integers."""

    document_id_class = str


class StateDB(TinyDB):
    table_class = StrIdTable


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class StateStore:
    """Per-paper user state plus the undo/redo history and small UI memory (view, cursor).

    The state file is a TinyDB snapshot; each action after it is one line in the journal (storage/journal.py),
    replayed on open. The snapshot is rewritten, and the journal emptied, when this process quits after writing
    (`close`), when the journal grows past JOURNAL_LINES, and to retry after a failed write (`flush`).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, by: str = "cli") -> None:
        self.path = Path(path)
        self.read_only = read_only  # browsing a read-only data dir: changes are kept in memory only
        self.by = by  # who makes this process's actions: "app" or "cli" (said when an undo reaches past it)
        self.last_entry: dict | None = None  # the entry the last undo/redo stepped over
        self._sizes: list[int] | None = None  # the undo entries' sizes, measured at the first push
        # Backups (`.bak`, `.v1.bak`) are checked by doctor as snapshots alone; the journal belongs to the live file.
        self.journal = None if migrate.is_backup(self.path) else Journal(journal_path(self.path))
        # The journal is read before the file. A writer rewrites the file first and empties the journal after, so a
        # reader racing it (`papertriage list` while the app runs) gets the old file and the lines that follow it,
        # or the new file, which holds every line read; read the other way round it could miss some.
        records = self.journal.read() if self.journal is not None else []
        self.db = StateDB(self.path, storage=AtomicJSONStorage, read_only=read_only)
        self.storage: AtomicJSONStorage = self.db.storage  # type: ignore[assignment]
        self.db.storage.read()  # surface a damaged file now, not at the first key press
        self._check_schema()
        self.papers = self.db.table("state", cache_size=0)
        self.meta = self.db.table("meta", cache_size=0)
        # The file is a TinyDB database (tables "state" and "meta", documents keyed by paper id), opened and
        # created through TinyDB above. After that, the actions change its dict directly instead of through
        # `Table.upsert`/`remove`, on purpose: every change is first one journal record, and the same
        # `_apply_record` must run for a live action and for a replay at open; TinyDB's Table API would write the
        # whole file per call (this Storage batches, but cannot append a line), and the in-memory `states` table
        # must change in the same step. The dict stays in TinyDB's layout, so any TinyDB reads the file
        # (tests/unit/test_state_tinydb.py).
        data = self.storage.read()
        self._table: dict = data.setdefault("state", {})
        self._meta: dict = data.setdefault("meta", {})
        self._history = self._meta.setdefault("history", {"undo": [], "redo": []})
        snapshot_seq = (self._meta.get("journal") or {}).get("seq", 0)
        self._seq = snapshot_seq if isinstance(snapshot_seq, int) else 0
        self._wrote = False  # this process appended: it owes the snapshot at close
        self._gap = False  # an append failed: the journal may lack a line, only a whole rewrite is safe now
        self._next_fold = JOURNAL_LINES
        self.states: dict[str, PaperState] = {str(doc.doc_id): PaperState.from_dict(doc) for doc in self.papers.all()}
        self._replay_journal(records)

    def _replay_journal(self, records: list[dict]) -> None:
        # Lines up to the file's number are in it already (a crash came between rewriting it and emptying the journal)
        newer = [r for r in records if r["seq"] > self._seq]
        for record in newer:
            if record["seq"] != self._seq + 1:  # e.g. state.json put back from its .bak by hand
                raise DataFileError(self.journal.path, f"does not follow {self.path.name} (action {record['seq']} "
                                    f"after {self._seq}); `papertriage doctor --repair` replays it on top")
            self._apply_record(record)
            self._seq = record["seq"]

    def _check_schema(self) -> None:
        data = self.storage.read()
        if data is None:
            with self.storage.batch():
                self.db.table("meta").upsert(Document({"version": SCHEMA_VERSION}, doc_id="schema"))
            return
        meta = data.get("meta")
        schema = meta.get("schema") if isinstance(meta, dict) else None
        version = schema.get("version") if isinstance(schema, dict) else None
        bak = existing_backup(self.path)
        if version is None:
            raise DataFileError(self.path, "not a papertriage state file (no schema version)", bak)
        if not isinstance(version, int) or isinstance(version, bool):
            raise DataFileError(self.path, f"unknown schema version {str(version)[:20]!r}", bak)
        if version > SCHEMA_VERSION:
            raise DataFileError(
                self.path, f"written by a newer papertriage (schema {version}, this one reads {SCHEMA_VERSION})", bak
            )
        # Checked before a migration is written, so a damaged old file is never replaced by its migrated form.
        data = migrate.upgrade(migrate.STATE, self.path, data, version, SCHEMA_VERSION, check=self._checked)
        self.storage.replace_data(data)

    def _checked(self, data: dict) -> dict:
        try:
            check_state_data(data)
        except (AttributeError, KeyError, TypeError, ValueError) as e:
            # Valid JSON with the wrong shape inside (edited by hand, or damaged bytes that still parse).
            raise DataFileError(self.path, f"damaged content ({type(e).__name__}: {str(e)[:80]})",
                                existing_backup(self.path)) from None
        return data

    def _meta_doc(self, key: str) -> dict | None:
        doc = self.meta.get(doc_id=key)
        return dict(doc) if doc is not None else None

    # -- reading ---------------------------------------------------------------------------------------------------
    def get(self, pid: str) -> PaperState:
        return self.states.get(pid) or PaperState()

    def ui(self) -> dict:
        return self._meta_doc("ui") or {}

    def all_tags(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for s in self.states.values():
            for t in s.tags:
                counts[t] = counts.get(t, 0) + 1
        return counts

    # -- writing: every change is a journal record, applied in memory, then appended -------------------------------
    def _apply_record(self, record: dict) -> None:
        """Apply one record to the in-memory snapshot. The same code runs for a live action and for a replay."""
        for pid, doc in record.get("put", {}).items():
            if doc is None:
                self._table.pop(pid, None)
                self.states.pop(pid, None)
            else:
                self._table[pid] = doc
                self.states[pid] = PaperState.from_dict(doc)
        undo, redo = self._history["undo"], self._history["redo"]
        hist = record.get("hist")
        sizes = self._sizes
        if hist == "push":
            if sizes is None:
                sizes = self._sizes = [history.entry_size(e) for e in undo]
            undo.append(record["entry"])
            sizes.append(history.entry_size(record["entry"]))
            history.trim(undo, sizes, HISTORY_LIMIT)
            redo.clear()
        elif hist == "undo" and undo:
            redo.append(undo.pop())
            if sizes is not None:
                sizes.pop()
        elif hist == "redo" and redo:
            undo.append(redo.pop())
            if sizes is not None:
                sizes.append(history.entry_size(undo[-1]))
        if "ui" in record:
            self._meta["ui"] = record["ui"]

    def _commit(self, record: dict, *, durable: bool = True) -> None:
        self._seq += 1
        record["seq"] = self._seq
        self._apply_record(record)
        if self.read_only:
            return
        self._wrote = True
        if self.journal is None or self._gap:
            self._snapshot(raise_error=False)  # sets unsaved_error while it fails
            return
        try:
            self.journal.append(record, sync=durable)
        except OSError as e:
            self._gap = True
            self.storage.unsaved_error = e
            return
        if self.journal.lines >= self._next_fold or self.journal.size >= JOURNAL_BYTES:
            self._fold()

    def _fold(self) -> None:
        """Fold a long journal into the file. The action is durable already: a failure here is not the user's
        concern (no "not saved"); it is tried again a hundred lines later, and at quit."""
        try:
            self._snapshot(raise_error=True)
        except OSError:
            self.storage.unsaved_error = None
            self._next_fold = self.journal.lines + 100
        else:
            self._next_fold = JOURNAL_LINES

    def _snapshot(self, *, raise_error: bool) -> None:
        """Rewrite the state file with everything in memory, then empty the journal it now holds."""
        self._meta["journal"] = {"seq": self._seq}
        self.storage.write_now(raise_error=raise_error)
        if self.storage.unsaved_error is None:
            self._gap = False
            if self.journal is not None:
                try:
                    self.journal.clear()
                except OSError:
                    pass  # its lines are all <= the file's number now: replaying skips them

    def apply(self, label: str, changes: dict[str, PaperState]) -> None:
        """Write new states for some papers as one action: one durable journal line, one undo entry."""
        before = {pid: (self.states[pid].to_dict() if pid in self.states else None) for pid in changes}
        after = {pid: (None if s.is_default() else s.to_dict()) for pid, s in changes.items()}
        if before == after:
            return
        entry = history.compact_entry(label, before, after, self.by, now_iso())
        self._commit({"put": after, "hist": "push", "entry": entry})

    def put_synced(self, changes: dict[str, PaperState]) -> None:
        """New states merged from another device: one durable journal line, and no undo entry."""
        after = {pid: (None if s.is_default() else s.to_dict()) for pid, s in changes.items()}
        self._commit({"put": after})

    def _step(self, src: str, side: str) -> tuple[str, list[str]] | None:
        if not self._history[src]:
            return None
        entry = self._history[src][-1]
        self._commit({"put": history.step_put(entry, side, self._table, now_iso()), "hist": src})
        self.last_entry = entry
        return entry["label"], history.entry_ids(entry)

    def undo(self) -> tuple[str, list[str]] | None:
        """Revert the last action; returns (label, paper ids touched) or None when there is nothing to undo."""
        return self._step("undo", "before")

    def redo(self) -> tuple[str, list[str]] | None:
        return self._step("redo", "after")

    def set_ui(self, **values: object) -> None:
        ui = self.ui()
        if all(ui.get(k) == v for k, v in values.items()):
            return
        ui.update(values)
        # Where the cursor was is worth a line but not an fsync of its own (the app saves it after every action):
        # the next action's fsync, or the rewrite at quit, makes it durable; a crash of the app keeps it anyway.
        self._commit({"ui": ui}, durable=False)

    def flush(self) -> None:
        """Retry a write that failed earlier; raises OSError while it still fails."""
        if self.storage.unsaved_error is not None or self._gap:
            self._snapshot(raise_error=True)

    def close(self) -> None:
        """At the end of a process that wrote: fold the journal into the snapshot (readers never write here)."""
        # After a failed write the caller has flushed or reported the loss; a snapshot now could contradict it.
        if self._wrote and self.journal is not None and self.journal.lines and self.storage.unsaved_error is None:
            self._snapshot(raise_error=False)
        if self.journal is not None:
            self.journal.close()

    @property
    def unsaved_error(self) -> OSError | None:
        return self.storage.unsaved_error

    def ids(self) -> Iterable[str]:
        return self.states.keys()


def realign_journal(state_path: Path) -> int:
    """After state.json was put back from its .bak: number the file so that the journal's actions follow it.

    Their states are whole (each line holds the papers' new states, not a difference), so replaying them on an
    older file gives each paper its latest state; only the undo history may miss the steps in between. Returns how
    many actions will be replayed.
    """
    records = Journal(journal_path(state_path)).read()
    data = load_json_file(Path(state_path))
    if not records or data is None:
        return 0
    meta = data.setdefault("meta", {})
    seq = (meta.get("journal") or {}).get("seq", 0)
    newer = [r for r in records if r["seq"] > seq]
    if newer and newer[0]["seq"] != seq + 1:
        meta["journal"] = {"seq": newer[0]["seq"] - 1}
        atomic_write(Path(state_path), json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
    return len(newer)

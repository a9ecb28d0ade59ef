"""The deduplicated papers on disk: rewritten only on ingest, atomically.

Two files, so the app's first paint does not wait for abstracts: `library.json` holds everything but the abstracts
(what the list needs), `abstracts.json` maps paper id -> abstract and is loaded on first need (detail pane, search,
export, ingest). Both carry a schema version.

A third, `first-screen.jsonl`, is a cache of what the list shows (see firstscreen.py). `Library(dir, lazy=True)`
(the app) opens from it alone when it matches library.json, and reads the rest with `load_rest` (the app's worker,
after the first paint) or at the first use of `papers` / `by_id`. Without `lazy`, everything is read at once.
"""

from __future__ import annotations

import json
import threading
from contextlib import suppress
from itertools import islice
from pathlib import Path
from typing import Callable, Iterator

from . import firstscreen, migrate, paths, pieces
from .atomic import commit, existing_backup, prepare
from .errors import DataFileError, SaveError
from .firstscreen import FIRST_SCREEN_FILE, display_order, first_seen, identity
from .gcpause import gc_paused
from .jsonfile import load_json_file
from .model import Paper
from .pacing import paced

SCHEMA_VERSION = 2  # 1: `sources` as "feed@date" strings (see migrate.py)
LIBRARY_FILE = "library.json"
ABSTRACTS_FILE = "abstracts.json"
# A library this big is frozen out of the garbage collector's sight once loaded (see gcpause.gc_paused).
FREEZE_AT = 10_000


def _version(path: Path, data: dict, key: str) -> int:
    version = data.get("schema")
    if not isinstance(version, int) or isinstance(version, bool) or key not in data:
        raise DataFileError(path, "not a papertriage file (no schema version)", existing_backup(path))
    if version > SCHEMA_VERSION:
        raise DataFileError(
            path, f"written by a newer papertriage (schema {version}, this one reads {SCHEMA_VERSION})",
            existing_backup(path),
        )
    return version


def _check_papers(papers: object) -> None:
    """Refuse wrong types that Paper.from_dict would carry along until the list or the search crashes on them.

    Written for speed (`type(x) is str`, one pass): it runs on every open, 100k papers included.
    """
    if type(papers) is not list:
        raise TypeError("the paper list is not a list")
    for d in papers:
        if type(d) is not dict:
            raise TypeError("a paper is not an object")
        get = d.get
        if type(get("id")) is not str or not d["id"]:
            raise KeyError("id")
        if (type(get("title", "")) is not str or type(get("abstract", "")) is not str
                or type(get("arxiv_id", "")) is not str or type(get("url", "")) is not str
                or type(get("added", "")) is not str or type(get("extra", {})) is not dict):
            raise TypeError(f"a field of {d['id'][:40]!r} has the wrong type")
        for name in ("authors", "sources", "merges"):
            # A string here would pass as a list of one-letter authors ("Bob" -> B, o, b).
            if type(get(name, ())) not in (list, tuple):
                raise TypeError(f"{name} of {d['id'][:40]!r} is {type(d[name]).__name__}, not a list")
        for a in get("authors", ()):
            if type(a) is not str:
                raise TypeError(f"an author of {d['id'][:40]!r} is not a string")
        for src in get("sources", ()):
            if (type(src) is not dict or type(src.get("feed", "")) is not str or type(src.get("date", "")) is not str
                    or type(src.get("published", "")) is not str):
                raise TypeError(f"a source of {d['id'][:40]!r} is damaged")
        for m in get("merges", ()):
            if type(m) is not dict:
                raise TypeError(f"a merge of {d['id'][:40]!r} is damaged")


def _papers(path: Path, data: dict) -> list[Paper]:
    try:
        _check_papers(data["papers"])
        papers = [Paper.from_dict(d) for d in data["papers"]]
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise DataFileError(path, f"damaged paper record ({e.__class__.__name__}: {str(e)[:80]})",
                            existing_backup(path)) from None
    if len({p.id for p in papers}) != len(papers):
        raise DataFileError(path, "damaged paper list (an id appears twice)", existing_backup(path))
    return papers


def _abstracts(path: Path, data: dict) -> dict[str, str]:
    table = data["abstracts"]
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise DataFileError(path, "damaged abstracts table", existing_backup(path))
    return table


_PAPERS_IN_PIECES = pieces.list_decoder(Paper)
_ABSTRACTS_IN_PIECES = pieces.dict_decoder(str)


def _papers_in_pieces(path: Path, pace: Callable[[], None] | None) -> list[Paper] | None:
    """The papers of a current library file written by `save`, read in pieces (see pieces.py); None for any other
    file or a damaged one, which the whole-file read then reads or reports."""
    head = f'{{"schema":{SCHEMA_VERSION},"papers":['.encode()
    parts = pieces.decode_pieces(path, head, b'},{"id":', b"]}", _PAPERS_IN_PIECES, pace)
    if parts is None:
        return None
    papers = [p for part in parts for p in part]
    # What the typed decode does not check and `_papers` does: let the whole-file read name the damage.
    if len({p.id for p in paced(papers, pace)}) != len(papers) or not all(p.id for p in paced(papers, pace)):
        return None
    return papers


def read_papers(path: Path, pace: Callable[[], None] | None = None) -> list[Paper] | None:
    """The papers of a library file (None when absent), migrated when older; damage is a DataFileError.
    `pace`, when given, is called between pieces of the file (the app's worker gives way to keys there)."""
    papers = _papers_in_pieces(path, pace)
    if papers is not None:
        return papers
    data = load_json_file(path)
    if data is None:
        return None
    version = _version(path, data, "papers")
    return migrate.upgrade(migrate.LIBRARY, path, data, version, SCHEMA_VERSION, lambda d: _papers(path, d))


def read_abstracts(path: Path, pace: Callable[[], None] | None = None) -> dict[str, str] | None:
    head = f'{{"schema":{SCHEMA_VERSION},"abstracts":{{'.encode()
    parts = pieces.decode_pieces(path, head, b'","', b"}}", _ABSTRACTS_IN_PIECES, pace)
    if parts is not None:
        table = parts[0] if parts else {}
        for part in parts[1:]:
            table.update(part)
        return table
    data = load_json_file(path)
    if data is None:
        return None
    version = _version(path, data, "abstracts")
    return migrate.upgrade(migrate.ABSTRACTS, path, data, version, SCHEMA_VERSION, lambda d: _abstracts(path, d))


class Library:
    def __init__(self, data_dir: Path, *, lazy: bool = False) -> None:
        self.dir = Path(data_dir)
        self.path = self.dir / LIBRARY_FILE
        self.abstracts_path = self.dir / ABSTRACTS_FILE
        self.first_screen_path = self.dir / FIRST_SCREEN_FILE
        self.lazy = lazy
        self._papers: list[Paper] = []
        self._by_id: dict[str, Paper] = {}
        self._abstracts: dict[str, str] | None = None
        self._lock = threading.Lock()  # the app's worker and a search worker may both want the rest at once
        self.load()

    def load(self) -> None:
        self._abstracts = None
        self.source: list[int] | None = None
        self._error: DataFileError | None = None
        # While set, the list is served from the first-screen file and `loaded` is False.
        self._screen: firstscreen.FirstScreen | None = None
        # Whether the first-screen file on disk is this library's (if not, the app writes one); None: not looked at.
        self.screen_ok: bool | None = None
        if self.lazy:
            screen = firstscreen.read(self.first_screen_path, self.path)
            self.screen_ok = screen is not None
            if screen is not None:
                self._papers, self._by_id = [], {}
                self.loaded = False
                self._screen = screen
                return
        self._read_all()

    def _read_all(self, pace: Callable[[], None] | None = None) -> None:
        before = identity(self.path)
        papers = (read_papers(self.path, pace) if pace else read_papers(self.path)) or []
        # The library.json these papers came from: a first-screen file written from them names it (None when it was
        # replaced while being read: then none is written until the next save).
        self.source = before if identity(self.path) == before else None
        self._by_id = {p.id: p for p in paced(papers, pace)}
        self._papers = papers
        self.loaded = True

    def load_rest(self, pace: Callable[[], None] | None = None) -> bool:
        """Read the whole library after a lazy open (thread-safe; at once when already read). False when the
        first-screen file turned out to differ from it, so what was shown from it must be shown again. `pace` is
        called between pieces of library.json (see read_papers)."""
        with self._lock:
            if self.loaded:
                return True
            if self._error is not None:  # damaged: say so again without parsing it again
                raise self._error
            screen = self._screen
            try:
                with gc_paused(freeze=lambda: len(self._papers) >= FREEZE_AT):
                    self._read_all(pace)
            except DataFileError as e:
                self._error = e
                raise
            agreed = screen is None or screen.agrees(display_order(self._papers, pace), pace)
            self.screen_ok = agreed
            self._screen = None  # after `loaded`: a reader that saw the screen a moment ago finds `by_id` filled
            return agreed

    @property
    def papers(self) -> list[Paper]:
        if not self.loaded:
            self.load_rest()
        return self._papers

    @property
    def by_id(self) -> dict[str, Paper]:
        if not self.loaded:
            self.load_rest()
        return self._by_id

    # -- what the list needs: served from the first-screen file until the rest is read ------------------------------
    def __len__(self) -> int:
        screen = self._screen
        return len(screen) if screen is not None else len(self._papers)

    def has(self, pid: str) -> bool:
        screen = self._screen
        return pid in screen.pos if screen is not None else pid in self._by_id

    def title(self, pid: str) -> str:
        """KeyError when there is no such paper."""
        screen = self._screen
        if screen is None:
            return self._by_id[pid].title
        try:
            return screen.title(screen.pos[pid])
        except (ValueError, RecursionError):  # a line of titles that the checksum let through: ask the library
            self.load_rest()
            return self._by_id[pid].title

    def first_seen(self, pid: str) -> str:
        screen = self._screen
        return screen.days[screen.pos[pid]] if screen is not None else first_seen(self._by_id[pid])

    def order(self) -> list[str]:
        """Every paper id, newest first-seen date first; within a day, the order of the feed."""
        screen = self._screen
        return screen.ids if screen is not None else [p.id for p in display_order(self._papers)]

    def changing(self) -> None:
        """The papers in memory are about to differ from library.json (an ingest): no first-screen file is written
        from them until they are saved."""
        self.source = None

    def write_first_screen(self) -> bool:
        """Write the first-screen file from the papers in memory when the one on disk is missing, stale or damaged
        (the app does, once it has read the whole library: it holds the writer lock). True when written. Never raises:
        it is a cache, and a failure only means the next start reads library.json."""
        if self.screen_ok:
            return False
        if not self.loaded:
            self.load_rest()
        source = self.source
        if source is None or identity(self.path) != source:  # changed on disk or in memory since read: next save
            return False
        if self.screen_ok is None and firstscreen.read(self.first_screen_path, self.path) is not None:
            self.screen_ok = True
            return False
        tmp = self._prepare_first_screen(source)
        try:
            if tmp is None:
                return False
            commit(self.first_screen_path, tmp, backup=False)
        except OSError:
            return False
        self.screen_ok = True
        return True

    @property
    def abstracts(self) -> dict[str, str]:
        if self._abstracts is None:
            self.load_abstracts()
        return self._abstracts

    def load_abstracts(self, pace: Callable[[], None] | None = None) -> None:
        """Fill every paper's abstract (idempotent; the app calls it in a worker after the first paint, with a
        `pace` called between pieces of abstracts.json, see read_papers)."""
        if self._abstracts is not None:
            return
        table = read_abstracts(self.abstracts_path, pace) or {}
        for p in paced(self.papers, pace):
            if not p.abstract:  # papers added in memory before this load already carry theirs
                p.abstract = table.get(p.id, "")
        self._abstracts = table

    def abstract(self, pid: str) -> str:
        self.load_abstracts()
        paper = self.by_id.get(pid)
        return paper.abstract if paper else ""

    def add(self, paper: Paper) -> None:
        self.papers.append(paper)
        self.by_id[paper.id] = paper
        self.source = None

    def save(self) -> None:
        """Write both files atomically: abstracts first, so a crash between leaves no paper without its abstract."""
        abstracts = self.abstracts
        for p in self.papers:
            if p.abstract:
                abstracts[p.id] = p.abstract
        # Written in chunks (same bytes as one json.dumps): a million papers' text is never in memory twice.
        files = [
            (self.abstracts_path, _dump_chunks("abstracts", iter(abstracts.items()), dict, "{}")),
            (self.path, _dump_chunks("papers", (p.to_dict(abstract=False) for p in self.papers), list, "[]")),
        ]
        prepared: list[tuple[Path, Path]] = []
        screen: Path | None = None
        target = self.abstracts_path
        try:
            paths.make_data_dir(self.dir)
            # Both temp files first: a full disk fails here, before either file is replaced.
            for target, data in files:
                prepared.append((target, prepare(target, data)))
            screen = self._prepare_first_screen(identity(prepared[-1][1]))  # the new library.json, by its temp file
            # Abstracts first, so a crash between the two renames leaves no paper without its abstract.
            for target, tmp in prepared:
                commit(target, tmp)
        except BaseException as e:  # not only OSError: no failure may leave a prepared temp file behind
            for tmp in [tmp for _, tmp in prepared] + ([screen] if screen else []):
                with suppress(OSError):
                    tmp.unlink(missing_ok=True)
            if not isinstance(e, OSError):
                raise
            raise SaveError(f"{target}: could not save ({e.strerror or e}); the library was not changed") from e
        self.source, self.screen_ok = identity(self.path), False
        if screen is not None:
            try:  # last: until it is in place, the old one names the old library.json and so is not used
                commit(self.first_screen_path, screen, backup=False)
                self.screen_ok = True
            except OSError:
                pass

    def _prepare_first_screen(self, source: list[int] | None) -> Path | None:
        """The first-screen file of the papers in memory, naming library.json by `source` (its identity: a rename
        keeps size, mtime and inode), as a temp file for `commit`; None when it could not be written (a cache: the
        save goes on without it)."""
        if source is None:
            return None
        try:
            return prepare(self.first_screen_path, firstscreen.dump(display_order(self.papers), source))
        except OSError:
            return None


def _dump(obj: dict) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


_CHUNK = 2000  # entries per piece of a chunked dump


def _dump_chunks(key: str, items: Iterator, kind: type, brackets: str) -> Iterator[bytes]:
    """`{"schema":N,"<key>":<kind of items>}` as byte pieces, byte for byte what `_dump` gives for the whole."""
    yield f'{{"schema":{SCHEMA_VERSION},"{key}":{brackets[0]}'.encode()
    sep = ""
    while chunk := kind(islice(items, _CHUNK)):
        # A lone surrogate (a JSON "\ud800" in a feed) has no UTF-8 form; backslashreplace writes it as that same JSON
        # escape, so it reads back unchanged instead of failing the save.
        text = json.dumps(chunk, ensure_ascii=False, separators=(",", ":"))[1:-1]
        yield (sep + text).encode("utf-8", "backslashreplace")
        sep = ","
    yield f"{brackets[1]}}}".encode()

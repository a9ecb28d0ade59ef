"""The deduplicated papers on disk: rewritten only on ingest, atomically.

Two files, so the app's first paint does not wait for abstracts: `library.json` holds everything but the abstracts
(what the list needs), `abstracts.json` maps paper id -> abstract and is loaded on first need (detail pane, search,
export, ingest). Both carry a schema version.
"""

from __future__ import annotations

import json
from contextlib import suppress
from itertools import islice
from pathlib import Path
from typing import Iterator

from . import migrate
from .atomic import commit, existing_backup, prepare
from .errors import DataFileError, SaveError
from .model import Paper
from .state import load_json_file

SCHEMA_VERSION = 2  # 1: `sources` as "feed@date" strings (see migrate.py)
LIBRARY_FILE = "library.json"
ABSTRACTS_FILE = "abstracts.json"


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
        for a in get("authors", ()):
            if type(a) is not str:
                raise TypeError(f"an author of {d['id'][:40]!r} is not a string")
        for src in get("sources", ()):
            if type(src) is not dict or type(src.get("feed", "")) is not str or type(src.get("date", "")) is not str:
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


def read_papers(path: Path) -> list[Paper] | None:
    """The papers of a library file (None when absent), migrated when older; damage is a DataFileError."""
    data = load_json_file(path)
    if data is None:
        return None
    version = _version(path, data, "papers")
    return migrate.upgrade(migrate.LIBRARY, path, data, version, SCHEMA_VERSION, lambda d: _papers(path, d))


def read_abstracts(path: Path) -> dict[str, str] | None:
    data = load_json_file(path)
    if data is None:
        return None
    version = _version(path, data, "abstracts")
    return migrate.upgrade(migrate.ABSTRACTS, path, data, version, SCHEMA_VERSION, lambda d: _abstracts(path, d))


class Library:
    def __init__(self, data_dir: Path) -> None:
        self.dir = Path(data_dir)
        self.path = self.dir / LIBRARY_FILE
        self.abstracts_path = self.dir / ABSTRACTS_FILE
        self.papers: list[Paper] = []
        self.by_id: dict[str, Paper] = {}
        self._abstracts: dict[str, str] | None = None
        self.load()

    def load(self) -> None:
        self.papers = read_papers(self.path) or []
        self.by_id = {p.id: p for p in self.papers}
        self._abstracts = None

    @property
    def abstracts(self) -> dict[str, str]:
        if self._abstracts is None:
            self._abstracts = read_abstracts(self.abstracts_path) or {}
            for p in self.papers:
                if not p.abstract:  # papers added in memory before this load already carry theirs
                    p.abstract = self._abstracts.get(p.id, "")
        return self._abstracts

    def load_abstracts(self) -> None:
        """Fill every paper's abstract (idempotent; the app calls it in a worker after the first paint)."""
        _ = self.abstracts

    def abstract(self, pid: str) -> str:
        self.load_abstracts()
        paper = self.by_id.get(pid)
        return paper.abstract if paper else ""

    def add(self, paper: Paper) -> None:
        self.papers.append(paper)
        self.by_id[paper.id] = paper

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
        target = self.abstracts_path
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            # Both temp files first: a full disk fails here, before either file is replaced.
            for target, data in files:
                prepared.append((target, prepare(target, data)))
            # Abstracts first, so a crash between the two renames leaves no paper without its abstract.
            for target, tmp in prepared:
                commit(target, tmp)
        except OSError as e:
            for _, tmp in prepared:
                with suppress(OSError):
                    tmp.unlink(missing_ok=True)
            raise SaveError(f"{target}: could not save ({e.strerror or e}); the library was not changed") from e


def _dump(obj: dict) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


_CHUNK = 2000  # entries per piece of a chunked dump


def _dump_chunks(key: str, items: Iterator, kind: type, brackets: str) -> Iterator[bytes]:
    """`{"schema":N,"<key>":<kind of items>}` as byte pieces, byte for byte what `_dump` gives for the whole."""
    yield f'{{"schema":{SCHEMA_VERSION},"{key}":{brackets[0]}'.encode()
    sep = ""
    while chunk := kind(islice(items, _CHUNK)):
        yield (sep + json.dumps(chunk, ensure_ascii=False, separators=(",", ":"))[1:-1]).encode()
        sep = ","
    yield f"{brackets[1]}}}".encode()

"""The deduplicated papers on disk: rewritten only on ingest, atomically.

Two files, so the app's first paint does not wait for abstracts: `library.json` holds everything but the abstracts
(what the list needs), `abstracts.json` maps paper id -> abstract and is loaded on first need (detail pane, search,
export, ingest). Both carry a schema version.
"""

from __future__ import annotations

import json
from pathlib import Path

from .atomic import atomic_write, backup_path
from .errors import DataFileError
from .model import Paper
from .state import load_json_file

SCHEMA_VERSION = 1
LIBRARY_FILE = "library.json"
ABSTRACTS_FILE = "abstracts.json"


def _check_version(path: Path, data: dict, key: str) -> None:
    version = data.get("schema")
    if not isinstance(version, int) or key not in data:
        bak = backup_path(path)
        raise DataFileError(path, "not a papertriage file (no schema version)", bak if bak.exists() else None)
    if version > SCHEMA_VERSION:
        raise DataFileError(path, f"written by a newer papertriage (schema {version}, this one reads {SCHEMA_VERSION})")


def read_papers(path: Path) -> list[Paper] | None:
    """The papers of a library file (None when absent); damage is a DataFileError."""
    data = load_json_file(path)
    if data is None:
        return None
    _check_version(path, data, "papers")
    try:
        return [Paper.from_dict(d) for d in data["papers"]]
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise DataFileError(path, f"damaged paper record ({e.__class__.__name__}: {e})") from None


def read_abstracts(path: Path) -> dict[str, str] | None:
    data = load_json_file(path)
    if data is None:
        return None
    _check_version(path, data, "abstracts")
    if not isinstance(data["abstracts"], dict):
        raise DataFileError(path, "damaged abstracts table")
    return data["abstracts"]


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
        self.dir.mkdir(parents=True, exist_ok=True)
        atomic_write(self.abstracts_path, _dump({"schema": SCHEMA_VERSION, "abstracts": abstracts}))
        compact = []
        for p in self.papers:
            d = p.to_dict()
            del d["abstract"]
            compact.append(d)
        atomic_write(self.path, _dump({"schema": SCHEMA_VERSION, "papers": compact}))


def _dump(obj: dict) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()

"""Feed readers: one file in, a FeedResult (format + normalised Records) out, or one FeedError naming the file.

The format is decided by content, never by file extension (see `detect`). `read` raises nothing but FeedError:
whatever goes wrong inside a reader is reported as a one-line message naming the file.
"""

from __future__ import annotations

import os

from ..normalize import clean_text
from . import arxiv_atom, arxiv_rss, bibtex, hf_json, hf_page, xmlfeed
from .common import FORMATS, FeedError, FeedResult, decode, decode_text, file_day

__all__ = ["FORMATS", "FeedError", "FeedResult", "detect", "expand_paths", "read"]

MAX_BYTES = 64 * 1024 * 1024  # daily feeds are well under 1 MB; anything this big is not one
EXPECTED = "expected Hugging Face daily papers page text or JSON, arXiv API Atom, arXiv RSS, or BibTeX"


def detect(data: bytes, text: str | None = None) -> str | None:
    """The feed format of `data` ("hf-page", "hf-json", "arxiv-atom", "arxiv-rss", "bibtex"), or None if unknown.

    XML is told apart by its root element (<feed> vs <rss>/<rdf:RDF>) even when not valid UTF-8, since it may
    declare another encoding. JSON is recognised by shape alone (`read` then checks the schema). Binary data is
    None. `text`: `decode_text(data)` when the caller has it already (None: decoded here).
    """
    try:
        return _detect(data, text)
    except Exception:  # detection must never be the thing that crashes
        return None


def _detect(data: bytes, text: str | None) -> str | None:
    fmt = xmlfeed.root_format(data[:65536])
    if fmt:
        return None if b"\x00" in data[:4096] else fmt
    if text is None:
        text = decode_text(data)
    if text is None:
        return None
    if hf_json.looks_like(text):
        return "hf-json"
    if bibtex.looks_like(text):
        return "bibtex"
    if hf_page.looks_like(text):
        return "hf-page"
    return None


def read(path) -> FeedResult:
    """Read one feed file. Raises FeedError (only) for anything that is not a readable feed."""
    name = os.fspath(path) if isinstance(path, os.PathLike) else str(path)
    try:
        return _read(name)
    except FeedError:
        raise
    except Exception as e:  # a reader bug must still surface as one line naming the file
        detail = clean_text(str(e))[:200]  # exception text may quote feed data: keep it one safe line
        raise FeedError(name, f"cannot read feed ({type(e).__name__}{': ' + detail if detail else ''})") from e


def _read(path: str) -> FeedResult:
    data = _load(path)
    text, not_text = decode(data)
    if not data or (text is not None and not text.strip()):
        raise FeedError(path, "empty file")
    fmt = detect(data, text)
    if fmt is None:
        raise FeedError(path, not_text if text is None else f"unknown format ({EXPECTED})")
    if fmt == "arxiv-atom":
        records = arxiv_atom.parse(data, path)
    elif fmt == "arxiv-rss":
        records = arxiv_rss.parse(data, path)
    elif text is None:
        raise FeedError(path, not_text)
    else:
        if fmt == "hf-json":
            records = hf_json.parse(text, path)
        elif fmt == "bibtex":
            records = bibtex.parse(text, path)
        else:
            records = hf_page.parse(text, path, file_day(path))
    return FeedResult(path=path, format=fmt, records=records)


def _load(path: str) -> bytes:
    if os.path.isdir(path):
        raise FeedError(path, "is a directory, not a feed file")
    if os.path.exists(path) and not os.path.isfile(path):
        raise FeedError(path, "not a regular file")  # a FIFO or device would block or never end
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise FeedError(path, "no such file") from None
    except PermissionError:
        raise FeedError(path, "permission denied") from None
    except OSError as e:
        raise FeedError(path, f"cannot read file: {e.strerror or e}") from None
    if len(data) > MAX_BYTES:
        raise FeedError(path, f"file too large (over {MAX_BYTES // (1024 * 1024)} MB), not a daily feed")
    return data


def expand_paths(paths) -> list[str]:
    """Paths as given, with each directory replaced by its regular, non-hidden files (sorted, not recursive).

    A missing path is passed through so that `read` reports it; a directory that cannot be listed is a FeedError.
    An empty directory contributes nothing.
    """
    out: list[str] = []
    for path in paths:
        name = os.fspath(path) if isinstance(path, os.PathLike) else str(path)
        if not os.path.isdir(name):
            out.append(name)
            continue
        try:
            entries = sorted(os.scandir(name), key=lambda e: e.name)
        except OSError as e:
            raise FeedError(name, f"cannot list directory: {e.strerror or e}") from None
        for entry in entries:
            try:
                regular = entry.is_file()  # follows symlinks: a link to a feed file counts
            except OSError:
                regular = False
            if regular and not entry.name.startswith("."):
                out.append(os.path.join(name, entry.name))
    return out

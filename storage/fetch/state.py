"""What papertriage remembers between fetches, in `<data dir>/fetch.json` (written atomically):

- per feed: last fetch time, last status line, the last day known complete ({date} feeds), counts of the last run;
- per URL: the validators (ETag, Last-Modified) for a conditional GET and the hash of the last body kept, so that
  a server that ignores validators still costs no new file and no ingest when nothing changed.

It is derived data: deleting it costs one full fetch (and a {date} feed then starts from today again). It is written
only after the bodies were kept and ingested, so a fetch killed half-way asks for the same URLs again next time.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from ..atomic import atomic_write
from ..paths import make_data_dir

STATE_FILE = "fetch.json"
VERSION = 1


@dataclass
class FeedStatus:
    last_fetch: str = ""  # ISO timestamp of the last attempt
    last_ok: str = ""  # ... of the last attempt that fully succeeded
    status: str = ""  # "ok", "not modified", or "error: <why>"
    done_through: str = ""  # {date} feeds: the last day known complete
    entries: int = 0  # last run
    new: int = 0  # last run

    @classmethod
    def from_dict(cls, d: dict) -> FeedStatus:
        known = {f.name: type(f.default) for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known and isinstance(v, known[k])})


@dataclass
class UrlMemo:
    etag: str = ""
    last_modified: str = ""
    sha256: str = ""  # of the last body kept
    day: str = ""  # the day of a {date} URL: such memos are dropped once the day is out of the backfill window

    @classmethod
    def from_dict(cls, d: dict) -> UrlMemo:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known and isinstance(v, str)})


@dataclass
class FetchState:
    path: Path
    feeds: dict[str, FeedStatus] = field(default_factory=dict)
    urls: dict[str, UrlMemo] = field(default_factory=dict)
    problem: str = ""  # why the file could not be read (then it starts afresh)

    @classmethod
    def load(cls, data_dir: Path) -> FetchState:
        path = Path(data_dir) / STATE_FILE
        state = cls(path)
        try:
            doc = json.loads(path.read_bytes())
        except FileNotFoundError:
            return state
        except (OSError, ValueError) as e:
            state.problem = f"unreadable ({getattr(e, 'strerror', None) or e}); starting afresh"
            return state
        if not isinstance(doc, dict) or not isinstance(doc.get("feeds", {}), dict) \
                or not isinstance(doc.get("urls", {}), dict):
            state.problem = "not a fetch state file; starting afresh"
            return state
        state.feeds = {k: FeedStatus.from_dict(v) for k, v in doc.get("feeds", {}).items() if isinstance(v, dict)}
        state.urls = {k: UrlMemo.from_dict(v) for k, v in doc.get("urls", {}).items() if isinstance(v, dict)}
        return state

    def feed(self, name: str) -> FeedStatus:
        return self.feeds.setdefault(name, FeedStatus())

    def url(self, url: str) -> UrlMemo:
        return self.urls.get(url) or UrlMemo()

    def forget_days_before(self, day: str) -> None:
        self.urls = {u: m for u, m in self.urls.items() if not m.day or m.day >= day}

    def save(self) -> None:
        doc = {
            "version": VERSION,
            "feeds": {k: asdict(v) for k, v in sorted(self.feeds.items())},
            "urls": {k: asdict(v) for k, v in sorted(self.urls.items())},
        }
        make_data_dir(self.path.parent)
        atomic_write(self.path, json.dumps(doc, indent=1, ensure_ascii=False).encode() + b"\n")

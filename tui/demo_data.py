"""`papertriage demo`: the app on the bundled demo feeds (tui/demo/*.txt), in a throwaway data directory.

Nothing is copied: the feeds are ingested from where they are installed into a fresh temporary data dir, which is
removed when the app closes, so the demo never touches the user's own library.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from storage.errors import PapertriageError
from storage.store import Store

DEMO_DIR = Path(__file__).parent / "demo"


def demo_feeds() -> list[str]:
    """The demo feed files (the README next to them is not a feed)."""
    return [str(p) for p in sorted(DEMO_DIR.glob("*.txt"))]


def build_demo(data_dir: str | Path, **store_options) -> Store:
    """A store in `data_dir` holding the demo feeds (`store_options`: for Store, e.g. a fixed `clock`)."""
    store = Store(data_dir, **store_options)
    report = store.ingest(demo_feeds())
    if report.errors:
        path, message = report.errors[0]
        raise PapertriageError(f"demo feed {path}: {message}")
    return store


def run_demo(config=None) -> int:
    from .app import run_app

    data_dir = tempfile.mkdtemp(prefix="papertriage-demo-")
    try:
        if not demo_feeds():
            print(f"error: no demo feeds found in {DEMO_DIR}", file=sys.stderr)
            return 1
        try:
            store = build_demo(data_dir)
        except PapertriageError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        return run_app(store, config=config)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

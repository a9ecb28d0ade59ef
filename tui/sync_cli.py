"""`papertriage sync [DIR] [--status]`: the command-line side of storage/sync."""

from __future__ import annotations

import sys
from pathlib import Path

from storage.errors import PapertriageError
from storage.lock import WriterLock
from storage.sync.clock import stamp_text


def sync_folder(args, config) -> Path:
    if args.dir:
        return Path(args.dir).expanduser()
    if config.sync_dir is not None:
        return config.sync_dir
    raise PapertriageError("no sync folder: give one (`papertriage sync DIR`) or set sync_dir in "
                           f"{config.path} (see `papertriage config`)")


def cmd_sync(store, args, config, wait: float) -> int:
    from storage.sync.run import status, sync

    folder = sync_folder(args, config)
    if args.status:
        me, devices = status(store.dir, folder)
        print(f"this device: {me}")
        if not devices:
            print(f"{folder}: no device has written here yet")
        for d in devices:
            last = stamp_text(d.last) if d.last else "not read here yet"
            print(f"{d.device:<28} {d.files:>4} file{'s' * (d.files != 1)}  last change {last}  "
                  f"{'seen' if d.seen else 'NOT all seen: run `papertriage sync`'}")
        return 0
    with WriterLock(store.dir).acquire(wait=wait):
        store.reload()
        try:
            report = sync(store, folder)
        finally:
            store.close()
    for line in report.lines():
        print(line)
    if report.write_error:
        print(f"error: {report.write_error}", file=sys.stderr)
        return 1
    return 0


def cmd_history(store, args) -> int:
    """`papertriage history ID`: every note text the paper had, on every device, oldest first."""
    from storage.sync.run import note_history
    from storage.sync.clock import stamp_text

    pid = store.resolve(args.id)
    current = store.state_of(pid).note
    notes = note_history(store.dir, pid)
    if not notes:
        print(f"{pid}: no note history (notes are kept here once `papertriage sync` has run)", file=sys.stderr)
    for stamp, text in notes:
        mark = "  (current)" if text == current and stamp == notes[-1][0] else ""
        print(f"{stamp_text(stamp)}{mark}")
        for line in text.splitlines() or [""]:
            print(f"    {line}")
    return 0

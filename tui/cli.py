"""The `papertriage` command: opens the app, or runs one scriptable subcommand (`--json` where it fits).

User mistakes end as one line `error: ...` on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from storage import paths
from storage.config import load_config
from storage.errors import PapertriageError
from storage.lock import WRITE_WAIT, WriterLock
from storage.export import to_json
from storage.model import Status
from storage.search import QueryError
from storage.sort import SORTS
from storage.store import VIEWS, Store
from storage.views import status_name, view_name
from tui import fetch_cli
from tui.export_cli import cmd_export, write_document
from tui.progress import TerminalBar

# Refused on a read-only data dir.
WRITING = ("ingest", "fetch", "sync", "star", "unstar", "tag", "untag", "note", "status")


class UsageError(PapertriageError):
    """A command line argparse refused: one `error:` line and exit 1 (argparse itself prints usage, exits 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see `{self.prog} --help`)")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("papertriage")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="papertriage",
        description="Keyboard-driven triage of research-paper feeds. With no command, opens the app.",
        epilog="`papertriage PATH...` ingests the feeds and opens the app. Data dir: --data-dir, else "
        "$PAPERTRIAGE_DATA_DIR, else the user data directory.",
    )
    p.add_argument("--data-dir", metavar="DIR", help="where the library and state live")
    p.add_argument("--config", metavar="FILE", help="the config file (else $PAPERTRIAGE_CONFIG, else the user config dir)")
    p.add_argument("--version", action="version", version=f"papertriage {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("open", help="ingest feeds (optional) and open the app")
    s.add_argument("paths", nargs="*", metavar="PATH")
    s = sub.add_parser("ingest", help="read feeds into the library (a directory means every file in it)")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s = sub.add_parser("list", help="list papers")
    s.add_argument("--json", action="store_true", help="print a JSON array")
    s.add_argument("--view", type=view_name, choices=VIEWS, default="all", help="one of %(choices)s (queued = queue)")
    s.add_argument("--tag", metavar="T")
    s.add_argument("--query", metavar="Q", help="search: words, +tag -tag is:starred @7d au:name id:2405.17258")
    s.add_argument("--sort", choices=SORTS, default="date",
                   help="feed date (default); interest (learned from your triage; a single +tag in --query then "
                        "ranks like that tag's); upvotes (most HF upvotes first, none last); title (A to Z)")
    s.add_argument("--like", metavar="ID", help="papers most like this one (or +TAG: like that tag's), itself first")
    s.add_argument("--limit", metavar="N", type=_count, help="at most N papers")
    for name, what in (("star", "star papers"), ("unstar", "remove the star")):
        s = sub.add_parser(name, help=what)
        s.add_argument("ids", nargs="+", metavar="ID")
    for name, what in (("tag", "add tags to a paper"), ("untag", "remove tags from a paper")):
        s = sub.add_parser(name, help=what)
        s.add_argument("id", metavar="ID")
        s.add_argument("tags", nargs="+", metavar="TAG")
    s = sub.add_parser("note", help="set a paper's note ('' clears it)")
    s.add_argument("id", metavar="ID")
    s.add_argument("text", metavar="TEXT")
    s = sub.add_parser("status", help="set a paper's status")
    s.add_argument("id", metavar="ID")
    s.add_argument("status", type=status_name, choices=[st.value for st in Status], help="one of %(choices)s (queue = queued)")
    s = sub.add_parser("export", help="export papers (default: starred, Markdown, grouped by tag)")
    s.add_argument("--view", type=view_name, choices=VIEWS, default="starred", help="one of %(choices)s (queued = queue)")
    s.add_argument("--tag", metavar="T")
    s.add_argument("--query", metavar="Q")
    s.add_argument("--format", choices=("markdown", "json", "bibtex"), default="markdown")
    s.add_argument("--group-by", choices=("tag", "date", "none"), help="default: the config's export.group_by (tag)")
    s.add_argument("--abstracts", action=argparse.BooleanOptionalAction, help="include abstracts (Markdown); "
                   "default: the config's export.abstracts")
    s.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    sub.add_parser("dupes", help="list merged papers and why each repeat was merged")
    sub.add_parser("demo", help="open the app on a bundled demo feed in a temporary data dir")
    s = sub.add_parser("doctor", help="check the data files; --repair restores the last good backup")
    s.add_argument("--repair", action="store_true", help="restore damaged files from their backups")
    s = sub.add_parser("sync", help="merge the other machines' changes in and write this one's out (see README)")
    s.add_argument("dir", nargs="?", metavar="DIR", help="the sync folder (default: the config's sync_dir)")
    s.add_argument("--status", action="store_true", help="each device, its last change, whether it was read here")
    s = sub.add_parser("history", help="every note a paper had, on every machine (after sync)")
    s.add_argument("id", metavar="ID")
    s = sub.add_parser("config", help="show the config file's path and the settings in effect")
    s.add_argument("--init", action="store_true", help="write a commented default config file (never overwrites)")
    s.add_argument("--json", action="store_true", help="print the settings as JSON")
    fetch_cli.add_parsers(sub)
    return p


def _commands(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def _split_open_paths(argv: list[str], commands: list[str]) -> list[str]:
    """`papertriage [--data-dir D] PATH...` means `open PATH...`; a word that is neither a command nor an existing
    path is a mistyped command (opening the app on it would take the lock and show an ingest error)."""
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--data-dir", "--config"):
            i += 2
            continue
        if a.startswith(("--data-dir=", "--config=")) or a.startswith("-"):
            i += 1
            continue
        if a in commands:
            break
        if not os.path.lexists(a):
            if os.sep in a or "." in a:
                raise UsageError(f"{a}: no such file or directory")
            import difflib

            close = difflib.get_close_matches(a, commands, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}?" if close else "see `papertriage --help`"
            raise UsageError(f"unknown command {a!r} ({hint})")
        return argv[:i] + ["open"] + argv[i:]
    return argv


def _replacing_output() -> None:
    """Text the terminal's encoding cannot show (LC_ALL=C, PYTHONIOENCODING=ascii, Latin-1) prints as `?` rather
    than ending the command with UnicodeEncodeError, possibly after it saved (formats go out as UTF-8 bytes, see
    `tui/export_cli.write_document`)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):  # not a TextIOWrapper (a test's capture), or closed
            pass


def main(argv: list[str] | None = None) -> int:
    _replacing_output()
    parser = build_parser()
    try:
        args = parser.parse_args(_split_open_paths(list(sys.argv[1:] if argv is None else argv), _commands(parser)))
        code = run(args)
    except PapertriageError as e:
        print(f"error: {e}", file=sys.stderr)
        code = 1
    except QueryError as e:
        print(f"error: query: {e}", file=sys.stderr)
        code = 1
    except BrokenPipeError:  # `papertriage list | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except KeyboardInterrupt:
        code = 130
    return code


def run(args: argparse.Namespace) -> int:
    cmd = args.command
    read_only = paths.read_only(paths.data_dir(args.data_dir))
    if read_only and (cmd in WRITING or (cmd == "doctor" and args.repair) or getattr(args, "paths", None)):
        raise PapertriageError(f"{paths.data_dir(args.data_dir)}: cannot change a read-only data directory "
                               f"({read_only}); nothing was changed")
    if cmd == "doctor":
        return cmd_doctor(paths.data_dir(args.data_dir), args.repair)
    if cmd == "config":
        from tui.config_cli import cmd_config

        return cmd_config(args)
    config = load_config(args.config)  # before the store: a bad config stops everything with one line
    if cmd in (None, "open", "demo"):  # keys and theme matter to the app only (and cost a textual import)
        from tui.config_cli import check_app_config

        check_app_config(config)
    if cmd == "demo":
        from tui.demo_data import run_demo

        return run_demo(config)
    if cmd == "fetch":
        return fetch_cli.cmd_fetch(args, config)
    if cmd == "feeds":
        return fetch_cli.cmd_feeds(args, config)
    # The app reads the whole library after its first paint.
    store = Store(args.data_dir, lazy=cmd in (None, "open"), read_only=bool(read_only))
    if cmd in (None, "open") and read_only:  # nothing can be written, so there is no writer to keep out
        from tui.app import run_app

        return run_app(store, ingest=[], config=config)
    if cmd in (None, "open"):
        with WriterLock(store.dir).acquire(wait=0):  # a second app on the same data gets a clear refusal
            from tui.app import run_app

            store.reload_state()  # a command may have written between opening and locking
            return run_app(store, ingest=getattr(args, "paths", None) or [], config=config)
    if cmd == "ingest":
        with WriterLock(store.dir).acquire(wait=WRITE_WAIT):
            store.reload()  # another writer may have changed it while we waited
            return cmd_ingest(store, args.paths)
    if cmd == "list":
        return cmd_list(store, args)
    if cmd == "dupes":
        return cmd_dupes(store)
    if cmd == "export":
        return cmd_export(store, args, config)
    if cmd == "history":
        from tui.sync_cli import cmd_history

        return cmd_history(store, args)
    if cmd == "sync":
        from tui.sync_cli import cmd_sync

        return cmd_sync(store, args, config, WRITE_WAIT)
    with WriterLock(store.dir).acquire(wait=WRITE_WAIT):
        store.reload()  # another writer may have changed it while we waited
        try:
            return cmd_action(store, args)
        finally:
            store.close()


def cmd_ingest(store: Store, paths: list[str]) -> int:
    bar = TerminalBar.for_stderr()  # none when stderr is piped: a log wants the summary, not a bar
    if bar is None:
        report = store.ingest(paths)
    else:
        bar.start()
        try:
            report = store.ingest(paths, progress=bar.file, entry_progress=bar.entry)
        finally:
            bar.close()
    for path, message in report.errors:
        print(f"error: {path}: {message}", file=sys.stderr)
    print(
        f"{report.entries} entries read from {report.files - len(report.errors)} file(s): "
        f"{report.new} new papers, {report.merged} merged repeats; library has {len(store)} papers"
    )
    if report.capped:
        from storage.caps import describe

        print(describe(report.capped))
    return 1 if report.errors else 0


def _line(store: Store, pid: str) -> str:
    p, s = store.get(pid), store.state_of(pid)
    mark = "*" if s.starred else " "
    tags = (" [" + ", ".join(s.tags) + "]") if s.tags else ""
    return f"{p.id:<18} {mark} {s.status.value:<7} {p.first_seen:<10}  {p.title}{tags}"


def cmd_list(store: Store, args) -> int:
    if args.sort == "date" and not args.like:
        ids, ranked = store.view_ids(args.view, tag=args.tag, query=args.query)[: args.limit], None
    else:
        from tui.cli_rank import ranked_list

        ids, ranked = ranked_list(store, args)
    if args.json:
        store.load_abstracts()
        items = [(store.get(pid), store.state_of(pid)) for pid in ids]
        if ranked is None:
            write_document(to_json(items))
        else:
            from tui.cli_rank import ranked_json

            write_document(ranked_json(items, ranked))
        return 0
    if not len(store):
        print("The library is empty: `papertriage ingest FEED...` or try `papertriage demo`.", file=sys.stderr)
    for pid in ids:
        print(_line(store, pid))
    return 0


def cmd_dupes(store: Store) -> int:
    groups = store.dupes()
    for p in groups:
        print(f"{p.id}  {p.title}")
        first = p.sources[0] if p.sources else None
        if first:
            print(f"    first seen in {first.feed} {first.date}".rstrip())
        for m in p.merges:
            print(f"    + {m.get('feed', '')} {m.get('date', '')}: {m.get('reason', '')}  \u2014 {m.get('title', '')}")
    print(f"{len(groups)} papers absorbed {sum(len(p.merges) for p in groups)} repeats")
    return 0


def cmd_doctor(data_dir: Path, repair: bool) -> int:
    from storage import doctor

    if repair:
        with WriterLock(data_dir).acquire(wait=WRITE_WAIT):
            for line in doctor.repair(data_dir):
                print(line)
    bad = 0
    for f in doctor.check(data_dir):
        backup = " (good backup available: run `papertriage doctor --repair`)" if not f.ok and f.backup_ok else ""
        print(f"{'stale  ' if f.stale else 'ok     ' if f.ok else 'DAMAGED'} {f.path}: {f.message}{backup}")
        bad += not f.ok
    return 1 if bad else 0


def cmd_action(store: Store, args) -> int:
    cmd = args.command
    if cmd in ("star", "unstar"):
        ids = [store.resolve(r) for r in args.ids]
        store.set_star(ids, cmd == "star")
    elif cmd in ("tag", "untag"):
        ids = [store.resolve(args.id)]
        if cmd == "untag":
            _check_has_tags(store, ids[0], args.tags)
        (store.add_tags if cmd == "tag" else store.remove_tags)(ids, args.tags)
    elif cmd == "note":
        ids = [store.resolve(args.id)]
        store.set_note(ids[0], args.text)
    elif cmd == "status":
        ids = [store.resolve(args.id)]
        store.set_status(ids, args.status)
    else:  # pragma: no cover - argparse rejects unknown commands
        raise PapertriageError(f"unknown command {cmd}")
    if e := store.unsaved_error:
        raise PapertriageError(f"{store.state_path}: could not save ({e.strerror or e}); nothing was changed")
    for pid in ids:
        print(_line(store, pid))
    return 0


def _check_has_tags(store: Store, pid: str, tags: list[str]) -> None:
    from storage.store import clean_tags

    have = store.state_of(pid).tags
    missing = [t for t in clean_tags(tags) if t not in have]
    if missing:
        its = f"its tags: {', '.join(have)}" if have else "it has no tags"
        raise PapertriageError(f"{pid}: the paper has no tag {', '.join(repr(t) for t in missing)} ({its}); "
                               "nothing was changed")


if __name__ == "__main__":
    sys.exit(main())

"""`papertriage export`: a view as JSON, Markdown or BibTeX, to a file or stdout; and how any document goes to stdout
(`list --json` too)."""

from __future__ import annotations

import sys
from pathlib import Path

from storage.atomic import write_output
from storage.bibtex_export import to_bibtex
from storage.errors import PapertriageError
from storage.export import to_json, to_markdown
from storage.store import Store


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def write_document(text: str) -> None:
    """A file format (JSON, Markdown, BibTeX) is UTF-8 whatever the terminal's encoding: `export > f.bib` keeps every
    character."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or (sys.stdout.encoding or "").lower().replace("-", "") == "utf8":
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def cmd_export(store: Store, args, config) -> int:
    group_by = args.group_by or config.export_group_by
    abstracts = config.export_abstracts if args.abstracts is None else args.abstracts
    if len(store):
        store.load_abstracts()
    items = [(store.get(pid), store.state_of(pid)) for pid in store.view_ids(args.view, tag=args.tag, query=args.query)]
    if args.format == "json":
        text = to_json(items)
    elif args.format == "bibtex":
        text = to_bibtex(items)
    else:
        heading = None if args.view == "starred" else f"Papers: {args.view} view"
        text = to_markdown(items, group_by=group_by, abstracts=abstracts, heading=heading)
    if args.output:
        try:
            write_output(Path(args.output), text.encode())
        except OSError as e:
            raise PapertriageError(f"{args.output}: cannot write ({e.strerror or e})") from None
        print(f"exported {plural(len(items), 'paper')} to {args.output}", file=sys.stderr)
    else:
        write_document(text)
    return 0

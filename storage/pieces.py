"""Reading library.json and abstracts.json in pieces, so that no single parse holds the GIL for long.

At 100k papers each file took one `json.loads` of 0.35 s (28 and 83 MB): one C call that holds the GIL, so the app's
keys waited for it while its background worker read the library after the first paint. Here the file is read in
blocks of PIECE bytes and decoded a piece of whole entries at a time by msgspec, straight into the model's types
(`Paper`, `dict[str, str]`): no dict per paper is built and then copied, and the file's bytes are never all in memory
at once. Between pieces a `pace` callback may wait (the app's worker gives way to keys and to the app's own work there).

Only the layout that `library._dump_chunks` writes is read this way: `{"schema":N,"<key>":[` or `{`, the entries
with no whitespace, then `]}` or `}}`. Anything else (an older schema, a file written by hand, damage) gives None,
and the caller parses the whole file as before, which migrates old files and names what is wrong with a damaged one.

Where a piece ends: at the last `sep` of the block read (`},{"id":` between papers, `","` between abstracts). That
byte pattern can occur inside a string only as a wrong split, and then the piece is not valid JSON (an unterminated
string or bracket): its decode fails and the piece is carried on into the next block. A piece that decodes is a whole
run of entries, so the next one starts at an entry too (the first starts right after the opening bracket).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable, TypeVar

import msgspec

T = TypeVar("T")
PIECE = 64 * 1024  # bytes read at a time: decoded in well under a millisecond, ~230 papers or ~80 abstracts
MAX_CARRY = 16 * PIECE  # no entry is this long (ingest caps fields): a bigger carry means this is not our layout


def decode_pieces(path: Path, head: bytes, sep: bytes, tail: bytes, decode: Callable[[bytes], T],
                  pace: Callable[[], None] | None = None) -> list[T] | None:
    """The decoded pieces of the file at `path` in order, or None when it is not in the layout described above
    (or cannot be read: the caller's whole-file read then says why). `decode` gets a piece's entries without the
    brackets around them and raises ValueError (msgspec's errors are ValueErrors) when they are not valid."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))  # a FIFO: no wait (regular.py)
    except OSError:
        return None
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
        if regular:
            os.set_blocking(fd, True)
    except OSError:
        regular = False
    if not regular:  # the whole-file read says what it is
        os.close(fd)
        return None
    with open(fd, "rb") as f:
        if f.read(len(head)) != head:
            return None
        out: list[T] = []
        buf = b""
        while block := f.read(PIECE):
            buf += block
            cut = buf.rfind(sep)
            if cut > 0:
                try:
                    out.append(decode(buf[: cut + 1]))
                except ValueError:
                    cut = -1  # a separator inside a string (or damage): carry it on into the next piece
            if cut <= 0:
                if len(buf) > MAX_CARRY:
                    return None
                continue
            buf = buf[cut + 2:]  # past the comma: the next entry's first byte
            if pace is not None:
                pace()
    body = buf.rstrip()
    if not body.endswith(tail):
        return None
    body = body[: -len(tail)]
    if body:
        try:
            out.append(decode(body))
        except ValueError:
            return None
    return out


def list_decoder(item: type) -> Callable[[bytes], list]:
    """Decodes `{...},{...}` (array entries without their brackets) into a list of `item`."""
    decoder = msgspec.json.Decoder(list[item])
    return lambda entries: decoder.decode(b"[" + entries + b"]")


def dict_decoder(value: type) -> Callable[[bytes], dict]:
    """Decodes `"k":v,"k":v` (object entries without their braces) into a dict of str -> `value`."""
    decoder = msgspec.json.Decoder(dict[str, value])
    return lambda entries: decoder.decode(b"{" + entries + b"}")

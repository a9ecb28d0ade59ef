"""Text clean-up for feed records and the keys dedupe compares.

Feed text is hostile data: it arrives hard-wrapped, HTML-escaped, with LaTeX, and sometimes with terminal escape
sequences or bidi overrides. `clean_text` makes it one safe line of plain text; the `*_key` functions make the
comparison forms used by dedupe.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

# ANSI CSI / OSC / other ESC sequences: removed whole, so no half-sequence such as "[31m" is left behind.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[@-Z\\-_])")
# Bidi embeddings/overrides/isolates: they reorder what the terminal shows (Trojan-source style); never wanted.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))
_ARXIV_NEW = re.compile(r"(?<!\d)(?<!\d\.)(\d{4}\.\d{4,5})(?:v\d+)?(?!\d)")
_ARXIV_OLD = re.compile(r"([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")
_LATEX_CMD = re.compile(r"\\[a-zA-Z]+\*?")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_LATEX_MARKUP = str.maketrans("", "", "${}^_")  # `$^{3}$D` and `^3D` both read "3D"
_MARKUP_CHAR = re.compile(r"[${}^_]")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…|\[\.\.\.\]|\(\.\.\.\))\s*$")


_REPLACE = {"Cc": " ", "Cs": "\ufffd"}


def _drop_controls(text: str, keep: str = "") -> str:
    # Cc (C0/C1 controls incl. NUL, ESC, DEL) become spaces so words either side stay apart. A lone surrogate (Cs:
    # JSON's "\ud800", or invalid UTF-8 in argv) cannot be written as UTF-8 at all: it becomes U+FFFD.
    return "".join(ch if ch in keep else _REPLACE.get(unicodedata.category(ch), ch) for ch in text)


def clean_text(text: str | None) -> str:
    """One line of safe plain text: entities decoded, wraps joined, controls and bidi overrides removed."""
    if not text:
        return ""
    if "\x1b" in text:  # the common case has no escape at all; the pattern scan was a third of reading a feed
        text = _ANSI.sub("", text)
    text = html.unescape(text)
    if not text.isascii():
        text = text.translate(_BIDI)
    # str.split() and the regex \s agree on what whitespace is; split + join is several times faster. Wraps are
    # joined first, so the per-character control scan only runs when a control other than whitespace is left.
    if text.isprintable():  # then the plain space is its only whitespace: often nothing is left to do
        if "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text
        return " ".join(text.split())
    text = " ".join(text.split())
    if not text.isprintable():
        text = " ".join(_drop_controls(text).split())
    return text


def clean_note(text: str | None) -> str:
    """A user's note: like clean_text, but its lines (and tabs) are the user's and stay."""
    if not text:
        return ""
    text = _ANSI.sub("", text).translate(_BIDI).replace("\r\n", "\n").replace("\r", "\n")
    if not text.isprintable():
        text = _drop_controls(text, keep="\n\t")
    return text


def clean_tag(raw: str) -> str:
    """A tag as it is kept and searched for: one line, lower case, inner spaces collapsed, no leading + or #."""
    return " ".join(clean_text(raw).lower().strip().lstrip("+#").split())


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags as typed (each may be a comma-separated list) cleaned by `clean_tag`, empty and repeated ones dropped,
    in the order given."""
    out: list[str] = []
    for raw in tags:
        for part in str(raw).split(","):
            if (t := clean_tag(part)) and t not in out:
                out.append(t)
    return out


def clean_name(name: str | None) -> str:
    return clean_text(name).strip(" ,;")


def arxiv_id(text: str | None) -> str:
    """The arXiv id (without version) found in an id, URL or guid, else ""."""
    if not text:
        return ""
    m = _ARXIV_NEW.search(text)
    if m:
        return m.group(1)
    m = _ARXIV_OLD.search(text)
    return m.group(1) if m else ""


def arxiv_url(aid: str) -> str:
    return f"https://arxiv.org/abs/{aid}" if aid else ""


def hf_url(aid: str) -> str:
    return f"https://huggingface.co/papers/{aid}" if aid else ""


def fold(text: str) -> str:
    """NFKC, accents folded, lower case."""
    if text.isascii():  # nothing to fold: skip the two Unicode passes, the bulk of ingest time
        return text.lower()
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()


def title_key(title: str) -> str:
    """The exact-match key of a title: LaTeX forms, case, accents, punctuation and spacing do not count.

    `$^{3}$D` and `^3D` give the same key; digits and words stay, so "X-2" and "X-3" differ.
    """
    text = fold(title)
    if "\\" in text:
        text = _LATEX_CMD.sub(" ", text)
    if _MARKUP_CHAR.search(text):  # str.translate looks every character up in a dict: only when needed
        text = text.translate(_LATEX_MARKUP)
    return _NON_WORD.sub(" ", text).strip()


def is_truncated(abstract: str) -> bool:
    return bool(_ELLIPSIS.search(abstract))


def abstract_key(abstract: str) -> str:
    """Comparison form of an abstract: folded, LaTeX and punctuation dropped, a trailing ellipsis removed."""
    text = _ELLIPSIS.sub("", abstract)
    text = _LATEX_CMD.sub(" ", fold(text)).translate(_LATEX_MARKUP)
    return _NON_WORD.sub(" ", text).strip()

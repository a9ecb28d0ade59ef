"""The BibTeX export: one entry per paper (the .bib's own type, key and fields when it came from one, else `@misc`), TeX specials escaped so the .bib stays well-formed.

Feed text is data: a title's `{`, `%` or `&` must not change the entry's structure, so specials become TeX text
commands while inline math (`$^{3}$D`) is kept as math. Keys are stable (first author, year, first title word) and
unique within one export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from storage.export import Items, safe_url
from storage.model import CITATION_FIELDS, Paper, published_year
from storage.normalize import arxiv_url, fold, title_key

# BibTeX counts braces without regard to backslashes, so `\{` would unbalance an entry: use the text commands.
_TEX_TEXT = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "%": r"\%", "&": r"\&",
    "#": r"\#", "_": r"\_", "$": r"\$", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}  # fmt: skip
_TEX_TEXT_RE = re.compile("[" + re.escape("".join(_TEX_TEXT)) + "]")
# Inline math as titles use it (`$^{3}$D`, `$k$-NN`): `$` with no space inside either end and no digit after
# (pandoc's rule), so "$5 and $10" stays text.
_MATH = re.compile(r"\$(?=[^\s$])([^$]*?[^\s$])\$(?!\d)")
# Inside math only these would break the surrounding LaTeX (a comment, an alignment tab, a macro parameter).
_MATH_UNSAFE = re.compile(r"(?<!\\)([%&#])")


def _braces_balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _tex_text(text: str) -> str:
    return _TEX_TEXT_RE.sub(lambda m: _TEX_TEXT[m.group()], text)


def tex_escape(text: str) -> str:
    """`text` for a BibTeX field: TeX specials escaped, inline `$math$` with balanced braces kept as math."""
    text = " ".join(text.split())
    out, pos = [], 0
    for m in _MATH.finditer(text):
        if not _braces_balanced(m.group(1)) or m.group(1).endswith("\\"):
            continue
        out.append(_tex_text(text[pos : m.start()]))
        out.append("$" + _MATH_UNSAFE.sub(r"\\\1", m.group(1)) + "$")
        pos = m.end()
    out.append(_tex_text(text[pos:]))
    return "".join(out)


def _bib_author(name: str) -> str:
    escaped = tex_escape(name)
    # A comma would make BibTeX read "Last, First" and a bare " and " would split one author into two.
    if "," in name or re.search(r"\sand\s", name, re.IGNORECASE):
        return "{" + escaped + "}"
    return escaped


def _year(p: Paper) -> str:
    """The publication year: what a .bib or the feed said, else the arXiv id's, else the year it was first listed."""
    said = published_year(p)
    if said:
        return said
    new = re.fullmatch(r"(\d{2})\d{2}\.\d{4,5}", p.arxiv_id)
    old = re.search(r"/(\d{2})\d{5}$", p.arxiv_id)
    if new:
        return str(2000 + int(new.group(1)))
    if old:
        yy = int(old.group(1))
        return str(1900 + yy if yy >= 91 else 2000 + yy)  # arXiv opened in 1991
    day = p.first_seen
    return day[:4] if re.fullmatch(r"\d{4}", day[:4]) else ""


_STOPWORDS = frozenset("a an the on of in for to and with from towards toward via is are".split())


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _base_key(p: Paper) -> str:
    last = ""
    for name in p.authors:
        name = name.strip()
        if name:
            last = _ascii_word(name.split(",")[0] if "," in name else name.split()[-1])
            break
    words = [w for w in title_key(p.title).split() if w not in _STOPWORDS] or title_key(p.title).split()
    return (last or "anon") + _year(p) + (words[0] if words else "paper")


_KEY_OK = re.compile(r"[^\s,{}()\"#%'=\\~]{1,200}")


def _given_key(p: Paper) -> str:
    """The key a .bib gave the paper, when it is one BibTeX can read back."""
    key = p.extra.get("bibtex_key")
    return key if isinstance(key, str) and _KEY_OK.fullmatch(key) else ""


def bibtex_keys(papers: Iterable[Paper]) -> list[str]:
    """Citation keys, one per paper in order: the .bib's own key when it had one (the first paper to claim it keeps
    it), else author + year + title word; later repeats suffixed b, c, ..."""
    papers = list(papers)
    given = [_given_key(p) for p in papers]
    used: set[str] = set()
    keys = []
    claimed = set(given) - {""}
    for p, own in zip(papers, given):
        if own and own not in used:
            used.add(own)
            keys.append(own)
            continue
        base = key = _base_key(p)
        n = 1
        while key in used or key in claimed:
            n += 1
            key = base + _suffix(n)
        used.add(key)
        keys.append(key)
    return keys


def _suffix(n: int) -> str:
    """The n-th copy's suffix: 2 -> "b", 26 -> "z", 27 -> "ba" (the first copy keeps the bare key)."""
    letters, n = "", n - 1
    while n:
        n, r = divmod(n, 26)
        letters = chr(ord("a") + r) + letters
    return letters


_ENTRY_TYPES = frozenset("article book booklet inbook incollection inproceedings conference manual mastersthesis misc "
                         "phdthesis proceedings techreport unpublished online report thesis".split())


def _bib_entry(key: str, p: Paper) -> str:
    extra = p.extra
    kind = extra.get("entry_type")
    kind = kind if isinstance(kind, str) and kind.lower() in _ENTRY_TYPES else "misc"
    given = extra.get("bibtex_fields")
    given = {k: v for k, v in given.items() if isinstance(v, str) and v} if isinstance(given, dict) else {}
    venue = extra.get("venue")
    if not given and kind != "misc" and isinstance(venue, str) and venue:  # read before bibtex_fields were kept
        given = {"booktitle" if kind.lower() in ("inproceedings", "incollection", "conference") else "journal": venue}
    fields = [("title", "{" + tex_escape(p.title or "Untitled") + "}")]  # inner braces keep the title's case
    authors = [a for a in p.authors if a.strip()]
    if authors:
        fields.append(("author", " and ".join(_bib_author(a) for a in authors)))
    fields += [(name, tex_escape(given[name])) for name in CITATION_FIELDS if name in given and name != "note"]
    year = _year(p)
    if year:
        fields.append(("year", tex_escape(year)))
    doi = extra.get("doi")
    if isinstance(doi, str) and doi:
        fields.append(("doi", tex_escape(doi)))
    if p.arxiv_id:
        fields += [("eprint", tex_escape(p.arxiv_id)), ("archivePrefix", "arXiv")]
    url = safe_url(arxiv_url(p.arxiv_id)) or safe_url(p.url)  # the arXiv page is the one to cite
    if url:
        fields.append(("url", url))  # read verbatim by biblatex and \url; safe_url left no brace or backslash
    note = given.get("note") or extra.get("journal_ref")  # arXiv's journal reference: where it was published
    if isinstance(note, str) and note:
        fields.append(("note", tex_escape(note)))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{kind.lower()}{{{key},\n{body}}}\n"


def to_bibtex(items: Items) -> str:
    """One @misc entry per paper, separated by blank lines."""
    if not items:
        return "% No papers to export.\n"
    papers = [p for p, _ in items]
    return "\n".join(_bib_entry(key, p) for key, p in zip(bibtex_keys(papers), papers))

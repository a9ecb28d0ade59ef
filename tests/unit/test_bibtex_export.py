"""The BibTeX export: every entry well-formed whatever the feed text (braces counted the way BibTeX counts them),
TeX specials escaped outside math, stable unique keys, no unsafe URL."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.examples import examples

from storage.bibtex_export import to_bibtex
from storage.model import PaperState, Source
from test_export import CHARS, HOSTILE, paper


def bib_entries(text: str) -> dict[str, dict[str, str]]:
    """A strict little BibTeX reader: braces counted the way BibTeX counts them (backslashes do not escape)."""
    entries, pos = {}, 0
    for m in re.finditer(r"@misc\{([^,\s]+),\n", text):
        assert m.start() >= pos, "entry starts inside the previous one"
        depth, i = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body, pos = text[m.end() : i - 1], i
        fields = dict(re.findall(r"^  (\w+) = \{(.*)\},$", body, re.M))
        assert len(fields) == body.count("\n"), body
        assert m.group(1) not in entries
        entries[m.group(1)] = fields
    return entries


def assert_tex_safe(value: str, *, verbatim: bool = False) -> None:
    """Balanced braces always; outside math and verbatim fields (url), no bare TeX special either."""
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    if verbatim:
        return
    outside_math = re.sub(r"\$[^$]*\$", "", value.replace(r"\$", ""))
    assert not re.search(r"(?<!\\)[%&#_$]", outside_math), value


def test_bibtex_arxiv_entry_fields():
    p = paper(title="Attention Is All You Need", authors=["Ann Lee", "Bo Wu"], arxiv_id="2603.01234",
              url="https://huggingface.co/papers/2603.01234")  # fmt: skip
    entries = bib_entries(to_bibtex([(p, PaperState(note="private"))]))
    assert entries == {"lee2026attention": {
        "title": "{Attention Is All You Need}", "author": "Ann Lee and Bo Wu", "year": "2026",
        "eprint": "2603.01234", "archivePrefix": "arXiv", "url": "https://arxiv.org/abs/2603.01234",
    }}  # fmt: skip


def test_bibtex_without_arxiv_id_has_no_eprint_and_old_ids_get_their_year():
    entries = bib_entries(to_bibtex([
        (paper("a", "Some Title", sources=[Source("f", "2025-12-01")]), PaperState()),
        (paper("b", "Old One", authors=["Q. Physicist"], arxiv_id="hep-th/9901001"), PaperState()),
    ]))  # fmt: skip
    assert entries["anon2025some"] == {"title": "{Some Title}", "year": "2025"}
    assert entries["physicist1999old"]["eprint"] == "hep-th/9901001"


@pytest.mark.parametrize("title", [
    "100% of R&D #1: snake_case {Braces} and } unbalanced {",
    "Back\\slash ~tilde^ <angle> |pipe| $5 and $10",
    "$^{3}$D Gaussians and $\\mathcal{O}(n)$ time at 50% cost",
    "Broken math $x^{2$ here and $a\\$",
    "A }{ title } with stray braces {{",
    "$$$x$ and $$y$$ and $ spaced $",
] + HOSTILE)  # fmt: skip
def test_bibtex_escapes_tex_specials_and_keeps_braces_balanced(title):
    p = paper(title=title, authors=["O'Brien, Jr., Pat", "R&D and Co", "Zoë Müller_{x}"], url="https://e.org/a{b}")
    entries = bib_entries(to_bibtex([(p, PaperState())]))
    (fields,) = entries.values()
    for name, value in fields.items():
        assert_tex_safe(value, verbatim=name == "url")
    # BibTeX splits authors on " and " outside braces only: a name's own "and" or comma is inside braces.
    assert re.sub(r"\{[^{}]*\}", "{}", fields["author"]).split(" and ")[0] == "{}"
    assert len(re.sub(r"\{[^{}]*\}", "{}", fields["author"]).split(" and ")) == 3
    assert fields["url"] == "https://e.org/a%7Bb%7D"


BIB_TEXT = st.lists(st.one_of(st.sampled_from([*"{}\\$%&#_^~<>|, ", " and ", "$x$", "$^{3}$"]), CHARS)).map("".join)


@settings(max_examples=examples(200))
@given(st.lists(st.tuples(BIB_TEXT, st.lists(BIB_TEXT.filter(str.strip), max_size=3)), min_size=1, max_size=3))
def test_property_bibtex_always_well_formed(papers):
    items = [(paper(str(n), title, authors=authors), PaperState()) for n, (title, authors) in enumerate(papers)]
    entries = bib_entries(to_bibtex(items))
    assert len(entries) == len(items)
    for fields in entries.values():
        for value in fields.values():
            assert_tex_safe(value)


def test_bibtex_keeps_inline_math_and_escapes_prices():
    (fields,) = bib_entries(to_bibtex([(paper(title="$^{3}$D for $5 and $10"), PaperState())])).values()
    assert fields["title"] == r"{$^{3}$D for \$5 and \$10}"


def test_bibtex_keys_stable_unique_and_suffixed():
    def p(pid, title, author="Zoë Müller"):
        return paper(pid, title, authors=[author], arxiv_id="2601.00001")

    items = [(p(str(n), "The Attention Trick"), PaperState()) for n in range(3)]
    items += [(p("x", "A"), PaperState()), (p("y", "", "李雷"), PaperState())]
    out = to_bibtex(items)
    assert out == to_bibtex(items)
    assert list(bib_entries(out)) == [
        "muller2026attention", "muller2026attentionb", "muller2026attentionc", "muller2026a", "anon2026paper",
    ]  # fmt: skip


def test_bibtex_skips_unsafe_urls_and_handles_empty_selection():
    (fields,) = bib_entries(to_bibtex([(paper(url="javascript:alert(1)"), PaperState())])).values()
    assert "url" not in fields
    assert to_bibtex([]).startswith("%") and "@" not in to_bibtex([])

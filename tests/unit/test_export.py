"""Exports: JSON records, Markdown that renders feed text and notes literally, well-formed BibTeX.

The Markdown checks parse the output with markdown-it-py's CommonMark parser and walk the token stream: a hostile
title or note must come back as exactly its own text, and no link, HTML, heading or other block may appear beyond
the ones the export itself writes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.examples import examples
from markdown_it import MarkdownIt

from storage.export import escape_markdown, paper_record, to_json, to_markdown
from storage.model import Paper, PaperState, Source, Status

MD = MarkdownIt("commonmark")

# Token types the export may produce; anything else (html_inline, html_block, image, em_open, fence, code_block,
# hr, ordered_list_open, softbreak, ...) means some text was read as markup.
ALLOWED = {
    "heading_open", "heading_close", "inline", "paragraph_open", "paragraph_close", "bullet_list_open",
    "bullet_list_close", "list_item_open", "list_item_close", "blockquote_open", "blockquote_close", "text",
    "strong_open", "strong_close", "link_open", "link_close", "hardbreak", "code_inline",
}  # fmt: skip


@dataclass
class Item:
    title: str | None = None
    href: str | None = None
    meta: str = ""
    code: list[str] = field(default_factory=list)  # code spans: tags, unsafe URLs
    note: str | None = None
    abstract: str | None = None


@dataclass
class Doc:
    headings: list[tuple[str, str]] = field(default_factory=list)  # (h1/h2, text)
    sections: dict[str | None, list[Item]] = field(default_factory=dict)  # h2 text -> items
    types: Counter = field(default_factory=Counter)
    paragraphs: list[str] = field(default_factory=list)  # top-level paragraphs

    @property
    def items(self) -> list[Item]:
        return [item for items in self.sections.values() for item in items]


def plain(children) -> str:
    """The text a reader sees; both kinds of line break count as a newline."""
    out = []
    for tok in children:
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("hardbreak", "softbreak"):
            out.append("\n")
    return "".join(out)


def _title_and_meta(item: Item, children) -> None:
    types = [c.type for c in children]
    start, end = types.index("strong_open"), types.index("strong_close")
    assert plain(children[:start]) == ""
    inner = children[start + 1 : end]
    links = [c for c in inner if c.type == "link_open"]
    item.href = links[0].attrs["href"] if links else None
    item.title = plain(inner)
    rest = children[end + 1 :]
    item.meta = plain(rest).removeprefix("\n")
    item.code = [c.content for c in rest if c.type == "code_inline"]


def parse(text: str) -> Doc:
    doc, item, in_quote, quote, section = Doc(), None, False, [], None
    tokens = MD.parse(text)
    for n, tok in enumerate(tokens):
        doc.types[tok.type] += 1
        doc.types.update(c.type for c in tok.children or [])
        if tok.type == "inline" and tokens[n - 1].type == "heading_open":
            doc.headings.append((tokens[n - 1].tag, plain(tok.children)))
            if tokens[n - 1].tag == "h2":
                section = doc.headings[-1][1]
        elif tok.type == "list_item_open":
            item = Item()
            doc.sections.setdefault(section, []).append(item)
        elif tok.type == "list_item_close":
            item = None
        elif tok.type == "blockquote_open":
            in_quote, quote = True, []
        elif tok.type == "blockquote_close":
            in_quote, item.note = False, "\n\n".join(quote)
        elif tok.type == "inline" and in_quote:
            quote.append(plain(tok.children))
        elif tok.type == "inline" and item is not None:
            if item.title is None:
                _title_and_meta(item, tok.children)
            else:
                item.abstract = plain(tok.children)
        elif tok.type == "inline":
            doc.paragraphs.append(plain(tok.children))
    return doc


def assert_clean(doc: Doc, *, items: int, links: int, h2: int = 0, notes: int = 0) -> None:
    assert set(doc.types) <= ALLOWED, set(doc.types) - ALLOWED
    assert doc.types["heading_open"] == 1 + h2
    assert doc.types["bullet_list_open"] == max(h2, 1 if items else 0)
    assert doc.types["list_item_open"] == items
    assert doc.types["strong_open"] == items  # the titles, nothing else
    assert doc.types["link_open"] == links
    assert doc.types["blockquote_open"] == notes


def normalise_note(note: str) -> str:
    """The documented note normalisation: blank (whitespace-only) lines separate paragraphs, runs of them count as
    one, leading/trailing ones go. Every other line, with its own leading and trailing spaces, is kept exactly."""
    lines = [line if line.strip() else "" for line in re.split(r"\r\n|\r|\n", note)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def paper(pid="p1", title="A Title", **kw) -> Paper:
    return Paper(id=pid, title=title, **kw)


def md(items, **kw) -> Doc:
    kw.setdefault("today", "2026-03-13")
    return parse(to_markdown(items, **kw))


HOSTILE = [
    "Click [here](https://evil.example) now", "x](javascript:alert(1)) [y",
    "Stars *bold* **strong** and _under_ __score__ snake_case_name",
    "Less <than> and <script>alert(1)</script> and <b>bold</b> <!-- c -->", "Pipes | in | a | row",
    "Math $x^2$ and $$y$$ costs $5", "Brackets [1] [^note] [[wiki]] ![img](https://e.example/i.png)",
    "Code `tick` and ``double`` and ```fence", "# Heading at start", "> Quote at start", "1. Ordered at start",
    "2) Paren ordered", "- bullet + plus = equals", "--- a rule", "***", "===",
    "Entities &amp; &lt;b&gt; &#169; &copy; &#x41;", "Back\\slash \\* \\[ \\\\ trailing\\",
    "<https://autolink.example> <me@mail.example>", "Tilde ~~strike~~ ==mark== %%hidden%% ^blockref #tag",
    "    four leading spaces", "Trailing spaces   ", "\xa0nbsp edges\u3000",
]  # fmt: skip


# ---------------------------------------------------------------------------------------------------------- JSON


def test_paper_record_keys_in_order_and_values():
    p = paper(
        authors=["Ann Lee"], abstract="Abs", arxiv_id="2603.01234", url="https://arxiv.org/abs/2603.01234",
        sources=[Source("a.json", "2026-03-12"), Source("b.xml", "2026-03-11")], added="2026-03-12T08:00:00",
        extra={"upvotes": 3},
    )  # fmt: skip
    s = PaperState(starred=True, tags=["llm"], note="n", status=Status.QUEUED, queue_position=2)
    rec = paper_record(p, s)
    keys = ["id", "title", "abstract", "authors", "arxiv_id", "url", "sources", "starred", "tags", "note",
            "status", "queue_position", "added"]  # fmt: skip
    assert list(rec)[: len(keys)] == keys
    assert list(rec)[len(keys) :] == ["first_seen", "extra"]
    assert rec["status"] == "queued" and type(rec["status"]) is str
    assert rec["sources"] == [{"feed": "a.json", "date": "2026-03-12"}, {"feed": "b.xml", "date": "2026-03-11"}]
    assert rec["first_seen"] == "2026-03-11" and rec["queue_position"] == 2 and rec["extra"] == {"upvotes": 3}


def test_to_json_array_indented_unicode_trailing_newline():
    items = [(paper("a", "Zoë’s <b>&amp;"), PaperState()), (paper("b", "Two"), PaperState(starred=True))]
    out = to_json(items)
    assert out.endswith("]\n") and '\n  {\n    "id": "a",' in out and "Zoë’s <b>&amp;" in out
    data = json.loads(out)
    assert [d["id"] for d in data] == ["a", "b"] and data[1]["status"] == "inbox" and data[1]["starred"] is True
    assert to_json([]) == "[]\n"


# ------------------------------------------------------------------------------------------------------ Markdown


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("with_url", [True, False])
def test_hostile_title_and_note_render_literally(text, with_url):
    p = paper(title=text, url="https://example.org/x" if with_url else "")
    doc = md([(p, PaperState(note=text))], group_by="none")
    assert_clean(doc, items=1, links=int(with_url), notes=1)
    (item,) = doc.items
    assert item.title == text
    assert item.note == text
    assert item.href == ("https://example.org/x" if with_url else None)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_authors_tags_abstract_heading_render_literally(text):
    p = paper(authors=[text, "Bo Wu"], abstract=text, sources=[Source("f", "2026-03-11")])
    doc = md([(p, PaperState(tags=[text.strip()]))], abstracts=True, heading=text)
    assert_clean(doc, items=1, links=0, h2=1)
    assert doc.headings == [("h1", text), ("h2", text.strip())]
    (item,) = doc.items
    assert item.meta.startswith(text + ", Bo Wu · seen 2026-03-11 · ")
    assert item.code == ["#" + text.strip()]
    assert item.abstract == text.strip()


def test_multiline_note_keeps_each_line_quoted():
    note = "first line\r\n  indented *second*\n# third\n\n\n   \n> new paragraph\n1. last  \n"
    doc = md([(paper(), PaperState(note=note))], group_by="none")
    assert_clean(doc, items=1, links=0, notes=1)
    assert doc.items[0].note == "first line\n  indented *second*\n# third\n\n> new paragraph\n1. last  "
    assert doc.types["hardbreak"] == 3  # between the lines of each paragraph (no meta line here)


def test_url_with_parens_spaces_and_angle_brackets_stays_one_link():
    url = "https://example.org/a b)c<d>(e)?q=1&amp;r=é#frag"
    doc = md([(paper(title="T", url=url), PaperState())], group_by="none")
    assert_clean(doc, items=1, links=1)
    assert doc.items[0].title == "T"
    assert doc.items[0].href == "https://example.org/a%20b%29c%3Cd%3E%28e%29?q=1&amp;r=%C3%A9#frag"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(document.cookie)", "data:text/html,x",
                                 "https:no-host", "ftp://example.org/f", "//example.org/x"])  # fmt: skip
def test_non_http_urls_are_text_not_links(url):
    doc = md([(paper(title="Bad link", url=url), PaperState())], group_by="none")
    assert_clean(doc, items=1, links=0)
    assert doc.items[0].title == "Bad link" and doc.items[0].href is None
    assert url in doc.items[0].code  # shown verbatim, in a code span


def test_arxiv_id_gives_a_link_when_no_usable_url_and_no_url_means_plain_title():
    items = [
        (paper("a", "With id", arxiv_id="2603.01234"), PaperState()),
        (paper("b", "Bad url", arxiv_id="2603.04321", url="javascript:x()"), PaperState()),
        (paper("c", "Bare"), PaperState()),
    ]
    doc = md(items, group_by="none")
    assert_clean(doc, items=3, links=2)
    assert [(i.title, i.href) for i in doc.items] == [
        ("With id", "https://arxiv.org/abs/2603.01234"), ("Bad url", "https://arxiv.org/abs/2603.04321"), ("Bare", None),
    ]  # fmt: skip
    assert doc.items[1].code == ["javascript:x()"]


@pytest.mark.parametrize("text", HOSTILE + ["a | b\n--|--\nc | d", "~one~ and ~~two~~"])
def test_gfm_tables_and_strikethrough_do_not_fire_either(text):
    gfm = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    out = to_markdown([(paper(title=text), PaperState(note=text + "\n| x | y |\n|---|---|"))], today="d")
    tokens = gfm.parse(out)
    types = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert types <= ALLOWED, types - ALLOWED


def test_authors_first_three_then_et_al_and_feed_dates():
    four = paper("a", authors=["Ann Lee", "Bo Wu", "Cy Di", "Dee Ek"],
                 sources=[Source("x", "2026-03-13"), Source("y", "2026-03-11"), Source("z", "2026-03-13")])  # fmt: skip
    three = paper("b", authors=["Ann Lee", "Bo Wu", "Cy Di"])
    doc = md([(four, PaperState(tags=["rl", "llm"])), (three, PaperState())], group_by="none")
    assert [i.meta for i in doc.items] == [
        "Ann Lee, Bo Wu, Cy Di et al. · seen 2026-03-11, 2026-03-13 · #rl #llm",
        "Ann Lee, Bo Wu, Cy Di",
    ]


def test_group_by_tag_sorted_untagged_last_and_multi_tag_papers_in_each():
    items = [
        (paper("a", "Alpha"), PaperState(tags=["rl", "LLM"])),
        (paper("b", "Beta"), PaperState()),
        (paper("c", "Gamma"), PaperState(tags=["agents", "rl"])),
    ]
    doc = md(items)
    assert doc.headings[0] == ("h1", "Starred papers — 2026-03-13")
    assert {t: [i.title for i in v] for t, v in doc.sections.items()} == {
        "agents": ["Gamma"], "LLM": ["Alpha"], "rl": ["Alpha", "Gamma"], "Untagged": ["Beta"],
    }  # fmt: skip
    assert list(doc.sections) == ["agents", "LLM", "rl", "Untagged"]
    assert_clean(doc, items=5, links=0, h2=4)


def test_group_by_date_newest_first_by_first_seen():
    items = [
        (paper("a", "Old", sources=[Source("f", "2026-03-10"), Source("g", "2026-03-14")]), PaperState()),
        (paper("b", "New", sources=[Source("f", "2026-03-12")]), PaperState()),
        (paper("c", "Also old", sources=[Source("h", "2026-03-10")]), PaperState()),
        (paper("d", "Undated"), PaperState()),
    ]
    doc = md(items, group_by="date")
    assert {t: [i.title for i in v] for t, v in doc.sections.items()} == {
        "2026-03-12": ["New"], "2026-03-10": ["Old", "Also old"], "Undated": ["Undated"],
    }  # fmt: skip
    assert list(doc.sections) == ["2026-03-12", "2026-03-10", "Undated"]


def test_group_by_none_is_one_flat_list_in_given_order():
    items = [(paper(str(n), f"P{n}"), PaperState(tags=["t"])) for n in (3, 1, 2)]
    doc = md(items, group_by="none")
    assert list(doc.sections) == [None] and [i.title for i in doc.items] == ["P3", "P1", "P2"]
    assert_clean(doc, items=3, links=0)
    with pytest.raises(ValueError, match="group_by"):
        to_markdown(items, group_by="month")


def test_abstracts_only_when_asked_and_heading_override():
    items = [(paper(abstract="We study *things*."), PaperState(note="n"))]
    assert md(items, group_by="none").items[0].abstract is None
    doc = md(items, group_by="none", abstracts=True, heading="Reading group: week 3")
    assert doc.items[0].abstract == "We study *things*." and doc.items[0].note == "n"
    assert doc.headings == [("h1", "Reading group: week 3")]
    assert_clean(doc, items=1, links=0, notes=1)


def test_empty_selection_says_so():
    out = to_markdown([], today="2026-03-13")
    doc = parse(out)
    assert doc.headings == [("h1", "Starred papers — 2026-03-13")]
    assert doc.paragraphs == ["No papers to export."] and out.endswith("\n")


def test_untitled_paper_gets_a_placeholder():
    doc = md([(paper(title=""), PaperState())], group_by="none")
    assert doc.items[0].title == "(untitled)"


# ----------------------------------------------------------------------------------------- Markdown properties

# Realistic inputs are clean_text output, so no Cc (controls, incl. newlines); never lone surrogates (Cs).
# Markdown-significant fragments are mixed in so the broad alphabet still hits the interesting cases often.
FRAGMENTS = st.sampled_from(
    ["](", "[", "]", "(", ")", "*", "_", "`", "<", ">", "|", "$", "#", "&amp;", "&#65;", "\\", "<script>", "1.",
     "2)", "-", "+", "=", "==", "%%", "~", "!", "^", ":", " ", "  ", "\u00a0", "\u3000", "\u2028", "http://x.y"]
)  # fmt: skip
CHARS = st.characters(exclude_categories=("Cc", "Cs"))
TEXT = st.lists(st.one_of(FRAGMENTS, CHARS), max_size=25).map("".join)
TEXT1 = TEXT.filter(bool)
NOTE = st.lists(TEXT, max_size=5).map("\n".join)


def assert_no_surrogates(text: str) -> None:
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)
    text.encode("utf-8")


@given(TEXT)
def test_strategy_generates_no_lone_surrogates(text):
    assert_no_surrogates(text)


@settings(max_examples=examples(1000))
@given(title=TEXT1, note=NOTE, tag=TEXT1.filter(str.strip), with_url=st.booleans())
def test_property_title_note_and_tag_render_as_their_text(title, note, tag, with_url):
    for text in (title, note, tag):
        assert_no_surrogates(text)
    p = paper(title=title, url="https://example.org/p" if with_url else "")
    doc = md([(p, PaperState(note=note, tags=[tag]))], group_by="none")
    has_note = bool(note.strip())
    assert_clean(doc, items=1, links=int(with_url), notes=int(has_note))
    (item,) = doc.items
    assert item.title == title  # no normalisation at all: CommonMark keeps inner runs of spaces in text
    assert item.note == (normalise_note(note) if has_note else None)
    assert item.code == ["#" + tag.strip()]


@settings(max_examples=examples(300))
@given(TEXT1)
def test_property_escape_markdown_at_line_start_and_in_heading(text):
    for source in (escape_markdown(text), "## " + escape_markdown(text)):
        tokens = MD.parse(source)
        assert [t.type for t in tokens][1:] == ["inline", tokens[0].type.replace("open", "close")]
        assert {c.type for c in tokens[1].children} <= {"text"}
        assert plain(tokens[1].children) == text


def test_escape_markdown_leaves_plain_words_alone():
    assert escape_markdown("Attention is all you need: a study, v2 (2026)") == (
        "Attention is all you need: a study, v2 (2026)"
    )
    assert escape_markdown("a\nb") == "a b"


def test_escape_markdown_controls_become_spaces_but_tabs_stay():
    doc = md([(paper(title="\x1fA\x07B\tC\t"), PaperState(note="\tx\x1b[31m\x1f"))], group_by="none")
    assert (doc.items[0].title, doc.items[0].note) == (" A B\tC\t", "\tx [31m ")

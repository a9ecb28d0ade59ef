"""The quick text checks of the readers give the same answers as the slow ones they replaced.

`decode_text` counts control characters with one regex instead of a `unicodedata.category` call per character;
`bibtex.looks_like` and `hf_page.looks_like` read lines one at a time instead of splitting the whole feed. The old
versions are kept here as the reference.
"""

from __future__ import annotations

import random
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from support.examples import examples

from storage.readers import bibtex, hf_page
from storage.readers.common import CONTROLS, SAMPLE, decode_text, iter_lines

TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1b")


def old_is_binary_text(text: str) -> bool:
    """The check `decode_text` used to make on decoded text: more than 1% controls in the first 64K characters."""
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch not in TEXT_CONTROLS and unicodedata.category(ch) == "Cc")
    return controls * 100 > len(sample)


def old_bibtex_looks_like(text: str) -> bool:
    for line in text.split("\n"):
        line = line.strip()
        if line and not line.startswith("%"):
            return bool(bibtex._ENTRY.match(line))
    return False


def old_hf_page_looks_like(text: str) -> bool:
    strong = False
    after_date = False
    for line in (line.strip() for line in text.lstrip("\ufeff").split("\n")):
        if not line:
            continue
        if hf_page._MARKERS.match(line):
            strong = True
        elif hf_page._WEAK_MARKERS.match(line):
            continue
        elif after_date:
            return True
        elif hf_page._date_parts(line):
            after_date = True
        else:
            return strong
    return strong


def test_the_control_class_is_category_cc_but_the_controls_text_carries_over_every_code_point():
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    want = [ch for ch in every if ch not in TEXT_CONTROLS and unicodedata.category(ch) == "Cc"]
    assert CONTROLS.findall(every) == want
    assert len(want) == 65 - len(TEXT_CONTROLS)  # U+0000-U+001F and U+007F-U+009F: the test sees them all


def _text(rng: random.Random, size: int, share: float) -> str:
    pool = "ab \n\t\x1b\r\u00e9\u2028\u0085\U0001f600"
    controls = [chr(c) for c in range(0x20) if chr(c) not in TEXT_CONTROLS and c] + [chr(c) for c in range(0x7F, 0xA0)]
    return "".join(rng.choice(controls) if rng.random() < share else rng.choice(pool) for _ in range(size))


def test_decode_text_says_not_text_exactly_when_the_old_count_did():
    rng = random.Random(6)
    cases = 0
    for size in (1, 50, 99, 100, 101, 5_000, SAMPLE - 1, SAMPLE, SAMPLE + 1, SAMPLE + 3_000):
        for share in (0.0, 0.005, 0.0099, 0.01, 0.0101, 0.02, 0.5):
            text = _text(rng, size, share)
            assert (decode_text(text.encode("utf-8")) is None) == old_is_binary_text(text), (size, share)
            cases += 1
    # right at the limit: exactly 1% is text, one control more is not; controls past the sample do not count
    base = "x" * (SAMPLE - 655)
    assert decode_text((base + "\x01" * 655).encode()) is not None
    assert decode_text((base[:-1] + "\x01" * 656).encode()) is None
    assert decode_text(("x" * SAMPLE + "\x01" * 10_000).encode()) is not None
    assert cases == 70


@settings(max_examples=examples(300))
@given(st.text(alphabet=st.sampled_from(["\n", "\r", " ", "a", "%", "\u2028", "\x1c", "\t", "@"]), max_size=60))
def test_iter_lines_is_split_on_newlines(text):
    assert list(iter_lines(text)) == text.split("\n")


_LINE = st.sampled_from([
    "", " ", "   \t", "% a comment", "  % indented comment", "@article{key,", "@ misc (key,", "@string{x = {y}}",
    "title = {T},", "Get trending papers in your email inbox!", "by AK and the research community", "New",
    "Subscribe", "Mar 13", "Feb 29", "Feb 30", "Nov 21, 2026", "A Title of a Paper", "\ufeffGet trending papers in your email inbox",
    "\u2028", "\x1c", "\u00a0",
])


@settings(max_examples=examples(500))
@given(st.lists(_LINE, max_size=8), st.sampled_from(["\n", "\r\n", "\n\n"]), st.booleans())
def test_looks_like_answers_as_the_whole_split_did(lines, sep, bom):
    text = ("\ufeff" if bom else "") + sep.join(lines)
    assert bibtex.looks_like(text) == old_bibtex_looks_like(text)
    assert hf_page.looks_like(text) == old_hf_page_looks_like(text)

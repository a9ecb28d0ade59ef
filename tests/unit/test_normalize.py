"""Text clean-up and dedupe keys."""

import pytest

from storage.normalize import abstract_key, arxiv_id, clean_text, is_truncated, title_key


@pytest.mark.parametrize("a, b", [
    ("Holo$^{3}$D: Scenes", "Holo^3D: scenes"),
    ("$\\textit{Trans-LoRA}$: towards data-free", "Trans-LoRA: Towards Data-Free"),
    ("Déjà Vu: Caching", "Deja vu - caching"),
    ("Ｆｕｌｌｗｉｄｔｈ Title", "Fullwidth title"),
    ("A   title\n  wrapped.", "a title wrapped"),
])
def test_title_key_equal(a, b):
    assert title_key(a) == title_key(b)


@pytest.mark.parametrize("a, b", [("X-2: Models", "X-3: Models"), ("Survey of LLMs", "Survey of VLMs"),
                                  ("Train for $100K", "Train for $200K"), ("Model V2", "Model V3")])
def test_title_key_keeps_numbers_and_words(a, b):
    assert title_key(a) != title_key(b)


@pytest.mark.parametrize("text, aid", [
    ("2405.17258", "2405.17258"), ("arXiv:2405.17258v3", "2405.17258"), ("http://arxiv.org/abs/2405.17258v1", "2405.17258"),
    ("oai:arXiv.org:2604.22002v1", "2604.22002"), ("10.48550/arXiv.2401.12345", "2401.12345"),
    ("http://arxiv.org/abs/cond-mat/0412498v1", "cond-mat/0412498"), ("no id here", ""), ("12345.123456", ""),
])
def test_arxiv_id(text, aid):
    assert arxiv_id(text) == aid


def test_clean_text_removes_escapes_controls_and_bidi():
    raw = "a\x1b[31mred\x1b[0m \x1b]8;;http://evil\x07link\x1b]8;;\x07 &amp; b\x00c \u202eevil\u202c\n  wrapped"
    assert clean_text(raw) == "ared link & b c evil wrapped"
    assert clean_text("[bold]x[/bold] $y$ *z*") == "[bold]x[/bold] $y$ *z*"  # markup-like text is kept as data


def test_truncation_and_abstract_key():
    assert is_truncated("We show that...") and is_truncated("We show that …") and not is_truncated("We show.")
    assert abstract_key("We show\nthat X…") == abstract_key("we show that x")


def test_clean_note_keeps_lines_drops_escapes():
    from storage.normalize import clean_note

    assert clean_note("a\x1b[31mb\r\nc\td\x00e\x1b]52;c;eA==\x07 \u202ef") == "ab\nc\td e f"

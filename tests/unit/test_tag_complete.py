"""The tag dialog's completions (storage/tag_complete.py): prefix, then substring, then fuzzy, with use counts."""

from __future__ import annotations

from storage.tag_complete import complete, completions, split_last

COUNTS = {"llm": 12, "llm-agents": 3, "retrieval": 4, "attention": 1, "survey": 2, "multimodal llm": 1, "rl": 5}


def test_nothing_typed_offers_the_most_used_tags():
    assert completions("", COUNTS, limit=3) == [("llm", 12), ("rl", 5), ("retrieval", 4)]
    assert completions("  ", COUNTS, exclude={"llm"}, limit=2) == [("rl", 5), ("retrieval", 4)]


def test_prefix_first_most_used_then_substring_then_fuzzy():
    assert completions("ll", COUNTS)[:3] == [("llm", 12), ("llm-agents", 3), ("multimodal llm", 1)]
    assert completions("LLM", COUNTS, exclude={"llm"})[:2] == [("llm-agents", 3), ("multimodal llm", 1)]
    assert completions("retreival", COUNTS)[0] == ("retrieval", 4)  # a typo: fuzzy
    assert completions("zzzz", COUNTS) == []  # nothing near: the dialog then offers the typed tag as new
    assert len(completions("a", COUNTS, limit=2)) == 2


def test_the_last_part_is_the_one_completed():
    assert split_last("a, b,  re") == ("a, b,  ", "re") and split_last("re") == ("", "re")
    assert complete("attention, retr", "retrieval") == "attention, retrieval" and complete("", "llm") == "llm"

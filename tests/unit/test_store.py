"""Store actions, views, queue order, id resolution, search tokens, counts — on a library built in code."""

from datetime import date

import pytest

from storage.errors import UnknownPaper
from storage.model import Paper, Source, Status
from storage.search import QueryError, parse
from storage.normalize import clean_tags
from storage.store import Store


def make_store(tmp_path, n=6):
    s = Store(tmp_path)
    for i in range(n):
        s.library.add(
            Paper(
                id=f"24{i:02d}.0000{i}" if i % 2 == 0 else f"h{i:012d}",
                title=f"Paper {i} about {'graphs' if i % 3 == 0 else 'language models'}",
                abstract=f"Abstract {i} on diffusion" if i == 4 else f"Abstract {i}",
                authors=[f"Ada Lovelace{i}", "Émile Borel"],
                arxiv_id=f"24{i:02d}.0000{i}" if i % 2 == 0 else "",
                sources=[Source("day.txt", f"2026-03-{10 + i:02d}")],
            )
        )
    s.library.save()
    return Store(tmp_path)


def test_order_is_newest_first(tmp_path):
    s = make_store(tmp_path)
    assert [s.get(pid).first_seen for pid in s.ordered_ids()] == sorted((p.first_seen for p in s.papers), reverse=True)


def test_views_follow_status_and_star(tmp_path):
    s = make_store(tmp_path)
    a, b, c = s.ordered_ids()[:3]
    s.toggle_star([a])
    s.set_status([b], "read")
    s.set_status([c], Status.SKIPPED)
    assert s.view_ids("starred") == [a]
    assert s.view_ids("read") == [b]
    assert s.view_ids("skipped") == [c]
    assert b not in s.view_ids("inbox") and a in s.view_ids("inbox")
    assert s.counts(today=date.today().isoformat()) | {} == {
        "all": 6, "inbox": 4, "queue": 0, "starred": 1, "read": 1, "skipped": 1, "triaged_today": 2,
    }
    with pytest.raises(ValueError):
        s.view_ids("bogus")


def test_toggle_star_bulk_semantics(tmp_path):
    s = make_store(tmp_path)
    a, b = s.ordered_ids()[:2]
    s.toggle_star([a])
    assert s.toggle_star([a, b]) is True  # any unstarred: star all
    assert s.state_of(a).starred and s.state_of(b).starred
    assert s.toggle_star([a, b]) is False
    assert not s.state_of(a).starred


def test_bulk_action_is_one_undo(tmp_path):
    s = make_store(tmp_path)
    ids = s.ordered_ids()
    s.set_status(ids, "read")
    assert s.view_ids("inbox") == []
    label, touched = s.undo()
    assert label == "mark read" and set(touched) == set(ids)
    assert s.view_ids("inbox") == ids


def test_tags_are_cleaned_and_removed(tmp_path):
    s = make_store(tmp_path)
    a = s.ordered_ids()[0]
    s.add_tags([a], ["LLM, Survey ", "#rl", "llm"])
    assert s.state_of(a).tags == ["llm", "survey", "rl"]
    s.remove_tags([a], ["SURVEY"])
    assert s.state_of(a).tags == ["llm", "rl"]
    assert s.tags() == {"llm": 1, "rl": 1}
    assert clean_tags([" a ,, b", "A"]) == ["a", "b"]


def test_queue_appends_and_moves(tmp_path):
    s = make_store(tmp_path)
    a, b, c = s.ordered_ids()[:3]
    for pid in (a, b, c):
        s.set_status([pid], "queued")
    assert s.queue_ids() == [a, b, c]
    assert s.move_in_queue(c, -1)
    assert s.queue_ids() == [a, c, b]
    assert not s.move_in_queue(a, -1)  # already first
    s.set_status([a], "read")
    assert s.state_of(a).queue_position is None
    s.set_status([a], "queued")
    assert s.queue_ids() == [c, b, a]  # re-queued goes to the end
    s.undo()
    assert Store(tmp_path).queue_ids() == [c, b]


def test_note_and_back_to_inbox_clears_triage(tmp_path):
    s = make_store(tmp_path)
    a = s.ordered_ids()[0]
    s.set_note(a, "line one\nline [two]  \n")
    s.set_status([a], "skipped")
    assert s.state_of(a).triaged
    s.set_status([a], "inbox")
    st = Store(tmp_path).state_of(a)
    assert st.note == "line one\nline [two]" and st.triaged == "" and st.status == Status.INBOX


def test_resolve_accepts_arxiv_forms_and_prefixes(tmp_path):
    s = make_store(tmp_path)
    assert s.resolve("2400.00000") == "2400.00000"
    assert s.resolve("arXiv:2400.00000v3") == "2400.00000"
    assert s.resolve("https://arxiv.org/abs/2402.00002v1") == "2402.00002"
    assert s.resolve("h000000000001") == "h000000000001"
    with pytest.raises(UnknownPaper, match="ambiguous"):
        s.resolve("h0000")
    with pytest.raises(UnknownPaper, match="nope"):
        s.resolve("nope")
    with pytest.raises(UnknownPaper):
        s.set_star(["missing-id"], True)


def test_query_tokens(tmp_path):
    s = make_store(tmp_path)
    ids = s.ordered_ids()
    s.add_tags(ids[:2], ["rl"])
    s.toggle_star([ids[0]])
    assert s.view_ids(query="+rl") == ids[:2]
    assert s.view_ids(query="-rl") == ids[2:]
    assert s.view_ids(query="+rl is:starred") == ids[:1]
    assert s.view_ids(query="is:unstarred +rl") == ids[1:2]
    assert set(s.view_ids(query="graphs")) == {p.id for p in s.papers if "graphs" in p.title}
    assert s.view_ids(query="diffusion") == [p.id for p in s.papers if "diffusion" in p.abstract]  # abstracts too
    assert s.view_ids(query="au:emile") == ids  # accents folded
    assert s.view_ids(query="au:lovelace3") == [p.id for p in s.papers if "Ada Lovelace3" in p.authors]
    assert s.view_ids(query="id:2402") == ["2402.00002"]
    assert s.view_ids(query='"paper 1 about"') == [p.id for p in s.papers if p.title.startswith("Paper 1 ")]


def test_age_token(tmp_path):
    q = parse("@7d", today=date(2026, 3, 20))
    assert q.since == "2026-03-13"
    s = make_store(tmp_path)
    assert {s.get(pid).first_seen for pid in s.search(s.ordered_ids(), q)} == {"2026-03-13", "2026-03-14", "2026-03-15"}
    assert parse("@2w", today=date(2026, 3, 20)).since == "2026-03-06"


@pytest.mark.parametrize("bad", ["+", "is:bogus", "@7x", "@d", "au:", "id:"])
def test_malformed_tokens_raise_query_error(bad):
    with pytest.raises(QueryError):
        parse(bad)


def test_read_only_commands_do_not_create_files(tmp_path):
    s = Store(tmp_path / "nothing-here")
    assert s.view_ids() == [] and s.counts()["all"] == 0
    assert not (tmp_path / "nothing-here").exists()

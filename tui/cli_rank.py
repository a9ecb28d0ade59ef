"""`papertriage list --sort interest|upvotes|title / --like`: the ranked or sorted list; for a ranking its notes on
stderr, `score` and `why` in JSON."""

from __future__ import annotations

import json
import sys

from storage.export import paper_record
from storage.rank import Ranked, Ranker
from storage.rank.views import ordered
from storage.sort import KEYED, order
from storage.store import Store


def ranked_list(store: Store, args) -> tuple[list[str], tuple[Ranked, Ranker] | None]:
    if args.sort in KEYED and not args.like:  # no model: the view in that order (storage/sort.py), plain JSON
        ids = store.view_ids(args.view, tag=args.tag, query=args.query)
        return order(args.sort, ids, store.title, lambda pid: store.get(pid).extra)[: args.limit], None
    store.load_abstracts()
    ranker = Ranker(store)

    def building(n: int) -> None:
        print(f"note: building ranking features for {n} papers (once)", file=sys.stderr)

    ranker.prepare(progress=building)
    ranked = ordered(store, ranker, view=args.view, tag=args.tag, query=args.query, sort=args.sort, like=args.like)
    if ranked.reason:
        print(f"note: {ranked.reason}", file=sys.stderr)
    return ranked.ids[: args.limit], (ranked, ranker)


def ranked_json(items, how: tuple[Ranked, Ranker]) -> str:
    ranked, ranker = how
    out = []
    for p, s in items:
        rec = paper_record(p, s)
        score = ranked.scores.get(p.id) if ranked.scores is not None else None
        rec["score"] = round(score, 6) if score is not None and score != float("-inf") else None
        rec["why"] = ranker.why(ranked, p.id)
        out.append(rec)
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"

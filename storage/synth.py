"""Synthetic feeds with a known right answer, for benchmarks and scale tests.

    python -m storage.synth 100000 -o feed.txt            # HF Daily Papers page text
    python -m storage.synth 10000 -o feed.json --format json
    python -m storage.synth 1000000 -o feeds/ --split     # one file per feed day in feeds/ (feeds.truth.json)

About 15% of entries repeat an earlier paper with noise (case, spacing, a typo, a truncated or re-wrapped abstract);
about 3% are near-title but distinct papers ("X-2" vs "X-3", "of LLMs" vs "of VLMs") with their own abstract. The
expected number of distinct papers is written beside the feed as `<FILE>.truth.json`.

Days hold max(50, min(1000, N // 100)) entries, so a big feed is a run of heavy days (arXiv cs.* is 500-1,000 papers
a day). One file past ~70,000 entries exceeds the readers' 64 MB limit for a single feed: use `--split`, which is
also what a year of daily feeds looks like.
"""

from __future__ import annotations

import argparse
import json
import random
import textwrap
from collections import deque
from datetime import date, timedelta
from itertools import groupby
from pathlib import Path
from typing import Iterator

_ADJ = (
    "Scalable Efficient Robust Sparse Adaptive Hierarchical Contrastive Multimodal Causal Federated Generative "
    "Self-Supervised Lightweight Interpretable Diffusion-Based Retrieval-Augmented Long-Context Multilingual Verifiable "
    "Compositional Equivariant Continual Decentralized Probabilistic Structured Unified Emergent Implicit Neural"
).split()
_NOUN = (
    "Transformers Agents Reasoning Alignment Distillation Tokenization Attention Planning Reward Models Benchmarks "
    "Retrieval Quantization Pruning Embeddings Segmentation Tracking Rendering Inference Decoding Pretraining "
    "Finetuning Evaluation Memory Routing Experts Graphs Kernels Policies Simulators Compilers Schedulers Datasets"
).split()
_TOPIC = (
    "Language Models|Vision-Language Models|Speech Recognition|Code Generation|Robotic Manipulation|Protein Design|"
    "Video Generation|Mathematical Reasoning|Tabular Data|Time Series|3D Reconstruction|Recommender Systems|"
    "Question Answering|Machine Translation|Image Editing|Autonomous Driving|Molecular Property Prediction|"
    "Program Synthesis|Document Understanding|Dialogue Systems"
).split("|")
_SWAPS = (("LLMs", "VLMs"), ("Images", "Videos"), ("Training", "Inference"), ("Dense", "Sparse"), ("$100K", "$200K"))
_SYL = "ka lo mi ra ze tu vo ni sha qua rex lyn dor fin gal hex ion jul kor mer nov pix sol tor umb vex wyn zor".split()
_VERBS = "improves reduces outperforms matches enables simplifies stabilises accelerates generalises extends".split()
_OBJS = (
    "the memory footprint|sample efficiency|downstream accuracy|training stability|the inference latency|"
    "robustness to distribution shift|calibration|the cost of annotation|zero-shot transfer|long-horizon planning"
).split("|")


def _name(rng: random.Random, n: int) -> str:
    # A unique coined model name per paper, so distinct papers never share a title by accident.
    return "".join(rng.choice(_SYL) for _ in range(2)).capitalize() + f"{n:x}".upper()


def _sentence(rng: random.Random) -> str:
    return (
        f"Our {rng.choice(_ADJ).lower()} approach {rng.choice(_VERBS)} {rng.choice(_OBJS)} on "
        f"{rng.randint(2, 40)} {rng.choice(_TOPIC).lower()} benchmarks by {rng.randint(2, 60)}.{rng.randint(0, 9)}%."
    )


def _abstract(rng: random.Random, name: str, topic: str) -> str:
    opening = f"We introduce {name}, a {rng.choice(_ADJ).lower()} method for {topic.lower()}."
    body = " ".join(_sentence(rng) for _ in range(rng.randint(5, 9)))
    return f"{opening} {body} Code and models for {name} are released."


def _title(rng: random.Random, name: str, topic: str) -> str:
    form = rng.randrange(3)
    if form == 0:
        return f"{name}: {rng.choice(_ADJ)} {rng.choice(_NOUN)} for {topic}"
    if form == 1:
        return f"{name}-{rng.randint(2, 9)}: Towards {rng.choice(_ADJ)} {rng.choice(_NOUN)} of LLMs"
    return f"{rng.choice(_ADJ)} {rng.choice(_NOUN)} with {name} for {topic} under a $100K Budget"


def _near(rng: random.Random, title: str) -> str | None:
    """A distinct paper's title one token away: another version number or one word swapped."""
    for a, b in _SWAPS:
        if a in title:
            return title.replace(a, b, 1)
    head, sep, rest = title.partition(": ")
    if sep and "-" in head and head.rsplit("-", 1)[1].isdigit():
        base, num = head.rsplit("-", 1)
        return f"{base}-{int(num) + 1}{sep}{rest}"
    return None


def _typo(rng: random.Random, text: str) -> str:
    words = [i for i, w in enumerate(text.split(" ")) if len(w) > 6 and w.isalpha()]
    if not words:
        return text
    parts = text.split(" ")
    i = rng.choice(words)
    w = parts[i]
    j = rng.randrange(1, len(w) - 2)
    parts[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :] if rng.random() < 0.5 else w[:j] + w[j + 1 :]
    return " ".join(parts)


def _noisy(rng: random.Random, title: str, abstract: str) -> tuple[str, str]:
    kind = rng.randrange(5)
    if kind == 0:
        title = title.lower() if rng.random() < 0.5 else title.upper()
    elif kind == 1:
        title = title.replace(" ", "  ", 2) + " "
    elif kind == 2:
        title = _typo(rng, title)
    elif kind == 3:
        cut = int(len(abstract) * rng.uniform(0.4, 0.8))
        abstract = abstract[:cut].rstrip() + rng.choice(("...", "…"))
    else:
        abstract = "\n".join(textwrap.wrap(abstract, 78))  # hard-wrapped, as arXiv listings are
    return title, abstract


START = date(2026, 1, 1)


def papers_per_day(n: int) -> int:
    return max(50, min(1000, n // 100 or 1))


def generate(n: int, seed: int = 7, repeat_share: float = 0.15, near_share: float = 0.03) -> Iterator[tuple[str, str, str]]:
    """Yield (feed date, title, abstract) for n entries; the distinct-paper count is `generate.distinct`."""
    rng = random.Random(seed)
    per_day = papers_per_day(n)
    # Repeats come from the last five days only: keep just those, so a million entries do not keep a gigabyte.
    seen: deque[tuple[str, str]] = deque(maxlen=5 * per_day)
    distinct = 0
    day = START
    for i in range(n):
        if i and i % per_day == 0:
            day += timedelta(days=1)
        r = rng.random()
        if seen and r < repeat_share:
            # Indices as if every paper were kept (the same draws as a full list), mapped into the window.
            pick = rng.randrange(max(0, distinct - 5 * per_day), distinct) - (distinct - len(seen))
            title, abstract = _noisy(rng, *seen[pick])
        elif seen and r < repeat_share + near_share and (near := _near(rng, seen[-1][0])):
            topic = rng.choice(_TOPIC)
            title, abstract = near, _abstract(rng, _name(rng, i), topic)
            seen.append((title, abstract))
            distinct += 1
        else:
            topic = rng.choice(_TOPIC)
            name = _name(rng, i)
            title, abstract = _title(rng, name, topic), _abstract(rng, name, topic)
            seen.append((title, abstract))
            distinct += 1
        generate.distinct = distinct  # type: ignore[attr-defined]
        yield day.isoformat(), title, abstract


_HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"


def _date_line(day: str, with_year: bool) -> str:
    d = date.fromisoformat(day)
    return f"{d:%b} {d.day}" + (f", {d.year}" if with_year else "")


def _needs_year(n: int) -> bool:
    """Date lines carry no year on the real page; readers place them before the file's day. A feed that runs into
    another year or past today would be misdated that way, so then the lines name the year ("Mar 13, 2027")."""
    last = START + timedelta(days=(n - 1) // papers_per_day(n))
    return last.year != START.year or last > date.today()


def _page_text(day: str, entries: list[tuple[str, str]], with_year: bool) -> str:
    body = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in entries)
    return f"{_date_line(day, with_year)}\n\n{body}"


def _json_items(day: str, entries: list[tuple[str, str]], first: int) -> list[dict]:
    return [
        {"paper": {"id": "", "title": title, "summary": abstract, "authors": [{"name": f"Author {i % 97}"}],
                   "publishedAt": f"{day}T00:00:00.000Z", "upvotes": i % 50},
         "title": title, "publishedAt": f"{day}T12:00:00.000Z", "numComments": 0}
        for i, (title, abstract) in enumerate(entries, start=first)
    ]


def _days(n: int, seed: int) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(day, [(title, abstract), ...]) per feed day, in order."""
    for day, group in groupby(generate(n, seed), key=lambda e: e[0]):
        yield day, [(title, abstract) for _, title, abstract in group]


def write_feed(path: Path, n: int, seed: int = 7, fmt: str = "hf-page", split: bool = False) -> int:
    """Write the feed (`split`: a directory with one file per day); returns the number of distinct papers in it."""
    with_year = _needs_year(n)
    ext = "json" if fmt == "json" else "txt"
    if split:
        path.mkdir(parents=True, exist_ok=True)
    out = None if split else open(path, "w", encoding="utf-8")
    items: list[dict] = []
    written = 0
    try:
        if out and fmt != "json":
            out.write(_HEADER)
        for day, entries in _days(n, seed):
            if fmt == "json":
                day_items = _json_items(day, entries, written)
                if split:
                    (path / f"{day}.{ext}").write_text(json.dumps(day_items, ensure_ascii=False), encoding="utf-8")
                else:
                    items += day_items
            elif split:
                (path / f"{day}.{ext}").write_text(_HEADER + _page_text(day, entries, with_year), encoding="utf-8")
            else:
                out.write(_page_text(day, entries, with_year))
            written += len(entries)
        if out and fmt == "json":
            out.write(json.dumps(items, ensure_ascii=False))
    finally:
        if out:
            out.close()
    return generate.distinct  # type: ignore[attr-defined]


def write_hf_page(path: Path, n: int, seed: int = 7) -> int:
    """Write an HF Daily Papers page text feed; returns the number of distinct papers in it."""
    return write_feed(path, n, seed)


def write_hf_json(path: Path, n: int, seed: int = 7) -> int:
    return write_feed(path, n, seed, "json")


def truth_path(output: Path) -> Path:
    """Where the known answer goes: beside the feed (beside the directory, so ingesting the directory skips it)."""
    return Path(str(output).rstrip("/") + ".truth.json")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m storage.synth", description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of feed entries")
    ap.add_argument("-o", "--output", required=True, help="the feed file to write (a directory with --split)")
    ap.add_argument("--format", choices=("hf-page", "json"), default="hf-page")
    ap.add_argument("--split", action="store_true", help="one file per feed day, in the directory OUTPUT")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("n must be at least 1")
    out = Path(args.output)
    distinct = write_feed(out, args.n, args.seed, args.format, args.split)
    truth = {"entries": args.n, "distinct_papers": distinct, "seed": args.seed, "format": args.format,
             "split": args.split}
    truth_path(out).write_text(json.dumps(truth, indent=2) + "\n")
    print(f"wrote {out}: {args.n} entries, {distinct} distinct papers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A small two-topic library for the ranking tests: decoding papers and robot papers, invented text."""

from __future__ import annotations

import random
from pathlib import Path

from storage.model import Paper, Source
from storage.store import Store

DECODING = ["speculative decoding", "kv cache", "draft model", "token latency", "attention heads", "beam search"]
ROBOTS = ["robot grasping", "manipulation policy", "tactile sensors", "sim-to-real transfer", "legged locomotion",
          "gripper control"]
SHARED = ["we propose a method", "experiments show gains", "our approach is simple", "results hold across settings",
          "we release code"]
AUTHORS = {"d": ["Ada Quill", "Bo Renn", "Cy Dee"], "r": ["Lu Grip", "Mo Step", "Ned Arm"]}


def topic_papers(n_each: int = 20, seed: int = 3) -> list[Paper]:
    rng = random.Random(seed)
    papers = []
    for i in range(n_each * 2):
        topic = "d" if i % 2 == 0 else "r"
        phrases = DECODING if topic == "d" else ROBOTS
        a, b = rng.sample(phrases, 2)
        abstract = ". ".join([f"We study {a}", f"{b} matters", rng.choice(SHARED), rng.choice(SHARED),
                              f"{rng.choice(phrases)} improves"]) + "."
        day = f"2026-11-{10 + i % 15:02d}"
        papers.append(Paper(id=f"{topic}{i:03d}", title=f"Paper {i}: {a.title()} with {b}", abstract=abstract,
                            authors=[rng.choice(AUTHORS[topic])], sources=[Source("feed.txt", day)],
                            added="2026-11-25T00:00:00+00:00"))
    return papers


def build(data_dir: Path, papers: list[Paper] | None = None) -> Store:
    store = Store(data_dir)
    for p in papers or topic_papers():
        store.library.add(p)
    store.library.save()
    return store


def of(store: Store, topic: str) -> list[str]:
    return [pid for pid in store.ordered_ids() if pid.startswith(topic)]

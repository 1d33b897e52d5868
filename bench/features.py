"""CPU per call of the similar-claims `features()`, and a digest of what it returned.

    python -m bench.features [ROUNDS]

Two sets of 20,000 calls: statements written as the history generator writes them (`bench/world.py`:
"<name> <relation> <name> over <topic>, item <n>.<m>.", names from its syllables, a registry of
1,000 generated actors), and the seed article's sentences (longer, real prose), over and over.
Each set is computed once (its digest printed, so two checkouts can be compared), then timed
ROUNDS times (process time, best round). Run it against another checkout for an A/B:
`PYTHONPATH=/path/to/other python bench/features.py` (alternate the two, same minutes).
"""

from __future__ import annotations

import hashlib
import random
import sys
import time
from pathlib import Path

from bench.vocabulary import SYLLABLES, TOPICS
from domain.extraction.text import sentences
from domain.similarity import ClaimShape, NameMatcher, features
from domain.vocabulary import RELATIONS

CALLS = 20_000
SEED = Path(__file__).resolve().parents[1] / "seeds/xi-putin-summit-2022.txt"
SEED_NAMES = [("China", "china"), ("Beijing", "china"), ("Bejing", "china"), ("Russia", "russia")]
SEED_NAMES += [
    ("Moscow", "russia"),
    ("Vladimir Putin", "vladimir-putin"),
    ("Putin", "vladimir-putin"),
]
SEED_NAMES += [("Xi Jinping", "xi-jinping"), ("Xi", "xi-jinping"), ("US", "us"), ("NATO", "nato")]


def _name(rng: random.Random) -> str:
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    if rng.random() < 0.4:
        name += " " + "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
    return name


def generated(rng: random.Random) -> tuple[list[tuple[str, str]], list[ClaimShape]]:
    names = [(_name(rng), f"actor-{i}") for i in range(1000)]
    slugs = sorted(s for s in RELATIONS if s != "makes_statement")
    shapes = []
    for i in range(CALLS):
        (subject, s_id), (obj, o_id) = rng.choice(names), rng.choice(names)
        relation = rng.choice(slugs)
        item = f"item {i // 20}.{i % 20}."
        text = f"{subject} {relation.replace('_', ' ')} {obj} over {rng.choice(TOPICS)}, {item}"
        shapes.append(ClaimShape(text, s_id, relation, o_id))
    return names, shapes


def seeded() -> list[ClaimShape]:
    found = sentences(SEED.read_text(encoding="utf-8"))
    return [
        ClaimShape(found[i % len(found)].text, "china", "supports", "russia", i % 5 == 0)
        for i in range(CALLS)
    ]


def measure(matcher: NameMatcher, shapes: list[ClaimShape], rounds: int) -> tuple[float, str]:
    digest = hashlib.sha256()
    for shape in shapes:
        digest.update((" ".join(sorted(features(shape, matcher))) + "\n").encode())
    best = float("inf")
    for _ in range(rounds):
        began = time.process_time()
        for shape in shapes:
            features(shape, matcher)
        best = min(best, (time.process_time() - began) / len(shapes) * 1e6)
    return best, digest.hexdigest()[:16]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    names, shapes = generated(random.Random(5))
    for label, matcher, calls in [
        ("generated", NameMatcher(names + SEED_NAMES), shapes),
        ("seed article", NameMatcher(SEED_NAMES), seeded()),
    ]:
        us, digest = measure(matcher, calls, rounds)
        print(f"{label:13s} {len(calls):,} calls  {us:.1f} us/call (best of {rounds})  {digest}")


if __name__ == "__main__":
    main()

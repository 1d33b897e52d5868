"""A generated claim's life: it is recorded quoting one sentence of a source (TextQuote +
TextPosition selectors and the text's SHA-256, exactly what anchoring produces), then receives,
over the following batches, evidence, disputes, resolutions, reviews, extra appearances, a few
corrections and retractions, in realistic proportions (about three events per claim)."""

from __future__ import annotations

import itertools
from bisect import bisect
from collections.abc import Callable
from contextlib import suppress
from decimal import Decimal
from uuid import uuid4

from bench.vocabulary import OUTLETS, TAGS, TOPICS, VERDICTS
from bench.world import World
from domain.anchoring import locate
from domain.claims import Claim
from domain.errors import DomainError
from domain.values import ClaimKind, DisputeOutcome, Quantity, Rating, Role, Stance

CHECK_EVERY = 997  # claims between two checks of an anchor against domain.anchoring.locate

Plan = list[tuple[int, str]]  # (tick, action), in tick order


class ClaimLife:
    """Records claims and plays their planned actions, batch (tick) after batch."""

    def __init__(self, world: World) -> None:
        self.world, self.rng = world, world.rng
        self.pending: dict[int, list[tuple[Claim, Plan]]] = {}
        self.tick = 0
        self.claims = 0
        self.verdicts = [v for v, _ in VERDICTS]
        self.verdict_weights = list(itertools.accumulate(w for _, w in VERDICTS))
        self.actions: dict[str, Callable[[Claim], None]] = {
            "evidence": self._evidence,
            "appearance": self._appearance,
            "dispute": self._dispute,
            "resolve": self._resolve,
            "review": self._review,
            "correct": self._correct,
            "retract": self._retract,
        }

    def due(self, budget: int) -> tuple[list[Claim], int]:
        """Next tick: the claims that acted (one event each) and their count (<= budget)."""
        self.tick += 1
        acted: list[Claim] = []
        due = self.pending.pop(self.tick, [])
        for i, (claim, plan) in enumerate(due):
            if len(acted) >= budget:  # only at the very end of a run: keep the rest for later
                self.pending.setdefault(self.tick + 1, []).extend(due[i:])
                break
            before = claim.version
            _, action = plan.pop(0)
            with suppress(DomainError):  # e.g. an action planned after a retraction: skip it
                self.actions[action](claim)
            if claim.version > before:
                acted.append(claim)
            if plan:
                next_tick = max(plan[0][0], self.tick + 1)
                self.pending.setdefault(next_tick, []).append((claim, plan))
        return acted, len(acted)

    def record(self) -> Claim:
        """A new claim quoting a sentence of a recent (or any) source, its life planned."""
        rng, world = self.rng, self.world
        source = world.pick_source()
        sentence = rng.choice(source.sentences)
        appearance = world.appearance(source, sentence)
        self.claims += 1
        if self.claims % CHECK_EVERY == 0:  # the anchors are what the API would compute
            found = locate(source.text, appearance.exact)
            assert (found.start, found.end, found.prefix) == (
                appearance.start,
                appearance.end,
                appearance.prefix,
            ), appearance
        claimant = world.refs[world.pick_actor()] if rng.random() < 0.3 else None
        about = [world.refs[world.pick_actor()]] if rng.random() < 0.1 else []
        quantities = (
            [Quantity(Decimal(rng.randrange(1, 500) * 10**9), "USD")] if rng.random() < 0.05 else []
        )
        tags = rng.sample(TAGS, rng.choice([0, 1, 1, 2]))
        kind = (
            ClaimKind.QUOTE
            if claimant
            else rng.choice(
                [ClaimKind.FACT, ClaimKind.FACT, ClaimKind.OPINION, ClaimKind.PREDICTION]
            )
        )
        claim = Claim.record(
            uuid4(),
            meta=world.meta(world.contributors),
            statement=appearance.exact,
            kind=kind,
            subject=world.refs[sentence.subject],
            relation=world.relations[sentence.relation],
            object=world.refs[sentence.object] if sentence.object is not None else None,
            about=about,
            claimant=claimant,
            occurred_on=rng.choice(world.dates),
            quantities=quantities,
            tags=tags,
            appearance=appearance,
            negated=rng.random() < 0.02,
        )
        self._plan(claim)
        return claim

    def _plan(self, claim: Claim) -> None:
        """Schedule what will happen to the claim in the next batches."""
        rng, now = self.rng, self.tick
        plan: Plan = []
        at = now
        for _ in range(rng.choices([0, 1, 2, 3], [35, 35, 20, 10])[0]):
            at += rng.randint(1, 6)
            plan.append((at, "evidence"))
        if rng.random() < 0.08:
            plan.append((now + rng.randint(1, 20), "appearance"))
        if rng.random() < 0.02:
            plan.append((now + rng.randint(1, 20), "correct"))
        last = max([at for at, _ in plan], default=now)
        if rng.random() < 0.25:
            opened = now + rng.randint(2, 15)
            plan.append((opened, "dispute"))
            last = max(last, opened)
            if rng.random() < 0.75:
                last = opened + rng.randint(1, 10)
                plan.append((last, "resolve"))
        if rng.random() < 0.45:
            last += rng.randint(1, 8)
            plan.append((last, "review"))
        if rng.random() < 0.01:
            plan.append((last + 1, "retract"))
        if plan:
            plan.sort(key=lambda step: step[0])
            self.pending.setdefault(plan[0][0], []).append((claim, plan))

    # -- the actions ---------------------------------------------------------------------

    def _evidence(self, claim: Claim) -> None:
        rng, world = self.rng, self.world
        source = world.pick_source()
        quote = (
            world.appearance(source, rng.choice(source.sentences)) if rng.random() < 0.6 else None
        )
        claim.add_evidence(
            uuid4(),
            stance=rng.choice(list(Stance)),
            note=f"see {rng.choice(OUTLETS)} on {rng.choice(TOPICS)}",
            source_id=source.id if quote else None,
            quote=quote,
            url=None if quote else f"https://data.example.org/{uuid4().hex[:12]}",
            meta=world.meta(world.contributors),
        )

    def _appearance(self, claim: Claim) -> None:
        source = self.world.pick_source()
        claim.add_appearance(
            self.world.appearance(source, self.rng.choice(source.sentences)),
            meta=self.world.meta(self.world.contributors),
        )

    def _dispute(self, claim: Claim) -> None:
        claim.dispute(
            uuid4(),
            reason=f"the figures on {self.rng.choice(TOPICS)} do not add up",
            evidence=None,
            meta=self.world.meta(self.world.contributors),
        )

    def _resolve(self, claim: Claim) -> None:
        if claim.open_disputes:
            claim.resolve_dispute(
                claim.open_disputes[0].dispute_id,
                outcome=self.rng.choice(list(DisputeOutcome)),
                note="checked against the primary source",
                meta=self.world.meta(self.world.reviewers),
            )

    def _review(self, claim: Claim) -> None:
        rng = self.rng
        verdict = self.verdicts[
            bisect(self.verdict_weights, rng.random() * self.verdict_weights[-1])
        ]
        rating = (
            Rating(Decimal(rng.randint(1, 5)), Decimal(5), Decimal(1))
            if rng.random() < 0.5
            else None
        )
        claim.review(
            uuid4(),
            verdict=verdict,
            label=verdict.value.replace("_", " ").title(),
            explanation="compared with the official record",
            url=None,
            rating=rating,
            role=Role.REVIEWER,
            meta=self.world.meta(self.world.reviewers),
        )

    def _correct(self, claim: Claim) -> None:
        claim.correct(
            reason="wrong date",
            role=Role.ADMIN,
            meta=self.world.meta(self.world.contributors),
            occurred_on=self.rng.choice(self.world.dates),
        )

    def _retract(self, claim: Claim) -> None:
        claim.retract(
            reason="recorded by mistake",
            role=Role.ADMIN,
            meta=self.world.meta(self.world.reviewers),
        )

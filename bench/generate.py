"""A generator of realistic history, written through the domain's own aggregates and events.

`generate(database_url, events)` builds the world (bench/world.py: principals, ~1,000 actors,
sources introduced as history goes on, ~10,000 per million events) and claims that live their
lives over the following batches (bench/claim_life.py). Each batch of about 2,000 events is
written in one transaction, with no HTTP and no command layer, by `BulkWriter` (the default,
bench/bulk_writer.py: one COPY per batch) or by `ledger.save(*aggregates)` (`writer="save"`).

A `Generator` can be run again to extend the same history (100,000 events, then 900,000 more
for a million); the same seed gives the same choices.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bench.bulk_writer import BulkWriter
from bench.claim_life import ClaimLife
from bench.world import GeneratedSource, World
from domain.base import LedgerAggregate
from domain.values import ActorRef
from infra.ledger.application import Ledger, open_ledger

BATCH_EVENTS = 2000  # events per ledger.save() (one transaction)
SOURCES_PER_CLAIM = 1 / 32  # ~10,000 sources per million events
INITIAL_SOURCES = 200


@dataclass
class Report:
    events: int = 0
    seconds: float = 0.0
    claims: int = 0
    sources: int = 0
    actors: int = 0
    saves: int = 0

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


@dataclass
class Generator:
    """Extends one ledger's history; keeps what later events need (actors, sources, claims)."""

    ledger: Ledger
    write: Any = None  # a BulkWriter (or any callable taking aggregates); None: ledger.save
    seed: int = 7
    actors: int = 1000
    rng: random.Random = field(init=False)
    total: int = 0  # events written so far, in every run
    checkpoints: list[tuple[int, datetime]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.world = World(self.rng)
        self.life = ClaimLife(self.world)

    @property
    def refs(self) -> list[ActorRef]:
        return self.world.refs

    @property
    def sources(self) -> list[GeneratedSource]:
        return self.world.sources

    def run(self, events: int) -> Report:
        """Write `events` more events (within a few), in batches of about BATCH_EVENTS."""
        report = Report()
        began = time.perf_counter()
        target = self.total + events
        if not self.refs:
            report.events += self._setup(report)
        while self.total < target:
            batch, count = self._batch(report, min(BATCH_EVENTS, target - self.total))
            self._save(batch, report)
            self.total += count
            report.events += count
            self.checkpoints.append((self.total, datetime.now(UTC)))
        report.seconds = time.perf_counter() - began
        return report

    def moment_at(self, position: int) -> datetime:
        """The wall-clock time by which `position` events had been written."""
        for total, moment in self.checkpoints:
            if total >= position:
                return moment
        return self.checkpoints[-1][1]

    def _save(self, aggregates: list[LedgerAggregate], report: Report) -> None:
        if self.write is None:
            self.ledger.save(*aggregates)
        else:
            self.write(aggregates)
        report.saves += 1

    def _setup(self, report: Report) -> int:
        """The first run: principals, actors, the first sources."""
        principals = self.world.principals()
        self._save(principals, report)
        count = 2 * len(principals)
        batch: list[LedgerAggregate] = []
        seen: set[str] = set()
        for i in range(self.actors):
            actor, names = self.world.actor(i, seen)
            batch += [actor, *names]
            count += 1 + len(names)
            if len(batch) >= BATCH_EVENTS:
                self._save(batch, report)
                batch = []
        self.world.weigh_actors()
        for _ in range(INITIAL_SOURCES):
            batch += self.world.source()
            count += 2
            if len(batch) >= BATCH_EVENTS:
                self._save(batch, report)
                batch = []
        if batch:
            self._save(batch, report)
        report.actors += self.actors
        report.sources += INITIAL_SOURCES
        self.total += count
        self.checkpoints.append((self.total, datetime.now(UTC)))
        return count

    def _batch(self, report: Report, budget: int) -> tuple[list[LedgerAggregate], int]:
        """The aggregates of one save and the number of events they carry (<= budget + 3)."""
        acted, count = self.life.due(budget)
        batch: list[LedgerAggregate] = list(acted)
        while count < budget:
            if len(self.sources) < INITIAL_SOURCES + self.life.claims * SOURCES_PER_CLAIM:
                batch += self.world.source()
                count += 2
                report.sources += 1
            batch.append(self.life.record())
            count += 1
            report.claims += 1
        return batch, count


def generate(
    database_url: str, events: int, *, writer: str = "bulk", quiet: bool = False
) -> Report:
    """Write about `events` events of realistic history into the (empty) ledger at
    `database_url`; `writer` is "bulk" (COPY) or "save" (`ledger.save`)."""
    ledger = open_ledger(database_url)
    bulk = BulkWriter(ledger, database_url) if writer == "bulk" else None
    try:
        report = Generator(ledger, bulk).run(events)
    finally:
        if bulk is not None:
            bulk.close()
        ledger.close()
    if not quiet:
        print(
            f"generated {report.events:,} events ({report.claims:,} claims, "
            f"{report.sources:,} sources, {report.actors:,} actors) in {report.seconds:.1f} s:"
            f" {report.rate:,.0f} events/s"
        )
    return report


if __name__ == "__main__":
    generate(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)

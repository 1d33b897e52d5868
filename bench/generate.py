"""A generator of realistic history, written through the domain's own aggregates and events.

`generate(database_url, events)` builds principals, ~1,000 actors (with their name
`Reservation`s, as `infra/ledger/actors.py` does), sources with short synthetic texts (~1-2 kB, with
their url `Reservation`s) introduced as history goes on (~10,000 per million events), and
claims quoting one sentence of a source (TextQuote + TextPosition selectors and the text's
SHA-256, exactly what anchoring produces). Claims then receive, over the following batches,
evidence, disputes, resolutions, reviews, extra appearances, a few corrections and
retractions, in realistic proportions (about three events per claim). Actor popularity is
Zipf-like, so a few actors and pairs are busy and most are quiet.

No HTTP and no command layer: aggregates are built with the domain classes, and each batch of
about 2,000 events is written in one transaction. Two writers:

- `BulkWriter` (the default): each aggregate's pending events are collected, turned into the
  application's own stored-event records (same topics, same transcodings: every 500th record
  is checked byte for byte against `ledger.mapper.to_stored_event`) and written with one
  `COPY` under the recorder's `LOCK TABLE ... EXCLUSIVE`, followed by its NOTIFY.
- `ledger.save(*aggregates)` (`writer="save"`): the library's own path. Profiled at 2.6-3.8k
  events/s here, where three costs dominate per event: psycopg's pure-Python dump of the
  composite-type array (~75 us), the stdlib JSON encoder calling back into Python for every
  value object (~65 us), and `typing.Protocol` isinstance checks in
  `ProcessingEvent.collect_events` (~55 us). The bulk writer avoids all three.

A `Generator` can be run again to extend the same history (100,000 events, then 900,000 more
for a million).
"""

from __future__ import annotations

import itertools
import random
import sys
import time
from bisect import bisect
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import orjson
import psycopg
from eventsourcing.utils import get_topic
from psycopg import sql

from domain.actors import Actor, fold_name
from domain.anchoring import locate
from domain.base import LedgerAggregate
from domain.claims import Claim
from domain.errors import DomainError
from domain.principals import Principal
from domain.reservations import Reservation
from domain.sources import Source, canonical_url
from domain.values import (
    ActorKind,
    ActorRef,
    Appearance,
    ClaimKind,
    DisputeOutcome,
    Meta,
    PartialDate,
    Quantity,
    Rating,
    Role,
    SourceKind,
    Stance,
)
from domain.vocabulary import RELATIONS, Verdict, resolve_relation
from infra.ledger.actors import NAME, actor_uuid
from infra.ledger.application import Ledger, open_ledger
from infra.ledger.sources import URL
from infra.store.database import libpq_url

BATCH_EVENTS = 2000  # events per ledger.save() (one transaction)
SOURCES_PER_CLAIM = 1 / 32  # ~10,000 sources per million events
INITIAL_SOURCES = 200
CONTEXT = 32  # prefix/suffix length, as domain.anchoring keeps them
CHECK_EVERY = 997  # claims between two checks of an anchor against domain.anchoring.locate

SYLLABLES = [
    "ka",
    "ro",
    "vi",
    "na",
    "tel",
    "mor",
    "sa",
    "den",
    "lu",
    "ar",
    "is",
    "to",
    "ven",
    "gal",
    "or",
    "mi",
    "zan",
    "bel",
    "ur",
    "qua",
    "th",
    "es",
    "lin",
    "dor",
    "pa",
    "ke",
]
TOPICS = [
    "energy supplies",
    "security guarantees",
    "trade tariffs",
    "the Winter Games",
    "border talks",
    "grain exports",
    "cyber operations",
    "a gas pipeline",
    "naval exercises",
    "sanctions relief",
    "vaccine deliveries",
    "port access",
    "rare earth exports",
    "a loan package",
    "the climate accord",
    "arms sales",
    "fishing rights",
    "a currency swap",
    "satellite launches",
    "refugee returns",
]
OUTLETS = [
    "Daily Ledger",
    "Morning Post",
    "Wire Service",
    "Public Radio",
    "Evening Herald",
    "Policy Review",
    "Open Data Desk",
    "Regional Times",
]
TAGS = [
    "energy",
    "security",
    "trade",
    "sport",
    "diplomacy",
    "military",
    "health",
    "finance",
    "climate",
    "migration",
]
VERDICTS = [
    (Verdict.TRUE, 15),
    (Verdict.MOSTLY_TRUE, 15),
    (Verdict.MIXED, 15),
    (Verdict.MOSTLY_FALSE, 15),
    (Verdict.FALSE, 15),
    (Verdict.MISLEADING, 12),
    (Verdict.UNVERIFIABLE, 8),
    (Verdict.OPINION, 4),
    (Verdict.SATIRE, 1),
]


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    subject: int  # actor index
    relation: str
    object: int | None


@dataclass(frozen=True)
class GeneratedSource:
    id: UUID
    text: str
    sha256: str
    sentences: list[Sentence]


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


class BulkWriter:
    """Writes aggregates' pending events as the application would store them, with COPY."""

    CHECK_EVERY = 500

    def __init__(self, ledger: Ledger, database_url: str) -> None:
        recorder: Any = ledger.recorder
        mapper: Any = ledger.mapper
        assert mapper.compressor is None and mapper.cipher is None
        self.mapper, self.types = mapper, mapper.transcoder.types
        schema = sql.Identifier(recorder.datastore.schema)
        table = sql.Identifier(recorder.events_table_name)
        self.lock = sql.SQL("LOCK TABLE {}.{} IN EXCLUSIVE MODE").format(schema, table)
        self.copy = sql.SQL(
            "COPY {}.{} (originator_id, originator_version, topic, state)"
            " FROM STDIN (FORMAT BINARY)"
        ).format(schema, table)
        self.notify = sql.SQL("NOTIFY {}").format(sql.Identifier(recorder.channel_name))
        self.conn = psycopg.connect(libpq_url(database_url))
        self.topics: dict[type, str] = {}
        self.written = 0

    def __call__(self, aggregates: list[LedgerAggregate]) -> None:
        rows = []
        for aggregate in aggregates:
            for event in aggregate.collect_events():
                rows.append(self.record(event))
        with self.conn.transaction(), self.conn.cursor() as cursor:
            cursor.execute(self.lock)
            with cursor.copy(self.copy) as copy:
                copy.set_types(["uuid", "int8", "text", "bytea"])
                for row in rows:
                    copy.write_row(row)
            cursor.execute(self.notify)

    def record(self, event: Any) -> tuple[UUID, int, str, bytes]:
        """(originator_id, originator_version, topic, state) as `mapper.to_stored_event`."""
        cls = type(event)
        topic = self.topics.get(cls) or self.topics.setdefault(cls, get_topic(cls))
        state = dict(vars(event))
        originator_id = state.pop("originator_id")
        version = state.pop("originator_version")
        encoded = orjson.dumps(self.plain(state), option=orjson.OPT_SORT_KEYS)
        self.written += 1
        if self.written % self.CHECK_EVERY == 1:
            stored = self.mapper.to_stored_event(event)
            assert (stored.topic, stored.state) == (topic, encoded), (stored.state, encoded)
        return originator_id, version, topic, encoded

    def plain(self, value: Any) -> Any:
        """JSON-ready data, value objects replaced as JSONTranscoder replaces them."""
        kind = type(value)
        if kind is str or kind is int or kind is bool or value is None or kind is float:
            return value
        if kind is list or kind is tuple:
            return [self.plain(v) for v in value]
        if kind is dict:
            return {k: self.plain(v) for k, v in value.items()}
        transcoding = self.types.get(kind)
        if transcoding is None:  # subclasses of the JSON types are encoded as their base
            return value
        return {"_type_": transcoding.name, "_data_": self.plain(transcoding.encode(value))}

    def close(self) -> None:
        self.conn.close()


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
        self.refs: list[ActorRef] = []
        self.actor_weights: list[float] = []
        self.sources: list[GeneratedSource] = []
        self.contributors: list[Meta] = []
        self.reviewers: list[Meta] = []
        self.pending: dict[int, list[tuple[Claim, list[tuple[int, str]]]]] = {}
        self.tick = 0
        self.claims = 0
        self.requests = itertools.count(1)
        self.dates = self._dates()
        self.relations = {slug: resolve_relation(slug) for slug in RELATIONS}
        self.slugs = [s for s in RELATIONS if s != "makes_statement"]
        self.verdicts = [v for v, _ in VERDICTS]
        self.verdict_weights = list(itertools.accumulate(w for _, w in VERDICTS))

    # -- running -----------------------------------------------------------------------------

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

    # -- the first run: principals, actors, the first sources -------------------------------

    def _setup(self, report: Report) -> int:
        count = 0
        principals: list[LedgerAggregate] = []
        for i in range(30):
            role = Role.REVIEWER if i < 6 else Role.CONTRIBUTOR
            principal = Principal.register(
                uuid4(), name=f"checker-{i:02d}", role=role, meta=self._system()
            )
            principal.issue_key(uuid4(), f"ct_generated_{uuid4().hex}", meta=self._system())
            principals.append(principal)
            (self.reviewers if role is Role.REVIEWER else self.contributors).append(
                Meta(principal.id, "generated")
            )
            count += 2
        self._save(principals, report)
        batch: list[LedgerAggregate] = []
        seen: set[str] = set()
        for i in range(self.actors):
            actor, names = self._actor(i, seen)
            batch += [actor, *names]
            count += 1 + len(names)
            if len(batch) >= BATCH_EVENTS:
                self._save(batch, report)
                batch = []
        total = sum(1 / (rank + 1) ** 0.9 for rank in range(self.actors))
        self.actor_weights = list(
            itertools.accumulate(1 / (rank + 1) ** 0.9 / total for rank in range(self.actors))
        )
        for _ in range(INITIAL_SOURCES):
            batch += self._source()
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

    def _system(self) -> Meta:
        return Meta(UUID(int=0), f"gen-{next(self.requests)}")

    def _name(self, seen: set[str]) -> str:
        while True:
            parts = self.rng.randint(2, 3)
            name = "".join(self.rng.choice(SYLLABLES) for _ in range(parts)).capitalize()
            if self.rng.random() < 0.4:
                name += " " + "".join(self.rng.choice(SYLLABLES) for _ in range(2)).capitalize()
            if fold_name(name) not in seen:
                return name

    def _actor(self, index: int, seen: set[str]) -> tuple[Actor, list[Reservation]]:
        rng = self.rng
        name = self._name(seen)
        seen.add(fold_name(name))
        kind = rng.choices(
            [ActorKind.STATE, ActorKind.ORGANIZATION, ActorKind.PERSON, ActorKind.GROUP],
            [20, 30, 40, 10],
        )[0]
        slug = f"{fold_name(name).replace(' ', '-')}-{index}"
        aliases = []
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            alias = self._name(seen)
            seen.add(fold_name(alias))
            aliases.append(alias)
        affiliations = []
        if kind is ActorKind.PERSON and index > 10 and rng.random() < 0.5:
            affiliations.append(self.refs[rng.randrange(min(index, 50))].id)
        meta = self._system()
        actor = Actor.register(
            actor_id=actor_uuid(slug),
            slug=slug,
            name=name,
            kind=kind,
            aliases=aliases,
            external_ids={"wikidata": f"Q{100000 + index}"},
            affiliations=affiliations,
            meta=meta,
        )
        self.refs.append(ActorRef(slug, name))
        names = [
            Reservation.make(kind=NAME, value=fold_name(n), holder_id=actor.id, meta=meta)
            for n in actor.names
        ]
        return actor, names

    # -- sources -----------------------------------------------------------------------------

    def _pick_actor(self) -> int:
        return bisect(self.actor_weights, self.rng.random() * self.actor_weights[-1])

    def _source(self) -> list[LedgerAggregate]:
        rng = self.rng
        number = len(self.sources)
        parts: list[str] = []
        sentences: list[Sentence] = []
        at = 0
        for n in range(rng.randint(12, 24)):
            subject = self._pick_actor()
            if rng.random() < 0.1:
                relation, obj = "makes_statement", None
                text = (
                    f"{self.refs[subject].name} made a statement on "
                    f"{rng.choice(TOPICS)}, item {number}.{n}."
                )
            else:
                relation = rng.choice(self.slugs)
                obj = self._pick_actor()
                while obj == subject:
                    obj = self._pick_actor()
                text = (
                    f"{self.refs[subject].name} {relation.replace('_', ' ')} "
                    f"{self.refs[obj].name} over {rng.choice(TOPICS)}, item {number}.{n}."
                )
            if parts:
                at += 1  # the space between sentences
            sentences.append(Sentence(at, at + len(text), subject, relation, obj))
            parts.append(text)
            at += len(text)
        text = " ".join(parts)
        source_id = uuid4()
        url = f"https://news{number % 97}.example.org/{2014 + number % 11}/story-{number}"
        meta = rng.choice(self.contributors)
        source = Source.register(
            source_id,
            url=url,
            title=f"Report {number} on {rng.choice(TOPICS)}",
            meta=meta,
            text=text,
            publisher=rng.choice(OUTLETS),
            authors=[f"Reporter {number % 311}"],
            published_on=rng.choice(self.dates),
            kind=SourceKind.ARTICLE,
            language="en",
            cites=[self.sources[-1].id] if self.sources and rng.random() < 0.1 else [],
        )
        assert source.content_sha256 is not None
        self.sources.append(GeneratedSource(source_id, text, source.content_sha256, sentences))
        return [
            source,
            Reservation.make(kind=URL, value=canonical_url(url), holder_id=source_id, meta=meta),
        ]

    def _dates(self) -> list[PartialDate]:
        dates = []
        for year in range(2010, 2025):
            dates.append(PartialDate(year))
            for month in range(1, 13):
                dates.append(PartialDate(year, month))
                dates += [PartialDate(year, month, day) for day in range(1, 29)]
        return dates

    def _pick_source(self) -> GeneratedSource:
        if self.rng.random() < 0.7:
            return self.sources[-1 - self.rng.randrange(min(300, len(self.sources)))]
        return self.sources[self.rng.randrange(len(self.sources))]

    def _appearance(self, source: GeneratedSource, sentence: Sentence) -> Appearance:
        start, end, text = sentence.start, sentence.end, source.text
        return Appearance(
            source.id,
            text[start:end],
            text[max(0, start - CONTEXT) : start],
            text[end : end + CONTEXT],
            start,
            end,
            source.sha256,
        )

    # -- claims ------------------------------------------------------------------------------

    def _claim(self) -> Claim:
        rng = self.rng
        source = self._pick_source()
        sentence = rng.choice(source.sentences)
        appearance = self._appearance(source, sentence)
        self.claims += 1
        if self.claims % CHECK_EVERY == 0:  # the anchors are what the API would compute
            found = locate(source.text, appearance.exact)
            assert (found.start, found.end, found.prefix) == (
                appearance.start,
                appearance.end,
                appearance.prefix,
            ), appearance
        claimant = self.refs[self._pick_actor()] if rng.random() < 0.3 else None
        about = [self.refs[self._pick_actor()]] if rng.random() < 0.1 else []
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
            meta=self._meta(self.contributors),
            statement=appearance.exact,
            kind=kind,
            subject=self.refs[sentence.subject],
            relation=self.relations[sentence.relation],
            object=self.refs[sentence.object] if sentence.object is not None else None,
            about=about,
            claimant=claimant,
            occurred_on=rng.choice(self.dates),
            quantities=quantities,
            tags=tags,
            appearance=appearance,
            negated=rng.random() < 0.02,
        )
        self._plan(claim)
        return claim

    def _meta(self, who: list[Meta]) -> Meta:
        return Meta(self.rng.choice(who).principal_id, f"gen-{next(self.requests)}")

    def _plan(self, claim: Claim) -> None:
        """Schedule what will happen to the claim in the next batches."""
        rng, now = self.rng, self.tick
        plan: list[tuple[int, str]] = []
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

    def _act(self, claim: Claim, action: str) -> None:
        rng = self.rng
        if action == "evidence":
            source = self._pick_source()
            quote = (
                self._appearance(source, rng.choice(source.sentences))
                if rng.random() < 0.6
                else None
            )
            claim.add_evidence(
                uuid4(),
                stance=rng.choice(list(Stance)),
                note=f"see {rng.choice(OUTLETS)} on {rng.choice(TOPICS)}",
                source_id=source.id if quote else None,
                quote=quote,
                url=None if quote else f"https://data.example.org/{uuid4().hex[:12]}",
                meta=self._meta(self.contributors),
            )
        elif action == "appearance":
            source = self._pick_source()
            claim.add_appearance(
                self._appearance(source, rng.choice(source.sentences)),
                meta=self._meta(self.contributors),
            )
        elif action == "dispute":
            claim.dispute(
                uuid4(),
                reason=f"the figures on {rng.choice(TOPICS)} do not add up",
                evidence=None,
                meta=self._meta(self.contributors),
            )
        elif action == "resolve":
            if claim.open_disputes:
                claim.resolve_dispute(
                    claim.open_disputes[0].dispute_id,
                    outcome=rng.choice(list(DisputeOutcome)),
                    note="checked against the primary source",
                    meta=self._meta(self.reviewers),
                )
        elif action == "review":
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
                meta=self._meta(self.reviewers),
            )
        elif action == "correct":
            claim.correct(
                reason="wrong date",
                role=Role.ADMIN,
                meta=self._meta(self.contributors),
                occurred_on=rng.choice(self.dates),
            )
        elif action == "retract":
            claim.retract(
                reason="recorded by mistake", role=Role.ADMIN, meta=self._meta(self.reviewers)
            )

    def _batch(self, report: Report, budget: int) -> tuple[list[LedgerAggregate], int]:
        """The aggregates of one save and the number of events they carry (<= budget + 3)."""
        self.tick += 1
        batch: list[LedgerAggregate] = []
        count = 0
        due = self.pending.pop(self.tick, [])
        for i, (claim, plan) in enumerate(due):
            if count >= budget:  # only at the very end of a run: keep the rest for later
                self.pending.setdefault(self.tick + 1, []).extend(due[i:])
                break
            before = claim.version
            _, action = plan.pop(0)
            with suppress(DomainError):  # e.g. an action planned after a retraction: skip it
                self._act(claim, action)
            if claim.version > before:
                batch.append(claim)
                count += 1
            if plan:
                next_tick = max(plan[0][0], self.tick + 1)
                self.pending.setdefault(next_tick, []).append((claim, plan))
        while count < budget:
            if len(self.sources) < INITIAL_SOURCES + self.claims * SOURCES_PER_CLAIM:
                batch += self._source()
                count += 2
                report.sources += 1
            batch.append(self._claim())
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

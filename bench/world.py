"""The generated history's world: principals, ~1,000 actors (with their name `Reservation`s,
as `infra/ledger/actors.py` does, and Zipf-like popularity, so a few actors and pairs are busy
and most are quiet) and sources with short synthetic texts (~1-2 kB, with their url
`Reservation`s) whose sentences name those actors, and the quotes (appearances) taken from
them."""

from __future__ import annotations

import itertools
import random
from bisect import bisect
from dataclasses import dataclass, field
from uuid import UUID, uuid4

from bench.vocabulary import OUTLETS, SYLLABLES, TOPICS
from domain.actors import Actor, fold_name
from domain.base import LedgerAggregate
from domain.principals import Principal
from domain.reservations import Reservation
from domain.sources import Source, canonical_url
from domain.values import ActorKind, ActorRef, Appearance, Meta, PartialDate, Role, SourceKind
from domain.vocabulary import RELATIONS, resolve_relation
from infra.ledger.actors import NAME, actor_uuid
from infra.ledger.sources import URL

CONTEXT = 32  # prefix/suffix length, as domain.anchoring keeps them


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
class World:
    """Who and what the claims are about; every choice drawn from the shared `rng`."""

    rng: random.Random
    refs: list[ActorRef] = field(default_factory=list)
    actor_weights: list[float] = field(default_factory=list)
    sources: list[GeneratedSource] = field(default_factory=list)
    contributors: list[Meta] = field(default_factory=list)
    reviewers: list[Meta] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.requests = itertools.count(1)
        self.dates = self._dates()
        self.relations = {slug: resolve_relation(slug) for slug in RELATIONS}
        self.slugs = [s for s in RELATIONS if s != "makes_statement"]

    def system(self) -> Meta:
        return Meta(UUID(int=0), f"gen-{next(self.requests)}")

    def meta(self, who: list[Meta]) -> Meta:
        return Meta(self.rng.choice(who).principal_id, f"gen-{next(self.requests)}")

    # -- principals and actors -----------------------------------------------------------

    def principals(self, count: int = 30) -> list[LedgerAggregate]:
        """`count` principals with a key each (the first six reviewers, then contributors)."""
        principals: list[LedgerAggregate] = []
        for i in range(count):
            role = Role.REVIEWER if i < 6 else Role.CONTRIBUTOR
            principal = Principal.register(
                uuid4(), name=f"checker-{i:02d}", role=role, meta=self.system()
            )
            principal.issue_key(uuid4(), f"ct_generated_{uuid4().hex}", meta=self.system())
            principals.append(principal)
            (self.reviewers if role is Role.REVIEWER else self.contributors).append(
                Meta(principal.id, "generated")
            )
        return principals

    def _name(self, seen: set[str]) -> str:
        while True:
            parts = self.rng.randint(2, 3)
            name = "".join(self.rng.choice(SYLLABLES) for _ in range(parts)).capitalize()
            if self.rng.random() < 0.4:
                name += " " + "".join(self.rng.choice(SYLLABLES) for _ in range(2)).capitalize()
            if fold_name(name) not in seen:
                return name

    def actor(self, index: int, seen: set[str]) -> tuple[Actor, list[Reservation]]:
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
        meta = self.system()
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

    def weigh_actors(self) -> None:
        """Zipf-like popularity over the actors registered so far."""
        count = len(self.refs)
        total = sum(1 / (rank + 1) ** 0.9 for rank in range(count))
        self.actor_weights = list(
            itertools.accumulate(1 / (rank + 1) ** 0.9 / total for rank in range(count))
        )

    def pick_actor(self) -> int:
        return bisect(self.actor_weights, self.rng.random() * self.actor_weights[-1])

    # -- sources -------------------------------------------------------------------------

    def _sentence(self, number: int, n: int, at: int) -> tuple[Sentence, str]:
        rng = self.rng
        subject = self.pick_actor()
        if rng.random() < 0.1:
            relation, obj = "makes_statement", None
            text = (
                f"{self.refs[subject].name} made a statement on "
                f"{rng.choice(TOPICS)}, item {number}.{n}."
            )
        else:
            relation = rng.choice(self.slugs)
            obj = self.pick_actor()
            while obj == subject:
                obj = self.pick_actor()
            text = (
                f"{self.refs[subject].name} {relation.replace('_', ' ')} "
                f"{self.refs[obj].name} over {rng.choice(TOPICS)}, item {number}.{n}."
            )
        return Sentence(at, at + len(text), subject, relation, obj), text

    def source(self) -> list[LedgerAggregate]:
        """A new source (12-24 sentences) and its url reservation."""
        rng = self.rng
        number = len(self.sources)
        parts: list[str] = []
        sentences: list[Sentence] = []
        at = 0
        for n in range(rng.randint(12, 24)):
            if parts:
                at += 1  # the space between sentences
            sentence, text = self._sentence(number, n, at)
            sentences.append(sentence)
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

    def pick_source(self) -> GeneratedSource:
        if self.rng.random() < 0.7:
            return self.sources[-1 - self.rng.randrange(min(300, len(self.sources)))]
        return self.sources[self.rng.randrange(len(self.sources))]

    def appearance(self, source: GeneratedSource, sentence: Sentence) -> Appearance:
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

"""The Actor aggregate: who or what claims are about or made by."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from domain.base import LedgerAggregate
from domain.errors import DuplicateError, InvalidValueError
from domain.values import ActorKind, Meta

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def check_slug(slug: str) -> str:
    if not SLUG.match(slug):
        raise InvalidValueError(f"'{slug}' is not a slug: ^[a-z0-9][a-z0-9-]{{0,62}}$")
    return slug


def fold_name(name: str) -> str:
    """A name folded for lookups: case, accents, punctuation and spacing do not matter."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


class Actor(LedgerAggregate):
    """A state, organisation, person or event that claims name."""

    class Registered(LedgerAggregate.Created):
        slug: str
        name: str
        kind: ActorKind
        aliases: list[str]
        external_ids: dict[str, str]
        affiliations: list[str]

        def apply(self, actor: Any) -> None:
            actor.slug, actor.name, actor.kind = self.slug, self.name, self.kind
            actor.aliases, actor.affiliations = list(self.aliases), list(self.affiliations)
            actor.external_ids = dict(self.external_ids)

    class AliasAdded(LedgerAggregate.Event):
        alias: str

        def apply(self, actor: Any) -> None:
            actor.aliases.append(self.alias)

    if TYPE_CHECKING:
        slug: str
        name: str
        kind: ActorKind
        aliases: list[str]
        external_ids: dict[str, str]
        affiliations: list[str]

    @classmethod
    def register(
        cls,
        *,
        actor_id: Any,
        slug: str,
        name: str,
        kind: ActorKind,
        aliases: list[str],
        external_ids: dict[str, str],
        affiliations: list[str],
        meta: Meta,
    ) -> Actor:
        check_slug(slug)
        for affiliation in affiliations:
            check_slug(affiliation)
        unique: list[str] = []
        for alias in aliases:
            if fold_name(alias) not in {fold_name(n) for n in [name, *unique]}:
                unique.append(alias)
        return cls._create(
            cls.Registered,
            id=actor_id,
            slug=slug,
            name=name,
            kind=kind,
            aliases=unique,
            external_ids=external_ids,
            affiliations=affiliations,
            meta=meta,
        )

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def add_alias(self, alias: str, *, meta: Meta) -> None:
        if fold_name(alias) in {fold_name(n) for n in self.names}:
            raise DuplicateError(f"'{alias}' already names this actor")
        self.trigger_event(self.AliasAdded, alias=alias, meta=meta)

"""Property: whatever the API accepts projects into every view, and the views then equal a
rebuild from the log (issue 16). Hypothesis draws request bodies of every command and
ClaimReview items as found in the wild; bodies go through the API's own models, then to the
ledger as the routes call it. A refused input (validation, a rule) is fine; anything else
raised, a view stopped at an event, or a view differing from its rebuild fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from psycopg import sql
from pydantic import BaseModel, ValidationError

from domain.errors import DomainError
from domain.values import PartialDate, Role
from infra.claimreview.importer import ClaimReviewImport
from infra.ledger.application import Ledger, open_ledger
from infra.projections.read_model import ReadModel
from infra.store.database import is_postgres, libpq_url
from service.routes import claim_schemas as api
from service.routes.actors import ActorIn, AliasIn
from service.routes.sources import SourceIn
from tests import factories
from tests.integration.read import strategies as gen
from tests.integration.read.history import digests, rebuilt_digests

EXAMPLES = 30  # each runs a dozen commands, catches up and rebuilds every view


class Driver:
    """Runs bodies through the API's models and on to the ledger; None when refused."""

    def __init__(self, ledger: Ledger, data: st.DataObject) -> None:
        self.ledger, self.data = ledger, data
        self.author, self.reviewer = factories.context(), factories.context(Role.REVIEWER)
        self.actors: list[str] = []
        self.claims: list[UUID] = []

    def run(self, model: type[BaseModel], body: Any, command: Callable[[Any], Any]) -> Any:
        try:
            given = model.model_validate(body)
        except ValidationError as exc:
            event(f"{model.__name__}: invalid {exc.errors()[0]['loc']}")
            return None
        try:
            outcome = command(given)
        except DomainError as exc:
            event(f"{model.__name__}: refused ({type(exc).__name__} {str(exc)[:60]!r})")
            return None
        event(f"{model.__name__}: accepted")
        return outcome

    def register_actors(self) -> None:
        for body in self.data.draw(st.lists(gen.actor(self.actors), min_size=1, max_size=3)):
            outcome = self.run(ActorIn, body, self._register_actor)
            if outcome is not None:
                self.actors += [outcome.aggregate.slug, outcome.aggregate.name]
        if not self.actors:
            self.actors.append(factories.actor(self.ledger, self.author).slug)

    def _register_actor(self, given: Any) -> Any:
        return self.ledger.actors.register(
            self.author,
            slug=given.id,
            name=given.name,
            kind=given.kind,
            aliases=given.aliases,
            external_ids=given.external_ids,
            affiliations=given.affiliations,
        )

    def quote(self) -> dict[str, Any]:
        outcome = self.run(SourceIn, self.data.draw(gen.source()), self._register_source)
        source = outcome.aggregate if outcome else factories.source(self.ledger, self.author)
        text: str = source.text
        start = self.data.draw(st.integers(0, len(text) - 1))
        end = self.data.draw(st.integers(start + 1, min(len(text), start + 60)))
        context = {"prefix": text[max(0, start - 30) : start], "suffix": text[end : end + 30]}
        return {"source_id": str(source.id), "exact": text[start:end], **context}

    def _register_source(self, given: Any) -> Any:
        fields = given.model_dump(exclude={"url", "title", "text", "cites", "published_on"})
        published = PartialDate.parse(given.published_on) if given.published_on else None
        return self.ledger.sources.register(
            self.author,
            url=given.url,
            title=given.title,
            text=given.text,
            cites=[],
            published_on=published,
            **fields,
        )

    def record_claim(self, quote: dict[str, Any]) -> UUID:
        body = self.data.draw(gen.claim(self.actors, quote))
        outcome = self.run(api.ClaimIn, body, self._record)
        claim = outcome.aggregate if outcome else factories.claim(self.ledger, self.author)
        self.claims.append(claim.id)
        return UUID(str(claim.id))

    def _record(self, given: Any) -> Any:
        return self.ledger.claims.record(
            self.author,
            statement=given.statement,
            kind=given.kind,
            subject=given.subject,
            relation=given.relation,
            object=given.object,
            about=given.about,
            claimant=given.claimant,
            occurred_on=_date(given.occurred_on),
            quantities=[q.quantity() for q in given.quantities],
            tags=given.tags,
            negated=given.negated,
            appearance=given.appearance.quote(),
        )

    def follow_up(self, kind: str, claim_id: UUID, quote: dict[str, Any]) -> None:
        body = self.data.draw(gen.follow_up(kind, self.actors, quote))
        ledger, author = self.ledger, self.author
        commands: dict[str, tuple[type[BaseModel], Callable[[Any], Any]]] = {
            "appearance": (
                api.QuoteIn,
                lambda g: ledger.claims.add_appearance(author, claim_id, g.quote()),
            ),
            "evidence": (
                api.EvidenceIn,
                lambda g: ledger.claims.add_evidence(author, claim_id, g.evidence()),
            ),
            "dispute": (
                api.DisputeIn,
                lambda g: ledger.claims.dispute(author, claim_id, reason=g.reason),
            ),
            "resolution": (api.ResolutionIn, lambda g: self._resolve(claim_id, g)),
            "review": (api.ReviewIn, lambda g: self._review(claim_id, g)),
            "correction": (api.CorrectionIn, lambda g: self._correct(claim_id, g)),
            "retraction": (
                api.RetractionIn,
                lambda g: ledger.claims.retract(author, claim_id, reason=g.reason),
            ),
            "link": (
                api.LinkIn,
                lambda g: ledger.claims.link(
                    author, claim_id, target_id=g.target_id, relation=g.relation
                ),
            ),
            "alias": (AliasIn, lambda g: ledger.actors.add_alias(author, self.actors[0], g.alias)),
        }
        if kind == "link":
            others = [c for c in self.claims if c != claim_id]
            body = {**body, "target_id": str(self.data.draw(st.sampled_from(others)))}
        model, command = commands[kind]
        self.run(model, body, command)

    def _resolve(self, claim_id: UUID, given: Any) -> Any:
        open_ = [d for d in self.ledger.claims.get(claim_id).disputes if d.resolved_at is None]
        if not open_:
            return None
        return self.ledger.claims.resolve_dispute(
            self.reviewer, claim_id, open_[-1].dispute_id, outcome=given.outcome, note=given.note
        )

    def _review(self, claim_id: UUID, given: Any) -> Any:
        return self.ledger.claims.review(
            self.reviewer,
            claim_id,
            verdict=given.verdict,
            label=given.label,
            explanation=given.explanation,
            url=given.url,
            rating=given.rating.rating() if given.rating else None,
        )

    def _correct(self, claim_id: UUID, given: Any) -> Any:
        quantities = [q.quantity() for q in given.quantities] if given.quantities else None
        return self.ledger.claims.correct(
            self.author,
            claim_id,
            reason=given.reason,
            statement=given.statement,
            occurred_on=_date(given.occurred_on),
            relation=given.relation,
            object=given.object,
            quantities=quantities,
        )

    def import_claim_reviews(self) -> None:
        items = self.data.draw(st.lists(gen.claim_review(), max_size=3))
        for result in ClaimReviewImport(self.ledger).import_document(self.reviewer, items):
            assert result.status in ("imported", "unchanged", "error"), result
            event(f"ClaimReview item: {result.status} {(result.error or '')[:25]}")
            if result.claim_id is not None:
                self.claims.append(result.claim_id)


def _date(value: str | None) -> PartialDate | None:
    return PartialDate.parse(value) if value is not None else None


@contextmanager
def fresh_ledger(database_url: str, folder: Path) -> Iterator[Ledger]:
    """A ledger on a database of its own (each example starts from nothing: what hypothesis
    draws must not depend on what an earlier example left)."""
    name = f"ct_prop_{uuid4().hex[:12]}"
    if is_postgres(database_url):
        url = f"{database_url.split('?')[0]}?schema={name}"
    else:
        url = f"sqlite:///{folder / name}.sqlite3"
    ledger = open_ledger(url)
    try:
        yield ledger
    finally:
        ledger.close()
        if is_postgres(url):
            with psycopg.connect(libpq_url(database_url.split("?")[0]), autocommit=True) as conn:
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_accepted_input_projects_into_every_view_and_rebuilds_identically(
    database_url: str, tmp_path: Path, data: st.DataObject
) -> None:
    with fresh_ledger(database_url, tmp_path) as ledger:
        read_model = ReadModel(ledger)
        driver = Driver(ledger, data)
        driver.register_actors()
        quote = driver.quote()
        claim_id = driver.record_claim(quote)
        driver.claims.append(factories.claim(ledger, driver.author).id)  # a target for links
        for kind in gen.FOLLOW_UPS:  # every command, each with a body of its own
            if kind != "retraction" or data.draw(st.booleans()):
                driver.follow_up(kind, claim_id, quote)
        driver.import_claim_reviews()

        read_model.projector.catch_up()

        assert read_model.projector.stuck() == {}
        assert read_model.position() == read_model.head()
        assert _versions(read_model, driver.claims) == {
            str(c): ledger.claims.get(c).version for c in driver.claims
        }
        assert digests(read_model.store) == rebuilt_digests(ledger)


def _versions(read_model: ReadModel, claims: list[UUID]) -> dict[str, int]:
    """The version of each claim in the claims view."""
    with read_model.store.transaction(commit=False) as cursor:
        rows = cursor.select_in(
            "SELECT id, version FROM {rm_claims} WHERE id IN (?...)", [str(c) for c in claims]
        )
    return {r["id"]: int(r["version"]) for r in rows}

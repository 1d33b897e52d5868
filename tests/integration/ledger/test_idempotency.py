"""Idempotency keys: a retried request replays the first outcome; a reused key is refused."""

from __future__ import annotations

from typing import Any

import pytest

from domain.values import ActorKind, ClaimKind, Role, SourceKind, Stance
from infra.ledger.application import Ledger
from infra.ledger.claim_inputs import EvidenceInput, Quote
from infra.ledger.context import Context
from infra.ledger.errors import IdempotencyKeyReusedError
from tests.factories import QUOTE, SEED_TEXT, actor, claim, context, source, unique
from tests.integration.support import head


def keyed(
    principal: Context | None = None,
    *,
    request_hash: str = "hash-1",
    key: str | None = None,
    role: Role = Role.CONTRIBUTOR,
) -> Context:
    """A context sent with an idempotency key, by `principal`'s principal if given."""
    return context(
        role,
        principal.principal_id if principal else None,
        idempotency_key=key or (principal.idempotency_key if principal else None) or unique("key"),
        request_hash=request_hash,
    )


def record(ledger: Ledger, ctx: Context, subject: str, source_id: Any) -> Any:
    return ledger.claims.record(
        ctx,
        statement="China supports Russia",
        kind=ClaimKind.QUOTE,
        subject=subject,
        relation="supports",
        appearance=Quote(source_id, QUOTE),
    )


def test_recording_a_claim_again_with_the_same_key_replays_the_first_outcome(
    ledger: Ledger,
) -> None:
    subject, text = actor(ledger).slug, source(ledger).id
    ctx = keyed()
    first = record(ledger, ctx, subject, text)
    before = head(ledger)

    again = record(ledger, keyed(ctx), subject, text)

    assert again.replayed and not first.replayed
    assert again.aggregate.id == first.aggregate.id
    assert again.aggregate == first.aggregate
    assert again.position == first.position
    assert head(ledger) == before


def test_recording_a_claim_with_a_used_key_and_another_request_is_refused(ledger: Ledger) -> None:
    subject, text = actor(ledger).slug, source(ledger).id
    ctx = keyed()
    record(ledger, ctx, subject, text)
    before = head(ledger)

    with pytest.raises(IdempotencyKeyReusedError):
        record(ledger, keyed(ctx, request_hash="hash-2"), subject, text)

    assert head(ledger) == before


def test_the_same_key_from_another_principal_records_another_claim(ledger: Ledger) -> None:
    subject, text = actor(ledger).slug, source(ledger).id
    key = unique("key")

    first = record(ledger, keyed(key=key), subject, text)
    second = record(ledger, keyed(key=key), subject, text)

    assert not second.replayed
    assert second.aggregate.id != first.aggregate.id


def test_adding_evidence_again_with_the_same_key_replays_the_first_evidence(ledger: Ledger) -> None:
    recorded = claim(ledger)
    ctx = keyed()
    given = EvidenceInput(Stance.SUPPORTS, "Kremlin readout", url="http://en.kremlin.ru/")
    first = ledger.claims.add_evidence(ctx, recorded.id, given)
    ledger.claims.add_evidence(context(), recorded.id, EvidenceInput(Stance.CONTEXT, "later"))
    before = head(ledger)

    again = ledger.claims.add_evidence(keyed(ctx), recorded.id, given)

    assert again.replayed
    assert again.event.evidence_id == first.event.evidence_id
    assert again.aggregate.version == first.aggregate.version == 2
    assert again.aggregate == first.aggregate
    assert again.position == first.position
    assert head(ledger) == before
    assert len(ledger.claims.get(recorded.id).evidence) == 2


def test_adding_evidence_with_a_used_key_and_another_request_is_refused(ledger: Ledger) -> None:
    recorded = claim(ledger)
    ctx = keyed()
    ledger.claims.add_evidence(ctx, recorded.id, EvidenceInput(Stance.SUPPORTS, "first"))
    before = head(ledger), ledger.claims.get(recorded.id).version

    with pytest.raises(IdempotencyKeyReusedError):
        ledger.claims.add_evidence(
            keyed(ctx, request_hash="hash-2"), recorded.id, EvidenceInput(Stance.REFUTES, "second")
        )

    assert (head(ledger), ledger.claims.get(recorded.id).version) == before


def test_the_same_key_from_another_principal_is_another_command(ledger: Ledger) -> None:
    """Idempotency keys belong to their principal: two people never share an outcome."""
    recorded = claim(ledger)
    key = unique("key")
    given = EvidenceInput(Stance.SUPPORTS, "the same body, sent by two people")
    first = ledger.claims.add_evidence(keyed(key=key), recorded.id, given)
    second = ledger.claims.add_evidence(keyed(key=key), recorded.id, given)

    assert not second.replayed
    assert second.position > first.position
    assert [e.evidence_id for e in ledger.claims.get(recorded.id).evidence] == [
        first.event.evidence_id,
        second.event.evidence_id,
    ]


def test_registering_a_source_again_with_the_same_key_replays_the_first_outcome(
    ledger: Ledger,
) -> None:
    ctx = keyed()
    url = f"https://example.org/{unique()}"

    def register(c: Context) -> Any:
        return ledger.sources.register(
            c,
            url=url,
            title="A source",
            text=SEED_TEXT,
            cites=[],
            kind=SourceKind.BLOG,
            authors=[],
            publisher=None,
            published_on=None,
            language="en",
        )

    first = register(ctx)
    before = head(ledger)
    again = register(keyed(ctx))

    assert again.replayed and again.created
    assert again.aggregate == first.aggregate
    assert again.position == first.position
    assert head(ledger) == before


def test_registering_an_actor_again_with_the_same_key_replays_the_first_outcome(
    ledger: Ledger,
) -> None:
    ctx = keyed()
    slug = unique("china")

    def register(c: Context) -> Any:
        return ledger.actors.register(
            c,
            slug=slug,
            name=slug.title(),
            kind=ActorKind.STATE,
            aliases=[],
            external_ids={},
            affiliations=[],
        )

    first = register(ctx)
    before = head(ledger)
    again = register(keyed(ctx))

    assert again.replayed
    assert again.aggregate == first.aggregate
    assert again.position == first.position
    assert head(ledger) == before


def test_registering_another_actor_with_a_used_key_is_refused(ledger: Ledger) -> None:
    ctx = keyed()
    actor(ledger, ctx)
    before = head(ledger)

    with pytest.raises(IdempotencyKeyReusedError):
        actor(ledger, keyed(ctx))

    assert head(ledger) == before


def test_adding_an_alias_again_with_the_same_key_replays_the_first_outcome(ledger: Ledger) -> None:
    china = actor(ledger)
    ctx = keyed()
    first = ledger.actors.add_alias(ctx, china.slug, "Middle Kingdom")
    before = head(ledger)

    again = ledger.actors.add_alias(keyed(ctx), china.slug, "Middle Kingdom")

    assert again.replayed
    assert again.aggregate == first.aggregate
    assert again.position == first.position
    assert head(ledger) == before


def test_creating_a_principal_again_with_the_same_key_replays_without_a_token(
    ledger: Ledger,
) -> None:
    ctx = keyed(role=Role.ADMIN)
    first = ledger.principals.create(ctx, name="Ana", role=Role.REVIEWER)
    before = head(ledger)

    again = ledger.principals.create(keyed(ctx, role=Role.ADMIN), name="Ana", role=Role.REVIEWER)

    assert first.token is not None and again.token is None
    assert again.outcome.replayed
    assert again.outcome.aggregate == first.outcome.aggregate
    assert again.key_id == first.key_id
    assert again.outcome.position == first.outcome.position
    assert head(ledger) == before
    assert ledger.principals.authenticate(first.token).id == first.outcome.aggregate.id


def test_creating_a_principal_with_a_used_key_and_another_request_is_refused(
    ledger: Ledger,
) -> None:
    ctx = keyed(role=Role.ADMIN)
    ledger.principals.create(ctx, name="Ana", role=Role.REVIEWER)
    before = head(ledger)

    with pytest.raises(IdempotencyKeyReusedError):
        ledger.principals.create(
            keyed(ctx, request_hash="hash-2", role=Role.ADMIN), name="Bob", role=Role.ADMIN
        )

    assert head(ledger) == before


def test_issuing_a_key_again_with_the_same_key_replays_without_a_token(ledger: Ledger) -> None:
    admin = context(Role.ADMIN)
    principal_id = ledger.principals.create(
        admin, name="Ana", role=Role.CONTRIBUTOR
    ).outcome.aggregate.id
    ctx = keyed(role=Role.ADMIN)
    first = ledger.principals.issue_key(ctx, principal_id)

    again = ledger.principals.issue_key(keyed(ctx, role=Role.ADMIN), principal_id)

    assert first.token is not None and again.token is None
    assert again.key_id == first.key_id
    assert len(ledger.principals.get(principal_id).keys) == 2

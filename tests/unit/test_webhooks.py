"""The Webhook aggregate: registration, disabling and enabling, event types; nothing secret in
clear (the secret arrives sealed)."""

from uuid import uuid4

import pytest

from domain.errors import ConflictError
from domain.webhooks import (
    InvalidEventTypesError,
    Webhook,
    WebhookDisabledError,
    WebhookEnabledError,
    wants,
)
from tests.unit.helpers import meta


def webhook(types: list[str] | None = None) -> Webhook:
    return Webhook.register(
        uuid4(),
        url="https://hooks.example.org/x",
        event_types=["claim.disputed"] if types is None else types,
        sealed_secret="v1.k.sealed",
        meta=meta(),
    )


def test_a_webhook_is_registered_enabled_with_its_types_sorted_and_without_repeats():
    hook = webhook(["claim.reviewed", "actor.*", "claim.reviewed"])

    assert hook.enabled and hook.event_types == ["actor.*", "claim.reviewed"]
    assert hook.sealed_secret == "v1.k.sealed"


@pytest.mark.parametrize("types", [[], ["Claim.Disputed"], ["claim"], ["*.*"], ["claim.x y"]])
def test_event_types_must_be_named_as_the_log_names_them(types):
    with pytest.raises(InvalidEventTypesError):
        webhook(types)


def test_a_webhook_is_disabled_and_enabled_once_each_time():
    hook = webhook()
    hook.disable(meta=meta(), reason="maintenance")
    assert not hook.enabled
    with pytest.raises(WebhookDisabledError):
        hook.disable(meta=meta())
    hook.enable(meta=meta())
    assert hook.enabled
    with pytest.raises(WebhookEnabledError):
        hook.enable(meta=meta())
    assert [type(e).__name__ for e in hook.collect_events()] == [
        "Registered",
        "Disabled",
        "Enabled",
    ]


def test_changing_to_the_same_types_is_a_conflict():
    hook = webhook(["claim.disputed", "claim.reviewed"])
    with pytest.raises(ConflictError):
        hook.change_event_types(["claim.reviewed", "claim.disputed"], meta=meta())
    hook.change_event_types(["claim.*"], meta=meta())
    assert hook.event_types == ["claim.*"]


def test_a_webhook_wants_its_types_every_type_of_an_aggregate_or_everything():
    assert wants(["claim.disputed"], "claim.disputed")
    assert not wants(["claim.disputed"], "claim.reviewed")
    assert wants(["claim.*"], "claim.reviewed") and not wants(["claim.*"], "actor.registered")
    assert wants(["*"], "source.registered")


def test_webhook_events_are_stored_under_stable_topics():
    from eventsourcing.utils import get_topic

    for name in ("Registered", "Disabled", "Enabled", "EventTypesChanged"):
        assert get_topic(getattr(Webhook, name)) == f"domain.webhooks:Webhook.{name}"

"""Webhook delivery's pure parts: signatures (checked by standardwebhooks' own verify), sealed
secrets, the back-off, which urls and event types are allowed."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from standardwebhooks.webhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from domain.webhooks import InvalidEventTypesError
from infra.projections.stops import Backoff
from infra.webhooks import messages
from infra.webhooks.dispatcher import retry_delay
from infra.webhooks.secrets import Sealer, SecretUnavailableError, new_secret
from infra.webhooks.types import check_event_types, deliverable, topics_for
from infra.webhooks.urls import WebhookUrlError, check_url

BODY = b'{"type":"claim.disputed","position":7,"data":{"reason":"hors contexte"}}'


def test_a_signed_message_verifies_with_standardwebhooks():
    secret = new_secret()
    headers = messages.headers(secret, "msg_1", BODY, datetime.now(UTC))

    assert Verifier(secret).verify(BODY, headers) == {
        "type": "claim.disputed",
        "position": 7,
        "data": {"reason": "hors contexte"},
    }
    assert headers["webhook-signature"].startswith("v1,")
    assert headers["webhook-id"] == "msg_1" and headers["webhook-timestamp"].isdigit()


def test_another_secret_a_changed_body_or_an_old_timestamp_do_not_verify():
    secret = new_secret()
    headers = messages.headers(secret, "msg_1", BODY, datetime.now(UTC))
    old = messages.headers(secret, "msg_1", BODY, datetime.now(UTC) - timedelta(minutes=10))

    with pytest.raises(WebhookVerificationError):
        Verifier(new_secret()).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Verifier(secret).verify(BODY.replace(b"7", b"8"), headers)
    with pytest.raises(WebhookVerificationError):
        Verifier(secret).verify(BODY, old)


def test_the_message_id_is_stable_per_event_and_endpoint():
    hook, other = uuid4(), uuid4()

    assert messages.message_id(hook, 5) == messages.message_id(hook, 5)
    assert len({messages.message_id(hook, 5), messages.message_id(hook, 6)}) == 2
    assert messages.message_id(hook, 5) != messages.message_id(other, 5)


def test_a_sealed_secret_opens_only_for_its_webhook_and_key():
    sealer, secret, hook = Sealer(b"k" * 32), new_secret(), uuid4()
    sealed = sealer.seal(secret, hook)

    assert secret not in sealed and sealer.open(sealed, hook) == secret
    with pytest.raises(SecretUnavailableError):
        sealer.open(sealed, uuid4())
    with pytest.raises(SecretUnavailableError):
        Sealer(b"x" * 32).open(sealed, hook)


def test_the_backoff_doubles_is_capped_and_jittered_within_half_of_it():
    backoff = Backoff(1.0, 300.0)
    for attempts, full in [(1, 1.0), (2, 2.0), (3, 4.0), (9, 256.0), (10, 300.0), (50, 300.0)]:
        delays = [retry_delay(attempts, backoff) for _ in range(200)]
        assert all(full / 2 <= d <= full for d in delays), (attempts, min(delays), max(delays))
        assert max(delays) - min(delays) > full / 10  # jittered, not fixed


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_local_and_private_addresses_are_refused_unless_allowed(url):
    with pytest.raises(WebhookUrlError):
        check_url(url, allow_private=False)
    assert check_url(url, allow_private=True) == url


@pytest.mark.parametrize(
    "url", ["https://hooks.example.org/x", "http://93.184.216.34:8080/hook?a=1"]
)
def test_public_http_urls_are_accepted(url):
    assert check_url(url, allow_private=False) == url


def test_event_types_are_the_public_names_of_the_log_without_webhooks_or_reservations():
    names = deliverable()

    assert {"claim.disputed", "actor.registered", "source.registered"} <= names.keys()
    assert not [n for n in names if n.startswith(("webhook.", "reservation."))]
    assert names["claim.disputed"] == "domain.claims:Claim.Disputed"
    assert topics_for(["claim.disputed"]) == ["domain.claims:Claim.Disputed"]
    assert len(topics_for(["*"])) == len(names)
    with pytest.raises(InvalidEventTypesError):
        check_event_types(["claim.disputed", "claim.nope"])

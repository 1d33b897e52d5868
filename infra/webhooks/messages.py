"""What a receiver gets: a JSON body and the Standard Webhooks headers that sign it.

`webhook-id` is the same for every attempt of one event at one endpoint (receivers dedupe on
it), `webhook-timestamp` the Unix time of the attempt, and `webhook-signature` is
`v1,<base64 HMAC-SHA256 over "<id>.<timestamp>.<body>">` with the endpoint's secret (the
standardwebhooks library signs, so any Standard Webhooks verifier checks it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import orjson
from standardwebhooks.webhooks import Webhook as Signer

from infra.store.event_types import event_data, event_type, plain


def message_id(webhook_id: UUID, position: int) -> str:
    """Stable per event and endpoint: every retry, in any process, sends the same id."""
    return "msg_" + uuid5(NAMESPACE_URL, f"claimtrail:webhook:{webhook_id}:{position}").hex


def body(position: int, event: Any) -> bytes:
    """The event as the receiver reads it (its data as in /audit/log and /claims/{id}/history)."""
    kind = event_type(event)
    meta = getattr(event, "meta", None)
    return orjson.dumps(
        {
            "type": kind,
            "position": position,
            "aggregate_id": str(event.originator_id),
            "aggregate_type": kind.partition(".")[0],
            "version": event.originator_version,
            "timestamp": plain(event.timestamp),
            "recorded_by": str(meta.principal_id) if meta else None,
            "data": event_data(event),
        }
    )


def headers(secret: str, msg_id: str, payload: bytes, at: datetime) -> dict[str, str]:
    timestamp = int(at.timestamp())
    signature = Signer(secret).sign(
        msg_id, datetime.fromtimestamp(timestamp, UTC), payload.decode()
    )
    return {
        "content-type": "application/json",
        "user-agent": "claimtrail-webhooks",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }

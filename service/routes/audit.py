"""The audit log: events with their Merkle leaves, signed checkpoints, RFC 9162 proofs."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from infra.integrity.audit import AuditLog
from infra.integrity.signing import load_signer, public_pem, raw
from service.deps import FreshViews, LedgerDep, Reader, SettingsDep
from service.responses import JSON

router = APIRouter(prefix="/audit", tags=["audit"], dependencies=[Reader])

Position = Annotated[int, Query(ge=1, le=2**62, description="a position in the log")]
Size = Annotated[
    int | None,
    Query(
        ge=1,
        le=2**62,
        description="a tree size (number of leaves); default: the latest checkpoint's",
    ),
]


async def audit_log(ledger: LedgerDep, views: FreshViews) -> AuditLog:
    return AuditLog(ledger, views.store)


Audit = Annotated[AuditLog, Depends(audit_log)]
NOT_YET: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "No checkpoint has been signed yet, or the position is not in the log yet."
    }
}


@router.get("/log")
def read_log(
    audit: Audit,
    after: Annotated[int, Query(ge=0, le=2**62, description="start after this position")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JSON:
    """Every stored event in log order: `{items: [{position, aggregate_id, aggregate_type, version,
    type, topic, recorded_at, recorded_by, data, payload, leaf_hash}], next_after}`. `leaf_hash`
    is null until the audit view has processed the event; `next_after` is null at the end."""
    items, next_after = audit.items(after, limit)
    return JSON({"items": items, "next_after": next_after})


@router.get("/checkpoint", responses=NOT_YET)
def read_checkpoint(audit: Audit) -> JSON:
    """The latest signed tree head `{tree_size, root_hash, timestamp, key_id, signature}`."""
    return JSON(audit.checkpoint().as_dict())


@router.get("/public-key")
def read_public_key(settings: SettingsDep) -> JSON:
    """The Ed25519 key that signs checkpoints: raw (base64) and PEM."""
    signer = load_signer(settings.signing_key_file)
    return JSON(
        {
            "key_id": signer.key_id,
            "algorithm": "Ed25519",
            "public_key": base64.b64encode(raw(signer.public_key)).decode(),
            "pem": public_pem(signer.public_key),
        }
    )


@router.get("/proofs/inclusion", responses=NOT_YET)
def prove_inclusion(audit: Audit, position: Position, tree_size: Size = None) -> JSON:
    """`{leaf_index, tree_size, leaf_hash, path}`: the audit path (RFC 9162 §2.1.3, hex, from
    the leaf up) of the event at `position` in the tree of `tree_size` leaves."""
    return JSON(audit.inclusion(position, tree_size))


@router.get("/proofs/consistency", responses=NOT_YET)
def prove_consistency(
    audit: Audit, first: Annotated[int, Query(ge=1, le=2**62)], second: Size = None
) -> JSON:
    """`{first, second, path}`: the tree of `first` leaves is a prefix of the tree of `second`
    leaves (RFC 9162 §2.1.4, hex)."""
    return JSON(audit.consistency(first, second))
